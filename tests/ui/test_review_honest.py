"""Issue 16: the review screens say what each key and button will really do, and a long card can
be read to its end on a small terminal."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Footer

from flashcards.storage import Card, Review
from flashcards.ui.screens.edit_card import EditCardScreen
from flashcards.ui.screens.help import HelpScreen
from flashcards.ui.screens.nothing_due import NothingDueScreen
from flashcards.ui.screens.review import CRAM_REFUSAL, ReviewScreen
from flashcards.ui.widgets.card_face import CardFace
from tests.conftest import add_cards
from tests.ui.helpers import add_card, grade_label, screen_text, wait_until

SMALL = (60, 20)
LAST_LINE = "LAST LINE OF THE ANSWER"


def footer_keys(screen) -> dict[str, str]:
    """The keys the footer offers now (shown and enabled), with their descriptions."""
    return {
        key: active.binding.description
        for key, active in screen.active_bindings.items()
        if active.binding.show and active.enabled
    }


async def test_drill_buttons_say_what_each_grade_does(col, make_app):
    add_cards(col, "D", 1)
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space")
        assert "1d +today" in grade_label(app.screen, "3")  # scheduled, and back today
        assert "| 1d" in grade_label(app.screen, "4")
        await pilot.press("1")  # into today's drill
        await pilot.press("space")
        assert app.screen.card.queue == "drill"
        for key in "0123":
            assert grade_label(app.screen, key).endswith("| +today")
        for key in "45":
            assert grade_label(app.screen, key).endswith("| done")
        await pilot.press("4")  # done: the drill ends
        await wait_until(pilot, lambda: not isinstance(app.screen, ReviewScreen))


async def test_footer_shows_the_keys_that_work_now(col, make_app):
    add_cards(col, "D", 2)
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        keys = footer_keys(app.screen)
        assert keys["space"] == "Show answer" and "u" not in keys  # nothing to undo yet
        await pilot.press("space")
        keys = footer_keys(app.screen)
        assert "space" not in keys and "enter" not in keys  # the answer is showing
        await pilot.press("5")
        assert footer_keys(app.screen)["u"] == "Undo"


async def test_four_button_help_lists_one_to_four(col, make_app):
    add_cards(col, "D", 1)
    app = make_app(start_review="D", grading="four")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = [key for key, _ in app.screen.rows]
        assert {"1", "2", "3", "4"} <= set(keys)
        assert "0" not in keys and "5" not in keys
        assert not any("0" in key and "5" in key for key in keys)


async def test_cram_refuses_bury_and_suspend_with_a_reason(col, make_app):
    col.settings = replace(col.settings, new_per_day=0)
    add_cards(col, "D", 2)
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, NothingDueScreen))
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.screen.session.cram
        screen = app.screen
        first = screen.card.id
        bury = screen.active_bindings["b"]
        assert bury.binding.description == "Bury" and not bury.enabled  # shown, disabled
        await pilot.press("b", "exclamation_mark")
        await pilot.pause()
        assert screen.card.id == first  # nothing was set aside
        assert any(n.message == CRAM_REFUSAL for n in app.notices)
    card = Card.get_by_id(first)
    assert card.buried_until is None and not card.suspended


async def test_more_new_cards_only_when_there_are_some(col, make_app):
    col.settings = replace(col.settings, new_per_day=0)
    add_cards(col, "P::A", 8, prefix="a")
    add_cards(col, "P::B", 8, prefix="b")
    add_cards(col, "P::C", 8, prefix="c")
    app = make_app(start_review="P")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, NothingDueScreen))
        assert "n" in footer_keys(app.screen)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.screen.session.counts().new == 10  # ten for the tree, not ten a subdeck


async def test_no_more_new_cards_offered_when_none_wait(col, make_app):
    (card_id,) = add_cards(col, "D", 1)
    Card.update(suspended=True).where(Card.id == card_id).execute()
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, NothingDueScreen))
        assert "n" not in footer_keys(app.screen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NothingDueScreen)
    assert Review.select().count() == 0


async def test_dialogs_show_only_their_own_keys(col, make_app):
    add_cards(col, "D", 1)
    app = make_app(start_review="D")
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: app.screen.query(Footer))
        for key, dialog in (("question_mark", HelpScreen), ("e", EditCardScreen)):
            await pilot.press(key)
            await wait_until(pilot, lambda dialog=dialog: isinstance(app.screen, dialog))
            assert app.screen.query(Footer)  # its own footer covers the review's
            keys = footer_keys(app.screen)
            own = {binding.description for binding in dialog.BINDINGS}
            assert "escape" in keys and set(keys.values()) <= own  # no Bury, Undo, Help…
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))


async def test_edit_dialog_buttons_show_at_60_by_20(col, make_app):
    add_cards(col, "D", 1)
    app = make_app(start_review="D")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, EditCardScreen))
        await pilot.pause()
        for button in ("#save", "#cancel"):
            region = app.screen.query_one(button).region
            assert region.height and region.bottom <= SMALL[1] - 1  # above the footer


def long_card(col) -> None:
    paragraph = "Muscle spasms are involuntary contractions of a muscle. " * 4
    back = "\n\n".join(f"{i}. {paragraph}" for i in range(1, 6)) + f"\n\n{LAST_LINE}"
    add_card(col, "Long", "long", "What are muscle spasms?", back)


async def test_a_long_card_scrolls_to_its_last_line_at_60_by_20(col, make_app):
    long_card(col)
    app = make_app(start_review="Long")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space")
        await pilot.pause()
        face = app.screen.query_one(CardFace)
        assert face.max_scroll_y > 0 and LAST_LINE not in screen_text(app)
        assert footer_keys(app.screen)["down"] == "Scroll"
        for _ in range(face.max_scroll_y):
            await pilot.press("down")
        await pilot.pause()
        assert face.scroll_y == face.max_scroll_y
        assert LAST_LINE in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert face.scroll_y == 0
        await pilot.press("end")
        await pilot.pause()
        assert LAST_LINE in screen_text(app)


async def test_grade_labels_are_whole_at_60_columns(col, make_app):
    add_cards(col, "D", 1)
    app = make_app(start_review="D")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        for label in ("0 Blank", "1 Wrong", "2 Almost", "3 Hard", "4 Good", "5 Easy"):
            assert label in text
        assert "1d +today" in text


async def test_toasts_cover_no_control_and_go_in_two_seconds(col, make_app):
    add_cards(col, "D", 2)
    app = make_app(start_review="D")
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.press("space", "5", "u", "space")
        await wait_until(pilot, lambda: app.screen.query("Toast"))
        await pilot.pause()
        (toast,) = app.screen.query("Toast")
        undone = app.notices[-1]
        assert (undone.message, undone.timeout) == ("Undone", 2)
        assert "Undone" in screen_text(app)
        for control in app.screen.query(".grade-button, Footer"):
            assert not toast.region.overlaps(control.region), control


def test_typed_answer_marks_read_without_colour():
    """NO_COLOR leaves only the text: a row of ^ under each difference, what was typed kept."""
    from flashcards.decks.answer_check import check_answer
    from flashcards.ui.formatting import typed_answer_content

    text = typed_answer_content(check_answer("Roma ", "Rome"), "4 Hesitated").plain
    assert text.splitlines() == [
        "You typed  Roma ",
        "              ^",
        "Answer     Rome",
        "              ^",
        "Suggested grade: 4 Hesitated (Enter accepts it)",
    ]
    same = typed_answer_content(check_answer("LE  cafe", "le café")).plain
    assert same.splitlines() == ["You typed  LE  cafe", "Answer     le café"]


async def test_typed_answer_with_case_and_spaces_suggests_five(col, make_app):
    add_card(col, "T", "t1", "Capital of Italy?", "Rome|Roma", kind="type")
    app = make_app(start_review="T")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press(*"  ROMA", "enter")
        assert app.screen.revealed and app.screen.suggested.quality == 5
