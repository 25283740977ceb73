"""A day's new cards while siblings are buried: one card a note, and the deck list agrees.

Answering a card buries its siblings until tomorrow (`bury_siblings`). A queue that held two
deletions of one cloze text then lost two cards to one answer, and showed one fewer new card
than the deck list ("new 18" beside "19 new today" on the bundled deck). As Anki's v3 scheduler
gathers them, a day's new cards now come one a note (none beside a due sibling) while siblings
are buried, and `deck_counts` counts new cards the same way. Every expectation below is
worked out by hand from the notes, the limit and the setting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pytest

from flashcards.services.collection import Collection
from flashcards.services.daily_limits import new_cards_waiting
from flashcards.services.decks import deck_counts, ensure_deck
from flashcards.services.study import StudySession
from flashcards.storage import Card


def _notes(col: Collection, sizes: list[int]) -> None:
    """Deck D with one cloze note of `sizes[i]` cards for each i: note `n{i}`, cards c1, c2…,
    added note by note (so a note's cards have consecutive ids, c1 first)."""
    deck = ensure_deck(col, "D")
    now = col.clock.now().replace(tzinfo=None)
    with col.db.atomic():
        for i, size in enumerate(sizes):
            for k in range(1, size + 1):
                Card.create(
                    deck=deck,
                    key=f"n{i}::c{k}",
                    note=f"n{i}",
                    kind="cloze",
                    front=f"note {i} deletion {k}",
                    back="",
                    ordinal=k,
                    created_at=now,
                    modified_at=now,
                )


def _queued(session: StudySession) -> list[str]:
    """The keys of the session's cards still to come, in queue order."""
    ids = [card_id for card_id, _ in session.pending()]
    keys = dict(Card.select(Card.id, Card.key).where(Card.id.in_(ids)).tuples())
    return [keys[i] for i in ids]


def _listed(col: Collection) -> tuple[int, int]:
    """D's "new today" in the deck list, with totals (`decks`) and without (the home screen)."""
    full = {c.name: c.new_today for c in deck_counts(col)}["D"]
    home = {c.name: c.new_today for c in deck_counts(col, totals=False)}["D"]
    return full, home


@dataclass(frozen=True)
class Case:
    name: str
    sizes: list[int]
    new_per_day: int
    bury: bool
    queue: list[str]  # the day's new cards, in order
    after_one: int  # new cards the session and the deck list show after one answer


CASES = [
    Case("single cards", [1, 1, 1], 20, True, ["n0::c1", "n1::c1", "n2::c1"], 2),
    Case("two deletions each", [2, 2], 20, True, ["n0::c1", "n1::c1"], 1),
    Case("1, 2, 3 deletions", [3, 1, 2], 20, True, ["n0::c1", "n1::c1", "n2::c1"], 2),
    Case("1, 2, 3 deletions, limit 2", [3, 1, 2], 2, True, ["n0::c1", "n1::c1"], 1),
    Case(
        "burying off: every deletion",
        [3, 1, 2],
        20,
        False,
        ["n0::c1", "n0::c2", "n0::c3", "n1::c1", "n2::c1", "n2::c2"],
        5,
    ),
    Case("burying off, limit 2", [3, 1, 2], 2, False, ["n0::c1", "n0::c2"], 1),
    Case("limit 0", [2, 2], 0, True, [], 0),
    # The bundled deck's case: the limit binds. Twenty notes give the twenty; one answer takes
    # one off the session and the list alike (before: 10 + 10 cards, 18 left beside 19).
    Case(
        "limit reached, cloze notes first",
        [2] * 5 + [1] * 20,
        20,
        True,
        [f"n{i}::c1" for i in range(20)],
        19,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_days_new_cards_and_the_deck_list_agree(col: Collection, case: Case) -> None:
    col.settings = replace(col.settings, new_per_day=case.new_per_day, bury_siblings=case.bury)
    _notes(col, case.sizes)
    session = StudySession(col, "D")
    assert _queued(session) == case.queue
    assert session.counts().new == len(case.queue)
    assert _listed(col) == (len(case.queue), len(case.queue))
    if not case.queue:
        return
    session.answer(4)
    assert session.counts().new == case.after_one
    assert _listed(col) == (case.after_one, case.after_one)
    assert StudySession(col, "D").counts().new == case.after_one  # a fresh session too


@pytest.mark.parametrize(("bury", "queue"), [(True, ["n1::c1"]), (False, ["n0::c1", "n1::c1"])])
def test_a_new_card_waits_beside_a_due_sibling(
    col: Collection, bury: bool, queue: list[str]
) -> None:
    """Answering the due card would bury its new sibling: with burying on it is not offered."""
    col.settings = replace(col.settings, bury_siblings=bury)
    _notes(col, [2, 1])
    yesterday = col.clock.today() - dt.timedelta(days=1)
    Card.update(due=yesterday, repetitions=2, interval=6).where(Card.key == "n0::c2").execute()
    session = StudySession(col, "D")
    assert _queued(session) == ["n0::c2", *queue]
    assert _listed(col) == (len(queue), len(queue))


def test_a_buried_or_suspended_sibling_does_not_hold_a_card_back(col: Collection) -> None:
    """Only a sibling that may be shown today opens the note first."""
    _notes(col, [3])
    tomorrow = col.clock.today() + dt.timedelta(days=1)
    Card.update(buried_until=tomorrow).where(Card.key == "n0::c1").execute()
    Card.update(suspended=True).where(Card.key == "n0::c2").execute()
    assert _queued(StudySession(col, "D")) == ["n0::c3"]
    assert _listed(col) == (1, 1)


def test_ten_more_new_cards_are_offered_only_when_a_note_can_give_one(col: Collection) -> None:
    """The "nothing due" screen offers more new cards only when a review would take some."""
    _notes(col, [2])
    yesterday = col.clock.today() - dt.timedelta(days=1)
    Card.update(due=yesterday, repetitions=2, interval=6).where(Card.key == "n0::c1").execute()
    deck_ids = [ensure_deck(col, "D").id]
    assert new_cards_waiting(col, deck_ids, col.clock.today()) == 0
    col.settings = replace(col.settings, bury_siblings=False)
    assert new_cards_waiting(col, deck_ids, col.clock.today()) == 1
