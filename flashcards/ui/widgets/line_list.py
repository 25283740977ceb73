"""A list drawn one line a row under a header line, with a row cursor: what the browser's card
list and the home screen's deck list share.

A `DataTable` builds, measures and renders every cell as its own Rich renderable, and
importing it with its built-in styles cost the home screen 12–15 ms of CPU before its first
paint. Here a row is a few cells of plain text cut to fixed widths and drawn through the Line
API, only for the lines on screen. A subclass says how many rows there are and what their cells
read (`_row_text`, sanitised and never markup: the text comes from files other people wrote);
this class keeps the cursor, scrolling, the keys and the mouse. Its colours are DataTable's,
as component classes styled in first_paint_home.tcss (the deck list is in the home screen's
first frame).
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


def fit(text: str, width: int, right: bool = False) -> str:
    """`text` in exactly `width` terminal cells: cut with an ellipsis (never in the middle of
    a wide character), or padded."""
    if cell_len(text) > width:
        return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


class LineList(ScrollView, can_focus=True):
    """Rows under a header line; the cursor is a whole row. Subclasses post their own messages
    from `_cursor_moved` and `action_select` (Enter, or a click on the row under the cursor)."""

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
    ]
    COMPONENT_CLASSES = {
        "line-list--header",
        "line-list--even-row",
        "line-list--odd-row",
        "line-list--cursor",
    }

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    @property
    def row_count(self) -> int:
        raise NotImplementedError

    def _header(self) -> list[str]:
        """The header line's cells, laid out."""
        raise NotImplementedError

    def _row_text(self, row: int) -> list[str]:
        """The cells of `row`, laid out (cut or padded to their widths)."""
        raise NotImplementedError

    def _cell_styles(self, row: int) -> tuple[Style | None, ...]:
        """A style of each cell of `row` over the row's own (none by default)."""
        return ()

    def _cursor_moved(self) -> None:
        """The cursor moved, or the rows changed under it."""

    def action_select(self) -> None:
        """Enter, or a click on the row under the cursor."""

    # -- the cursor -------------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, self.row_count - 1))

    def watch_cursor_row(self, row: int) -> None:
        self._scroll_to_row(row)
        self.refresh()
        self._cursor_moved()

    def _scroll_to_row(self, row: int) -> None:
        rows_shown = max(1, self.scrollable_content_region.height - 1)  # less the header line
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + rows_shown:
            self.scroll_to(y=row - rows_shown + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= max(1, self.size.height - 2)

    def action_page_down(self) -> None:
        self.cursor_row += max(1, self.size.height - 2)

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = self.row_count - 1

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor to the row; a click on the row under it selects it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:  # the header
            return
        row = offset.y - 1 + round(self.scroll_y)
        if row >= self.row_count:
            return
        event.stop()
        if row == self.cursor_row:
            self.action_select()
        else:
            self.cursor_row = row

    # -- drawing ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            text = self._header()
            style = self.get_component_rich_style("line-list--header")
            segments = [Segment(cell, style) for cell in text]
        else:
            row = y - 1 + round(self.scroll_y)
            if row >= self.row_count:
                return Strip.blank(width, self.rich_style)
            text, style = self._row_text(row), self._row_style(row)
            segments = self._segments(row, text, style)
        strip = Strip(segments, sum(map(cell_len, text)))
        scroll_x = round(self.scroll_x)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _segments(self, row: int, text: list[str], style: Style) -> list[Segment]:
        """The row's cells in its style, each cell's own style over it; under the cursor the
        cursor's colour wins, as in a DataTable."""
        cell_styles = self._cell_styles(row)
        if not cell_styles:
            return [Segment(cell, style) for cell in text]
        post = Style(color=style.color) if row == self.cursor_row else Style()
        return [
            Segment(cell, style + own + post if own else style)
            for cell, own in zip(text, cell_styles, strict=True)
        ]

    def _row_style(self, row: int) -> Style:
        if row == self.cursor_row:
            return self.get_component_rich_style("line-list--cursor")
        if row % 2 == 0:  # as DataTable's zebra stripes: the first row is even
            return self.get_component_rich_style("line-list--even-row")
        return self.get_component_rich_style("line-list--odd-row")  # the list's own colours
