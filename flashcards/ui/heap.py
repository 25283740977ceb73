"""The start-up heap set aside from Python's cyclic garbage collector once the first screen is
complete.

Start-up leaves tens of thousands of long-lived objects (modules, Textual's widgets, styles and
screens, the collection), and every full pass of the collector walks them all again: one pass
took ~43 ms (measured at 1,000 cards), and one landing in the middle of opening the browser or
showing the next card is a visible stall. Once the first screen is complete they are collected
once (the start's garbage) and frozen (`gc.freeze`), so later passes walk only what was made
since. The app unfreezes them when it ends (`release`), so a process that runs another app
afterwards (the tests do) can collect them again.
"""

from __future__ import annotations

import gc

_settled = False


def settle() -> None:
    """Collect the start's garbage and freeze what is left: once, at the first complete screen."""
    global _settled
    if _settled:
        return
    _settled = True
    gc.collect()
    gc.freeze()


def release() -> None:
    """Give the frozen objects back to the collector (the app has ended)."""
    global _settled
    if _settled:
        _settled = False
        gc.unfreeze()
