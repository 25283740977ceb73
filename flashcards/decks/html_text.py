"""Turn Anki's HTML fields into plain text a terminal can show.

Anki stores every field as HTML. We keep the words and the line structure, decode entities, and
drop everything else; `has_media` flags fields that refer to images or sounds, and
`media_placeholder` turns them into `[image: NAME]` / `[sound: NAME]` markers, which link a card
to the media the package carried (decks/media_names.py). A table
becomes rows of cells padded into columns; `<pre>` keeps its spaces and lines.
"""

from __future__ import annotations

import html
import re

from flashcards.decks.media_names import media_name_problem

_BREAK_TAGS = frozenset({"br"})
_BLOCK_TAGS = frozenset(
    {
        "div",
        "p",
        "li",
        "tr",
        "ul",
        "ol",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "hr",
        "dt",
        "dd",
    }
)
_SKIP_CONTENT_TAGS = frozenset({"script", "style", "head", "title"})
# The patterns below read untrusted text, so each is linear: no two adjacent repeats can trade
# characters (`\s*/?\s*` could, quadratically), and every run stops at the next `[` or `<`, so
# a later match attempt never rescans what an earlier one read (`[^>]*` rescanned to the end).
_SOUND_RE = re.compile(r"\[sound:[^\]\[]*\]")
_MEDIA_RE = re.compile(r"<\s*(img|audio|video|source|object|embed)\b|\[sound:[^\]\[]*\]", re.I)
_LOOKS_HTML_RE = re.compile(
    r"<\s*(?:/\s*)?(br|div|p|span|b|i|u|em|strong|font|img|li|ul|ol|sub|sup|table|tr|td|a|hr|code"
    r"|pre)\b[^<>]*>|&(nbsp|amp|lt|gt|quot|#\d+|#x[0-9a-f]+);",
    re.I,
)


_CHARREF_RE = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
"""html.unescape's own pattern: each `&` starts at most one run, so it is linear."""
_MAX_CHARREF_DIGITS = 8


def _charref(match: re.Match[str]) -> str:
    ref = match.group(0)
    if ref.startswith("&#") and len(ref.rstrip(";")) > _MAX_CHARREF_DIGITS + 3:
        return "\ufffd"  # far past U+10FFFF (html.unescape would fail on 4,300 digits)
    return html.unescape(ref)


def _unescape(data: str) -> str:
    """Decode entities as html.unescape does, but a 5,000-digit `&#...;` is not an error."""
    return _CHARREF_RE.sub(_charref, data) if "&" in data else data


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_RAW_TEXT_TAGS = frozenset({"script", "style"})
"""Their content is not HTML: skipped up to the matching end tag, unparsed."""
_WHITESPACE = " \t\r\n\f"


class _TextExtractor:
    """Collects text, turning block boundaries into newlines and HTML whitespace into spaces.

    A hand-written tokenizer rather than `html.parser`: that one re-scans the rest of the text
    at every `<` it cannot finish (a field of `<a<a<a...` took 28 s at 100 KB). Here each tag is
    read once, forward, and an unfinished one ends the scan, so the work is linear in the text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.parts: list[str] = []
        self._skip_depth = 0
        self._lower: str | None = None
        self.verbatim: list[str] = []  # blocks kept as they are: `<pre>` text, aligned tables
        self._pre_start: int | None = None  # where in `parts` the open `<pre>` began
        self._pre_depth = 0
        self._table: _Table | None = None
        self._table_depth = 0

    def run(self) -> list[str]:
        text, n, i = self.text, len(self.text), 0
        while i < n:
            lt = text.find("<", i)
            if lt < 0:
                self._data(text[i:])
                break
            if lt > i:
                self._data(text[i:lt])
            i = self._markup(lt)
        while self._pre_depth:  # a `<pre>` never closed keeps what it held
            self._end("pre")
        if self._table is not None:  # so does a table never closed
            self._table_depth = 1
            self._table_tag("table", end=True)
        return self.parts

    def _data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._pre_depth:
            self.parts.append(_unescape(data).replace("\r\n", "\n"))
        else:
            # HTML treats runs of whitespace, newlines included, as one space.
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", _unescape(data)))

    def _block(self, text: str) -> None:
        """Add a block whose spacing and lines are kept (`_assemble` leaves it alone)."""
        self.verbatim.append(text)
        self.parts += ["\x00", f"\x01{len(self.verbatim) - 1}\x01", "\x00"]

    def _since(self, start: int) -> str:
        """The text of `parts[start:]` (soft breaks as newlines, kept blocks expanded), removed
        from `parts`."""
        taken = self.parts[start:]
        del self.parts[start:]
        return _expand("".join(taken).replace("\x00", "\n"), self.verbatim)

    def _table_tag(self, tag: str, end: bool) -> bool:
        """Tables become aligned rows; True when `tag` was a table's and is handled."""
        if tag == "table":
            if not end:
                self._table_depth += 1
                if self._table_depth == 1:
                    self._table = _Table(len(self.parts))
                return self._table_depth == 1
            self._table_depth = max(0, self._table_depth - 1)
            table = self._table
            if self._table_depth or table is None:
                return False
            self._table = None
            table.end_cell(self)
            table.end_row()
            del self.parts[table.start :]
            self._block(table.render())
            return True
        if self._table is None or self._table_depth != 1 or tag not in ("tr", "td", "th"):
            return False
        if tag == "tr":
            self._table.end_cell(self)
            self._table.end_row()
        elif end:
            self._table.end_cell(self)
        else:
            self._table.start_cell(self)
        return True

    def _markup(self, lt: int) -> int:
        """Handle what starts at the `<` at `lt`; returns where the text continues."""
        text, n = self.text, len(self.text)
        i = lt
        nxt = text[i + 1 : i + 2]
        if text.startswith("<!--", i):
            close = text.find("-->", i + 4)
            return self._unfinished(i) if close < 0 else close + 3
        if nxt in ("!", "?"):
            close = text.find(">", i + 2)
            return self._unfinished(i) if close < 0 else close + 1
        end_tag = nxt == "/"
        name_start = i + 2 if end_tag else i + 1
        if not (
            text[name_start : name_start + 1].isascii()
            and text[name_start : name_start + 1].isalpha()
        ):
            if end_tag and text.startswith(">", name_start):
                return name_start + 1  # `</>` is nothing
            if end_tag:  # `</ x>`: a bogus comment
                close = text.find(">", name_start)
                return n if close < 0 else close + 1
            self._data("<")
            return i + 1
        j = name_start
        while j < n and text[j] not in _WHITESPACE and text[j] not in "/>\x00":
            j += 1
        tag = text[name_start:j].translate(_ASCII_LOWER)
        close = self._tag_end(j)
        if close < 0:
            return self._unfinished(i)
        if end_tag:
            self._end(tag)
        elif text[close - 1] == "/" and close - 1 >= j:
            self._start(tag, self_closing=True)
        else:
            self._start(tag, self_closing=False)
            if tag in _RAW_TEXT_TAGS:
                return self._skip_raw_text(tag, close + 1)
        return close + 1

    def _unfinished(self, i: int) -> int:
        """A tag or comment never closed: the rest is text, as `html.parser` leaves it."""
        self._data(self.text[i:])
        return len(self.text)

    def _tag_end(self, j: int) -> int:
        """The `>` ending a tag whose attributes start at `j` (quotes respected), or -1."""
        text, n = self.text, len(self.text)
        quote = ""
        while j < n:
            c = text[j]
            if quote:
                if c == quote:
                    quote = ""
            elif c in "\"'":
                quote = c
            elif c == ">":
                return j
            j += 1
        return -1

    def _skip_raw_text(self, tag: str, start: int) -> int:
        """Past a script or style element's content (and to its end tag), unparsed."""
        if self._lower is None:
            self._lower = self.text.translate(_ASCII_LOWER)
        close = self._lower.find(f"</{tag}", start)
        self._skip_depth += 1
        return len(self.text) if close < 0 else close

    def _start(self, tag: str, self_closing: bool) -> None:
        if self._table_tag(tag, end=False):
            return
        if tag == "pre" and not self_closing:
            self._pre_depth += 1
            if self._pre_depth == 1:
                self.parts.append("\x00")
                self._pre_start = len(self.parts)
            return
        if tag in _BREAK_TAGS:
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\x00")  # soft break: becomes a newline unless already at one
            if tag == "li" and not self_closing:
                self.parts.append("- ")
        elif tag in _SKIP_CONTENT_TAGS and not self_closing and tag not in _RAW_TEXT_TAGS:
            self._skip_depth += 1

    def _end(self, tag: str) -> None:
        if self._table_tag(tag, end=True):
            return
        if tag == "pre" and self._pre_depth:
            self._pre_depth -= 1
            if not self._pre_depth and self._pre_start is not None:
                text = self._since(self._pre_start).removeprefix("\n").rstrip("\n")
                self._pre_start = None
                self._block("\n".join(line.rstrip() for line in text.split("\n")))
            return
        if tag in _SKIP_CONTENT_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\x00")


MAX_TABLE_GROWTH = 4
"""An aligned table may be this many times its cells' text (plus 10,000 characters); past that
(one wide cell over thousands of rows) its cells are joined without padding, so output stays
linear in the input."""
_VERBATIM_RE = re.compile("\x01([0-9]+)\x01")


def _expand(text: str, verbatim: list[str]) -> str:
    """Put kept blocks back in place of their markers."""
    if "\x01" not in text:
        return text
    return _VERBATIM_RE.sub(lambda m: verbatim[int(m.group(1))], text)


class _Table:
    """The rows of the outermost table being read; nested tables' text joins their cell."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.cell_start: int | None = None

    def start_cell(self, extractor: _TextExtractor) -> None:
        self.end_cell(extractor)
        self.cell_start = len(extractor.parts)

    def end_cell(self, extractor: _TextExtractor) -> None:
        if self.cell_start is None:
            del extractor.parts[self.start :]  # text between cells, outside any: dropped
            return
        text = extractor._since(self.cell_start)
        self.cell_start = None
        cell = " ".join(" ".join(line.split()) for line in text.split("\n") if line.strip())
        if self.row is None:
            self.row = []
        self.row.append(cell)

    def end_row(self) -> None:
        if self.row:
            self.rows.append(self.row)
        self.row = None

    def render(self) -> str:
        """Rows of cells padded to their column's width, ` | ` between them."""
        if not self.rows:
            return ""
        columns = max(len(r) for r in self.rows)
        widths = [
            max((len(r[i]) for r in self.rows if i < len(r)), default=0) for i in range(columns)
        ]
        text_size = sum(len(c) for r in self.rows for c in r)
        if len(self.rows) * (sum(widths) + 3 * columns) > MAX_TABLE_GROWTH * text_size + 10_000:
            return "\n".join(" | ".join(r) for r in self.rows)
        return "\n".join(
            " | ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip() for r in self.rows
        )


def _assemble(parts: list[str], verbatim: list[str] | None = None) -> str:
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
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines).strip("\n"))
    return _expand(text, verbatim or [])


def html_to_text(s: str) -> str:
    """Readable text from an HTML field: breaks kept, tags and media dropped, entities decoded."""
    extractor = _TextExtractor(_SOUND_RE.sub("", s.replace("\x00", "").replace("\x01", "")))
    parts = extractor.run()
    return _assemble(parts, extractor.verbatim).strip("\n")


def has_media(s: str) -> bool:
    """Whether a field refers to an image, sound or video."""
    # The plain-text test first: most fields have neither, and a 100,000-row import asks twice
    # per row.
    return ("<" in s or "[sound:" in s) and bool(_MEDIA_RE.search(s))


_SRC_RE = re.compile(r"""\bsrc\s{0,20}=\s{0,20}["']?([^"'\s<>]{1,255})""", re.I)
_MAX_TAG_SCAN = 2000
"""How far past `<img` the `src` of a media tag is looked for: a bound, so `<img<img<img...`
(no `>` anywhere) stays linear."""


def _marker(kind: str, name: str) -> str:
    """`[kind: name]`, or `[kind]` when the name could act as a path (see decks/media_names)."""
    return f"[{kind}]" if media_name_problem(name) else f"[{kind}: {name}]"


def media_placeholder(s: str) -> str:
    """One line naming a field's images and sounds, e.g. `[image: a.png] [sound: b.mp3]`.

    It stands in for a question that is only media, so the card is not empty.
    """
    return " ".join(media_markers(s))


def media_markers(s: str) -> list[str]:
    """A field's images and sounds as markers, in order (at most 20)."""
    names: list[str] = []
    for match in _MEDIA_RE.finditer(s):
        token = match.group(0)
        if token.startswith("[sound:"):
            names.append(_marker("sound", token[7:-1].strip()))
            continue
        end = s.find(">", match.end(), match.end() + _MAX_TAG_SCAN)
        tag = s[match.end() : end if end >= 0 else match.end() + _MAX_TAG_SCAN]
        src = _SRC_RE.search(tag)
        kind = "image" if match.group(1).lower() == "img" else "media"
        names.append(_marker(kind, _unescape(src.group(1))) if src else f"[{kind}]")
        if len(names) >= 20:
            break
    return names


def looks_like_html(s: str) -> bool:
    """A cheap guess that a CSV field holds HTML (common tags or entities), not plain text."""
    return ("<" in s or "&" in s) and bool(_LOOKS_HTML_RE.search(s))
