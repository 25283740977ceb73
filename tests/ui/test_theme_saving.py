"""Choosing a theme saves it into the config file in place: comments and a symlink survive, and
a config that cannot be written (a FIFO) is a notice, never a hang or a crash."""

from __future__ import annotations

import os
import stat

from flashcards.settings import load_settings


async def test_a_theme_change_keeps_a_symlinked_config_and_its_comments(make_app, tmp_path):
    real = tmp_path / "dotfiles" / "flashcards.toml"
    real.parent.mkdir()
    real.write_text("# mine\nnew_per_day = 20  # the default, on purpose\n")
    (tmp_path / "config.toml").symlink_to(real)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert (tmp_path / "config.toml").is_symlink()
    assert (
        real.read_text() == '# mine\nnew_per_day = 20  # the default, on purpose\ntheme = "nord"\n'
    )
    assert load_settings(tmp_path / "config.toml").theme == "nord"


async def test_a_theme_change_with_a_fifo_config_is_a_notice(make_app, tmp_path):
    os.mkfifo(tmp_path / "config.toml")
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.theme = "nord"
        await pilot.pause()
        assert any("not a regular file" in n.message for n in app.notices)
        assert app.theme == "nord"  # it still applies to this session
    assert stat.S_ISFIFO(os.stat(tmp_path / "config.toml").st_mode)
