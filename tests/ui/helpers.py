"""Small helpers the UI tests share: reading what a screen shows and making special cards."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from rich.cells import cell_len
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


async def wait_until(pilot, condition: Callable[[], object], tries: int = 500) -> None:
    """Let the app run in small steps until `condition()` holds; fail the test if it never
    does (a condition to wait on, never a fixed sleep)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the screen never got there")


async def wait_for_footer(pilot) -> None:
    """The review footer is mounted after the first refresh; wait until its keys are there
    (FooterKey is not exported by Textual: it is matched by its CSS type name)."""
    await wait_until(pilot, lambda: pilot.app.screen.query("FooterKey"))
    await pilot.pause()


SVG_TEXT = re.compile(r"<text ([^>]*)>([^<]*)</text>")
SVG_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
SVG_LINE = re.compile(r"-line-(\d+)\)")


def screen_text(app) -> str:
    """Every character of the current screen (with the screens under a dialog), line by line,
    as Textual's own screenshot (`App.export_screenshot`) records what it sends the terminal,
    less its cursor moves and colours: a raw ESC in a widget, or a link parsed from markup
    (it would show without its brackets), shows here."""
    rows: dict[int, str] = {}
    for attributes, body in SVG_TEXT.findall(app.export_screenshot()):
        fields = dict(SVG_ATTRIBUTE.findall(attributes))
        line = SVG_LINE.search(fields.get("clip-path", ""))
        if line is None:  # the window title of the picture, not a line of the screen
            continue
        text = html.unescape(body).replace("\xa0", " ")
        cell_width = float(fields["textLength"]) / len(text)
        column = round(float(fields["x"]) / cell_width)
        row = rows.get(int(line.group(1)), "")
        rows[int(line.group(1))] = row + " " * (column - cell_len(row)) + text
    return "\n".join(rows.get(row, "") for row in range(max(rows, default=-1) + 1))
