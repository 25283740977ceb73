"""A command that opens an older collection says so on stderr before the wait.

Through `main()` on a real schema-5 file: one line on stderr naming the collection and the
versions; `--json` on stdout stays one parseable document; not on a terminal, nothing more.
On a terminal the stage is rewritten in place and ends with the time taken (cli/
upgrade_notice.py, given a stream that says it is a terminal).
"""

from __future__ import annotations

import io
import json
import os
import signal
from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.cli.upgrade_notice import CLEAR_LINE, UpgradeNotice, upgrade_notice
from flashcards.services.collection import open_collection
from flashcards.storage import upgrade_progress
from flashcards.storage.backups import UPGRADE_STAGES
from flashcards.storage.migrations import SCHEMA_VERSION, step_label
from flashcards.storage.upgrade_progress import UpgradeProgress, UpgradeStopped
from tests.reliability.old_schema import collection_of_version, stored_version

pytestmark = pytest.mark.sqlite_only


def test_stats_json_on_an_old_collection_has_one_line_on_stderr_and_clean_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = collection_of_version(tmp_path / "old.db", 5, 30)
    assert main(["--db", str(path), "stats", "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == (
        f"flashcards: upgrading the collection at {path} (schema 5 → {SCHEMA_VERSION}), "
        "backing up first…\n"
    )
    assert json.loads(out)["counts"]["total"] == 30
    assert stored_version(path) == SCHEMA_VERSION

    assert main(["--db", str(path), "stats", "--json"]) == 0  # upgraded: nothing on stderr
    assert capsys.readouterr().err == ""


def test_cards_on_an_old_collection_prints_the_line_before_its_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = collection_of_version(tmp_path / "old.db", 3, 4)
    assert main(["--db", str(path), "cards", "--json"]) == 0
    out, err = capsys.readouterr()
    assert err.startswith(f"flashcards: upgrading the collection at {path} (schema 3 → ")
    assert len(json.loads(out)) == 4


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _event(stage: int, fraction: float | None) -> UpgradeProgress:
    labels = [*UPGRADE_STAGES, step_label(6), step_label(7), step_label(8)]
    return UpgradeProgress(5, 8, stage, len(labels), labels[stage - 1], fraction)


def test_on_a_terminal_the_stage_is_rewritten_in_place_and_ends_with_a_newline() -> None:
    stream = Terminal()
    notice = UpgradeNotice("c.db", stream)
    for event in (_event(1, 0.0), _event(2, 0.45), _event(4, None), _event(5, 1.0)):
        notice(event)
    text = stream.getvalue()
    first, rest = text.split("\n", 1)
    assert first == "flashcards: upgrading the collection at c.db (schema 5 → 8), backing up first…"
    shown = [part.split("  (")[0] for part in rest.split(CLEAR_LINE)[1:]]
    assert shown == [
        "  stage 1 of 5: backing up the collection    0 %",
        "  stage 2 of 5: checking the backup   45 %",
        "  stage 4 of 5: building the search index",
        "  upgraded in 0.0 s\n",
    ]


def test_a_failed_upgrade_ends_the_progress_line_before_the_error() -> None:
    stream = Terminal()
    notice = UpgradeNotice("c.db", stream)
    notice(_event(3, 0.0))
    notice.close()
    assert stream.getvalue().endswith("0 %  (0 s)\n")
    notice.close()  # once only
    assert stream.getvalue().count("\n") == 2


@pytest.mark.parametrize("stage", [UPGRADE_STAGES[1], step_label(6), step_label(7)])
def test_ctrl_c_during_an_upgrade_stops_it_and_says_where_the_collection_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    """SIGINT (ctrl+c) sent to the process while the stage runs, in SQLite's progress handler
    (stages 2 and 3) or in Python (the search index): a stop, never "damaged"."""
    monkeypatch.setattr(upgrade_progress, "TICK_OPS", 50)
    path = collection_of_version(tmp_path / "old.db", 5, 5000)
    with upgrade_notice(str(path)) as reporter:
        shown = reporter.callback

        def heard(event: UpgradeProgress) -> None:
            shown(event)
            if event.label == stage and event.fraction not in (0.0, 1.0):
                os.kill(os.getpid(), signal.SIGINT)

        reporter.callback = heard
        with pytest.raises(UpgradeStopped, match="the upgrade was stopped"):
            open_collection(str(path), progress=reporter)
    assert stored_version(path) == (6 if stage == step_label(7) else 5)
    with pytest.raises(KeyboardInterrupt):  # the usual ctrl+c again after the block
        os.kill(os.getpid(), signal.SIGINT)


def test_ctrl_c_outside_an_upgrade_interrupts_as_ever(tmp_path: Path) -> None:
    with upgrade_notice(str(tmp_path / "c.db")), pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
