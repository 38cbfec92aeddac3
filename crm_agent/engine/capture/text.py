"""Normalise a mail body to bounded, clean plain text (HTML → text, unicode clean-up, size cap).

Everything downstream (quotes, signature, meeting) works on the text this module returns, so the
limits set here are what keeps the later regexes cheap: a capped total size and capped line lengths.
"""
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

DEFAULT_MAX_CHARS = 200_000
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
    if text.isascii() and "  " not in text and "\t" not in text and "\f" not in text and "\v" not in text:
        return text
    return _SPACE_RE.sub(" ", text)


@dataclass
class CleanText:
    """Plain text plus what was done to get it (so the caller can tell the user)."""

    text: str
    truncated: bool = False
    binary_removed: bool = False
    was_html: bool = False


class _TextExtractor(HTMLParser):
    """Collects visible text; lines inside <blockquote> are prefixed with '> ' (quoted history)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = [[0, []]]  # [quote_depth, parts]
        self.skip_depth = 0
        self.quote_depth = 0
        self.pre_depth = 0
        self.cell_index = 0

    def _newline(self):
        self.lines.append([self.quote_depth, []])

    def _write(self, text):
        line = self.lines[-1]
        if not line[1]:
            line[0] = self.quote_depth
        line[1].append(text)

    def handle_starttag(self, tag, attrs):
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

    def handle_startendtag(self, tag, attrs):
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
    """Visible text of an HTML fragment or document; never raises on malformed markup."""
    html = _DATA_URI_RE.sub(" ", html)
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser may still choke on exotic markup: keep what it read
        pass
    return parser.text()


# Invisible format characters (category Cf: zero-width, BOM, bidi overrides), removed via str.translate.
# The list matches unicodedata category Cf (checked by a test) without scanning all code points at import.
_FORMAT_RE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_GARBAGE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\ud800-\udfff\U000f0000-\U0010ffff]")
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


def clean_text(body, is_html=None, max_chars=DEFAULT_MAX_CHARS):
    """Return a CleanText for a raw body (str or bytes, HTML or plain; None gives empty text).

    is_html=None sniffs the body. The input is cut to max_chars (HTML to HTML_FACTOR times that)
    before any parsing, so the cost is bounded whatever arrives.
    """
    if body is None:
        return CleanText("")
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body[: max_chars * HTML_FACTOR * 4]).decode("utf-8", errors="replace")
    elif not isinstance(body, str):
        body = str(body)
    if is_html is None:
        head = body[:4096].lower()
        is_html = "<html" in head or "<div" in head or "<p" in head or "<br" in head or "<body" in head
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
    return CleanText(text, truncated=truncated, binary_removed=binary_removed, was_html=bool(is_html))
