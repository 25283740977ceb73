"""Textual's `Header` drawn by one widget: the icon, the title, the clock's empty place.

`Header` is four widgets (itself, the icon, the title, the clock's space), each styled and laid
out, and sets its title through four watchers, each of which lays the screen out again: 6-13 ms
of the CPU it took to open the browser, ~4 ms of the home screen's first paint (21 interleaved
cold starts, CPU). This bar draws the same line, in the same places and
colours, through the Line API. It keeps what the header does with the mouse: the icon is
highlighted under the pointer and a click on it opens the command palette; a click elsewhere
makes the bar three lines tall, and another makes it one line again.

The title is the app's and the screen's `title` and `sub_title` (`App.format_title`), set by
the code, never text from a file.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.style import Style as ContentStyle
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # HeaderIcon: `width: 8; padding: 0 1`, the icon at the left
CLOCK_WIDTH = 10  # HeaderClockSpace: `width: 10`, left empty on the right


class TitleBar(Widget, can_focus=False):
    """The screen's title centred between the icon and the clock's place, as `Header`."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"title-bar--icon-hover"}

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002  (Textual's name)
        super().__init__(id=id)
        self._icon_hover = False

    def on_mount(self) -> None:
        for node, name in (
            (self.app, "title"),
            (self.app, "sub_title"),
            (self.screen, "title"),
            (self.screen, "sub_title"),
        ):
            self.watch(node, name, self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        background = Style(bgcolor=base.bgcolor)
        if y != self.size.height // 2:  # the tall bar's other lines
            return Strip.blank(width, background)
        screen = self.screen
        title = self.app.format_title(
            screen.title if screen.title is not None else self.app.title,
            screen.sub_title if screen.sub_title is not None else self.app.sub_title,
        )
        room = max(0, width - ICON_WIDTH - CLOCK_WIDTH)
        title = title.truncate(room, ellipsis=True)
        left = (room - title.cell_length) // 2
        icon_style = base
        if self._icon_hover:
            icon_style += self.get_component_rich_style("title-bar--icon-hover", partial=True)
        icon_background = Style(bgcolor=icon_style.bgcolor)
        # Split as Textual aligns content (the padding its own segments), so a screenshot of
        # this bar is the header's, cell for cell.
        pad = Style(reverse=False)
        segments = [
            Segment(" ", icon_background),
            Segment(ICON, icon_style),
            Segment(" " * (ICON_WIDTH - 2 - len(ICON)), icon_style + pad),
            Segment(" ", icon_background),
            Segment(" " * left, base + pad),
            *title.render_segments(ContentStyle.from_rich_style(base)),
            Segment(" " * (room - left - title.cell_length), base + pad),
            Segment(" " * CLOCK_WIDTH, background),  # the clock's place, left empty
        ]
        return Strip(segments).crop_extend(0, width, background)

    def _on_icon(self, event: events.MouseEvent) -> bool:
        return event.x < ICON_WIDTH and event.y == self.size.height // 2

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._on_icon(event) and self.app.ENABLE_COMMAND_PALETTE
        if hover != self._icon_hover:
            self._icon_hover = hover
            self.tooltip = "Open the command palette" if hover else None
            self.refresh()

    def on_leave(self) -> None:
        if self._icon_hover:
            self._icon_hover = False
            self.tooltip = None
            self.refresh()

    async def on_click(self, event: events.Click) -> None:
        """The icon opens the command palette; elsewhere the bar grows or shrinks."""
        event.stop()
        if self._on_icon(event):
            if self.app.ENABLE_COMMAND_PALETTE:
                await self.run_action("app.command_palette")
            return
        self.toggle_class("-tall")
