"""An older collection's upgrade tells its progress to a callback, and may be stopped or killed.

Real SQLite files of schema 5 (and 2) built by the frozen steps (old_schema.py), opened through
`open_collection` as every command opens them. The callback hears the backup's copy and check,
then every schema step, in order, each from 0 % to 100 %, and the last event is the end. A
stop (or a SIGKILL) at any stage leaves a collection at the last finished step, which opens,
passes its check and finishes the upgrade the next time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.services.cards import search_cards
from flashcards.services.collection import open_collection
from flashcards.storage import upgrade_progress
from flashcards.storage.backups import UPGRADE_STAGES, list_backups
from flashcards.storage.migrations import (
    SCHEMA_VERSION,
    changing_steps,
    step_label,
    upgrade_pending,
)
from flashcards.storage.schema_check import check_file
from flashcards.storage.upgrade_progress import UpgradeProgress, UpgradeReporter, UpgradeStopped
from tests.reliability.old_schema import collection_of_version, stored_version

pytestmark = pytest.mark.sqlite_only

CARDS = 5000  # the search index is filled 2,000 cards at a time: three counts on the way
SEARCH_INDEX = step_label(7)
COUNTERS = step_label(6)


def _upgrade(path: Path, clock: FixedClock, reporter: UpgradeReporter) -> None:
    open_collection(path, clock=clock, progress=reporter).close()


@pytest.mark.parametrize("version", [5, 2])
def test_the_callback_hears_every_stage_in_order_from_0_to_100_percent(
    tmp_path: Path, clock: FixedClock, version: int
) -> None:
    path = collection_of_version(tmp_path / "old.db", version, CARDS)
    events: list[UpgradeProgress] = []
    _upgrade(path, clock, UpgradeReporter(events.append))

    labels = [*UPGRADE_STAGES, *(step_label(v) for v in changing_steps(version, sqlite=True))]
    assert [e.label for e in events if e.fraction == 0.0] == labels
    assert [e.label for e in events if e.fraction == 1.0] == labels
    assert [e.stage for e in events] == sorted(e.stage for e in events)
    assert {(e.source, e.target, e.stages) for e in events} == {
        (version, SCHEMA_VERSION, len(labels))
    }
    for stage in range(1, len(labels) + 1):
        shares = [e.fraction for e in events if e.stage == stage and e.fraction is not None]
        assert shares == sorted(shares) and shares[0] == 0.0 and shares[-1] == 1.0, stage
    indexed = [e.fraction for e in events if e.label == SEARCH_INDEX and e.fraction]
    assert [round(f, 2) for f in indexed] == [0.4, 0.8, 0.99, 1.0]  # 2,000, 4,000, all, ended
    assert events[-1].finished and events[-1].overall == 1.0
    assert not any(e.finished for e in events[:-1])
    assert stored_version(path) == SCHEMA_VERSION
    assert [b.reason for b in list_backups(path)] == ["pre-migration"]


def test_a_current_or_new_collection_reports_nothing(tmp_path: Path, clock: FixedClock) -> None:
    events: list[UpgradeProgress] = []
    path = tmp_path / "new.db"
    _upgrade(path, clock, UpgradeReporter(events.append))  # created: no upgrade
    _upgrade(path, clock, UpgradeReporter(events.append))  # current
    assert events == []
    assert upgrade_pending(str(path)) is None


def test_upgrade_pending_names_the_older_version_only(tmp_path: Path) -> None:
    old = collection_of_version(tmp_path / "old.db", 5, 3)
    assert upgrade_pending(str(old)) == 5
    assert upgrade_pending(str(tmp_path / "missing.db")) is None
    assert upgrade_pending("postgresql://u@localhost/db") is None
    (tmp_path / "text.db").write_text("not a database")
    assert upgrade_pending(str(tmp_path / "text.db")) is None


def _stopper(at: str, after: float = 0.0) -> UpgradeReporter:
    """A reporter that asks for a stop once the stage labelled `at` is past `after`."""

    def heard(event: UpgradeProgress) -> None:
        if event.label == at and (event.fraction or 0.0) > after:
            reporter.stop()

    reporter = UpgradeReporter(heard)
    return reporter


@pytest.mark.parametrize(
    ("stage", "after", "left_at"),
    [
        (UPGRADE_STAGES[0], 0.0, 5),  # copying the backup: no backup, not even a partial one
        (UPGRADE_STAGES[1], -1.0, 5),  # checking it (asked at its 0 %): the same
        (COUNTERS, -1.0, 5),  # inside step 6's SQL: its transaction rolled back
        (SEARCH_INDEX, 0.3, 6),  # inside step 7's loop: step 6 kept, step 7 rolled back
    ],
)
def test_a_stop_leaves_the_last_finished_step_and_the_next_open_finishes(
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    stage: str,
    after: float,
    left_at: int,
) -> None:
    monkeypatch.setattr(upgrade_progress, "TICK_OPS", 50)  # ticks inside this small file's SQL
    monkeypatch.setattr("flashcards.storage.backups.STEP_PAGES", 5)  # the copy in steps too
    path = collection_of_version(tmp_path / "old.db", 5, CARDS)
    with pytest.raises(UpgradeStopped, match=f"schema {left_at}") as stopped:
        _upgrade(path, clock, _stopper(stage, after))
    assert ("unchanged" in str(stopped.value)) == (left_at == 5)
    assert stored_version(path) == left_at
    assert check_file(path).ok, check_file(path).problems
    backups = list(path.parent.glob("backups/*"))
    assert len(backups) == (0 if stage in UPGRADE_STAGES else 1)  # never a partial one

    col = open_collection(path, clock=clock)  # the next open finishes the upgrade
    try:
        assert [c.front for c in search_cards(col, '"front 4321"').cards] == ["front 4321"]
    finally:
        col.close()
    assert stored_version(path) == SCHEMA_VERSION
    assert check_file(path).ok


def test_a_sigkill_in_the_search_index_step_leaves_step_6_and_opens(tmp_path: Path) -> None:
    """A real kill (not a stop): the process dies at 40 % of step 7's fill. SQLite rolls the
    step back on the next open, which finishes the upgrade."""
    path = collection_of_version(tmp_path / "old.db", 5, CARDS)
    child = textwrap.dedent(f"""
        import os, signal, sys
        from flashcards.services.collection import open_collection
        from flashcards.storage.upgrade_progress import UpgradeReporter
        def heard(event):
            if event.label == {SEARCH_INDEX!r} and (event.fraction or 0) > 0.3:
                print("KILLING", flush=True)
                os.kill(os.getpid(), signal.SIGKILL)
        open_collection(sys.argv[1], progress=UpgradeReporter(heard))
        print("FINISHED", flush=True)
    """)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [sys.executable, "-c", child, str(path)], capture_output=True, text=True, env=env
    )
    assert done.returncode == -9 and done.stdout == "KILLING\n", done.stderr
    assert stored_version(path) == 6
    assert check_file(path).ok, check_file(path).problems
    open_collection(path).close()
    assert stored_version(path) == SCHEMA_VERSION
    assert check_file(path).ok


def test_a_bug_in_the_callback_is_raised_not_taken_for_a_stop_or_damage(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception in the callback, called from SQLite's progress handler (where the sqlite3
    module would turn it into "interrupted"), reaches the caller as itself."""
    monkeypatch.setattr(upgrade_progress, "TICK_OPS", 50)
    path = collection_of_version(tmp_path / "old.db", 5, CARDS)

    def faulty(event: UpgradeProgress) -> None:
        if event.label == UPGRADE_STAGES[1] and event.fraction not in (0.0, 1.0):
            raise ZeroDivisionError("a bug")

    with pytest.raises(ZeroDivisionError, match="a bug"):
        _upgrade(path, clock, UpgradeReporter(faulty))
    assert stored_version(path) == 5
    assert not list(path.parent.glob("backups/*"))
