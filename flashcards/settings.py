"""User settings, kept in a TOML file in the platformdirs config dir.

Plain dataclass plus load/save, so every layer can take a `Settings` without knowing where it came
from; a broken file is a user error naming the file and line.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import platformdirs
import tomli_w

from flashcards.errors import UserError

GRADING_MODES = ("six", "four")


@dataclass(frozen=True)
class Settings:
    """Everything a user may configure; the defaults are Anki's where Anki has one."""

    new_per_day: int = 20
    reviews_per_day: int = 200
    rollover_hour: int = 4
    grading: str = "six"
    theme: str = "textual-dark"

    def validated(self, source: str = "settings") -> Settings:
        """Self, or a UserError saying which value is out of range."""
        if type(self.new_per_day) is not int or self.new_per_day < 0:
            raise UserError(f"{source}: new_per_day must be a whole number ≥ 0")
        if type(self.reviews_per_day) is not int or self.reviews_per_day < 0:
            raise UserError(f"{source}: reviews_per_day must be a whole number ≥ 0")
        if type(self.rollover_hour) is not int or not 0 <= self.rollover_hour <= 23:
            raise UserError(f"{source}: rollover_hour must be a whole number from 0 to 23")
        if self.grading not in GRADING_MODES:
            raise UserError(f"{source}: grading must be one of {', '.join(GRADING_MODES)}")
        if not isinstance(self.theme, str):
            raise UserError(f"{source}: theme must be a string")
        return self


def default_config_path() -> Path:
    """`FLASHCARDS_CONFIG` if set, else config.toml in the user's config dir."""
    env = os.environ.get("FLASHCARDS_CONFIG")
    if env:
        return Path(env)
    return platformdirs.user_config_path("flashcards") / "config.toml"


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings; a missing file means the defaults."""
    path = path or default_config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read the config file ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}:{_error_line(exc, text)}: {exc}") from None
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise UserError(
            f"{path}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})"
        )
    return replace(Settings(), **data).validated(str(path))


def _error_line(exc: tomllib.TOMLDecodeError, text: str) -> int:
    """The line of a TOML error; Python 3.11's exception gives it only inside its message."""
    line = getattr(exc, "lineno", None)
    if isinstance(line, int):
        return line
    match = re.search(r"at line (\d+)", str(exc))
    return int(match.group(1)) if match else max(1, text.count("\n") + (not text.endswith("\n")))


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings atomically (write a sibling file, then rename over)."""
    path = path or default_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(asdict(settings)), encoding="utf-8")
    tmp.replace(path)
