"""The deck list as the home screen shows it, from plain rows: no Peewee, no database.

`DeckCounts` is what the list, the overview and `flashcards decks` show of a deck. `DayLimits`
holds the daily-limit arithmetic of the list's New and Due columns (what a review of each deck
would offer today): the services compute it from Peewee reads (`services/decks.py`) and the home
screen's first paint from plain `sqlite3` reads (`services/first_home.py`), so the two cannot
drift apart. Kept free of Peewee so that first paint does not wait for it to load.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flashcards.decks import names
from flashcards.services import deck_limits
from flashcards.settings import Settings


@dataclass(frozen=True)
class DeckCounts:
    """A deck's counts, its subdecks included (as Anki's deck list shows them)."""

    name: str
    description: str
    # The five below are None when asked for without totals (the home screen: see deck_counts).
    cards: int | None
    new: int | None  # card_states.new_available: new, neither suspended nor buried today
    due: int | None  # card_states.is_due: reviewed, available today, due today or earlier
    suspended: int | None
    buried: int | None
    new_today: int = 0  # what a review of this deck would offer today, after every limit
    due_today: int = 0

    @property
    def depth(self) -> int:
        return names.depth(self.name)


Figures = dict[str, dict[int, int]]
"""Each deck's own cards by kind ("new", "due"), subdecks not included."""


class DayLimits:
    """Today's room under every deck's limits, and what a review of each deck would offer.

    `decks` maps id to name; `limit_rows` are the decks' stored overrides (id, name, new per
    day, reviews per day); `studied` each deck's (new, reviews) answered today; `extras` today's
    raised new-card limits by deck name (`*`: every deck)."""

    def __init__(
        self,
        decks: dict[int, str],
        limit_rows: Iterable[tuple[int, str, int | None, int | None]],
        studied: dict[int, tuple[int, int]],
        extras: dict[str, int],
        settings: Settings,
    ) -> None:
        self.names = decks
        self.parents = deck_limits.tree_parents(decks)
        rows = (deck_limits.DeckLimits(*row) for row in limit_rows)
        self.limits = deck_limits.effective(rows, settings)
        self.studied = studied
        self.extras = extras
        self.new_room, self.review_room = deck_limits.rooms(self.limits, studied, self.parents)

    def caps(self) -> tuple[int, int]:
        """How far each deck's own new and due cards need counting: up to the largest room any
        deck has left today (plus the largest extra new cards). What a review offers is
        min(room, own cards + what the children offer), deck by deck, so a deck's own cards
        beyond its room never change it; nor do they change the extra new cards' bound (the
        tree's new cards), which the counted ones already exceed whenever a deck is cut off at
        the cap."""
        new_cap = max((max(0, r) for r in self.new_room.values()), default=0)
        new_cap += max(self.extras.values(), default=0)
        due_cap = max((max(0, r) for r in self.review_room.values()), default=0)
        return new_cap, due_cap

    def offered(self, figures: Figures) -> tuple[dict[int, int], dict[int, int]]:
        """New and due cards a review of each deck would offer today, from each deck's own new
        and due `figures` (counted at least up to `caps`)."""
        parents = self.parents
        new = deck_limits.offered(figures["new"], self.new_room, parents)
        due = deck_limits.offered(figures["due"], self.review_room, parents)
        ids = {name: deck_id for deck_id, name in self.names.items()}
        available = deck_limits.subtree_sums(figures["new"], parents)
        for deck_name, extra in self.extras.items():  # "more new cards today" for one tree
            root = ids.get(deck_name)
            if root is None:
                continue
            inside = {d for d in parents if names.in_tree(self.names[d], deck_name)}
            spare = deck_limits.spare_new(
                extra, self.limits, {d: s for d, s in self.studied.items() if d in inside}
            )
            new[root] = min(new.get(root, 0) + spare, available.get(root, 0))
        return new, due


def split_counts(counts: dict[int, tuple[int, int]]) -> Figures:
    """Per-deck (new, due) pairs as `Figures`."""
    return {
        "new": {deck_id: new for deck_id, (new, _) in counts.items()},
        "due": {deck_id: due for deck_id, (_, due) in counts.items()},
    }


def home_list(
    decks: list[tuple[int, str, str]], new_today: dict[int, int], due_today: dict[int, int]
) -> list[DeckCounts]:
    """The home screen's list: (id, name, description) by name, with what is offered today."""
    return [
        DeckCounts(
            name=name,
            description=description,
            cards=None,
            new=None,
            due=None,
            suspended=None,
            buried=None,
            new_today=new_today.get(deck_id, 0),
            due_today=due_today.get(deck_id, 0),
        )
        for deck_id, name, description in decks
    ]
