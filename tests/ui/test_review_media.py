"""Review of a card with media: its image is shown under the text, `p` plays its sound (or says
in one line that there is no player), and the footer offers `p` only for a card with a sound."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image as PILImage

from flashcards.decks.media_names import MediaFile
from flashcards.services import media as media_service
from flashcards.services.media import store_media
from flashcards.ui.screens.review import ReviewScreen
from flashcards.ui.widgets.card_media import CardMedia
from tests.ui.helpers import add_card, wait_for_footer


def png() -> bytes:
    """A small picture: a red square on blue, so the snapshot shows something to look at."""
    image = PILImage.new("RGB", (40, 24), (30, 60, 200))
    image.paste((220, 40, 40), (12, 4, 28, 20))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _cards(col) -> None:
    store_media(col, [MediaFile("map.png", png()), MediaFile("hello.mp3", b"ID3 sound")])
    add_card(col, "Geo", "g1", "Which country?\n[image: map.png]", "France")
    add_card(col, "Lang", "l1", "[sound: hello.mp3]", "a greeting")
    add_card(col, "Plain", "p1", "no media", "none")


def _footer_keys(screen: ReviewScreen) -> set[str]:
    return {key for key, binding in screen.active_bindings.items() if binding.enabled}


async def test_a_card_with_an_image_shows_it(col, make_app) -> None:
    _cards(col)
    app = make_app(start_review="Geo")
    async with app.run_test(size=(80, 30)) as pilot:
        await wait_for_footer(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert len(screen.query_one(CardMedia).query(".card-image")) == 1
        assert screen.query_one(CardMedia).display
        assert not screen.check_action("play", ())  # no sound: no `p` in the footer


async def test_a_card_without_media_shows_no_image(col, make_app) -> None:
    _cards(col)
    app = make_app(start_review="Plain")
    async with app.run_test(size=(80, 30)) as pilot:
        await wait_for_footer(pilot)
        assert len(app.screen.query(".card-image")) == 0
        assert not app.screen.query_one(CardMedia).display


async def test_p_without_a_player_says_so_in_one_line(
    col, make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cards(col)
    empty = tmp_path / "no-players"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    app = make_app(start_review="Lang")
    async with app.run_test(size=(80, 30)) as pilot:
        await wait_for_footer(pilot)
        assert app.screen.check_action("play", ())
        await pilot.press("p")
        await pilot.pause()
        message = "No sound player found (looked for ffplay, mpv, paplay, afplay)"
        assert [n.message for n in app.notices] == [message]


async def test_p_starts_a_player_without_a_shell(
    col, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cards(col)
    started: list[list[str]] = []
    monkeypatch.setattr(media_service.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(
        media_service.subprocess, "Popen", lambda args, **kw: started.append(args) or None
    )
    app = make_app(start_review="Lang")
    async with app.run_test(size=(80, 30)) as pilot:
        await wait_for_footer(pilot)
        await pilot.press("p")
        await pilot.pause()
    assert len(started) == 1 and started[0][0] == "/usr/bin/ffplay"
    played = Path(started[0][-1])
    assert played.suffix == ".mp3" and played.read_bytes() == b"ID3 sound"
    assert app.notices == []


def test_snapshot_of_a_card_with_an_image(col, make_app, snap_compare) -> None:
    _cards(col)
    app = make_app(start_review="Geo")
    assert snap_compare(app, terminal_size=(80, 30), run_before=wait_for_footer)
