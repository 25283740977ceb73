"""Child processes for the cold-start figures: `python bench/cold_start.py app|home|floor DB`.

`app` runs `flashcards --db DB review` through the real CLI, headless; `home` runs `flashcards
--db DB` (the home screen); `floor` is a minimal Textual app that paints one `Static`. Each
process ends the moment the first frame of its screen (the review's first card, the home
screen's deck list, the floor's one widget) has been composed, so the figure is the wait a
person has before anything useful is on screen, and teardown is counted for none of them. The
ratio to the floor is what the target is about, since both move together on a noisy machine.
"""

from __future__ import annotations

import os
import sys

from textual.app import App


def exit_at_first_frame(screen_name: str | None) -> None:
    """End the process once a frame of the screen called `screen_name` (None: any screen) has
    been composed. Headless, Textual composes each frame in full and writes it nowhere, so
    this is the first paint, the same way for the app and the floor."""
    real_display = App._display

    def display(self: App, screen, renderable) -> None:  # noqa: ANN001
        real_display(self, screen, renderable)
        if renderable is not None and screen_name in (None, type(screen).__name__):
            sys.stdout.flush()
            os._exit(0)

    App._display = display  # type: ignore[method-assign]


def run_floor() -> None:
    from textual.widgets import Static

    class Floor(App[None]):
        def compose(self):  # noqa: ANN202
            yield Static("What are muscle spasms?")

    exit_at_first_frame(None)
    Floor().run(headless=True)


def run_app(db: str, screen_name: str, argv: list[str]) -> None:
    """The real CLI with the app run headless; exits at the first frame of `screen_name`."""
    real_run = App.run

    def headless_run(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        return real_run(self, headless=True)

    App.run = headless_run  # type: ignore[method-assign]
    exit_at_first_frame(screen_name)
    from flashcards.cli import main

    main(["--db", db, *argv])
    raise SystemExit(f"{screen_name} was never painted")


if __name__ == "__main__":
    if sys.argv[1] == "floor":
        run_floor()
    elif sys.argv[1] == "home":
        run_app(sys.argv[2], "HomeScreen", [])
    else:
        run_app(sys.argv[2], "ReviewScreen", ["review"])
