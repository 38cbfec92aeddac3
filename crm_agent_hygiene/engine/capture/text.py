"""Normalise a mail body to bounded, clean plain text (HTML → text, unicode clean-up, size cap),
and clean the short display values (names, titles, companies) that capture writes on records.

Everything downstream (quotes, signature, meeting) works on the text this module returns, so the
limits set here are what keeps the later regexes cheap: a capped total size and capped line lengths.
HTML is read by a single left-to-right scan (no backtracking regex over the markup, and not
``html.parser``, whose tag regexes are quadratic on unterminated tags such as ``"<a " * N``).
"""

import re
import unicodedata
from dataclasses import dataclass
from html import unescape

# Only the first 100 000 characters of a body are read: a signature or minutes never need more.
DEFAULT_MAX_CHARS = 100_000
MAX_LINE_CHARS = 2_000
# Raw HTML is usually several times larger than its text: cap it separately, still bounded.
HTML_FACTOR = 3

_BLOCK_TAGS = frozenset(
    "p div br tr li ul ol table tbody thead tfoot h1 h2 h3 h4 h5 h6 hr pre address "
    "section article header footer dl dt dd center form fieldset".split()
)
_SKIP_TAGS = frozenset(("style", "script", "head", "title", "template", "noscript", "svg", "xml"))
_CELL_TAGS = frozenset(("td", "th"))
_VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
_SPACE_RE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES_RE = re.compile(r"\n{3,}")
_DATA_URI_RE = re.compile(r"data:[a-z/+.-]{1,40};base64,[A-Za-z0-9+/=]{40,}")


def _collapse_spaces(text):
    """_SPACE_RE.sub(" ", text), skipped when it cannot change anything (the regex is slow on long text)."""
    if (
        text.isascii()
        and "  " not in text
        and "\t" not in text
        and "\f" not in text
        and "\v" not in text
    ):
        return text
    return _SPACE_RE.sub(" ", text)


@dataclass
class CleanText:
    """Plain text plus what was done to get it (so the caller can tell the user)."""

    text: str
    truncated: bool = False
    binary_removed: bool = False
    was_html: bool = False


_TAG_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9:_-]{0,40}")
_TAG_SCAN_RE = re.compile(r"[>\"']")  # what ends a tag, or opens a quoted attribute value
_RAW_TEXT_TAGS = frozenset(("script", "style"))  # their content is not markup
_RAW_END_RES = {tag: re.compile("</" + tag, re.I) for tag in _RAW_TEXT_TAGS}


def _tag_end(html, pos):
    """Index of the '>' closing the tag whose attributes start at pos, or -1 when it is never closed.

    Quotes count only right after '=' (an attribute value), as browsers read them; every search
    starts where the previous one stopped, so a hostile tag costs one pass over it.
    """
    while True:
        found = _TAG_SCAN_RE.search(html, pos)
        if found is None:
            return -1
        char, at = found.group(0), found.start()
        if char == ">":
            return at
        if html[max(pos, at - 8) : at].rstrip().endswith("="):
            close = html.find(char, at + 1)
            if close < 0:
                return -1
            pos = close + 1
        else:
            pos = at + 1


def html_tokens(html):
    """Yield ``(kind, value)`` for an HTML string: ``("data", text)`` with entities decoded, and
    ``("start" | "end" | "startend", tag)`` with the tag name lower-cased.

    One pass, linear in the input whatever it holds: comments, declarations and processing
    instructions are skipped, an unterminated one (or an unterminated tag) ends the document.
    """
    size, pos = len(html), 0
    while pos < size:
        lt = html.find("<", pos)
        if lt < 0:
            yield "data", unescape(html[pos:])
            return
        if lt > pos:
            yield "data", unescape(html[pos:lt])
        if html.startswith("<!--", lt):
            end = html.find("-->", lt + 4)
            pos = size if end < 0 else end + 3
            continue
        closing = html.startswith("</", lt)
        name = _TAG_NAME_RE.match(html, lt + 2 if closing else lt + 1)
        if name is None:
            if closing or html.startswith(("<!", "<?"), lt):  # declaration, PI or bogus comment
                end = html.find(">", lt + 2)
                pos = size if end < 0 else end + 1
            else:
                yield "data", "<"  # a lone '<' is text
                pos = lt + 1
            continue
        tag = name.group(0).lower()
        end = _tag_end(html, name.end())
        if end < 0:
            return
        pos = end + 1
        if closing:
            yield "end", tag
        elif html[end - 1] == "/":
            yield "startend", tag
        else:
            yield "start", tag
            if tag in _RAW_TEXT_TAGS:
                found = _RAW_END_RES[tag].search(html, pos)
                if found is None:
                    return
                pos = found.start()


class _TextExtractor:
    """Collects visible text; lines inside <blockquote> are prefixed with '> ' (quoted history)."""

    def __init__(self):
        self.lines = [[0, []]]  # [quote_depth, parts]
        self.skip_depth = 0
        self.quote_depth = 0
        self.pre_depth = 0
        self.cell_index = 0

    def feed(self, html):
        handlers = {
            "data": self.handle_data,
            "start": self.handle_starttag,
            "end": self.handle_endtag,
            "startend": self.handle_startendtag,
        }
        for kind, value in html_tokens(html):
            handlers[kind](value)

    def _newline(self):
        self.lines.append([self.quote_depth, []])

    def _write(self, text):
        line = self.lines[-1]
        if not line[1]:
            line[0] = self.quote_depth
        line[1].append(text)

    def handle_starttag(self, tag):
        if tag in _SKIP_TAGS:
            if tag not in _VOID_TAGS:
                self.skip_depth += 1
            return
        if tag == "blockquote":
            self._newline()
            self.quote_depth += 1
            return
        if tag == "pre":
            self.pre_depth += 1
        if tag == "tr":
            self.cell_index = 0
        if tag in _CELL_TAGS:
            if self.cell_index:
                self._write(" | ")
            self.cell_index += 1
            return
        if tag in _BLOCK_TAGS:
            self._newline()
            if tag == "li":
                self._write("- ")

    def handle_startendtag(self, tag):
        if tag in ("br", "hr"):
            self._newline()

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "blockquote":
            self.quote_depth = max(0, self.quote_depth - 1)
            self._newline()
            return
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        if tag in _BLOCK_TAGS and tag != "br":
            self._newline()

    def handle_data(self, data):
        if self.skip_depth:
            return
        if "data:" in data:
            data = _DATA_URI_RE.sub(" ", data)
        if self.pre_depth:
            first, *rest = data.split("\n")
            self._write(first)
            for part in rest:
                self._newline()
                self._write(part)
            return
        data = _collapse_spaces(data.replace("\r", " ").replace("\n", " "))
        if data.strip() or (self.lines[-1][1] and data):
            self._write(data)

    def text(self):
        out = []
        for depth, parts in self.lines:
            line = "".join(parts).strip()
            if depth and line:
                line = "> " + line
            out.append(line)
        return "\n".join(out)


def html_to_text(html):
    """Visible text of an HTML fragment or document; never raises, linear in the input."""
    parser = _TextExtractor()
    parser.feed(html)
    return parser.text()


# Invisible format characters (category Cf: zero-width, BOM, bidi overrides), removed via str.translate.
# The list matches unicodedata category Cf (checked by a test) without scanning all code points at import.
_FORMAT_RE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_GARBAGE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\ud800-\udfff\U000f0000-\U0010ffff]"
)
# The ASCII part of _GARBAGE_RE: on ASCII lines it finds the same characters, much faster.
_ASCII_GARBAGE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _has_garbage(text):
    if _ASCII_GARBAGE_RE.search(text):
        return True
    return not text.isascii() and any(
        not line.isascii() and _GARBAGE_RE.search(line) for line in text.split("\n")
    )


def _is_garbage_char(ch):
    cat = unicodedata.category(ch)
    return (cat == "Cc" and ch not in "\n\t") or cat in ("Co", "Cs", "Cn") or ch == "\ufffd"


def _drop_binary(text):
    """Remove lines that are mostly non-text (binary attachments pasted into a body)."""
    if not _has_garbage(text):
        return text, False
    kept, removed = [], False
    for line in text.split("\n"):
        if len(line) >= 8:
            bad = len(_GARBAGE_RE.findall(line))
            if bad * 5 > len(line):  # more than 20 % garbage: not a line of prose
                removed = True
                continue
        kept.append(line)
    return "\n".join(kept), removed


def normalise_unicode(text):
    """NFKC (folds full-width letters, ligatures, exotic spaces) and drop invisible format characters.

    Format characters (category Cf) are zero-width spaces/joiners, BOMs and bidi overrides (U+202E...):
    they are used to disguise addresses and never carry meaning in a business signature.
    """
    if text.isascii():  # NFKC and format characters only concern non-ASCII text
        return _ASCII_GARBAGE_RE.sub("", text)
    # Line by line, so only non-ASCII lines pay for the slow regexes; "\n" never takes part in NFKC
    # composition, so normalising each line gives the same text as normalising the whole.
    ascii_garbage = _ASCII_GARBAGE_RE.search(text) is not None
    return "\n".join(
        (_ASCII_GARBAGE_RE.sub("", line) if ascii_garbage else line)
        if line.isascii()
        else _GARBAGE_RE.sub("", _FORMAT_RE.sub("", unicodedata.normalize("NFKC", line)))
        for line in text.split("\n")
    )


def clean_body(body, is_html=None, max_chars=DEFAULT_MAX_CHARS):
    """Return a CleanText for a raw body (str or bytes, HTML or plain; None gives empty text).

    is_html=None sniffs the body. The input is cut to max_chars (HTML to HTML_FACTOR times that)
    before any parsing, so the cost is bounded whatever arrives.
    """
    if body is None:
        return CleanText("")
    if isinstance(body, bytes | bytearray):
        body = bytes(body[: max_chars * HTML_FACTOR * 4]).decode("utf-8", errors="replace")
    elif not isinstance(body, str):
        body = str(body)
    if is_html is None:
        head = body[:4096].lower()
        is_html = (
            "<html" in head or "<div" in head or "<p" in head or "<br" in head or "<body" in head
        )
    truncated = False
    raw_cap = max_chars * HTML_FACTOR if is_html else max_chars
    if len(body) > raw_cap:
        body, truncated = body[:raw_cap], True
    text = html_to_text(body) if is_html else body
    text, binary_removed = _drop_binary(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = normalise_unicode(text)
    if len(text) > max_chars:
        text, truncated = text[:max_chars], True
    lines = []
    for line in text.split("\n"):
        line = _collapse_spaces(line).rstrip()
        if len(line) > MAX_LINE_CHARS:
            line, truncated = line[:MAX_LINE_CHARS], True
        lines.append(line)
    text = _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip("\n")
    return CleanText(
        text, truncated=truncated, binary_removed=binary_removed, was_html=bool(is_html)
    )


# --------------------------------------------------------------------------------------------
# Display values: what capture writes as a name, a job title, a company or a to-do

MAX_DISPLAY_CHARS = 128
_INVISIBLE_CATEGORIES = frozenset(("Cc", "Cf", "Co", "Cs", "Cn"))


def clean_display(value, max_chars=MAX_DISPLAY_CHARS):
    """``(value, "")`` ready to write, or ``("", reason)`` when it must be skipped.

    NFKC-folded; bidi controls (U+202A..U+202E, U+2066..U+2069), zero-width and every other control
    or format character (categories Cc, Cf, and unassigned/private/surrogate code points) removed;
    any run of whitespace (line breaks included) becomes one space. A value longer than max_chars
    once cleaned is skipped rather than cut: a name cut in the middle is a wrong name.
    """
    if value is None or value is False:
        return "", "empty"
    text = str(value)
    if len(text) > max_chars * 8:  # never normalise megabytes to find out they are too long
        return "", f"longer than {max_chars} characters ({len(text)})"
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
    )
    text = " ".join(text.split())
    if not text:
        return "", "empty once invisible characters are removed"
    if len(text) > max_chars:
        return "", f"longer than {max_chars} characters ({len(text)})"
    return text, ""
