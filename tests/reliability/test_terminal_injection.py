"""A hostile shared deck cannot drive the terminal, through any command or screen (issue 11).

The deck's names, card sides and tags hold ESC sequences (OSC 0 sets the window title, OSC 52
writes the clipboard, OSC 8 makes a link, CSI 2J clears the screen), C1 controls (8-bit CSI and
OSC) and Rich/Textual markup. Every CLI command's stdout and stderr, and every main screen as
Textual paints it, must hold no control character but newline and tab, and show the markup as
the literal text it is (no crash on `[/]`, no link from `[link=…]`).
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, TextArea

from flashcards.sanitize import clean_line, has_control
from flashcards.services.collection import Collection, open_collection
from flashcards.services.decks import ensure_deck
from flashcards.storage import Card
from flashcards.storage.backups import list_backups
from flashcards.storage.binding import runs_on_collection
from flashcards.ui.app import FlashcardsApp
from flashcards.ui.screens.edit_card import EditCardScreen
from flashcards.ui.screens.home import HomeScreen
from flashcards.ui.screens.import_dialog import ImportScreen
from flashcards.ui.screens.nothing_due import NothingDueScreen
from flashcards.ui.screens.review import ReviewScreen
from flashcards.ui.screens.stats import StatsScreen
from flashcards.ui.screens.summary import SummaryScreen
from tests.ui.helpers import screen_text, wait_until

OSC0_TITLE = "\x1b]0;pwned\x07"
OSC52_CLIPBOARD = "\x1b]52;c;aGFja2Vk\x07"
OSC8_LINK = "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"
CSI_CLEAR = "\x1b[2J"
C1 = "\x9b2J\x9d0;c1\x9c"
LINK_MARKUP = "[link=https://x]y[/link]"
MARKUP = f"{LINK_MARKUP} [/] [bold red]"

DECK = f"Shared::Evil{OSC0_TITLE}{CSI_CLEAR}{C1} [/] [bold red]x"
LATER = f"{DECK}::Later{OSC0_TITLE}"  # holds only a reviewed card, due in 3 days
FRONT = f"Q {OSC52_CLIPBOARD} {MARKUP}"
BACK = f"A {OSC8_LINK} {CSI_CLEAR} {C1} [/]"
TAGS = "t\x1b[31m [bold] \x9bx"
CLOZE = f"{{{{c1::Paris{OSC52_CLIPBOARD}}}}} is [/] the capital"
TYPED = f"Rome{OSC0_TITLE}[/]"
LEAF = clean_line(DECK.rsplit("::", 1)[-1])  # what a one-line view shows of the deck name
SIZE = (200, 50)


def assert_no_control(text: str) -> None:
    bad = sorted({f"U+{ord(ch):04X}" for ch in text if has_control(ch)})
    assert not bad, f"control characters reached the terminal: {bad}"


@runs_on_collection
def hostile_collection(col: Collection) -> None:
    """Two decks and their cards (basic, cloze, typed) full of controls and markup, written as
    an import or a shared database would leave them."""
    now = col.clock.now().replace(tzinfo=None)
    today = col.clock.today()
    deck = ensure_deck(col, DECK)
    for key, kind, front, back in (
        ("new", "basic", FRONT, BACK),
        ("cloze", "cloze", CLOZE, BACK),
        ("type", "type", f"Capital of Italy {C1}?", TYPED),
    ):
        Card.create(
            deck=deck,
            key=key,
            kind=kind,
            ordinal=1 if kind == "cloze" else 0,
            front=front,
            back=back,
            tags=TAGS,
            created_at=now,
            modified_at=now,
        )
    Card.create(
        deck=ensure_deck(col, LATER),
        key="hard",
        front=f"{FRONT} hard",
        back=BACK,
        tags=TAGS,
        repetitions=1,
        interval=3,
        lapses=5,
        due=today + dt.timedelta(days=3),
        created_at=now,
        modified_at=now,
    )


def hostile_toml(path: Path) -> Path:
    """The same deck as a TOML file (JSON string syntax is valid TOML basic-string syntax)."""
    tags = ", ".join(json.dumps(t) for t in TAGS.split())
    path.write_text(
        f"[deck]\nname = {json.dumps(DECK)}\n\n"
        f"[[cards]]\nfront = {json.dumps(FRONT)}\nback = {json.dumps(BACK)}\ntags = [{tags}]\n",
        encoding="utf-8",
    )
    return path


# -- the CLI ---------------------------------------------------------------------------------


@pytest.fixture
def hostile_db(db_target: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The hostile collection, opened by the CLI with the real clock; a wide terminal so that
    no name is cut short and the literal markup can be looked for."""
    monkeypatch.setenv("COLUMNS", str(SIZE[0]))
    col = open_collection(db_target)
    try:
        hostile_collection(col)
    finally:
        col.close()
    return db_target


def test_decks_does_not_change_terminal_title(cli, hostile_db):
    result = cli("--db", hostile_db, "decks")
    assert result.code == 0
    assert_no_control(result.out + result.err)
    assert LEAF in result.out  # the markup is shown, not parsed


def test_decks_json_escapes_every_control_and_keeps_the_name(cli, hostile_db):
    result = cli("--db", hostile_db, "decks", "--json")
    assert result.code == 0
    assert_no_control(result.out + result.err)
    assert DECK in {deck["name"] for deck in json.loads(result.out)}  # exact, controls and all


def test_import_summary_and_dry_run_do_not_change_terminal_title(cli, db_target, tmp_path):
    deck_file = hostile_toml(tmp_path / "shared.toml")
    for args in (["--dry-run"], [], ["--json"]):
        result = cli("--db", db_target, "import", str(deck_file), *args)
        assert_no_control(result.out + result.err)
        if result.code == 0 and not args:  # an import may refuse such a deck, cleanly
            assert clean_line(DECK) in result.out


def test_import_error_line_quoting_a_hostile_file_name_is_cleaned(cli, db_target, tmp_path):
    result = cli("--db", db_target, "import", str(tmp_path / f"missing{OSC0_TITLE}.toml"))
    assert result.code == 1
    assert_no_control(result.out + result.err)
    assert "missing␛]0;pwned␇.toml" in result.error_line


def test_export_does_not_change_terminal_title(cli, hostile_db, tmp_path):
    own = cli("--db", hostile_db, "export", DECK, str(tmp_path / f"out{OSC0_TITLE}.toml"))
    assert own.code == 0
    # a deck with only subdecks: .apkg exports them, TOML (one deck a file) refuses, naming
    # them; either way the names are cleaned
    parent = cli("--db", hostile_db, "export", "Shared", str(tmp_path / "parent.apkg"))
    assert parent.code == 0
    refused = cli("--db", hostile_db, "export", "Shared", str(tmp_path / "parent.toml"))
    assert refused.code == 1
    for result in (own, parent, refused):
        assert_no_control(result.out + result.err)
    assert clean_line(LATER) in parent.out and clean_line(LATER) in refused.err


def test_stats_card_with_closing_markup_tag_does_not_crash(cli, hostile_db):
    result = cli("--db", hostile_db, "stats")
    assert result.code == 0, result.err
    assert "[/]" in result.out and "Hardest cards" in result.out


def test_stats_passes_no_screen_clear_link_or_c1(cli, hostile_db):
    for args in ([], [DECK], [LATER]):
        result = cli("--db", hostile_db, "stats", *args)
        assert result.code == 0, result.err
        assert_no_control(result.out + result.err)
        assert "\x1b]8" not in result.out and "https://x" in result.out  # no link: literal text


def test_stats_json_escapes_every_control(cli, hostile_db):
    result = cli("--db", hostile_db, "stats", "--json")
    assert result.code == 0
    assert_no_control(result.out + result.err)
    assert f"{FRONT} hard" in [h["front"] for h in json.loads(result.out)["hardest"]]


def test_unknown_deck_error_line_is_cleaned(cli, hostile_db):
    for command in ("review", "stats", "export"):
        args = [command, f"{DECK}{OSC52_CLIPBOARD}"] + (["x.toml"] if command == "export" else [])
        result = cli("--db", hostile_db, *args)
        assert result.code == 1
        assert_no_control(result.out + result.err)
        assert result.error_line.startswith("flashcards: ")  # one line, no traceback


@pytest.mark.sqlite_only  # backups and restore are for collection files
def test_backup_list_restore_and_migrate_do_not_change_terminal_title(cli, tmp_path):
    folder = tmp_path / f"shared{OSC0_TITLE}"
    folder.mkdir()
    db = str(folder / "collection.db")
    col = open_collection(db)
    hostile_collection(col)
    col.close()
    made = cli("--db", db, "backup")
    listed = cli("--db", db, "backup", "--list")
    garbage = folder / f"not-a-backup{C1}.db"
    garbage.write_text(f"{OSC52_CLIPBOARD}\n", encoding="utf-8")
    refused = [
        cli("--db", db, "restore", str(folder / f"missing{OSC0_TITLE}.db")),
        cli("--db", db, "restore", str(garbage)),
    ]
    restored = cli("--db", db, "restore", str(list_backups(Path(db))[-1].path))
    migrated = cli("--db", db, "migrate-to", str(folder / "copy.db"))
    assert made.code == listed.code == restored.code == migrated.code == 0
    for result in (made, listed, *refused, restored, migrated):
        assert_no_control(result.out + result.err)
    for result in refused:
        assert result.code == 1 and "shared␛]0;pwned␇" in result.error_line
    assert "shared␛]0;pwned␇" in listed.out


def test_cli_commands_print_only_through_the_cleaning_printers():
    """A new command that calls print() directly would bypass the sanitiser: only output.py may."""
    cli_dir = Path(__file__).resolve().parents[2] / "flashcards" / "cli"
    offenders = []
    for module in sorted(cli_dir.glob("*.py")):
        if module.name == "output.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                offenders.append(f"{module.name}:{node.lineno}")
    assert not offenders


# -- the TUI ---------------------------------------------------------------------------------


@pytest.fixture
def hostile_col(col: Collection) -> Collection:
    """The hostile collection on the shared `col` fixture (a FixedClock, default settings)."""
    hostile_collection(col)
    return col


def make_app(col: Collection, tmp_path: Path, start_review: str | None = None) -> FlashcardsApp:
    """On the home screen, or reviewing `start_review` as `flashcards review DECK` does."""
    return FlashcardsApp(
        col,
        col.settings,
        config_path=tmp_path / "config.toml",
        home=start_review is None,
        review_deck=start_review,
    )


async def test_home_screen_does_not_change_terminal_title(hostile_col, tmp_path):
    app = make_app(hostile_col, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        text = screen_text(app)
        assert_no_control(text)
        assert LEAF in text


async def test_home_overview_and_import_file_list_do_not_change_terminal_title(
    hostile_col, tmp_path, monkeypatch
):
    """The overview beside the deck list shows the deck's description; the import dialog's file
    list shows file names: both come from other people."""
    from textual.widgets import DirectoryTree

    from flashcards.storage import Deck
    from flashcards.ui.widgets.deck_table import DeckTable

    Deck.update(description=f"About {OSC52_CLIPBOARD} [/] [bold]x").where(
        Deck.name == DECK
    ).execute()
    folder = tmp_path / "here"
    folder.mkdir()
    (folder / f"deck{OSC0_TITLE}[bold].toml").write_text("")
    monkeypatch.chdir(folder)
    app = make_app(hostile_col, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        table = app.screen.query_one(DeckTable)
        table.move_cursor_to(DECK)
        await pilot.pause()
        text = screen_text(app)
        assert_no_control(text)
        assert "About ␛]52;c;aGFja2Vk␇ [/] [bold]x" in text
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        tree = app.screen.query_one(DirectoryTree)
        await wait_until(pilot, lambda: bool(tree.root.children))
        await pilot.pause()
        text = screen_text(app)
        assert_no_control(text)
        assert "deck␛]0;pwned␇[bold]" in text


async def test_review_does_not_write_clipboard(hostile_col, tmp_path):
    """Every card kind, question and answer (the typed answer's diff included), then the
    summary."""
    app = make_app(hostile_col, tmp_path, start_review=DECK)
    seen: list[str] = []
    kinds: set[str] = set()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        while isinstance(app.screen, ReviewScreen):
            kinds.add(app.screen.card.kind)
            seen.append(screen_text(app))
            await pilot.press(*(["x", "enter"] if app.screen.card.kind == "type" else ["space"]))
            seen.append(screen_text(app))
            await pilot.press("5")
            await pilot.pause()
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        seen.append(screen_text(app))
    assert kinds == {"basic", "cloze", "type"}
    for text in seen:
        assert_no_control(text)
    shown = "\n".join(seen)
    assert clean_line(FRONT) in shown and clean_line(BACK) in shown and LEAF in shown
    assert "Paris␛]52;c;aGFja2Vk␇ is [/] the capital" in shown  # the revealed cloze
    assert "Rome␛]0;pwned␇[/]" in shown  # the right answer against the typed one


async def test_edit_dialog_shows_cleaned_sides_and_keeps_an_untouched_side(hostile_col, tmp_path):
    app = make_app(hostile_col, tmp_path, start_review=DECK)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.screen.card.front == FRONT  # new cards come in the order they were added
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, EditCardScreen))
        text = screen_text(app)
        assert_no_control(text)
        assert clean_line(FRONT) in text
        back = app.screen.query_one("#back", TextArea)
        back.text = "a plain answer"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert_no_control(screen_text(app))  # the "Card saved" toast included
    card = Card.get(Card.key == "new")
    assert (card.front, card.back) == (FRONT, "a plain answer")  # the untouched front kept as is


async def test_pasted_text_does_not_change_terminal_title(hostile_col, tmp_path):
    """A path or an answer pasted from elsewhere reaches an input or a text area cleaned."""
    app = make_app(hostile_col, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.push_screen(EditCardScreen("front", "back", lambda _front, _back: True))
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
        app.post_message(events.Paste(f"pasted{OSC52_CLIPBOARD}\nline two"))
        front = app.screen.query_one("#front", TextArea)
        await wait_until(pilot, lambda: "pasted" in front.text)
        assert_no_control(screen_text(app))
        assert "pasted␛]52;c;aGFja2Vk␇\nline two" in front.text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        app.post_message(events.Paste(f"deck{OSC0_TITLE}.toml"))
        path = app.screen.query_one("#path", Input)
        await wait_until(pilot, lambda: "deck" in path.value)
        assert_no_control(screen_text(app))
        assert path.value == "deck␛]0;pwned␇.toml"


async def test_stats_screen_passes_no_control_and_parses_no_markup(hostile_col, tmp_path):
    app = make_app(hostile_col, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.open_stats(LATER)
        await wait_until(pilot, lambda: getattr(app.screen, "stats", None) is not None)
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        text = screen_text(app)
        assert_no_control(text)
        assert clean_line(LATER) in text and "[/]" in text


async def test_nothing_due_and_toasts_do_not_change_terminal_title(hostile_col, tmp_path):
    app = make_app(hostile_col, tmp_path, start_review=LATER)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, NothingDueScreen))
        text = screen_text(app)
        assert_no_control(text)
        assert clean_line(LATER) in text
        # as an error message quoting a deck or card would
        app.notify(f"[/] {LINK_MARKUP} {OSC52_CLIPBOARD}", title=f"Title {OSC0_TITLE}")
        await wait_until(pilot, lambda: "Title" in screen_text(app))
        text = screen_text(app)
        assert_no_control(text)
        assert "Title ␛]0;pwned␇" in text and f"[/] {LINK_MARKUP} ␛]52;c;aGFja2Vk␇" in text


async def test_toasts_are_plain_text_yet_the_quit_hint_reads_well(hostile_col, tmp_path):
    """Toasts parse no markup at all, so Textual's ctrl+c hint (markup) is given as plain text."""
    app = make_app(hostile_col, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: "Do you want to quit?" in screen_text(app))
        assert "Press q to quit the app" in screen_text(app)


async def test_command_palette_does_not_change_terminal_title(hostile_col, tmp_path):
    app = make_app(hostile_col, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+p")
        for query in ("", "Review"):  # the entries listed before typing, then the matches
            await pilot.press(*query)
            await wait_until(pilot, lambda: "Later" in screen_text(app))
            text = screen_text(app)
            assert_no_control(text)
            assert f"Review: {clean_line(DECK)}" in text
            assert f"Review {clean_line(DECK)} and its subdecks" in text


async def _import_in_dialog(app: FlashcardsApp, pilot, path: Path) -> str:
    """Type `path` into the open import dialog, run the import, return the screen's text."""
    app.screen.query_one("#path", Input).value = str(path)
    await pilot.press("enter")
    await wait_until(pilot, lambda: not app.screen.running)
    await pilot.pause()
    return screen_text(app)


async def test_import_dialog_does_not_change_terminal_title(col, tmp_path, monkeypatch):
    """A real import of the hostile deck, then an import whose error message and problem list
    quote foreign text (as a file's name or content would be quoted)."""
    from flashcards.errors import UserError
    from flashcards.services import importer

    deck_file = hostile_toml(tmp_path / "shared.toml")
    app = make_app(col, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        assert_no_control(await _import_in_dialog(app, pilot, deck_file))

        def refused(*_args, **_kwargs):
            raise UserError(f"bad {OSC52_CLIPBOARD} [/]")

        monkeypatch.setattr(importer, "import_paths", refused)
        text = await _import_in_dialog(app, pilot, deck_file)
        assert_no_control(text)
        assert "bad ␛]52;c;aGFja2Vk␇ [/]" in text

        def skipped(*_args, **_kwargs):
            return importer.ImportReport(skipped=1, problems=(f"x.toml:3: {CSI_CLEAR}[/]",))

        monkeypatch.setattr(importer, "import_paths", skipped)
        text = await _import_in_dialog(app, pilot, deck_file)
        assert_no_control(text)
        assert "x.toml:3: ␛[2J[/]" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        assert_no_control(screen_text(app))  # the home screen lists the imported deck


def test_add_edit_and_deck_commands_print_no_control(cli, hostile_db, tmp_path, monkeypatch):
    """`add` (a hostile deck and front, then the same again as a duplicate), `decks set`,
    `decks rename`, and `edit` with an editor that leaves the note as it was."""
    editor = tmp_path / "noop.sh"
    editor.write_text("#!/bin/sh\ntrue\n", encoding="utf-8")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    with open_collection(hostile_db):
        card = Card.select(Card.id).where(Card.front == FRONT).scalar()
    runs = [
        ("add", DECK, FRONT, BACK),
        ("add", DECK, FRONT, BACK),
        ("decks", "set", DECK, "--new-per-day", "3"),
        ("decks", "rename", DECK, f"{DECK} 2"),
        ("decks", "create", DECK),
        ("edit", str(card)),
    ]
    for args in runs:
        result = cli("--db", hostile_db, *args)
        assert result.code == 0, (args, result.err)
        assert_no_control(result.out + result.err)


async def test_add_screen_and_deck_options_show_no_control(hostile_col, tmp_path):
    from flashcards.ui.screens.add_note import AddNoteScreen
    from flashcards.ui.screens.deck_options import DeckOptionsScreen

    app = make_app(hostile_col, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.push_screen(AddNoteScreen(hostile_col, DECK))
        await wait_until(pilot, lambda: isinstance(app.screen, AddNoteScreen))
        await wait_until(pilot, lambda: bool(app.screen.query("#add-front")))
        app.screen.query_one("#add-front", TextArea).insert(clean_line(FRONT))
        await pilot.pause()
        assert_no_control(screen_text(app))
        assert "already has this front" not in screen_text(app)  # the cleaned text is new
        await pilot.press("escape")
        app.push_screen(DeckOptionsScreen(hostile_col, DECK))
        await wait_until(pilot, lambda: isinstance(app.screen, DeckOptionsScreen))
        await wait_until(pilot, lambda: bool(app.screen.query("#options-new")))
        assert_no_control(screen_text(app))
