"""Child process for the import figures: `python bench/import_once.py TSV DB`.

Imports the TSV into a fresh collection at DB through `import_paths` (as `flashcards import
--deck Imported` does) and prints the seconds the import took, so the parent can read this
process's peak resident set (`import_peak_rss_mib`) without its own memory counting.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flashcards.clock import SystemClock  # noqa: E402
from flashcards.services.collection import open_collection  # noqa: E402
from flashcards.services.importer import import_paths  # noqa: E402


def main(tsv: Path, db: Path | str) -> None:
    col = open_collection(db, clock=SystemClock())
    start = time.perf_counter()
    report = import_paths(col, [tsv], deck="Imported")
    elapsed = time.perf_counter() - start
    col.close()
    print(f"{elapsed} {report.added}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])  # a file, or a PostgreSQL URL
