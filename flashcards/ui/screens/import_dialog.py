"""The `i` dialog: ask for a file, import it in a thread worker with a progress bar, show a summary.

The import runs in `@work(thread=True)` because parsing and writing a large deck blocks; the worker
reports progress through `call_from_thread` so the screen stays responsive.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, ProgressBar, Static

from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.ui.plain import plain_line

MAX_PROBLEMS_SHOWN = 5


def report_content(report) -> Content:
    """The import summary: counts, then the first few problems."""
    parts: list = [
        ("Import finished\n", "bold"),
        f"added {report.added} · updated {report.updated} · unchanged {report.unchanged}"
        f" · missing {report.missing} · skipped {report.skipped}",
    ]
    if getattr(report, "media_cards", 0):
        parts.append(f"\n{report.media_cards} cards refer to media that is not shown")
    problems = list(report.problems)
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        parts.extend(["\n", ("• " + clean_line(problem), "$warning")])
    if len(problems) > MAX_PROBLEMS_SHOWN:
        parts.append(f"\n… and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
    return Content.assemble(*parts)


def error_content(exc: UserError) -> Content:
    """A refused import: its one-line reason, then at most a few of the problems it lists."""
    first, *problems = str(exc).splitlines() or [type(exc).__name__]
    parts: list = [clean_line(first)]
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        parts.extend(["\n", ("• " + clean_line(problem), "$warning")])
    if len(problems) > MAX_PROBLEMS_SHOWN:
        parts.append(f"\n… and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
    return Content.assemble(*parts)


class ImportScreen(ModalScreen[bool]):
    """Dismisses with True when something was imported (the home screen refreshes anyway)."""

    BINDINGS = [Binding("escape", "close", "Close", priority=True)]

    def __init__(self) -> None:
        super().__init__()
        self.imported = False
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Import a deck file (TOML, CSV/TSV, .apkg); Enter starts, escape closes")
            yield Input(placeholder="path/to/deck.toml", id="path")
            yield Checkbox("Skip invalid cards and import the rest", id="skip-invalid")
            yield ProgressBar(show_eta=False, id="import-progress")
            yield Static(id="import-result")

    def on_mount(self) -> None:
        self.query_one("#import-progress").display = False
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    def _start(self, event: Input.Submitted) -> None:
        if self.running:
            return
        raw = event.value.strip()
        if not raw:
            self.notify("Type the path of a deck file", severity="warning")
            return
        path = Path(raw).expanduser()
        if not path.exists():
            self.show_result(plain_line(f"No such file: {path}"), error=True)
            return
        self.running = True
        self.query_one("#path", Input).disabled = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.show_result(Content("Importing…"))
        self.run_import(path, self.query_one("#skip-invalid", Checkbox).value)

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, path: Path, skip_invalid: bool) -> None:
        """Blocking import in a thread; every UI update goes through call_from_thread."""
        try:
            from flashcards.services.importer import import_paths
        except ImportError:
            self.app.call_from_thread(
                self.finished, Content("Importing is not available in this build yet"), True
            )
            return
        bar = self.query_one("#import-progress", ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=max(total, 1), progress=done)

        try:
            report = import_paths(
                self.app.collection, [path], skip_invalid=skip_invalid, progress=progress
            )
        except UserError as exc:  # the same errors the CLI prints as one line, and exits 1
            self.app.call_from_thread(self.finished, error_content(exc), True)
            return
        self.imported = True
        self.app.call_from_thread(self.finished, report_content(report), False)

    def finished(self, message: Content, error: bool) -> None:
        """Back on the UI thread: show the summary and allow another import."""
        self.running = False
        path_input = self.query_one("#path", Input)
        path_input.disabled = False
        bar = self.query_one("#import-progress", ProgressBar)
        if not error:  # done is done, whatever the last progress report said
            total = bar.total or 1
            bar.update(total=total, progress=total)
        bar.display = not error
        self.show_result(message, error=error)
        path_input.focus()

    def show_result(self, message: Content, error: bool = False) -> None:
        result = self.query_one("#import-result", Static)
        result.set_class(error, "-error")
        result.update(message)

    def action_close(self) -> None:
        if self.running:
            self.notify("The import is still running")
            return
        self.dismiss(self.imported)
