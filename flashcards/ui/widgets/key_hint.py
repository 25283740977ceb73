"""A footer drawn as one line of text: the screen's keys, without a widget per key.

Textual's `Footer` mounts, styles and lays out one widget per key (fifteen on the browser) and
composes them again after the first paint, once the screen's bindings are known: 12-17 ms of
the ~50 ms of CPU it took to open the browser. This hint shows the same keys, in the same
places and colours, as one line drawn through the Line API; a change of keys (the focused
widget's, a key enabled or disabled) only repaints that line. It keeps what the footer does
with the mouse: a click on a key presses it (a disabled key rings the bell), the key under the
pointer is highlighted, and the wheel scrolls keys that do not fit into view.

The keys, descriptions and key names are the app's own bindings, never text from a file.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

SEPARATOR = "▏"  # Footer's `border-left: vkey` before the command palette's key


class Key(NamedTuple):
    """One key as shown: what pressing it sends, its label, what it does."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str


class KeyHint(Widget, can_focus=False):
    """The current screen's shown keys, left to right, and the command palette's key at the
    right edge, as `Footer` lays them out (its non-compact style)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "key-hint--key",
        "key-hint--description",
        "key-hint--separator",
        "key-hint--hover",
    }

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002  (Textual's name)
        super().__init__(id=id)
        self._keys: tuple[Key, ...] = ()
        self._palette: Key | None = None
        self._first = 0  # the first key shown: the wheel scrolls keys that do not fit
        self._hover: int | None = None  # index in `_spans` under the pointer
        self._spans: list[tuple[int, int, Key]] = []  # each key's cells, as last drawn
        self._overflow = False  # keys were cut at the right, as last drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    # -- the keys ---------------------------------------------------------------------------

    def _bindings_changed(self, screen: Screen) -> None:
        """Read the keys again; repaint only when what is shown changes. A covered screen's
        keys are read again when it is shown (Textual refreshes its bindings then)."""
        if not screen.is_current or screen is not self.screen:
            return
        keys, palette = self._read(screen)
        if (keys, palette) != (self._keys, self._palette):
            self._keys, self._palette = keys, palette
            self._first = min(self._first, max(0, len(keys) - 1))
            self.refresh()

    def _read(self, screen: Screen) -> tuple[tuple[Key, ...], Key | None]:
        """What `Footer.compose` would show: the first shown binding of each action, then the
        command palette's binding."""
        app = self.app
        active = screen.active_bindings
        keys: dict[str, Key] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in keys:
                keys[binding.action] = Key(
                    binding.key, app.get_key_display(binding), binding.description, enabled,
                    tooltip,
                )  # fmt: skip
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = Key(
                binding.key, app.get_key_display(binding), binding.description, enabled,
                binding.tooltip or binding.description,
            )  # fmt: skip
        return tuple(keys.values()), palette

    # -- drawing ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = Style(bgcolor=self.rich_style.bgcolor)  # the gaps, as the footer's padding
        if y != 0:
            return Strip.blank(width, base)
        parts = [(key, f" {key.display} ", f"{key.description} ") for key in self._keys]
        left = width
        if self._palette is not None:  # docked right, after a separator, in compact style
            key = self._palette
            palette = (key, key.display, f" {key.description}")
            left = max(0, width - (len(SEPARATOR) + cell_len(key.display + palette[2]) + 1))
        segments: list[Segment] = []
        spans: list[tuple[int, int, Key]] = []
        x = 0
        for key, key_text, text in parts[self._first :]:
            if x >= left:
                break
            x = self._draw(segments, spans, x, key, key_text, text)
        self._overflow = x > left
        strip = Strip(segments).crop_extend(0, left, base)
        spans[:] = [(start, min(end, left), key) for start, end, key in spans]
        if self._palette is not None:
            separator = self.get_component_rich_style("key-hint--separator")
            segments = [Segment(SEPARATOR, separator)]
            self._draw(segments, spans, left + len(SEPARATOR), *palette)
            segments.append(Segment(" ", base))
            strip = Strip.join([strip, Strip(segments)])
        self._spans = spans
        return strip.crop_extend(0, width, base)

    def _draw(
        self, segments: list[Segment], spans: list, x: int, key: Key, key_text: str, text: str
    ) -> int:
        """Add one key's segments at cell `x` and its span; the cell after it."""
        styles = [
            self.get_component_rich_style("key-hint--key"),
            self.get_component_rich_style("key-hint--description"),
        ]
        if not key.enabled:  # as Footer's `-disabled` keys
            styles = [style + Style(dim=True) for style in styles]
        if self._hover == len(spans):
            hover = self.get_component_rich_style("key-hint--hover", partial=True)
            styles = [style + hover for style in styles]
        segments += [Segment(key_text, styles[0]), Segment(text, styles[1])]
        end = x + cell_len(key_text) + cell_len(text)
        spans.append((x, end, key))
        return end

    # -- the mouse --------------------------------------------------------------------------

    def _at(self, x: int) -> int | None:
        return next((i for i, (start, end, _) in enumerate(self._spans) if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A key pressed with the mouse, as `FooterKey` does."""
        index = self._at(event.x)
        if index is None:
            return
        event.stop()
        key = self._spans[index][2]
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._at(event.x)
        if index != self._hover:
            self._hover = index
            self.tooltip = self._spans[index][2].tooltip or None if index is not None else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._scroll(event, 1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._scroll(event, -1)

    def _scroll(self, event: events.MouseEvent, step: int) -> None:
        """Show the keys from the next (or previous) one: what does not fit comes into view."""
        if step > 0 and not self._overflow:
            return  # every key from the first shown fits
        first = max(0, min(self._first + step, len(self._keys) - 1))
        if first != self._first:
            self._first = first
            self._hover = None
            self.refresh()
        event.stop()
