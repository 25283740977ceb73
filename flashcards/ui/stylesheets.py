"""The app's three stylesheets: which a start reads before its first frame, and the rest after.

Every rule is in exactly one file (tests/ui/test_stylesheets.py). A quick start of the review or
of the home screen parses only the rules its first frame needs, then adds the others right after
that frame is painted (cold start is a benchmark target; see ARCHITECTURE.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

FIRST_PAINT_CSS = Path(__file__).with_name("first_paint.tcss")
"""The rules the review's first card is painted with; read first (see ARCHITECTURE.md)."""
HOME_FIRST_PAINT_CSS = Path(__file__).with_name("first_paint_home.tcss")
"""The rules the home screen's deck list is painted with (the lists' colours among them)."""
APP_CSS = Path(__file__).with_name("app.tcss")
"""Every other rule; with a quick start or quick home, read once the first frame is painted."""
STYLESHEETS = (FIRST_PAINT_CSS, HOME_FIRST_PAINT_CSS, APP_CSS)
"""Every rule is in exactly one of them; the usual path reads all three, in this order."""


def first_read(*, quick_review: bool, quick_home: bool) -> list[Path]:
    """The stylesheets an app reads before its first frame: a quick start's own rules alone."""
    if quick_review:
        return [FIRST_PAINT_CSS]
    if quick_home:
        return [HOME_FIRST_PAINT_CSS]
    return list(STYLESHEETS)


def read_the_rest(app: App) -> None:
    """Add the stylesheets the app has not read yet (Textual's own way with a screen's
    `CSS_PATH`: parse the new files, restyle what is mounted)."""
    missing = [path for path in STYLESHEETS if not app.stylesheet.has_source(str(path))]
    if not missing:
        return
    app.css_path.extend(missing)
    if app.css_monitor is not None:  # `textual run --dev` reloads them when they change
        app.css_monitor.add_paths(missing)
    for path in missing:
        app.stylesheet.read(path)
    app.stylesheet.reparse()
    app.stylesheet.update(app)
