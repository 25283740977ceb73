"""Settings file: defaults, round trip, and one-line errors naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.errors import UserError
from flashcards.settings import Settings, load_settings, save_settings


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml") == Settings()


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    wanted = Settings(
        new_per_day=5, reviews_per_day=50, rollover_hour=0, grading="four", theme="nord"
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
