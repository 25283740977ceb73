"""Settings file: defaults, round trip, and one-line errors naming the file."""

from __future__ import annotations

import os
import stat
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.errors import UserError
from flashcards.settings import Settings, load_settings, save_settings


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml") == Settings()


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    wanted = Settings(
        new_per_day=5,
        reviews_per_day=50,
        rollover_hour=0,
        grading="four",
        theme="nord",
        lenient_typing=False,
    )
    save_settings(wanted, path)
    assert load_settings(path) == wanted


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("new_per_day = -1", "new_per_day"),
        ("new_per_day = 'ten'", "new_per_day"),
        ("rollover_hour = 24", "rollover_hour"),
        ("grading = 'seven'", "grading"),
        ("lenient_typing = 'yes'", "lenient_typing must be true or false"),
        ("colour = 'red'", "unknown setting 'colour'"),
        ("x = 1\nnew_per_day = ", ":2:"),
    ],
)
def test_bad_settings(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(UserError) as err:
        load_settings(path)
    assert str(path) in str(err.value) and words in str(err.value)


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("new_per_day = 99999999999999999999\n", ":1:", "new_per_day must be a whole number"),
        ("# mine\nreviews_per_day = 100001\n", ":2:", "reviews_per_day"),
        ("new_per_day = -1\n", ":1:", "new_per_day"),
        ("grading = 'four'\nrollover_hour = -1\n", ":2:", "rollover_hour"),
        ("grading = 6\n", ":1:", "grading"),
        ("new_per_day = true\n", ":1:", "new_per_day"),
        ("theme = ''\n", ":1:", "theme"),
        ("x = 1\n", ":1:", "unknown setting 'x'"),
    ],
)
def test_a_bad_value_names_the_file_and_line(
    tmp_path: Path, text: str, where: str, words: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(UserError) as err:
        load_settings(path)
    assert str(err.value).startswith(f"{path}{where}") and words in str(err.value)


def test_new_per_day_too_big_for_any_database_is_refused(tmp_path: Path) -> None:
    """`new_per_day = 99999999999999999999` used to reach SQLite and crash `review`."""
    path = tmp_path / "config.toml"
    path.write_text("new_per_day = 99999999999999999999\n")
    assert main(["--config", str(path), "--db", str(tmp_path / "c.db"), "review"]) == 1


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_nested_brackets_are_one_line(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# nested\nnew_per_day = " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(UserError) as err:
        load_settings(path)
    assert str(err.value).startswith(f"{path}:2: ") and "\n" not in str(err.value)


def _load_in_thread(path: Path) -> BaseException | Settings | None:
    """load_settings(path) in a thread; None when it is still running after 10 s (a hang)."""
    outcome: list[BaseException | Settings] = []

    def run() -> None:
        try:
            outcome.append(load_settings(path))
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=10)
    return outcome[0] if outcome else None


def test_a_fifo_config_is_an_error_not_a_hang(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    outcome = _load_in_thread(path)
    if outcome is None:  # unblock the hung reader so the test run can go on
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
    assert isinstance(outcome, UserError) and "not a regular file" in str(outcome)


@pytest.mark.parametrize("kind", ["directory", "device"])
def test_a_config_that_is_not_a_regular_file_is_an_error(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "config.toml"
    if kind == "directory":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")
    outcome = _load_in_thread(path)
    assert isinstance(outcome, UserError) and "not a regular file" in str(outcome)
    assert str(outcome).startswith(str(path))


COMMENTED = """\
# my flashcards settings
new_per_day = 5   # weekdays only
theme = "textual-dark"  # until I find a better one

# four buttons are quicker
grading = "four"
"""


def test_saving_keeps_comments_and_the_symlink(tmp_path: Path) -> None:
    """Choosing a theme used to replace a symlinked config with a plain file, comments gone."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "flashcards.toml"
    real.write_text(COMMENTED)
    link = tmp_path / "config" / "config.toml"
    link.parent.mkdir()
    link.symlink_to(real)
    settings = load_settings(link)
    save_settings(replace(settings, theme="nord"), link)
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text() == COMMENTED.replace('"textual-dark"', '"nord"')
    assert load_settings(link) == replace(settings, theme="nord")
    assert sorted(p.name for p in dotfiles.iterdir()) == ["flashcards.toml"]  # no temp left


def test_saving_adds_only_what_differs_from_the_default(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# empty for now\n")
    save_settings(Settings(rollover_hour=6), path)
    assert path.read_text() == "# empty for now\nrollover_hour = 6\n"


def test_saving_over_a_fifo_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    with pytest.raises(UserError, match="not a regular file"):
        save_settings(Settings(theme="nord"), path)
    assert stat.S_ISFIFO(os.stat(path).st_mode)
