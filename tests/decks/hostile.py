"""Hostile inputs that more than one test folder builds: deck files that once crashed or froze
an import, and things that are not deck files.

Each layer tests them once for its own promise: the parser raises one DeckError
(tests/decks), the command prints one line and changes nothing (tests/reliability), the import
dialog shows that line (tests/ui).
"""

from __future__ import annotations

import os
from pathlib import Path

NON_REGULAR = ("dev-zero", "symlink", "fifo", "directory")


def non_regular_file(tmp_path: Path, kind: str) -> Path:
    """A path named like a deck that is /dev/zero, a link to it, a FIFO or a directory."""
    path = tmp_path / "deck.csv"
    if kind == "dev-zero":
        return Path("/dev/zero")
    if kind == "symlink":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)  # no writer: a blocking open would hang
    else:
        path.mkdir()
    return path


_NESTED = "[" * 1000 + "]" * 1000
_DEEP = "::".join(["d"] * 2000)

HOSTILE_TEXTS: dict[str, tuple[str, str]] = {
    # name: (the file's text, words of its one-line refusal)
    "nested.toml": (
        f'[deck]\nname = "N"\n[[cards]]\nfront = {_NESTED}\nback = "b"\n',
        "nested too deeply",
    ),
    "deep.toml": (f'[deck]\nname = "{_DEEP}"\n', "2,000 levels deep"),
    "long-name.toml": (f'[deck]\nname = "{"n" * 300}"\n', "255 characters"),
    "digits.toml": ('[deck]\nname = "N"\nx = ' + "1" * 5000 + "\n", "too many digits"),
    "unterminated.csv": (
        'front,back\n"q0,a0\n' + "".join(f"q{i},a{i}\n" for i in range(1000)),
        ":2: a quoted field is never closed",
    ),
    "deep-column.txt": (f"#separator:comma\n#deck column:1\n{_DEEP},q,a\n", "levels deep"),
}
"""Text deck files that once made a traceback or took minutes (recursion, huge numbers,
2,000-level deck names, an unclosed quote that swallowed 1,000 rows)."""


def hostile_text_file(tmp_path: Path, name: str) -> Path:
    """One of HOSTILE_TEXTS written to `tmp_path`."""
    path = tmp_path / name
    path.write_text(HOSTILE_TEXTS[name][0])
    return path
