"""`flashcards import PATH...`: add deck files to the collection, or update the cards they hold.

Re-importing a file is safe: cards are matched by their key, unchanged ones are left alone and
edited ones keep their progress. A progress bar appears on stderr (when it is a terminal) only
if the import takes more than a moment.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.cli.context import collection_from, db_target_from, open_noticed, settings_from
from flashcards.cli.output import print_json, say
from flashcards.decks.limits import DEFAULT_MAX_CARDS, DEFAULT_MAX_CHARS, ImportLimits
from flashcards.decks.reading import is_stdin
from flashcards.errors import UserError
from flashcards.services.collection import Collection, open_collection

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
    p.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="deck file(s); - reads standard input (with --format)",
    )
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
    p.add_argument(
        "--max-cards",
        type=_positive,
        metavar="N",
        default=DEFAULT_MAX_CARDS,
        help=f"refuse an import that makes more cards than this (default {DEFAULT_MAX_CARDS:,})",
    )
    p.add_argument(
        "--max-chars",
        type=_positive,
        metavar="N",
        default=DEFAULT_MAX_CHARS,
        help="refuse an import that makes more characters of card text than this "
        f"(default {DEFAULT_MAX_CHARS:,})",
    )
    p.set_defaults(handler=run)


def _positive(text: str) -> int:
    """argparse type: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {text!r}")
    return value


@contextmanager
def _collection(args: argparse.Namespace) -> Iterator[Collection]:
    """The collection to import into; for a dry run, never one created by the run itself.

    A dry run on a collection file that does not exist yet previews against an empty
    collection in a temporary folder, so the path is left as it was.
    """
    if not args.dry_run:
        col = collection_from(args)
    else:
        target = db_target_from(args)
        if "://" in target or Path(target).exists():
            col = open_noticed(target, settings_from(args))
        else:
            with tempfile.TemporaryDirectory(prefix="flashcards-dry-run-") as tmp:
                col = open_collection(Path(tmp) / "preview.db", settings=settings_from(args))
                try:
                    yield col
                finally:
                    col.close()
            return
    try:
        yield col
    finally:
        col.close()


def run(args: argparse.Namespace) -> int:
    from flashcards.services.importer import import_paths  # the parsers load only when used

    if args.format is None and any(is_stdin(p) for p in args.paths):
        raise UserError("reading standard input (-) needs --format toml, csv, tsv or apkg")
    bar = _ProgressBar(enabled=not args.json and sys.stderr.isatty())
    with _collection(args) as col:
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
                limits=ImportLimits(max_cards=args.max_cards, max_chars=args.max_chars),
            )
        finally:
            bar.close()
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
            f"{report.media_cards} card(s) refer to images or sounds; "
            f"{report.media_files} new media file(s) stored."
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
