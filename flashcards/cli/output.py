"""Plain output helpers: JSON for scripts, aligned tables that fit the terminal for people.

These are the CLI's only printers, and every one of them cleans what it prints: deck names, card
text, paths and error messages come from files and databases other people wrote, and an ESC or a
C1 control in them would reach the terminal (OSC 0 sets the title, OSC 52 writes the clipboard).
Commands print through `say`, `print_table` and `print_json`, never with a bare `print`.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from typing import Any

from flashcards.sanitize import clean, clean_line

# json.dumps escapes C0 controls (ESC becomes \u001b) but, with ensure_ascii=False, writes DEL and
# the C1 controls raw; outside strings JSON is ASCII, so escaping them keeps the data exact.
_JSON_CONTROLS = str.maketrans({code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)})


def say(text: object, *, err: bool = False) -> None:
    """Print a message that may quote foreign text, cleaned (newlines and tabs kept)."""
    print(clean(text), file=sys.stderr if err else sys.stdout)


def print_json(data: Any) -> None:
    """`data` as indented JSON, every control character escaped (other non-ASCII text kept)."""
    import json  # only for --json: every command, `review` included, imports this module

    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write(text.translate(_JSON_CONTROLS) + "\n")


def print_table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], numeric_from: int = 1
) -> None:
    """Columns padded to their widest cell; the first column is cut with … to fit the terminal."""
    cells = [[clean_line(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    room = shutil.get_terminal_size((100, 24)).columns
    overflow = sum(widths) + 2 * (len(widths) - 1) - room
    if overflow > 0:
        widths[0] = max(8, widths[0] - overflow)

    def fmt(row: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(row):
            if i == 0 and len(cell) > widths[0]:
                cell = cell[: widths[0] - 1] + "…"
            out.append(cell.rjust(widths[i]) if i >= numeric_from else cell.ljust(widths[i]))
        return "  ".join(out).rstrip()

    print(fmt(list(headers)))
    for row in cells:
        print(fmt(row))
