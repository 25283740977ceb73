"""Small helpers the UI tests share: reading what a screen shows and making special cards."""

from __future__ import annotations

from textual.widgets import Static

from flashcards.services.collection import Collection
from flashcards.services.decks import ensure_deck
from flashcards.storage import Card
from flashcards.storage.binding import runs_on_collection


def shown(screen, selector: str) -> str:
    """The plain text a Static currently shows (markup never interpreted)."""
    return str(screen.query_one(selector, Static).visual)


def grade_label(screen, key: str) -> str:
    """Everything a grade button shows (long name, short name, what it does)."""
    button = screen.query_one(f"#grade-{key}")
    return " | ".join(str(part.visual) for part in button.query(Static))


@runs_on_collection
def add_card(col: Collection, deck: str, key: str, front: str, back: str, **fields) -> int:
    """One card of any kind (cloze, type…) written directly, as an import would."""
    now = col.clock.now().replace(tzinfo=None)
    card = Card.create(
        deck=ensure_deck(col, deck),
        key=key,
        front=front,
        back=back,
        created_at=now,
        modified_at=now,
        **fields,
    )
    return card.id


async def import_finished(app) -> None:
    """Wait for the import dialog's import worker (not every worker: the dialog's file tree keeps
    a loader worker running for as long as it is open). An empty list would mean every worker."""
    running = [w for w in app.workers if w.group == "import"]
    if running:
        await app.workers.wait_for_complete(running)


async def wait_for_footer(pilot) -> None:
    """The review footer is mounted after the first refresh; wait until it is there."""
    from textual.widgets._footer import FooterKey

    for _ in range(200):
        if pilot.app.screen.query(FooterKey):
            break
        await pilot.pause(0.01)
    await pilot.pause()
