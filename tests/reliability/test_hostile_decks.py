"""Hostile deck files through `flashcards import`: exit 1, a clear first line, nothing changed.

Plus one hypothesis fuzz test over mutated TOML, CSV/TSV and .apkg files: the command exits 0 or
1 and never shows a traceback (each parser's own fuzzer is in tests/decks/test_decks_fuzz.py).
"""

from __future__ import annotations

import io
import os
import sqlite3
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from flashcards.cli import main
from flashcards.decks import apkg
from tests.decks.hostile import HOSTILE_TEXTS, NON_REGULAR, hostile_text_file, non_regular_file
from tests.reliability.dbtools import integrity, table_checksum

VALID_TOML = (
    '[deck]\nname = "Fuzz"\ndescription = "d"\n\n'
    '[[cards]]\nid = "a"\nfront = "one"\nback = "uno"\ntags = ["x"]\n\n'
    '[[cards]]\ntype = "cloze"\ntext = "The {{c1::sun}} is a star"\n\n'
    '[[cards]]\ntype = "reverse"\nfront = "two"\nback = "dos"\n'
)
VALID_CSV = 'front,back,tags\none,uno,x\ntwo,dos,\n"th,ree","tr""es",y z\n'


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.fixture(scope="module")
def good_apkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real package written by genanki (a third-party writer), five basic notes."""
    import genanki

    model = genanki.Model(
        1607392319,
        "Simple",
        fields=[{"name": "Question"}, {"name": "Answer"}],
        templates=[{"name": "Card 1", "qfmt": "{{Question}}", "afmt": "{{Answer}}"}],
    )
    deck = genanki.Deck(2059400110, "Hostile::Good")
    for i in range(5):
        deck.add_note(genanki.Note(model=model, fields=[f"q{i}", f"a{i}"], guid=f"guid{i}"))
    path = tmp_path_factory.mktemp("apkg") / "good.apkg"
    genanki.Package(deck).write_to_file(str(path))
    return path


@pytest.fixture(scope="module")
def collection_bytes(good_apkg: Path) -> bytes:
    return zipfile.ZipFile(good_apkg).read("collection.anki2")


@pytest.fixture
def db(cli, tmp_path: Path) -> Path:
    """A collection as a user has one: the bundled decks in, a backup-worthy history."""
    path = tmp_path / "c.db"
    assert cli("--db", str(path), "decks").code == 0
    return path


def _refused(cli, db: Path, deck_file: Path, *words: str, extra: tuple[str, ...] = ()):
    before = table_checksum(db)
    result = cli("--db", str(db), "import", *extra, str(deck_file))
    assert result.code == 1, result.out
    assert "Traceback" not in result.err
    first = result.err.split("\n", 1)[0]
    assert first.startswith("flashcards: ") and deck_file.name in first, first
    for word in words:
        assert word in first, first
    assert table_checksum(db) == before
    return first


# -- text formats ------------------------------------------------------------------------------

UMLAUTS = '[deck]\nname = "Ü"\n[[cards]]\nfront = "ä"\nback = "b"\n'
TEXT_CASES = {
    "invalid.toml": (b'[deck\nname = "x"\n', "invalid TOML"),
    "types.toml": (b'[deck]\nname = "W"\n\n[[cards]]\nfront = 5\nback = ["a"]\n', "problem"),
    "missing.toml": (b'[deck]\nname = "M"\n\n[[cards]]\nback = "b"\n', "problem"),
    "no-deck.toml": (b'[[cards]]\nfront = "a"\nback = "b"\n', "deck"),
    "huge.toml": (
        b'[deck]\nname = "H"\n\n[[cards]]\nfront = "' + b"x" * 1_000_000 + b'"\nback = "b"\n',
        "problem",
    ),
    "binary.toml": (bytes(range(256)) * 20, "binary"),
    "utf16.toml": (UMLAUTS.encode("utf-16-le"), ""),
    "latin1.toml": (UMLAUTS.encode("latin-1"), "UTF-8"),
    "ragged.csv": (b'front,back\na,b\nc\n"unterminated,x\n', "never closed"),
    "binary.csv": (b"a,b\n\x00\x00,\xff\xfe\n", "binary"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(TEXT_CASES))
def test_hostile_text_deck(cli, db: Path, tmp_path: Path, name: str) -> None:
    content, word = TEXT_CASES[name]
    path = tmp_path / name
    path.write_bytes(content)
    _refused(cli, db, path, *([word] if word else []))


# -- Anki packages ------------------------------------------------------------------------------


def test_the_good_package_imports(cli, db: Path, good_apkg: Path) -> None:
    """The control: the package the hostile ones are made from is fine."""
    result = cli("--db", str(db), "import", str(good_apkg))
    assert result.code == 0, result.err
    assert "added 5" in result.out


def test_not_a_zip(cli, db: Path, tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    path.write_text("hello, I am not a zip")
    _refused(cli, db, path, "not a valid zip")


def test_a_truncated_zip(cli, db: Path, tmp_path: Path, good_apkg: Path) -> None:
    for cut in (0.3, 0.5, 0.9, 0.99):
        data = good_apkg.read_bytes()
        path = tmp_path / f"cut-{cut}.apkg"
        path.write_bytes(data[: int(len(data) * cut)])
        _refused(cli, db, path)


def test_no_collection_inside(cli, db: Path, tmp_path: Path) -> None:
    path = _zip(tmp_path / "media-only.apkg", {"media": b"{}", "0": b"\x89PNG"})
    _refused(cli, db, path, "no Anki collection")


def test_a_collection_that_is_not_sqlite(cli, db: Path, tmp_path: Path) -> None:
    path = _zip(tmp_path / "text.apkg", {"collection.anki2": b"hello world" * 100})
    _refused(cli, db, path, "not an SQLite database")


def test_an_unexpected_sql_schema(cli, db: Path, tmp_path: Path) -> None:
    weird = tmp_path / "weird.sqlite"
    conn = sqlite3.connect(weird)
    conn.execute("CREATE TABLE col (x)")
    conn.execute("CREATE TABLE cards (y)")
    conn.execute("CREATE TABLE notes (z)")
    conn.commit()
    conn.close()
    path = _zip(tmp_path / "schema.apkg", {"collection.anki2": weird.read_bytes()})
    _refused(cli, db, path, "not a collection flashcards can read")


def test_a_damaged_collection_inside(cli, db, tmp_path, collection_bytes: bytes) -> None:
    data = bytearray(collection_bytes)
    for page in range(1, len(data) // 4096):
        data[page * 4096 : page * 4096 + 64] = b"\xa5" * 64  # smash every page but the first
    path = _zip(tmp_path / "smashed.apkg", {"collection.anki2": bytes(data)})
    _refused(cli, db, path)


def test_a_zip_bomb(cli, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A member that inflates far past the cap (cap lowered to 8 MB so the test stays quick)."""
    monkeypatch.setattr(apkg, "MAX_MEMBER_BYTES", 8 * 1024 * 1024)
    path = tmp_path / "bomb.apkg"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf,
        zf.open("collection.anki2", "w") as member,
    ):
        member.write(b"SQLite format 3\x00")
        for _ in range(24):
            member.write(bytes(1 << 20))
    assert path.stat().st_size < 100_000  # 24 MB of zeros in a few dozen KB
    _refused(cli, db, path, "limit")


def test_a_zip_bomb_that_lies_about_its_size(cli, db, tmp_path, monkeypatch) -> None:
    """The central directory claims a tiny member; reading is capped all the same."""
    monkeypatch.setattr(apkg, "MAX_MEMBER_BYTES", 4 * 1024 * 1024)
    path = tmp_path / "liar.apkg"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("collection.anki2", b"SQLite format 3\x00" + bytes(12 * 1024 * 1024))
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = struct.pack("<I", 1000)  # uncompressed size: 1000
    local = data.find(b"PK\x03\x04")
    data[local + 22 : local + 26] = struct.pack("<I", 1000)
    path.write_bytes(bytes(data))
    _refused(cli, db, path)


def test_a_huge_declared_size_is_refused_before_reading(cli, db, tmp_path) -> None:
    path = tmp_path / "declared.apkg"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("collection.anki2", b"SQLite format 3\x00" + bytes(1000))
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = struct.pack("<I", 0xF000_0000)  # claims 3.75 GiB
    path.write_bytes(bytes(data))
    _refused(cli, db, path, "bytes")


def test_member_names_with_dot_dot_write_nothing_outside(
    cli, db: Path, tmp_path: Path, collection_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = tmp_path / "sandbox" / "inner"
    sandbox.mkdir(parents=True)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.chdir(sandbox)
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    absolute = tmp_path / "absolute-evil.txt"
    path = _zip(
        tmp_path / "traversal.apkg",
        {
            "../evil.txt": b"evil",
            "../../evil.txt": b"evil",
            str(absolute): b"evil",
            "../collection.anki2": b"not me",
            "collection.anki2": collection_bytes,
            "media": b'{"0": "../../media-evil.txt"}',
            "0": b"media",
        },
    )
    before = sorted(
        p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "backups" not in p.parts
    )
    result = cli("--db", str(db), "import", str(path))
    assert result.code in (0, 1) and "Traceback" not in result.err
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "backups" not in p.parts)
    new = [p for p in after if p not in before and not p.name.startswith("c.db")]
    assert new == [], f"files appeared: {new}"
    assert not absolute.exists()
    assert list(private_tmp.iterdir()) == []  # the private temp dir was cleaned up
    assert integrity(db) == "ok"


# -- issue 11: bounded work, hostile inputs ------------------------------------------------------


def _apkg(
    tmp_path: Path,
    name: str,
    *,
    column: str | None = None,
    value: object = None,
    deck: str = "Default",
    models_json: str | None = None,
) -> Path:
    """A one-note package with one card column set to `value`, or a deck name, or col.models."""
    from tests.decks.anki_builders import BASIC, REVIEW_CARD, Note, build_collection

    card = dict(REVIEW_CARD)
    if column:
        card[column] = value
    note = Note(1, "g", BASIC.id, ["q", "a"], "", [tuple(card.values())])
    db = tmp_path / f"{name}.db"
    build_collection(db, False, models=[BASIC], notes=[note], decks={1: deck})
    if models_json is not None:
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE col SET models = ?", (models_json,))
        conn.close()
    return _zip(tmp_path / name, {"collection.anki2": db.read_bytes()})


def _hostile(tmp_path: Path, name: str) -> Path:
    """Each file of the issue, built small."""
    if name in HOSTILE_TEXTS:
        return hostile_text_file(tmp_path, name)
    nested = "[" * 1000 + "]" * 1000
    deep = "::".join(["d"] * 2000)
    apkgs = {
        "nested-models.apkg": {"models_json": nested},
        "factor.apkg": {"column": "factor", "value": 1e300},
        "lapses.apkg": {"column": "lapses", "value": 1e300},
        "lapses-32bit.apkg": {"column": "lapses", "value": 2**40},
        "deep-deck.apkg": {"deck": deep},
        "long-deck.apkg": {"deck": "n" * 300},
    }
    return _apkg(tmp_path, name, **apkgs[name])


ONE_LINE_CASES = {
    **{name: words for name, (_, words) in HOSTILE_TEXTS.items()},
    "nested-models.apkg": "nested too deeply",
    "deep-deck.apkg": "levels deep",
    "long-deck.apkg": "255 characters",
}
PROBLEM_CASES = {
    "factor.apkg": "factor 1e+300 is outside",
    "lapses.apkg": "lapses 1e+300 is outside",
    "lapses-32bit.apkg": "lapses 1,099,511,627,776 is outside",
}


@pytest.mark.parametrize("name", sorted(ONE_LINE_CASES))
def test_hostile_file_is_one_line(cli, db: Path, tmp_path: Path, name: str) -> None:
    """Tracebacks (RecursionError, ValueError, PostgreSQL's DataError) or minutes, once."""
    path = _hostile(tmp_path, name)
    first = _refused(cli, db, path)
    assert ONE_LINE_CASES[name] in first
    assert cli("--db", str(db), "import", str(path)).error_line == first


@pytest.mark.parametrize("name", sorted(PROBLEM_CASES))
def test_hostile_values_are_listed_problems(cli, db: Path, tmp_path: Path, name: str) -> None:
    """Once an OverflowError traceback on SQLite and a DataError on PostgreSQL."""
    path = _hostile(tmp_path, name)
    _refused(cli, db, path, "1 problem")
    err = cli("--db", str(db), "import", str(path)).err
    assert PROBLEM_CASES[name] in err and "Traceback" not in err


@pytest.mark.parametrize("kind", NON_REGULAR)
def test_only_regular_files_are_imported(cli, db: Path, tmp_path: Path, kind: str) -> None:
    """Once: /dev/zero, or a symlink to it, was read until memory ran out."""
    path = non_regular_file(tmp_path, kind)
    before = table_checksum(db)
    result = cli("--db", str(db), "import", str(path))
    assert result.code == 1
    assert "only regular files are read" in result.error_line and str(path) in result.error_line
    assert table_checksum(db) == before


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_import_from_standard_input(cli, db, monkeypatch, name: str) -> None:
    """Once: `import /dev/stdin` said "added 0" and `import -` "no such file"."""
    _stdin(monkeypatch, b"front,back\nq1,a1\nq2,a2\n")
    result = cli("--db", str(db), "import", "--format", "csv", name)
    assert result.code == 0, result.err
    assert "Imported into Imported: added 2" in result.out


def test_standard_input_needs_a_format(cli, db: Path, monkeypatch) -> None:
    _stdin(monkeypatch, b"front,back\nq,a\n")
    before = table_checksum(db)
    result = cli("--db", str(db), "import", "-")
    assert result.code == 1 and "needs --format" in result.error_line
    assert table_checksum(db) == before


def test_a_dry_run_never_creates_the_collection(cli, tmp_path: Path) -> None:
    """Once: `--dry-run` on a new --db path created the collection."""
    deck = tmp_path / "d.csv"
    deck.write_text("front,back\nq,a\n")
    target = tmp_path / "new" / "collection.db"
    target.parent.mkdir()
    result = cli("--db", str(target), "import", "--dry-run", str(deck))
    assert result.code == 0 and "Dry run (nothing written) into d: added 1" in result.out
    assert list(target.parent.iterdir()) == []


def test_card_and_character_limits_name_the_option(cli, db: Path, tmp_path: Path) -> None:
    deck = tmp_path / "three.csv"
    deck.write_text("front,back\nq1,a1\nq2,a2\nq3,a3\n")
    first = _refused(cli, db, deck, "--max-cards N", extra=("--max-cards", "2"))
    assert "more than 2 cards" in first
    _refused(cli, db, deck, "--max-chars N", extra=("--max-chars", "5"))
    assert cli("--db", str(db), "import", "--max-cards", "3", str(deck)).code == 0


def test_cr_only_and_utf16_files_import(cli, db: Path, tmp_path: Path) -> None:
    """Once refused: CR-only with Python's csv message, UTF-16 as "binary"."""
    mac = tmp_path / "mac.csv"
    mac.write_bytes(b"front,back\rq1,a1\rq2,a2\r")
    wide = tmp_path / "wide.csv"
    wide.write_bytes("front,back\nä,b\n".encode("utf-16"))
    assert "added 2" in cli("--db", str(db), "import", str(mac)).out
    assert "added 1" in cli("--db", str(db), "import", str(wide)).out


# -- fuzz ---------------------------------------------------------------------------------------


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    buf = bytearray(data)
    for pos, value in edits:
        if buf:
            buf[pos % len(buf)] = value
    if cut is not None and buf:
        buf = buf[: cut % (len(buf) + 1)]
    return bytes(buf)


_edits = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=12)
_cut = st.none() | st.integers(0, 1 << 20)


def _import_never_crashes(db: Path, name: str, data: bytes, *extra: str) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        code = main(["--db", str(db), "import", *extra, str(path)])
    event(f"exit {code}")  # --hypothesis-show-statistics shows how many imports got through
    assert code in (0, 1)


FUZZ = settings(  # FLASHCARDS_FUZZ_EXAMPLES=2000 for a long soak run
    max_examples=int(os.environ.get("FLASHCARDS_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(
    name=st.sampled_from(["f.toml", "f.csv", "f.tsv", "f.apkg", "inner.apkg"]),
    edits=_edits,
    cut=_cut,
    junk=st.text(max_size=40),
    where=st.integers(0, len(VALID_TOML)),
)
def test_fuzz_the_import_command(
    db: Path, good_apkg: Path, collection_bytes: bytes, name: str, edits, cut, junk, where
) -> None:
    """One command-level fuzzer for every format (each parser has its own in test_decks_fuzz):
    a mutated valid file of any format goes all the way through `flashcards import`."""
    if name == "inner.apkg":  # a valid zip around a damaged collection: the SQLite reading
        data = _mutate(collection_bytes, [(p % len(collection_bytes), v) for p, v in edits], cut)
        with tempfile.TemporaryDirectory() as tmp:
            packed = _zip(Path(tmp) / "x.apkg", {"collection.anki2": data, "media": b"{}"})
            data = packed.read_bytes()
    elif name == "f.apkg":
        data = _mutate(good_apkg.read_bytes(), edits, cut)
    else:  # text with junk inserted somewhere, then bytes changed
        valid = VALID_TOML if name == "f.toml" else VALID_CSV
        if name == "f.tsv":
            valid = valid.replace(",", "\t")
        text = valid[:where] + junk + valid[where:]
        data = _mutate(text.encode("utf-8", "surrogatepass"), edits, cut)
    _import_never_crashes(db, name, data)


def test_fuzz_inputs_are_reproducible() -> None:
    assert _mutate(b"abc", [(4, 0x7A)], None) == b"azc"
    assert _mutate(b"abcdef", [], 3) == b"abc"
