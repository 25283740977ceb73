"""Child process for `db_open_ms`: `python bench/open_once.py DB`.

Opens the collection and builds its first queue in a fresh process, as a person's `flashcards`
does, and prints the seconds that took. The modules are imported before the clock starts: their
cost is the cold-start figures'. One open a process, so no open is helped by the one before it
(Peewee's per-process set-up, SQLite's page cache of this connection).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flashcards.clock import SystemClock  # noqa: E402
from flashcards.services.collection import open_collection  # noqa: E402
from flashcards.services.study import StudySession  # noqa: E402


def main(db: Path | str) -> None:
    start = time.perf_counter()
    col = open_collection(db, clock=SystemClock())
    first = StudySession(col).current()
    elapsed = time.perf_counter() - start
    col.close()
    assert first is not None, "the synthetic collection has nothing due"
    print(elapsed)


if __name__ == "__main__":
    main(sys.argv[1])  # a file, or a PostgreSQL URL (which Path would mangle)
