"""The first card of `flashcards review`, chosen before the collection is opened.

A person waits for the first card every time they start a review, and opening the collection
through Peewee (importing it, the models, the services, checking the schema) costs more than
reading one card. So the CLI asks `first_card` first: it reads a SQLite collection read-only
with the standard `sqlite3` module (`storage/first_queue.py`) and applies the same limits as
`study_queue.todays_queue` (the `deck_limits` arithmetic itself, not a copy) to find the head of
today's queue. The review screen paints it, then opens the collection and the real session
before it accepts any key; if the session's first card is another one (the collection changed
in between), the session's is shown.

None means "take the usual path": a server URL, a file that is not there or not of the current
schema, a collection whose bundled decks are not installed yet (the first open installs them),
a deck name that is not exactly a stored one, nothing to study, or anything that fails.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from flashcards.decks import names
from flashcards.scheduler import Sm2State
from flashcards.services import deck_limits
from flashcards.services.card_view import CardView, Queue
from flashcards.services.extra_new import extra_new_key, stored_count
from flashcards.settings import Settings
from flashcards.storage.first_queue import FirstQueueReader, Unusual

BUNDLED_FLAG = "bundled_installed"  # services/bundled.py's INSTALLED_FLAG (a test compares)
MAX_SCANNED = 2_000
"""Due cards turned away by full deck limits before giving up on the fast path (the usual
path reads them all; here it would only delay the first paint)."""


class FirstCard(NamedTuple):
    """The card, and what the app needs to know of the collection to paint it. (A NamedTuple
    rather than a frozen dataclass: it is defined before the first paint, and costs a seventh
    as much to define.)"""

    card: CardView
    has_media: bool  # whether the collection holds any image or sound at all


def first_card(
    target: str | Path, deck: str | None, settings: Settings, today: dt.date
) -> FirstCard | None:
    """The card a review of `deck` (None: every deck) would show first, or None (see above)."""
    if "://" in str(target):
        return None
    try:
        with FirstQueueReader(Path(target).expanduser()) as reader:
            return FirstCard(_first(reader, deck, settings, today), reader.has_media())
    except (Unusual, names.InvalidDeckName):
        return None


def _first(
    reader: FirstQueueReader, deck: str | None, settings: Settings, today: dt.date
) -> CardView:
    if reader.meta(BUNDLED_FLAG) is None:
        raise Unusual("the bundled decks are installed on the first open")
    rows = reader.decks()
    all_names = {deck_id: name for deck_id, name, _, _ in rows}
    tree = all_names
    if deck is not None:
        wanted = names.validate(deck)
        if wanted not in all_names.values():  # a name in another case: resolved the usual way
            raise Unusual(f"no deck named exactly {wanted!r}")
        tree = {d: n for d, n in all_names.items() if names.in_tree(n, wanted)}
    limits = deck_limits.effective((deck_limits.DeckLimits(*row) for row in rows), settings)
    parents = deck_limits.tree_parents(tree)
    studied = {d: s for d, s in reader.studied_today(today).items() if d in tree}
    new_room, review_room = deck_limits.rooms(limits, studied, parents)
    overall = None
    if deck is None:  # every deck: the settings' review limit caps the whole day
        overall = settings.reviews_per_day - sum(s[1] for s in studied.values())
    caps = deck_limits.Caps(review_room, parents, overall)
    card_id = _first_due(reader, None if deck is None else list(tree), caps, today)
    queue = Queue.REVIEW
    if card_id is None:
        extra = stored_count(reader.meta(extra_new_key(today, deck)))
        spare = deck_limits.spare_new(extra, limits, studied)
        caps = deck_limits.Caps(new_room, parents, spare=spare)
        for deck_id in sorted(tree, key=tree.__getitem__):
            if caps.left(deck_id) > 0:
                card_id = reader.first_new_card(deck_id, today, settings.bury_siblings)
                if card_id is not None:
                    break
        queue = Queue.NEW
    if card_id is None:
        raise Unusual("nothing to study: the 'nothing due' screen takes the usual path")
    return _view(reader.card(card_id), tree, queue)


def _first_due(
    reader: FirstQueueReader, deck_ids: list[int] | None, caps: deck_limits.Caps, today: dt.date
) -> int | None:
    """The first due card the caps let through, read a page at a time as `study_queue` does."""
    offset = 0
    while (page := caps.ceiling()) > 0:
        rows = reader.due_cards(deck_ids, today, page, offset)
        for card_id, deck_id in rows:
            if caps.left(deck_id) > 0:
                return card_id
        if len(rows) < page:
            return None
        offset += page
        if offset >= MAX_SCANNED:
            raise Unusual("many due cards in decks with no room left today")
    return None


def _date(value: object) -> dt.date | None:
    """As `storage/card_rows.py` reads a stored date: anything not a date reads as none."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _view(row: tuple, tree: dict[int, str], queue: Queue) -> CardView:
    """The row as the session would show it. Its SM-2 state is as stored (the session clamps a
    damaged one): the screen shows the session's own view of the card before any grading."""
    card_id, deck_id, kind, front, back, tags, ordinal, reps, interval, easiness, due, lapses = row
    due_date = _date(due)
    return CardView(
        id=card_id,
        deck=tree.get(deck_id, ""),
        kind=kind,
        front=front,
        back=back,
        tags=tuple(str(tags).split()),
        ordinal=ordinal,
        state=Sm2State(reps, interval, easiness),
        is_new=due_date is None,
        due=due_date,
        lapses=lapses,
        queue=queue,
    )
