"""Big CSV/TSV files are imported as they are read (services/import_stream.py): the same cards,
report and refusals as a file read whole, with a late problem rolling everything back."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.decks import delimited
from flashcards.decks.keys import derive_key
from flashcards.decks.limits import ImportLimits
from flashcards.errors import UserError
from flashcards.services import backup, import_stream
from flashcards.services.collection import Collection
from flashcards.services.importer import ImportReport, import_paths
from flashcards.storage import Card
from tests.services.test_import_service import dump, write_deck


@pytest.fixture(params=["whole", "streamed"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both import paths: files read whole (the importer) and read as they are written."""
    threshold = 0 if request.param == "streamed" else 10**12
    monkeypatch.setattr(import_stream, "STREAM_FROM_BYTES", threshold)
    return request.param


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_stream, "STREAM_FROM_BYTES", 0)


def tsv(path: Path, rows: list[str]) -> Path:
    path.write_text("".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def texts(deck: str) -> dict[tuple[str, int], tuple[str, str, str, str]]:
    """The deck's cards as (front, ordinal) -> kind, front, back, tags."""
    query = (
        Card.select().join_from(Card, Card.deck.rel_model).where(Card.deck.rel_model.name == deck)
    )
    return {(c.front, c.ordinal): (c.kind, c.front, c.back, c.tags) for c in query}


def test_both_paths_make_the_same_cards_and_report(
    col: Collection, tmp_path: Path, mode: str
) -> None:
    path = tsv(
        tmp_path / "mixed.tsv",
        [
            "front\tback\ttags",
            "plain\tanswer\tt1 t2 t1",
            "<b>bold</b>\tx &amp; y",
            "{{c1::Paris}} is in {{c2::France}}\t",
            "Plain\tsame front, other case",
            "no back\t",
            "q\t[sound:a.mp3]",
        ],
    )
    report = import_paths(col, [path], skip_invalid=True)
    # The problems come in file order when streamed, duplicates last when read whole.
    assert sorted(report.problems) == [
        f"{path}:5: duplicate card key {derive_key('plain')!r} (first at {path}:2)",
        f"{path}:6: empty back",
    ]
    assert report == ImportReport(
        added=5, skipped=2, problems=report.problems, media_cards=1, decks=("mixed",)
    )
    assert texts("mixed") == {
        ("plain", 0): ("basic", "plain", "answer", "t1 t2"),
        ("bold", 0): ("basic", "bold", "x & y", ""),
        ("{{c1::Paris}} is in {{c2::France}}", 1): (
            "cloze",
            "{{c1::Paris}} is in {{c2::France}}",
            "",
            "",
        ),
        ("{{c1::Paris}} is in {{c2::France}}", 2): (
            "cloze",
            "{{c1::Paris}} is in {{c2::France}}",
            "",
            "",
        ),
        ("q", 0): ("basic", "q", "[sound:a.mp3]", ""),
    }


def test_a_bad_row_at_the_end_changes_nothing(
    col: Collection, tmp_path: Path, streamed: None
) -> None:
    import_paths(col, [write_deck(tmp_path / "body.toml")])
    before = dump(col)
    rows = [f"front {i}\tback {i}" for i in range(12_000)] + ["last front\t"]
    path = tsv(tmp_path / "big.tsv", rows)
    with pytest.raises(UserError, match=r"1 problem in .*big.tsv; nothing imported") as info:
        import_paths(col, [path], deck="Body")
    assert f"{path}:12001: empty back" in str(info.value)
    assert dump(col) == before  # the 12,000 rows written before it were rolled back


def test_a_quote_never_closed_at_the_end_changes_nothing(
    col: Collection, tmp_path: Path, streamed: None
) -> None:
    before = dump(col)
    rows = [f"front {i}\tback {i}" for i in range(6_000)] + ['"open\tback', "more\tlines"]
    path = tsv(tmp_path / "quote.tsv", rows)
    with pytest.raises(UserError, match=r"quote.tsv:6001: a quoted field is never closed"):
        import_paths(col, [path])
    assert dump(col) == before


def test_a_streamed_reimport_keeps_progress_and_prunes(
    col: Collection, tmp_path: Path, streamed: None
) -> None:
    rows = [f"front {i}\tback {i}" for i in range(7_000)]
    assert import_paths(col, [tsv(tmp_path / "deck.tsv", rows)]).added == 7_000
    Card.update(repetitions=3, interval=12).where(Card.front == "front 6500").execute()
    rows[6500] = "front 6500\tA NEW BACK"
    del rows[10]
    report = import_paths(col, [tsv(tmp_path / "deck.tsv", rows)], prune=True)
    assert (report.added, report.updated, report.unchanged, report.missing) == (0, 1, 6_998, 1)
    card = Card.get(Card.front == "front 6500")
    assert (card.back, card.repetitions, card.interval) == ("A NEW BACK", 3, 12)
    assert not Card.select().where(Card.front == "front 10").exists()


def test_a_backup_is_made_before_the_first_write_only(
    col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: None
) -> None:
    calls: list[object] = []
    monkeypatch.setattr(backup, "backup_before_import", lambda c: calls.append(c))
    path = tsv(tmp_path / "deck.tsv", [f"front {i}\tback {i}" for i in range(3)])
    import_paths(col, [path])
    assert calls == [col]
    import_paths(col, [path])  # nothing to change: no backup
    assert calls == [col]


def test_the_same_key_in_two_files_of_one_deck_is_a_problem(
    col: Collection, tmp_path: Path, mode: str
) -> None:
    one = tsv(tmp_path / "one.tsv", ["shared\tfirst"])
    two = tsv(tmp_path / "two.tsv", ["shared\tsecond"])
    report = import_paths(col, [one, two], deck="Both", skip_invalid=True)
    assert report.added == 1
    assert len(report.problems) == 1
    assert report.problems[0].startswith(f"{two}:1: duplicate card key ")
    assert report.problems[0].endswith(f" in deck 'Both' (first at {one}:1)")


def test_progress_ends_at_the_cards_written(
    col: Collection, tmp_path: Path, streamed: None
) -> None:
    path = tsv(tmp_path / "deck.tsv", [f"front {i}\tback {i}" for i in range(12_000)])
    calls: list[tuple[int, int]] = []
    import_paths(col, [path], progress=lambda done, total: calls.append((done, total)))
    assert [done for done, _ in calls] == [5_000, 10_000, 12_000, 12_000]
    assert all(done <= total for done, total in calls)
    assert calls[-1] == (12_000, 12_000)


def test_an_empty_file_still_makes_its_deck(col: Collection, tmp_path: Path, mode: str) -> None:
    report = import_paths(col, [tsv(tmp_path / "Empty.tsv", ["front\tback"])])
    assert report.decks == ("Empty",)


def schema(col: Collection) -> list[tuple]:
    return col.db.execute_sql("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


@pytest.mark.parametrize("last_row", ["last\tback", "last\t"])
def test_card_indexes_built_after_a_bulk_insert_are_the_schemas_own(
    col: Collection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    streamed: None,
    last_row: str,
) -> None:
    if col.path is None:
        pytest.skip("SQLite only: a server keeps its indexes")
    monkeypatch.setattr(import_stream, "BULK_INDEX_ROWS", 100)
    before = schema(col)
    assert any(row[0] == "index" and "card" in row[1] for row in before)
    rows = [f"front {i}\tback {i}" for i in range(6_000)] + [last_row]
    path = tsv(tmp_path / "bulk.tsv", rows)
    if last_row.endswith("\t"):  # refused: the rollback brings the indexes back
        with pytest.raises(UserError):
            import_paths(col, [path])
        assert Card.select().count() == 0
    else:
        assert import_paths(col, [path]).added == 6_001
        plan = col.db.execute_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM card WHERE deck_id = 1 AND key = 'x'"
        ).fetchall()
        assert "card_deck_id_key" in str(plan)
    assert schema(col) == before


def test_a_file_over_the_limits_changes_nothing(
    col: Collection, tmp_path: Path, streamed: None
) -> None:
    before = dump(col)
    path = tsv(tmp_path / "big.tsv", [f"front {i}\tback {i}" for i in range(12_000)])
    with pytest.raises(UserError, match="more than 11,000 cards"):
        import_paths(col, [path], limits=ImportLimits(max_cards=11_000))
    assert dump(col) == before


def stored_rows(col: Collection) -> list[tuple]:
    """Every card column but the id, in insertion order."""
    return col.db.execute_sql(
        'SELECT deck_id, key, note, kind, front, back, tags, ordinal, repetitions, "interval", '
        "easiness, due, lapses, suspended, buried_until, created_at, modified_at "
        "FROM card ORDER BY id"
    ).fetchall()


def test_plain_rows_are_stored_as_the_general_path_stores_them(
    col: Collection, tmp_path: Path, streamed: None
) -> None:
    """The plain-row fast path (`delimited_cards.plain_batch`) writes the very rows the
    general path writes: a fourth, empty column sends the same rows down the general path."""
    rows = [
        "front\tback\ttags",
        " Spaced  Front \t back \t b a  b",
        "Ünïcode ﬁ front\tanswer",
        "tagged\tyes\tt1",
        "no tags\tthree columns\t",
        "x" * 500 + "\tlong front",
    ] + [f"front {i}\tback {i}\tbulk" for i in range(200)]
    import_paths(col, [tsv(tmp_path / "plain.tsv", rows)], deck="Plain")
    fast = stored_rows(col)
    Card.delete().execute()
    wide = [rows[0]] + [row + "\t" * (3 - row.count("\t")) for row in rows[1:]]  # 4 columns
    import_paths(col, [tsv(tmp_path / "wide.tsv", wide)], deck="Plain")
    assert len(fast) == 205
    assert stored_rows(col) == fast


def test_text_that_a_bulk_copy_would_read_as_syntax_arrives_as_written(
    col: Collection, tmp_path: Path, streamed: None
) -> None:
    """PostgreSQL takes streamed cards through COPY (storage/card_copy.py), whose text format
    reads tabs, newlines and backslashes as its own: quoted CSV fields holding them, quotes and
    a `\\N` (COPY's NULL) come back as they were written."""
    fronts = ["tab\there", "two\nlines", "back\\slash \\N", 'it\'s "quoted"', "\\", "crlf\r\nend"]
    rows = "".join(f'"{f.replace(chr(34), chr(34) * 2)}","b {i}"\n' for i, f in enumerate(fronts))
    path = tmp_path / "odd.csv"
    path.write_bytes(rows.encode("utf-8"))
    report = import_paths(col, [path])
    assert report.added == len(fronts)
    stored = {c.back: c.front for c in Card.select()}
    assert stored == {f"b {i}": front.replace("\r\n", "\n") for i, front in enumerate(fronts)}


def schema_statements(col: Collection, path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many statements that change the schema importing `path` (into a deck of its own)
    ran."""
    ran: list[str] = []
    execute = col.db.execute_sql

    def counted(sql: str, *args: object, **kwargs: object) -> object:
        if sql.lstrip().upper().startswith(("CREATE", "DROP", "ALTER")):
            ran.append(sql)
        return execute(sql, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(col.db, "execute_sql", counted)
        import_paths(col, [path], deck=path.stem)
    return len(ran)


def test_a_long_file_changes_the_schema_no_more_than_a_short_one(
    col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: None
) -> None:
    """What a bulk import sets aside (triggers, indexes) is set aside once: after each schema
    change SQLite prepares the next 500-row INSERT again (done for each chunk, it cost an
    import of 200,000 cards 40 of them)."""
    monkeypatch.setattr(delimited, "BATCH_ROWS", 100)
    monkeypatch.setattr(import_stream, "CHUNK_ROWS", 100)
    short = tsv(tmp_path / "short.tsv", [f"short {i}\tback" for i in range(150)])
    long = tsv(tmp_path / "long.tsv", [f"long {i}\tback" for i in range(2_000)])
    assert schema_statements(col, long, monkeypatch) == schema_statements(col, short, monkeypatch)


@pytest.mark.sqlite_only  # a file that may not grow: `PRAGMA max_page_count`
def test_a_full_disk_while_updating_cards_changes_nothing(
    col: Collection, tmp_path: Path, streamed: None
) -> None:
    """The changed cards of a re-import are rewritten in bulk (`update_card_texts`): a full
    disk there is the one-line refusal too, not a traceback."""
    rows = [f"front {i}\tback {i}" for i in range(7_000)]
    import_paths(col, [tsv(tmp_path / "deck.tsv", rows)])
    before = dump(col)
    pages = col.db.execute_sql("PRAGMA page_count").fetchone()[0]
    col.db.execute_sql(f"PRAGMA max_page_count = {pages + 2}")
    longer = [f"front {i}\t{'a much longer back ' * 20}{i}" for i in range(7_000)]
    with pytest.raises(UserError, match="the disk is full"):
        import_paths(col, [tsv(tmp_path / "deck.tsv", longer)])
    assert dump(col) == before
