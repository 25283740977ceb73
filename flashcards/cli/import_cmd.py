"""`flashcards import PATH...`: add deck files to the collection, or update the cards they hold.

Re-importing a file is safe: cards are matched by their key, unchanged ones are left alone and
edited ones keep their progress. A progress bar appears on stderr (when it is a terminal) only
if the import takes more than a moment.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.cli.context import collection_from
from flashcards.cli.output import print_json, say

if TYPE_CHECKING:
    from flashcards.services.importer import ImportReport

PROGRESS_AFTER_S = 0.5
"""An import quicker than this never shows a bar (it would only flicker)."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import deck files (TOML, CSV/TSV, Anki .apkg)",
        description=(
            "Import deck files. Cards are matched by key within their deck: unchanged cards are "
            "left alone, edited ones are updated and keep their progress, new ones are added, and "
            "cards no longer in the file are reported as missing and kept (unless --prune). "
            "Nothing is imported if any card is invalid (unless --skip-invalid)."
        ),
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="deck file(s)")
    p.add_argument("--deck", metavar="NAME", help="put every card into this deck")
    p.add_argument(
        "--format",
        choices=("toml", "csv", "tsv", "apkg"),
        help="the files' format (default: from their content and extension)",
    )
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.add_argument("--json", action="store_true", help="print the report as a JSON object")
    p.add_argument(
        "--skip-invalid", action="store_true", help="import the valid cards and list the others"
    )
    p.add_argument(
        "--prune", action="store_true", help="delete cards of the deck the files no longer hold"
    )
    p.add_argument(
        "--no-scheduling",
        action="store_true",
        help="import Anki cards as new, without their review progress",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from flashcards.services.importer import import_paths  # the parsers load only when used

    col = collection_from(args)
    bar = _ProgressBar(enabled=not args.json and sys.stderr.isatty())
    try:
        report = import_paths(
            col,
            list(args.paths),
            deck=args.deck,
            fmt=args.format,
            dry_run=args.dry_run,
            skip_invalid=args.skip_invalid,
            prune=args.prune,
            with_scheduling=not args.no_scheduling,
            progress=bar.update,
        )
    finally:
        bar.close()
        col.close()
    if args.json:
        print_json({**asdict(report), "dry_run": args.dry_run})
        return 0
    for line in report.problems:
        say(f"skipped {line}", err=True)
    say(summary(report, dry_run=args.dry_run, pruned=args.prune))
    return 0


def summary(report: ImportReport, *, dry_run: bool, pruned: bool) -> str:
    """The lines printed after an import: the counts, then what they mean where it matters."""
    missing = f"missing {report.missing}" + (" (deleted)" if pruned and report.missing else "")
    counts = (
        f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
        f"{missing}, skipped {report.skipped}"
    )
    decks = ", ".join(report.decks) or "no deck"
    lines = [f"{'Dry run (nothing written)' if dry_run else 'Imported'} into {decks}: {counts}"]
    if report.missing and not pruned:
        lines.append(
            f"{report.missing} card(s) of the deck are no longer in the file(s) and were kept; "
            "--prune deletes them."
        )
    if report.media_cards:
        lines.append(
            f"{report.media_cards} card(s) referred to images or sounds, which are not imported; "
            "their text is."
        )
    return "\n".join(lines)


class _ProgressBar:
    """A rich progress bar on stderr that starts only once the import has run for a moment."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self._progress = None
        self._task = None

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        if self._progress is None:
            if time.monotonic() - self.started < PROGRESS_AFTER_S or done >= total:
                return
            from rich.console import Console
            from rich.progress import Progress

            self._progress = Progress(console=Console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task("importing", total=total)
        self._progress.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
