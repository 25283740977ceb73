"""Turn Anki's HTML fields into plain text a terminal can show.

Anki stores every field as HTML. We keep the words and the line structure, decode entities, and
drop everything else, including media: images and sounds are not imported, so `has_media` lets the
importer flag the cards that referred to them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BREAK_TAGS = frozenset({"br"})
_BLOCK_TAGS = frozenset(
    {"div", "p", "li", "tr", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
     "blockquote", "pre", "hr", "dt", "dd"}
)
_SKIP_CONTENT_TAGS = frozenset({"script", "style", "head", "title"})
_SOUND_RE = re.compile(r"\[sound:[^\]]*\]")
_MEDIA_RE = re.compile(r"<\s*(img|audio|video|source|object|embed)\b|\[sound:[^\]]*\]", re.I)
_LOOKS_HTML_RE = re.compile(
    r"<\s*/?\s*(br|div|p|span|b|i|u|em|strong|font|img|li|ul|ol|sub|sup|table|tr|td|a|hr|code|pre)"
    r"\b[^>]*>|&(nbsp|amp|lt|gt|quot|#\d+|#x[0-9a-f]+);",
    re.I,
)


class _TextExtractor(HTMLParser):
    """Collects text, turning block boundaries into newlines and HTML whitespace into spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def _newline(self) -> None:
        self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_CONTENT_TAGS:
            self._skip_depth += 1
        elif tag in _BREAK_TAGS:
            self._newline()
        elif tag in _BLOCK_TAGS:
            self.parts.append("\x00")  # soft break: becomes a newline unless already at one
            if tag == "li":
                self.parts.append("- ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAK_TAGS:
            self._newline()
        elif tag in _BLOCK_TAGS:
            self.parts.append("\x00")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_CONTENT_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\x00")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            # HTML treats runs of whitespace, newlines included, as one space.
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def _assemble(parts: list[str]) -> str:
    """Join parts, resolving soft breaks so blocks never stack up empty lines."""
    out: list[str] = []
    for part in parts:
        if part == "\x00":
            if out and not "".join(out[-1:]).endswith("\n"):
                out.append("\n")
        else:
            out.append(part)
    joined = "".join(out).replace("\xa0", " ")  # &nbsp; reads as an ordinary space
    lines = [re.sub(" {2,}", " ", line.strip()) for line in joined.split("\n")]
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def html_to_text(s: str) -> str:
    """Readable text from an HTML field: breaks kept, tags and media dropped, entities decoded."""
    parser = _TextExtractor()
    parser.feed(_SOUND_RE.sub("", s.replace("\x00", "")))
    parser.close()
    return _assemble(parser.parts).strip()


def has_media(s: str) -> bool:
    """Whether a field refers to an image, sound or video, which we do not import."""
    # The plain-text test first: most fields have neither, and a 100,000-row import asks twice
    # per row.
    return ("<" in s or "[sound:" in s) and bool(_MEDIA_RE.search(s))


def looks_like_html(s: str) -> bool:
    """A cheap guess that a CSV field holds HTML (common tags or entities), not plain text."""
    return ("<" in s or "&" in s) and bool(_LOOKS_HTML_RE.search(s))
