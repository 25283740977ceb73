"""The images of the card under review, under its text.

`textual-image` draws each one with the best the terminal offers: Kitty's graphics protocol or
Sixel where supported, else Unicode half-blocks in colour, which work in any terminal. Its
widget module asks the terminal for its cell size when imported, which must happen before
Textual starts: this module is imported with the review screen, when the app is built.

Stored media that is not an image Pillow can read (damaged, or a sound named `.png`) is left
out, never an error: the card's text still shows its `[image: NAME]` marker.
"""

from __future__ import annotations

import io

from PIL import Image as PILImage
from textual.containers import Vertical
from textual_image.renderable import Image as BestRenderable
from textual_image.renderable import UnicodeImage
from textual_image.widget import HalfcellImage, Image

Picture = HalfcellImage if BestRenderable is UnicodeImage else Image
"""Kitty or Sixel where the terminal answers for them; else coloured half-blocks (textual-image
falls back to monochrome braille when not on a terminal, which shows shapes but no colours)."""

MAX_PIXELS = 40_000_000
"""Images larger than this are not drawn: a small file can claim a huge canvas."""


def _loaded(data: bytes) -> PILImage.Image | None:
    """The image, decoded, or None when Pillow cannot read it or it is too large."""
    try:
        with PILImage.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                return None
            image.load()
            return image.copy()
    except (OSError, ValueError, PILImage.DecompressionBombError, SyntaxError):
        return None


class CardMedia(Vertical, can_focus=False):
    """Holds one `Image` per picture of the card; hidden when the card has none."""

    def show(self, images: tuple[bytes, ...]) -> None:
        """Replace the pictures shown with these (an empty tuple hides the widget)."""
        self.remove_children()
        loaded = [image for image in map(_loaded, images) if image is not None]
        self.display = bool(loaded)
        self.mount_all(Picture(image, classes="card-image") for image in loaded)
