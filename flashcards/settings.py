"""User settings, kept in a TOML file in the platformdirs config dir.

Plain dataclass plus load/save, so every layer can take a `Settings` without knowing where it came
from; a broken file is a user error naming the file and line.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from flashcards.errors import UserError

if TYPE_CHECKING:
    import tomllib


class GradingMode(StrEnum):
    """How the review screen asks for a grade."""

    SIX = "six"  # SM-2's grades 0-5, as published
    FOUR = "four"  # Again/Hard/Good/Easy, mapped onto SM-2 grades (scheduler.FOUR_BUTTONS)


GRADING_MODES = tuple(GradingMode)
MAX_PER_DAY = 100_000  # new_per_day and reviews_per_day: more than anyone studies in a day
MAX_THEME_NAME = 100
MAX_CONFIG_BYTES = 1 << 20  # a settings file is a few lines; a larger one is not ours


@dataclass(frozen=True)
class Settings:
    """Everything a user may configure; the defaults are Anki's where Anki has one."""

    new_per_day: int = 20
    reviews_per_day: int = 200
    rollover_hour: int = 4
    grading: GradingMode = GradingMode.SIX
    theme: str = "textual-dark"
    lenient_typing: bool = True  # typed answers: accents and punctuation do not count
    # Once a card is answered, the other cards of its note (a reverse pair's other direction, a
    # cloze text's other deletions) wait until tomorrow, as in Anki: seen back to back, one
    # gives the other away.
    bury_siblings: bool = True

    def validated(self, source: str = "settings", lines: dict[str, int] | None = None) -> Settings:
        """Self, or a UserError saying which value is out of range (and on which line)."""
        lines = lines or {}

        def bad(key: str, rule: str) -> UserError:
            line = lines.get(key)
            return UserError(f"{source}{f':{line}' if line else ''}: {key} must be {rule}")

        for key in ("new_per_day", "reviews_per_day"):
            value = getattr(self, key)
            if type(value) is not int or not 0 <= value <= MAX_PER_DAY:
                raise bad(key, f"a whole number from 0 to {MAX_PER_DAY:,}")
        if type(self.rollover_hour) is not int or not 0 <= self.rollover_hour <= 23:
            raise bad("rollover_hour", "a whole number from 0 to 23")
        if self.grading not in GRADING_MODES:
            raise bad("grading", f"one of {', '.join(GRADING_MODES)}")
        if type(self.bury_siblings) is not bool:
            raise bad("bury_siblings", "true or false")
        if not isinstance(self.theme, str) or not 0 < len(self.theme) <= MAX_THEME_NAME:
            raise bad("theme", f"a theme name (a string of at most {MAX_THEME_NAME} characters)")
        if type(self.lenient_typing) is not bool:
            raise bad("lenient_typing", "true or false")
        if type(self.grading) is not GradingMode:  # read from a file as a plain string
            return replace(self, grading=GradingMode(self.grading))
        return self


def default_config_path() -> Path:
    """`FLASHCARDS_CONFIG` if set, else config.toml in the user's config dir."""
    env = os.environ.get("FLASHCARDS_CONFIG")
    if env:
        return Path(env)
    return platformdirs.user_config_path("flashcards") / "config.toml"


def _read_config(path: Path) -> str | None:
    """The file's text, or None when there is none; only a regular file of bounded size is read.

    A FIFO, a device or a directory is refused before it is read (a FIFO would block the start
    forever, /dev/zero would never end): checked with stat, then opened without blocking and
    checked again on the open file, so a swap in between changes nothing.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise UserError(f"{path}: the config file is not a regular file")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(f"{path}: cannot read the config file ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UserError(f"{path}: the config file is not a regular file")
        try:
            data = f.read(MAX_CONFIG_BYTES + 1)
        except OSError as exc:
            raise UserError(
                f"{path}: cannot read the config file ({exc.strerror or exc})"
            ) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise UserError(f"{path}: the config file is larger than {MAX_CONFIG_BYTES >> 20} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path}: the config file is not UTF-8 text") from None


_KEY_LINE = re.compile(r"""^[ \t]*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))[ \t]*=""")


def _key_lines(text: str) -> dict[str, int]:
    """The line each top-level key is set on (settings are plain top-level keys)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("["):
            break  # a table: what follows is not a top-level key
        match = _KEY_LINE.match(line)
        if match:
            lines.setdefault(next(g for g in match.groups() if g is not None), number)
    return lines


def _parse(path: Path, text: str) -> dict:
    """The TOML document as plain values; a syntax error (or a nesting bomb) is one line."""
    import tomllib  # only when there is a file: most starts have none to read

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}:{_error_line(exc, text)}: {exc}") from None
    except RecursionError:
        line = _deep_line(text)
        raise UserError(f"{path}:{line}: values nest too deeply to be settings") from None


def _deep_line(text: str, limit: int = 100) -> int:
    """The line where brackets first nest deeper than `limit` (for the message only)."""
    depth, line = 0, 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        elif char in "]}":
            depth -= 1
    return line


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings; a missing file means the defaults."""
    path = path or default_config_path()
    text = _read_config(path)
    if text is None:
        return Settings()
    data = _parse(path, text)
    lines = _key_lines(text)
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        line = lines.get(unknown[0])
        raise UserError(
            f"{path}{f':{line}' if line else ''}: unknown setting {unknown[0]!r} "
            f"(known: {', '.join(sorted(known))})"
        )
    return replace(Settings(), **data).validated(str(path), lines)


def _error_line(exc: tomllib.TOMLDecodeError, text: str) -> int:
    """The line of a TOML error; Python 3.11's exception gives it only inside its message."""
    line = getattr(exc, "lineno", None)
    if isinstance(line, int):
        return line
    match = re.search(r"at line (\d+)", str(exc))
    return int(match.group(1)) if match else max(1, text.count("\n") + (not text.endswith("\n")))


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings into the file in place, keeping its comments, layout and keys.

    Only values that differ are changed (a key the file lacks is added when it differs from the
    default). A symlinked config stays a symlink: its target is rewritten, through a temporary
    file in the target's folder renamed over it, so a crash leaves the old file or the new one.
    """
    import tomlkit  # only to write: reading is tomllib's, and every start reads the settings
    from tomlkit.exceptions import TOMLKitError

    path = path or default_config_path()
    target = Path(os.path.realpath(path))
    text = _read_config(target) or ""
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise UserError(f"{path}: the config file cannot be updated ({exc})") from None
    defaults = asdict(Settings())
    for key, value in asdict(settings).items():
        if key in document:
            if document[key] != value:
                document[key] = value
        elif value != defaults[key]:
            document[key] = value
    _write_atomically(target, tomlkit.dumps(document))


def _write_atomically(target: Path, text: str) -> None:
    """Replace `target` with `text`: a temporary file beside it, flushed, then renamed over."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(os.stat(target).st_mode) if target.exists() else 0o644
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise UserError(f"{target}: cannot save the settings ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise UserError(f"{target}: cannot save the settings ({exc.strerror or exc})") from None
