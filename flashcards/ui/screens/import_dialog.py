"""The `i` dialog: pick or type a file, import it in a thread worker with a progress bar, show a
summary.

The path input completes folder and deck-file names (right arrow takes the suggestion) and a file
tree below it lists the deck files from the current folder down; picking one fills the input.
The import runs in `@work(thread=True)` because parsing and writing a large deck blocks; the worker
reports progress through `call_from_thread` so the screen stays responsive. The progress bar shows
only while an import runs. The dialog has its own footer: the keys of the screen underneath do
nothing here and are not shown.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, DirectoryTree, Footer, Input, Label, ProgressBar, Static

from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.services.collection import Collection
from flashcards.ui.path_suggester import PathSuggester
from flashcards.ui.plain import plain_line
from flashcards.ui.widgets.deck_file_tree import DeckFileTree

MAX_PROBLEMS_SHOWN = 5
SHORT = 30  # terminal lines below which the dialog's fields are drawn compact
SKIP_INVALID_LABEL = "Skip invalid cards and import the rest"
CLI_SKIP_HINT = "(--skip-invalid imports the rest)"
DIALOG_SKIP_HINT = "(tick “Skip invalid cards” to import the rest)"


NEXT_START_PICTURES = " (its pictures show from the next start of flashcards)"
"""Said when the app started without its image widgets (a collection with no media then): the
terminal can only be asked how to draw pictures before the app starts (`ui/widgets/card_media`)."""


def report_content(report, *, images: bool = True) -> Content:
    """The import summary: counts, then the first few problems. `images` False: the app cannot
    draw pictures until it is started again (see NEXT_START_PICTURES)."""
    parts: list = [
        ("Import finished\n", "bold"),
        f"added {report.added} · updated {report.updated} · unchanged {report.unchanged}"
        f" · missing {report.missing} · skipped {report.skipped}",
    ]
    if getattr(report, "media_cards", 0):
        parts.append(
            f"\n{report.media_cards} cards refer to images or sounds;"
            f" {getattr(report, 'media_files', 0)} new media files stored"
        )
        if not images and getattr(report, "media_files", 0):
            parts.append(NEXT_START_PICTURES)
    problems = list(report.problems)
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        parts.extend(["\n", ("• " + clean_line(problem), "$warning")])
    if len(problems) > MAX_PROBLEMS_SHOWN:
        parts.append(f"\n… and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
    return Content.assemble(*parts)


def error_content(exc: UserError) -> Content:
    """A refused import: its one-line reason, then at most a few of the problems it lists."""
    first, *problems = str(exc).splitlines() or [type(exc).__name__]
    # The service words its refusal for the CLI; here the option is the checkbox above.
    first = first.replace(CLI_SKIP_HINT, DIALOG_SKIP_HINT)
    parts: list = [clean_line(first)]
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        parts.extend(["\n", ("• " + clean_line(problem), "$warning")])
    if len(problems) > MAX_PROBLEMS_SHOWN:
        parts.append(f"\n… and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
    return Content.assemble(*parts)


class ImportScreen(ModalScreen[bool]):
    """Imports into `collection`, listing files from `folder`; dismisses with True when something
    was imported (the home screen refreshes anyway)."""

    BINDINGS = [
        Binding("escape", "close", "Close", priority=True, id="import.close"),
        Binding("enter", "start", "Import", id="import.start"),
        Binding("tab", "app.focus_next", "Next field", id="import.next"),
    ]

    def __init__(self, collection: Collection, folder: Path, *, images: bool = True) -> None:
        """`images` False: the app started without its image widgets (see `report_content`)."""
        super().__init__()
        self.collection = collection
        self.folder = folder
        self.images = images
        self.imported = False
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Import a deck file (TOML, CSV/TSV, .apkg)", id="import-title")
            yield Label(
                "Enter imports · → completes · tab: pick a file",
                classes="hint",
            )
            yield Input(placeholder="path/to/deck.toml", suggester=PathSuggester(), id="path")
            yield DeckFileTree(self.folder, id="import-files")
            yield Checkbox(SKIP_INVALID_LABEL, id="skip-invalid")
            yield ProgressBar(show_eta=False, id="import-progress")
            yield Static(id="import-result")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-progress").display = False
        self.query_one("#path", Input).focus()

    def on_resize(self) -> None:
        """On a short terminal the input and checkbox drop their borders (two lines each), so
        the file list and the result still have room."""
        short = self.size.height < SHORT
        self.query_one("#path", Input).compact = short
        self.query_one("#skip-invalid", Checkbox).compact = short

    @on(DirectoryTree.FileSelected, "#import-files")
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        """A file picked in the tree goes into the input, relative to the folder when inside it."""
        event.stop()
        path = event.path
        if path.is_relative_to(self.folder) and self.folder == Path.cwd():
            path = path.relative_to(self.folder)
        path_input = self.query_one("#path", Input)
        path_input.value = str(path)
        path_input.cursor_position = len(path_input.value)
        path_input.focus()

    def action_start(self) -> None:
        """Enter outside the input (on the checkbox) starts the import of the typed path."""
        self.start(self.query_one("#path", Input).value)

    @on(Input.Submitted, "#path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.start(event.value)

    def start(self, value: str) -> None:
        """Check the path, then import it in a worker; a missing file is an error, no progress."""
        if self.running:
            return
        raw = value.strip()
        if not raw:
            self.notify("Type the path of a deck file", severity="warning")
            return
        path = Path(raw).expanduser()
        if not path.exists():
            self.query_one("#import-progress").display = False
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
                self.collection, [path], skip_invalid=skip_invalid, progress=progress
            )
        except UserError as exc:  # the same errors the CLI prints as one line, and exits 1
            self.app.call_from_thread(self.finished, error_content(exc), True)
            return
        self.imported = True
        summary = report_content(report, images=self.images)
        self.app.call_from_thread(self.finished, summary, False)

    def finished(self, message: Content, error: bool) -> None:
        """Back on the UI thread: show the summary and allow another import."""
        self.running = False
        path_input = self.query_one("#path", Input)
        path_input.disabled = False
        self.query_one("#import-progress", ProgressBar).display = False  # nothing runs now
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
