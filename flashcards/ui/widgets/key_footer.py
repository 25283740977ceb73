"""Textual's footer, rebuilt only when the keys it shows change, and only on screen.

`Footer` throws away and mounts again one widget per key (and styles each) every time its
screen's bindings are refreshed: on mount, on every focus change, when the screen is covered
by another and when it comes back. Opening the browser rebuilt its own footer several times
for the same keys and, meanwhile, the hidden home screen's footer twice. This footer compares
what it would show with what it shows and rebuilds only when they differ (a key enabled or
disabled, the focused widget's keys, the palette key), and waits while its screen is covered:
Textual refreshes a screen's bindings when it is shown again.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A `Footer` that skips rebuilds that would show the same keys."""

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401  (Footer's own arguments)
        super().__init__(**kwargs)
        self._shown: tuple[object, ...] | None = None

    def _keys(self, screen: Screen) -> tuple[object, ...]:
        """What `compose` would show: each shown binding with its state, and the palette's."""
        keys = tuple(
            (binding, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )
        return (*keys, self.compact, self.show_command_palette)

    def bindings_changed(self, screen: Screen) -> None:
        if not screen.is_current:
            return  # covered: the screen's resume refreshes its bindings again
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = self._keys(screen)
            if keys == self._shown:
                return
            self._shown = keys
        super().bindings_changed(screen)
