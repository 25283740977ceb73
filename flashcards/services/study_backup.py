"""The day's backup as a study session sees it: started before its first change, finished in
the background, its problem (if any) reported once.

Best effort: a backup that cannot be made (another process is writing, the disk is full, the
copy fails its check) must not cost the user the answer they just gave, so its problem is kept
for the UI to mention and the session goes on. The policy itself (once a study day, what to
copy, where) is services/backup.py's.
"""

from __future__ import annotations

from flashcards.errors import UserError
from flashcards.services.backup import DailyBackup, start_daily_backup
from flashcards.services.collection import Collection


class SessionBackup:
    """Starts the day's backup once, before the session's first change."""

    def __init__(self, col: Collection, *, needed: bool) -> None:
        self._col = col
        self._started = not needed  # a cram session writes nothing, so needs no backup
        self._job: DailyBackup | None = None
        self._problem: str | None = None

    def before_first_write(self) -> None:
        """Take the backup's snapshot (milliseconds); the copy and its check go on meanwhile."""
        if self._started:
            return
        self._started = True
        try:
            self._job = start_daily_backup(self._col)
        except UserError as exc:
            self._problem = str(exc)

    @property
    def problem(self) -> str | None:
        """Why today's backup was not made, once that is known; None while it is running."""
        job = self._job
        if self._problem is None and job is not None and job.done.is_set():
            self._problem, self._job = job.problem, None
        return self._problem

    def forget_problem(self) -> None:
        """The UI has told the user."""
        self._problem = None
