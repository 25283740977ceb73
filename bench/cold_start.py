"""Child processes for the cold-start figures; run as `python bench/cold_start.py app|floor DB`.

`app` builds the review session exactly as `flashcards --db DB review` does (the same factory the
CLI calls) and exits as soon as the first card has been painted, headless. `floor` is a minimal
Textual app that paints one widget and exits the same way: the ratio of the two is what the target
is about, since both move together on a noisy machine.
"""

from __future__ import annotations

import sys


def run_floor() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("What are muscle spasms?")

    async def first_paint(pilot) -> None:  # noqa: ANN001
        await pilot.pause()
        pilot.app.exit()

    Floor().run(headless=True, auto_pilot=first_paint)


def run_app(db: str) -> None:
    """`flashcards --db DB review` through the real CLI, headless, exiting at the first card."""
    from flashcards.ui import app as app_module
    from flashcards.ui.screens.review import ReviewScreen

    async def first_card(pilot) -> None:  # noqa: ANN001
        while not isinstance(pilot.app.screen, ReviewScreen):
            await pilot.pause()
        await pilot.pause()  # one refresh: the card is on screen
        pilot.app.exit()

    real_run = app_module.FlashcardsApp.run

    def headless_run(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        return real_run(self, headless=True, auto_pilot=first_card)

    app_module.FlashcardsApp.run = headless_run
    from flashcards.cli import main

    if main(["--db", db, "review"]) != 0:
        raise SystemExit(1)


if __name__ == "__main__":
    if sys.argv[1] == "floor":
        run_floor()
    else:
        run_app(sys.argv[2])
