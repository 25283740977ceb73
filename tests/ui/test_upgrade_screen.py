"""`flashcards` on an older collection: the upgrade is shown at once, then the home screen.

The app gets an `UpgradeStart` (as the CLI builds it) whose opener upgrades a real schema-5
file, held at the start of the search index step by a gate the test opens: so the screen is
read while the upgrade runs, never after a sleep. q (or ctrl+q) stops the upgrade, which ends
the app with the message the CLI prints and leaves the collection at the last finished step.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.services.collection import open_collection
from flashcards.settings import Settings
from flashcards.storage.migrations import SCHEMA_VERSION, changing_steps, step_label
from flashcards.storage.upgrade_progress import UpgradeProgress, UpgradeReporter, UpgradeStopped
from flashcards.ui.screens.home import HomeScreen
from flashcards.ui.screens.review import ReviewScreen
from flashcards.ui.screens.upgrade import UpgradeScreen
from flashcards.ui.upgrade_start import Opened, UpgradeStart
from tests.reliability.old_schema import collection_of_version, stored_version
from tests.ui.conftest import RecordingApp
from tests.ui.helpers import screen_text, shown, wait_until

pytestmark = pytest.mark.sqlite_only

UPGRADE = 3000  # tries of `wait_until` (10 ms each at least) for a real upgrade on a busy machine

SEARCH_INDEX = step_label(7)


class Held:
    """An `UpgradeStart` for a schema-5 file whose upgrade waits, once the search index step
    has begun, until `release()`, or a stop unless `through_stop` (the screen stops the
    upgrade when the app ends: a snapshot's run)."""

    def __init__(self, path: Path, clock: FixedClock, deck: str | None = None) -> None:
        self.path, self.clock, self.deck = path, clock, deck
        self.gate = threading.Event()
        self.through_stop = False
        self.start = UpgradeStart("old.db", 5, SCHEMA_VERSION, self._open)

    def _open(self, reporter: UpgradeReporter) -> Opened:
        told = reporter.callback

        def heard(event: UpgradeProgress) -> None:
            told(event)
            if event.label == SEARCH_INDEX and event.fraction == 0.0:
                while not self.gate.wait(0.01):
                    if reporter.stopping and not self.through_stop:
                        break

        reporter.callback = heard
        col = open_collection(self.path, clock=self.clock, progress=reporter)
        return col, self.deck

    def release(self) -> None:
        self.gate.set()


@pytest.fixture
def held(tmp_path: Path, clock: FixedClock) -> Held:
    return Held(collection_of_version(tmp_path / "old.db", 5, 40), clock)


def _app(held: Held, *, home: bool = True) -> RecordingApp:
    return RecordingApp(None, Settings(), upgrade=held.start, home=home, timer=lambda: 0.0)


def _holding(app: RecordingApp) -> bool:
    return isinstance(app.screen, UpgradeScreen) and "▸ " + SEARCH_INDEX in shown(
        app.screen, "#upgrade-stages"
    )


async def test_the_upgrade_is_shown_while_it_runs_then_the_home_screen(held: Held) -> None:
    app = _app(held)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: _holding(app), UPGRADE)
        screen = app.screen
        assert shown(screen, "#upgrade-title") == "Upgrading your collection to the new version…"
        assert shown(screen, "#upgrade-where") == f"old.db  (schema 5 → {SCHEMA_VERSION})"
        assert shown(screen, "#upgrade-stages").splitlines() == [
            "✓ backing up the collection",
            "✓ checking the backup",
            f"✓ {step_label(6)}",
            f"▸ {SEARCH_INDEX}  0 %",
            *(f"  {step_label(v)}" for v in changing_steps(7, sqlite=True)),
        ]
        stages = 2 + len(changing_steps(5, sqlite=True))  # the backup's two, then the steps
        assert shown(screen, "#upgrade-status") == f"Stage 4 of {stages} · 0 s"
        await pilot.press("question_mark")  # no help over it: it would read the collection
        assert app.screen is screen
        held.release()
        await wait_until(
            pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.ready, UPGRADE
        )
        assert "Old" in screen_text(app)
    app.collection.close()
    assert stored_version(held.path) == SCHEMA_VERSION


@pytest.mark.parametrize("key", ["q", "ctrl+q", "ctrl+c"])
async def test_a_stop_key_stops_the_upgrade_safely_and_ends_the_app(held: Held, key: str) -> None:
    held.through_stop = True
    app = _app(held)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: _holding(app), UPGRADE)
        await pilot.press(key)
        assert shown(app.screen, "#upgrade-status").startswith("Stopping: undoing the step")
        assert app.return_code is None  # not gone while the step is undone
        held.release()
        await wait_until(pilot, lambda: app.return_code is not None, UPGRADE)
    assert app.return_code == 1
    assert isinstance(app.start_error, UpgradeStopped)
    assert "left at schema 6" in str(app.start_error)
    assert stored_version(held.path) == 6


async def test_a_review_follows_the_upgrade_of_its_deck(tmp_path: Path, clock: FixedClock) -> None:
    held = Held(collection_of_version(tmp_path / "old.db", 5, 3), clock, deck="Old")
    held.release()
    app = _app(held, home=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(
            pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.ready, UPGRADE
        )
        assert app.review_deck == "Old"
        assert "front 0" in screen_text(app)
    app.collection.close()


def test_upgrade_screen_snapshot(held: Held, snap_compare) -> None:
    """The screen at 80x24 while the search index step runs (the seconds fixed at 0)."""

    async def holding(pilot) -> None:
        await wait_until(pilot, lambda: _holding(pilot.app), UPGRADE)

    assert snap_compare(_app(held), terminal_size=(80, 24), run_before=holding)
