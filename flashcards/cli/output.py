"""Plain output helpers: JSON for scripts, aligned tables that fit the terminal for people."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from typing import Any


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def print_table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], numeric_from: int = 1
) -> None:
    """Columns padded to their widest cell; the first column is cut with … to fit the terminal."""
    cells = [[str(c) for c in row] for row in rows]
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
