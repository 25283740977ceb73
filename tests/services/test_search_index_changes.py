"""The search stays exact through every way cards change: a TSV and an Anki package import,
an edit, tags, a deletion, an answer and its undo, and a restored backup; after each, a set of
queries gives the same cards with the trigram index as with the plain scan."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.services.backup import make_backup
from flashcards.services.card_changes import delete_cards, tag_cards
from flashcards.services.cards import count_matches, search_cards
from flashcards.services.collection import Collection, open_collection
from flashcards.services.importer import import_paths
from flashcards.services.notes import edit_note
from flashcards.services.study import StudySession
from flashcards.storage import Card, search_index
from flashcards.storage.binding import bound
from flashcards.storage.restore import restore_backup
from tests.decks.anki_builders import BASIC, Note, build_apkg

pytestmark = pytest.mark.sqlite_only

QUERIES = (
    "creme",
    "BRÛLÉE",
    "strasse",
    "zqxj",
    "tag:dessert",
    "front:*ème*",
    "numero",
    "100\\%",
    "a\\_b",
    "frage OR reponse",
    "-frage creme",
    "gateau",
)


def _results(col: Collection) -> dict[str, tuple[list[int], int]]:
    return {q: ([c.id for c in search_cards(col, q).cards], count_matches(col, q)) for q in QUERIES}


def _same_both_ways(col: Collection, monkeypatch: pytest.MonkeyPatch) -> dict:
    narrowed = _results(col)
    with monkeypatch.context() as m:
        m.setattr(search_index, "candidates", lambda db, match: None)
        assert _results(col) == narrowed
    return narrowed


def test_every_change_keeps_the_search_exact(
    col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tsv = tmp_path / "words.tsv"
    tsv.write_text(
        "Crème brûlée\tdessert\nStraße\tstreet\nFrage 1\tRéponse numéro 1\n100% a_b\tx\n",
        encoding="utf-8",
    )
    import_paths(col, [tsv], deck="Words")
    _same_both_ways(col, monkeypatch)
    search_index.refresh(col.db)
    before = _same_both_ways(col, monkeypatch)
    assert before["creme"][1] == 1 and before["zqxj"][1] == 0

    apkg = build_apkg(
        tmp_path / "anki.apkg",
        "anki21",
        models=[BASIC],
        notes=[
            Note(
                1,
                "g1",
                BASIC.id,
                ["Gâteau crème", "cake"],
                "dessert",
                [(0, 1, 0, 0, 1, 0, 0, 0, 0)],
            )
        ],
        decks={1: "Default"},
    )
    import_paths(col, [apkg], deck="Anki")
    assert _same_both_ways(col, monkeypatch)["gateau"][1] == 1

    search_index.refresh(col.db)
    creme = search_cards(col, "front:crème*").cards[0].id
    edit_note(col, creme, "Crème caramel", "dessert")
    assert _same_both_ways(col, monkeypatch)["BRÛLÉE"][1] == 0
    tag_cards(col, "strasse", add=("dessert",))
    assert _same_both_ways(col, monkeypatch)["tag:dessert"][1] == 2  # and the cake
    backup = make_backup(col)
    delete_cards(col, "strasse")
    assert _same_both_ways(col, monkeypatch)["strasse"][1] == 0

    Card.update(due=col.clock.today()).execute()  # every card due: something to answer
    session = StudySession(col)
    session.answer(1, duration_ms=1000)
    session.undo()
    after_undo = _same_both_ways(col, monkeypatch)
    search_index.refresh(col.db)
    assert _same_both_ways(col, monkeypatch) == after_undo

    col.wait_for_workers()
    restore_backup(col.target, backup, clock=col.clock)
    restored = open_collection(col.target, clock=col.clock)
    with bound(restored.db):
        assert _same_both_ways(restored, monkeypatch)["strasse"][1] == 1
    restored.close()
