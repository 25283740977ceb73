"""`flashcards backup --list` shows the backups and, apart, the copies that are not backups yet
(a check stopped by a close, a copy being made, one a killed process left), and `--json` gives
both to a script; `flashcards backup --json` gives the new file's path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from flashcards.clock import FixedClock
from flashcards.services.collection import open_collection
from flashcards.storage.backup_files import CHECKING, PARTIAL, UNCHECKED, temp_name
from tests.conftest import add_cards


def _dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(proc.stdout)


def test_the_list_shows_copies_waiting_for_their_check_apart(
    cli, db_path: Path, clock: FixedClock
) -> None:
    col = open_collection(db_path, clock=clock)
    add_cards(col, "Spanish", 3)
    col.close()
    made = Path(cli("--db", str(db_path), "backup").out.strip())
    final = made.with_name(made.name.replace("-manual.db", "-daily.db"))
    unchecked = temp_name(final, UNCHECKED, pid=_dead_pid())
    left = temp_name(final, PARTIAL, pid=_dead_pid())
    running = temp_name(final, CHECKING, pid=os.getppid())  # a live process's, being checked
    for path in (unchecked, left, running):
        shutil.copy(made, path)

    listed = cli("--db", str(db_path), "backup", "--list")
    assert listed.code == 0, listed.err
    lines = listed.out.splitlines()
    assert lines[0].startswith(f"{made}  ") and lines[0].endswith("manual (kept)")
    assert f"{unchecked}  not a backup yet: complete, waiting for its check" in listed.out
    assert f"{left}  not a backup yet: left by a process that ended" in listed.out
    assert f"{running}  not a backup yet: being made now" in listed.out
    assert len(lines) == 4

    as_json = json.loads(cli("--db", str(db_path), "backup", "--list", "--json").out)
    assert as_json["backups"] == [
        {
            "path": str(made),
            "taken_at": as_json["backups"][0]["taken_at"],
            "reason": "manual",
            "rotated": False,
        }
    ]
    assert sorted((w["path"], w["state"]) for w in as_json["waiting"]) == sorted(
        [(str(unchecked), "unchecked"), (str(left), "abandoned"), (str(running), "in progress")]
    )


def test_backup_json_prints_the_new_path(cli, db_path: Path, clock: FixedClock) -> None:
    col = open_collection(db_path, clock=clock)
    add_cards(col, "Spanish", 2)
    col.close()
    result = cli("--db", str(db_path), "backup", "--json")
    assert result.code == 0, result.err
    made = Path(json.loads(result.out)["path"])
    assert made.is_file() and made.parent == db_path.parent / "backups"
    assert json.loads(cli("--db", str(db_path), "backup", "--list", "--json").out)["waiting"] == []
