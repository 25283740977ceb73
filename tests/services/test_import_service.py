"""The import service on real SQLite files: matching by key, all-or-nothing, dry runs, pruning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from playhouse.db_url import connect

from flashcards.clock import FixedClock
from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.importer import ImportReport, import_paths
from flashcards.storage import Card, Deck, Review
from tests.decks.anki_builders import BASIC, CRT_DAY, REVIEW, Note, build_apkg

CARDS = [
    ("spasm", "What is a spasm?", "An involuntary contraction."),
    ("cramp", "What is a cramp?", "A painful spasm."),
    ("twitch", "What is a twitch?", "A small visible movement."),
]


def write_deck(
    path: Path,
    cards: list[tuple[str, str, str]] = CARDS,
    name: str = "Body",
    extra: str = "",
    description: str = "",
) -> Path:
    """A TOML deck of basic cards with explicit ids (plus any raw TOML in `extra`)."""
    lines = ["[deck]", f'name = "{name}"']
    if description:
        lines.append(f'description = "{description}"')
    for key, front, back in cards:
        lines += [
            "",
            "[[cards]]",
            f'id = "{key}"',
            f'front = "{front}"',
            f'back = "{back}"',
            'tags = ["body"]',
        ]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def dump(col: Collection) -> dict[str, list[tuple]]:
    """Every row of every table, read on a separate connection: what "nothing written" means."""
    other = SqliteDatabase(str(col.path)) if col.path else connect(col.target)
    try:
        return {
            t: sorted(other.execute_sql(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in other.get_tables()
        }
    finally:
        other.close()


def cards_by_key(deck: str = "Body") -> dict[str, Card]:
    return {c.key: c for c in Card.select().join(Deck).where(Deck.name == deck)}


def test_first_import_adds_every_card_as_new(col: Collection, tmp_path: Path) -> None:
    report = import_paths(col, [write_deck(tmp_path / "body.toml", description="About")])
    assert report == ImportReport(added=3, decks=("Body",))
    cards = cards_by_key()
    assert set(cards) == {"spasm", "cramp", "twitch"}
    card = cards["cramp"]
    assert (card.kind, card.front, card.back, card.tags) == (
        "basic",
        "What is a cramp?",
        "A painful spasm.",
        "body",
    )
    assert card.due is None and card.repetitions == 0
    assert card.created_at == col.clock.now().replace(tzinfo=None)
    assert Deck.get(Deck.name == "Body").description == "About"
    # new cards keep the file's order (the study queue takes new cards by id)
    assert [c.key for c in Card.select().order_by(Card.id)] == ["spasm", "cramp", "twitch"]


def test_reimport_of_an_unchanged_file_writes_nothing(
    col: Collection, tmp_path: Path, clock: FixedClock
) -> None:
    path = write_deck(tmp_path / "body.toml")
    import_paths(col, [path])
    before = dump(col)
    clock.advance(days=3)
    report = import_paths(col, [path])
    assert (report.added, report.updated, report.unchanged, report.missing) == (0, 0, 3, 0)
    assert dump(col) == before  # modified_at included: not even a no-op write


def test_edited_back_updates_the_card_and_keeps_its_progress(
    col: Collection, tmp_path: Path, clock: FixedClock
) -> None:
    path = write_deck(tmp_path / "body.toml")
    import_paths(col, [path])
    studied = dt.date(2026, 3, 20)
    Card.update(repetitions=3, interval=12, easiness=236, due=studied, lapses=1).where(
        Card.key == "cramp"
    ).execute()
    clock.advance(days=1)
    edited = [(k, f, "A sudden painful spasm." if k == "cramp" else b) for k, f, b in CARDS]
    report = import_paths(col, [write_deck(path, edited)])
    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    card = cards_by_key()["cramp"]
    assert card.back == "A sudden painful spasm."
    assert (card.repetitions, card.interval, card.easiness, card.due, card.lapses) == (
        3,
        12,
        236,
        studied,
        1,
    )
    assert card.modified_at == clock.now().replace(tzinfo=None)
    assert card.created_at < card.modified_at


def test_tag_and_kind_changes_count_as_updates(col: Collection, tmp_path: Path) -> None:
    path = write_deck(tmp_path / "body.toml")
    import_paths(col, [path])
    text = path.read_text().replace('id = "spasm"', 'id = "spasm"\ntype = "type"', 1)
    text = text.replace('tags = ["body"]', 'tags = ["body", "new"]', 1)
    path.write_text(text)
    report = import_paths(col, [path])
    assert (report.updated, report.unchanged) == (1, 2)
    card = cards_by_key()["spasm"]
    assert (card.kind, card.tags) == ("type", "body new")


def test_new_cards_are_added_and_missing_ones_kept(col: Collection, tmp_path: Path) -> None:
    path = write_deck(tmp_path / "body.toml")
    import_paths(col, [path])
    changed = [*CARDS[1:], ("tendon", "What joins muscle to bone?", "A tendon.")]
    report = import_paths(col, [write_deck(path, changed)])
    assert (report.added, report.updated, report.unchanged, report.missing) == (1, 0, 2, 1)
    assert set(cards_by_key()) == {"spasm", "cramp", "twitch", "tendon"}


def test_prune_deletes_missing_cards_and_keeps_their_review_log(
    col: Collection, tmp_path: Path
) -> None:
    path = write_deck(tmp_path / "body.toml")
    import_paths(col, [path])
    gone = cards_by_key()["spasm"]
    now = col.clock.now().replace(tzinfo=None)
    Review.create(
        card=gone,
        reviewed_at=now,
        review_day=col.clock.today(),
        quality=4,
        before_repetitions=0,
        before_interval=0,
        before_easiness=250,
        after_repetitions=1,
        after_interval=1,
        after_easiness=250,
        after_due=col.clock.today() + dt.timedelta(days=1),
    )
    report = import_paths(col, [write_deck(path, CARDS[1:])], prune=True)
    assert (report.missing, report.unchanged) == (1, 2)
    assert set(cards_by_key()) == {"cramp", "twitch"}
    (log,) = Review.select()
    assert log.card_id is None and log.quality == 4 and log.after_interval == 1


def test_dry_run_reports_the_same_and_writes_nothing(
    col: Collection, tmp_path: Path, clock: FixedClock
) -> None:
    fresh = write_deck(tmp_path / "fresh.toml", name="Fresh::Deck", description="d")
    before = dump(col)
    report = import_paths(col, [fresh], dry_run=True)
    assert (report.added, report.decks) == (3, ("Fresh::Deck",))
    assert dump(col) == before  # not even the deck or its parent

    path = write_deck(tmp_path / "body.toml")
    import_paths(col, [path])
    changed = [("cramp", "What is a cramp?", "Edited."), ("new", "New?", "Yes.")]
    write_deck(path, changed)
    before = dump(col)
    clock.advance(days=1)
    progress: list[tuple[int, int]] = []
    dry = import_paths(
        col, [path], dry_run=True, prune=True, progress=lambda *a: progress.append(a)
    )
    assert dump(col) == before
    assert (dry.added, dry.updated, dry.unchanged, dry.missing) == (1, 1, 0, 2)
    assert progress and progress[-1][0] == progress[-1][1]
    real = import_paths(col, [path], prune=True)
    assert real == dry


def test_invalid_cards_refuse_the_whole_import(col: Collection, tmp_path: Path) -> None:
    good = write_deck(tmp_path / "good.toml", name="Good")
    bad = write_deck(
        tmp_path / "bad.toml",
        extra='\n[[cards]]\nfront = "no back"\n\n[[cards]]\ntype = "cloze"\ntext = "no deletion"\n',
    )
    before = dump(col)
    with pytest.raises(UserError) as raised:
        import_paths(col, [good, bad])
    lines = str(raised.value).splitlines()
    assert lines[0].startswith(f"2 problems in {bad}; nothing imported")
    assert lines[1] == f"{bad}:22: missing 'back'"
    assert lines[2].startswith(f"{bad}:25: ")
    assert dump(col) == before


def test_skip_invalid_imports_the_rest_and_reports_each_skipped_card(
    col: Collection, tmp_path: Path
) -> None:
    bad = write_deck(tmp_path / "bad.toml", extra='\n[[cards]]\nfront = "no back"\n')
    report = import_paths(col, [bad], skip_invalid=True)
    assert (report.added, report.skipped) == (3, 1)
    assert report.problems == (f"{bad}:22: missing 'back'",)


def test_prune_with_skipped_cards_is_refused(col: Collection, tmp_path: Path) -> None:
    path = write_deck(tmp_path / "body.toml")
    import_paths(col, [path])
    write_deck(path, CARDS, extra='\n[[cards]]\nid = "spasm2"\nfront = "typo"\n')
    with pytest.raises(UserError, match="--prune"):
        import_paths(col, [path], skip_invalid=True, prune=True)


def test_a_file_level_error_is_one_line_and_changes_nothing(
    col: Collection, tmp_path: Path
) -> None:
    good = write_deck(tmp_path / "good.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text('[deck]\nname = "X"\n[[cards]\nfront = 1\n')
    before = dump(col)
    with pytest.raises(UserError) as raised:
        import_paths(col, [good, broken])
    assert str(raised.value).startswith(f"{broken}:3: invalid TOML")
    assert "\n" not in str(raised.value)
    assert dump(col) == before
    with pytest.raises(UserError, match="no such file"):
        import_paths(col, [tmp_path / "absent.toml"])


def test_the_same_key_in_two_files_of_one_deck_is_a_problem(
    col: Collection, tmp_path: Path
) -> None:
    one = write_deck(tmp_path / "one.toml")
    two = write_deck(tmp_path / "two.toml", CARDS[:1])
    with pytest.raises(UserError, match="duplicate card key 'spasm'"):
        import_paths(col, [one, two])
    report = import_paths(col, [one, two], skip_invalid=True)
    assert (report.added, report.skipped) == (3, 1)


def test_deck_option_overrides_and_creates_parents(col: Collection, tmp_path: Path) -> None:
    csv = tmp_path / "words.csv"
    csv.write_text("front,back,tags\nuno,one,es\ndos,two,es\n", encoding="utf-8")
    report = import_paths(col, [csv], deck=" Languages :: Spanish ")
    assert report.decks == ("Languages::Spanish",)
    assert {d.name for d in Deck.select()} == {"Languages", "Languages::Spanish"}
    assert len(cards_by_key("Languages::Spanish")) == 2
    # without --deck, a CSV goes into a deck named after the file
    assert import_paths(col, [csv]).decks == ("words",)
    with pytest.raises(UserError, match="invalid deck name"):
        import_paths(col, [csv], deck="A::")


def test_apkg_progress_is_carried_over_unless_told_not_to(col: Collection, tmp_path: Path) -> None:
    note = Note(1, "gq", BASIC.id, ["q", "a"], "", [(0, 1, 0, REVIEW, 30, 0, 10, 2300, 2)])
    new = Note(2, "gn", BASIC.id, ["q2", "a2"], "tag", [(0, 1, 0, 0, 5, 0, 0, 0, 0)])
    path = build_apkg(
        tmp_path / "anki.apkg", "anki21", models=[BASIC], notes=[note, new], decks={1: "Default"}
    )
    report = import_paths(col, [path], deck="From Anki")
    assert report.added == 2
    cards = cards_by_key("From Anki")
    card = cards["gq::0"]
    assert (card.repetitions, card.interval, card.easiness, card.lapses) == (2, 10, 230, 2)
    assert card.due == CRT_DAY + dt.timedelta(days=30)
    assert cards["gn::0"].due is None and cards["gn::0"].tags == "tag"

    import_paths(col, [path], deck="Fresh", with_scheduling=False)
    assert all(c.due is None and c.repetitions == 0 for c in cards_by_key("Fresh").values())


def test_progress_is_reported_per_chunk(col: Collection, tmp_path: Path) -> None:
    rows = "".join(f"front {i}\tback {i}\n" for i in range(1200))
    tsv = tmp_path / "many.tsv"
    tsv.write_text(rows, encoding="utf-8")
    calls: list[tuple[int, int]] = []
    report = import_paths(col, [tsv], progress=lambda done, total: calls.append((done, total)))
    assert report.added == 1200
    assert calls == [(0, 1200), (500, 1200), (1000, 1200), (1200, 1200)]
    assert Card.select().count() == 1200


def test_a_backup_is_made_before_writing_only(
    col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flashcards.services import backup

    calls: list[object] = []
    monkeypatch.setattr(backup, "backup_before_import", lambda c: calls.append(c))
    path = write_deck(tmp_path / "body.toml")
    import_paths(col, [path], dry_run=True)
    assert calls == []
    import_paths(col, [path])
    assert calls == [col]
    import_paths(col, [path])  # nothing to change: no backup
    assert calls == [col]
