"""Export: TOML round-trips every card and key exactly; CSV keeps the text; .apkg opens again."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.decks.bundled import bundled_deck_paths
from flashcards.errors import UserError
from flashcards.services.collection import Collection, open_collection
from flashcards.services.exporter import export_deck, subdecks_with_cards
from flashcards.services.importer import import_paths
from flashcards.settings import Settings
from flashcards.storage import Card, Deck
from tests.conftest import START
from tests.decks.anki_builders import build_apkg

Row = tuple[str, str, str, str, str, int]


def snapshot(deck: str) -> set[Row]:
    """What a round trip must keep: key, kind, front, back, tags and ordinal of every card."""
    query = (
        Card.select(Card.key, Card.kind, Card.front, Card.back, Card.tags, Card.ordinal)
        .join(Deck)
        .where(Deck.name == deck)
        .tuples()
    )
    return set(query)


def reimport_fresh(tmp_path: Path, path: Path, name: str, **options: object) -> set[Row]:
    """Import `path` into a brand-new collection file and snapshot the deck there."""
    fresh = tmp_path / f"fresh-{path.suffix[1:]}.db"
    with open_collection(fresh, clock=FixedClock(START), settings=Settings()) as other:
        import_paths(other, [path], **options)  # type: ignore[arg-type]
        return snapshot(name)  # the block is bound to `other`, not to the test's `col`


def test_toml_round_trip_is_exact(col: Collection, tmp_path: Path) -> None:
    """Reverse pairs, cloze notes, a broken reverse pair, a lone cloze sibling and Anki keys."""
    (bundled,) = [p for p in bundled_deck_paths() if p.name == "muscle-spasms.toml"]
    import_paths(col, [bundled], deck="Mixed")
    anki = build_apkg(tmp_path / "sample.apkg", "anki21")
    import_paths(col, [anki], deck="Mixed", skip_invalid=True)
    # break one reverse pair (edit one side) and one cloze note (delete a sibling)
    reverse = Card.get(Card.key.endswith("::reverse"))
    Card.update(back=reverse.back + " (edited)").where(Card.id == reverse.id).execute()
    first = Card.select(Card.id).where(Card.key.endswith("::c2")).order_by(Card.id).limit(1)
    Card.delete().where(Card.id.in_(first)).execute()  # DELETE ... LIMIT is SQLite's alone
    before = snapshot("Mixed")
    kinds = {kind for _, kind, *_ in before}
    assert kinds == {"basic", "cloze", "type"} and len(before) > 50

    out = tmp_path / "mixed.toml"
    assert export_deck(col, "Mixed", out, None) == len(before)
    assert reimport_fresh(tmp_path, out, "Mixed") == before


def test_toml_export_of_the_bundled_deck_reimports_as_unchanged(
    col: Collection, tmp_path: Path
) -> None:
    (bundled,) = [p for p in bundled_deck_paths() if p.name == "muscle-spasms.toml"]
    import_paths(col, [bundled])
    out = tmp_path / "again.toml"
    export_deck(col, "Muscle spasms", out, "toml")
    report = import_paths(col, [out])
    assert (report.added, report.updated, report.missing) == (0, 0, 0)
    assert report.unchanged == Card.select().count()


def test_csv_round_trip_keeps_the_text_and_matches_the_same_cards(
    col: Collection, tmp_path: Path
) -> None:
    source = tmp_path / "words.csv"
    source.write_text(
        'front,back,tags\nuno,one,es num\n"dos, two",two,\n"tres\nlines","3",es\n',
        encoding="utf-8",
    )
    import_paths(col, [source], deck="Spanish")
    before = snapshot("Spanish")
    out = tmp_path / "out.csv"
    assert export_deck(col, "Spanish", out, None) == 3
    assert out.read_text(encoding="utf-8").startswith("#separator:comma\n#html:true\n")
    # a fresh collection gets the same text, keyed as Anki notes (`guid::0`)
    again = reimport_fresh(tmp_path, out, "Spanish")
    assert {(f"{key}::0", *rest) for key, *rest in before} == again
    # the collection it came from matches every card: nothing added, nothing changed
    report = import_paths(col, [out])
    assert (report.added, report.updated, report.unchanged) == (0, 0, 3)


def test_apkg_export_opens_again(col: Collection, tmp_path: Path) -> None:
    import_paths(col, [bundled_deck_paths()[0]], deck="Deck")
    out = tmp_path / "deck.apkg"
    count = export_deck(col, "Deck", out, None)
    fronts = {(front, back) for _, _, front, back, _, _ in snapshot("Deck")}
    again = reimport_fresh(tmp_path, out, "Deck", deck="Deck")
    assert len(again) == count
    assert {(front, back) for _, _, front, back, _, _ in again} == fronts


def test_only_the_decks_own_cards_are_exported(col: Collection, tmp_path: Path) -> None:
    from tests.conftest import add_cards

    add_cards(col, "Lang", 2)
    add_cards(col, "Lang::French", 3, prefix="fr")
    out = tmp_path / "lang.toml"
    assert export_deck(col, "Lang", out, None) == 2
    assert subdecks_with_cards(col, "Lang") == ["Lang::French"]
    assert "fr front" not in out.read_text()


def test_export_errors_are_user_errors(col: Collection, tmp_path: Path) -> None:
    from tests.conftest import add_cards

    add_cards(col, "Lang", 1)
    with pytest.raises(UserError, match="no deck named"):
        export_deck(col, "Nope", tmp_path / "x.toml", None)
    with pytest.raises(UserError, match="extension"):
        export_deck(col, "Lang", tmp_path / "x.txt", None)
    with pytest.raises(UserError, match="cannot export as 'tsv'"):
        export_deck(col, "Lang", tmp_path / "x.tsv", "tsv")
    with pytest.raises(UserError, match="does not exist"):
        export_deck(col, "Lang", tmp_path / "missing" / "x.toml", None)
    assert not (tmp_path / "x.toml").exists()
