"""Split a plain-text mail into the new text and the quoted / forwarded history below it.

Works on the output of text.clean_body (HTML blockquotes arrive as '> ' lines). Every pattern is
anchored and uses single bounded quantifiers, at most MAX_LINES lines are scanned, lines longer than
MAX_SCAN_LINE_CHARS are not given to the costly patterns, and the scan stops at the caller's deadline.
"""

import re
import time
from dataclasses import dataclass
from email.utils import parseaddr

MAX_LINES = 5_000
MAX_SCAN_LINE_CHARS = 1_000  # a quote marker is a short line: longer ones are prose or garbage
_DEADLINE_EVERY = 32  # lines between two looks at the clock
_WINDOW = 3  # an attribution line ("On ... wrote:") may be wrapped over up to three lines

# Attribution lines of Gmail, Apple Mail, Thunderbird and Outlook on the web, in seven languages.
_ATTRIBUTION_RES = (
    re.compile(r"^on\b.{0,400}?\bwrote\s?:?$", re.I),
    re.compile(r"^le\b.{0,400}?\ba [ée]crit\s?:?$", re.I),
    re.compile(r"^am\b.{0,400}?\bschrieb\b.{0,200}?:$", re.I),
    re.compile(r"^el\b.{0,400}?\bescribi[óo]\s?:?$", re.I),
    re.compile(r"^il\b.{0,400}?\bha scritto\s?:?$", re.I),
    re.compile(r"^op\b.{0,400}?\b(?:schreef\b.{0,200}?|het volgende geschreven\s?):$", re.I),
    re.compile(r"^em\b.{0,400}?\bescreveu\s?:?$", re.I),
)
# Bare "Jane Doe <jane@example.com> wrote:" directly above quoted lines: the verb is found at the
# end first, then an '@' is looked for before it (two lazy '.{1,200}?' around the '@' in one regex
# cost 200 x 200 steps on lines like "a@a@a@...").
_BARE_ATTRIBUTION_END_RE = re.compile(
    r"\b(?:wrote|a [ée]crit|schrieb|escribi[óo]|ha scritto|schreef|geschreven|escreveu)\s?:$", re.I
)
_ATTRIBUTION_WORD_RE = re.compile(
    r"wrote|[ée]crit|schrieb|escribi|scritto|schreef|geschreven|escreveu", re.I
)
_ATTRIBUTION_START_RE = re.compile(r"^(?:on|le|am|el|il|op|em)\s", re.I)
_MAX_ATTRIBUTION_CHARS = 700  # what the patterns above can match, over up to _WINDOW lines

_FORWARD_SEPARATOR_RE = re.compile(
    r"^[-_=*\s]{0,40}(?:forwarded message|begin forwarded message|message transf[ée]r[ée]"
    r"|d[ée]but du message (?:r[ée]exp[ée]di[ée]|transf[ée]r[ée])|weitergeleitete nachricht"
    r"|anfang der weitergeleiteten nachricht|mensaje reenviado|inicio del mensaje reenviado"
    r"|messaggio inoltrato|inizio messaggio inoltrato|doorgestuurd bericht"
    r"|begin doorgestuurd bericht|mensagem encaminhada|mensagem reencaminhada"
    r"|in[íi]cio da mensagem (?:re)?encaminhada"
    r"|forwarded by\b.{0,120}?)\s?:?[-_=*\s]{0,40}$",
    re.I,
)
_ORIGINAL_SEPARATOR_RE = re.compile(
    r"^[-_=*\s]{0,40}(?:original message|message d'origine|message original"
    r"|urspr[üu]ngliche nachricht|mensaje original|messaggio originale|messaggio originario"
    r"|oorspronkelijk bericht|origineel bericht|mensagem original)[-_=*\s]{0,40}$",
    re.I,
)
_UNDERSCORE_RULE_RE = re.compile(r"^[_\u2014\u2500-]{10,}$")
# Outlook's header block ("From: / Sent: / To: / Subject:") in the seven languages; longer labels
# first ("enviado el" before "enviado", "data" is Italian and Portuguese for "date").
_HEADER_RE = re.compile(
    r"^\*?(from|de|von|da|van|enviado el|enviada em|enviado em|sent|envoy[ée]|gesendet|enviado"
    r"|enviada|inviato|verzonden|verstuurd|date|datum|fecha|data|to|[àa]|an|para|aan|cc"
    r"|subject|objet|betreff|asunto|oggetto|onderwerp|assunto)\s?\*?:\*?\s?(.{0,300})$",
    re.I,
)
_FROM_LABELS = frozenset(("from", "de", "von", "da", "van"))
_FORWARD_SUBJECT_RE = re.compile(
    r"^\s*(?:(?:re|aw|sv|r|res|rif)\s?:\s?)*(?:fwd?|tr|wg|rv|enc|fw|i|inoltro|doorst)\s?:", re.I
)
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}")


@dataclass
class QuoteSplit:
    """new_text is what the sender wrote in this message; quoted_text is everything from the cut."""

    new_text: str
    quoted_text: str = ""
    has_quote: bool = False
    is_forward: bool = False
    forwarded_from_name: str = ""
    forwarded_from_email: str = ""
    timed_out: bool = False


def _header_block_at(lines, index):
    """True when lines[index] starts a 'From: / Sent: / To: / Subject:' block (any of 7 languages)."""
    match = _HEADER_RE.match(lines[index].strip())
    if not match or match.group(1).lower() not in _FROM_LABELS or not match.group(2).strip():
        return False
    labels = 0
    for line in lines[index + 1 : index + 8]:
        line = line.strip()
        if not line:
            continue
        if _HEADER_RE.match(line):
            labels += 1
        elif labels == 0:
            return False
    return labels >= 2


def _attribution_at(lines, index):
    """Number of lines the attribution starting at lines[index] spans (0 when none)."""
    first = lines[index].strip()
    if len(first) > 400:
        return 0
    if _ATTRIBUTION_START_RE.match(first) or "@" in first:
        joined = first
        for span in range(1, _WINDOW + 1):
            if len(joined) > _MAX_ATTRIBUTION_CHARS:
                break
            if _ATTRIBUTION_WORD_RE.search(joined) and (
                any(regex.match(joined) for regex in _ATTRIBUTION_RES) or _bare_attribution(joined)
            ):
                return span
            if index + span >= len(lines) or not lines[index + span].strip():
                break
            joined = f"{joined} {lines[index + span].strip()}"
    return 0


def _bare_attribution(line):
    """'Jane Doe <jane@example.com> wrote:': an '@' 1..200 characters before the verb, not first."""
    verb = _BARE_ATTRIBUTION_END_RE.search(line)
    if verb is None:
        return False
    start = verb.start()
    return "@" in line[max(1, start - 201) : max(1, start - 1)]


def _forwarded_sender(lines):
    """The 'From:' of the first header block in the quoted part, or the first address after a separator."""
    for line in lines[:40]:
        match = _HEADER_RE.match(line.strip())
        if match and match.group(1).lower() in _FROM_LABELS:
            value = match.group(2).replace("[mailto:", "<").replace("]", ">").strip("* ")
            name, address = parseaddr(value)
            if not address or "@" not in address:
                found = _EMAIL_RE.search(value)
                address = found.group(0) if found else ""
                name = value.split("<")[0].strip(" \"'") if found else value.strip(" \"'")
            return name.strip(" \"'"), address.lower()
    return "", ""


_WRAP_WIDTH = 60  # a quoted line this long may have been wrapped by the mailer, its tail unquoted


def _interleaved_answers(lines, index, min_runs=2):
    """End (exclusive) of the '>' run starting at index when the writer answers right below it
    (an interleaved reply: '> question' / 'answer' / '> question' / 'answer'), else None.

    Only short quoted lines count (a long one may have been wrapped, its tail losing the '>'), and
    only when the writer answers at least min_runs such runs (two for the first run of a mail, one
    once the reply is known to be interleaved)."""
    runs, position = 0, index
    while position < len(lines) and runs < 3:
        end = position
        while end < len(lines) and lines[end].strip().startswith(">"):
            end += 1
        if end == position:
            break
        if len(lines[end - 1].strip()) >= _WRAP_WIDTH:
            return None
        answer = lines[end].strip() if end < len(lines) else ""
        if not answer:
            break  # a blank line after the quote: a bottom quote, not an answer
        runs += 1
        position = end
        while (
            position < len(lines)
            and lines[position].strip()
            and not lines[position].strip().startswith(">")
        ):
            position += 1
        while position < len(lines) and not lines[position].strip():
            position += 1
    if runs < min_runs:
        return None
    end = index
    while end < len(lines) and lines[end].strip().startswith(">"):
        end += 1
    return end


def split_quotes(text, subject="", deadline=None):
    """Split text at the first quote marker: attribution, separator, header block or '>' line.

    deadline is a time.monotonic() value: past it the scan stops and the result says timed_out
    (with no cut: the whole text is then the new text).
    """
    text = text or ""
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
    cut, is_forward = None, bool(subject and _FORWARD_SUBJECT_RE.match(subject[:200]))
    inline = set()  # '>' lines of an interleaved reply, answered by the writer below them
    for index, raw in enumerate(lines):
        if index in inline:
            continue
        if deadline is not None and index % _DEADLINE_EVERY == 0 and time.monotonic() > deadline:
            return QuoteSplit(new_text=text.strip("\n"), is_forward=is_forward, timed_out=True)
        line = raw.strip()
        if not line:
            continue
        if line.startswith(">"):
            answered = _interleaved_answers(lines, index, 1 if inline else 2)
            if answered is None:
                cut = index
                break
            inline.update(range(index, answered))  # an inline answer follows: keep scanning
            continue
        if len(line) > MAX_SCAN_LINE_CHARS:
            continue
        if _FORWARD_SEPARATOR_RE.match(line[:300]):
            cut, is_forward = index, True
            break
        if _ORIGINAL_SEPARATOR_RE.match(line[:300]):
            cut = index
            break
        if (
            _UNDERSCORE_RULE_RE.match(line)
            and index + 1 < len(lines)
            and _header_block_at(lines, index + 1)
        ):
            cut = index
            break
        if _header_block_at(lines, index):
            cut = index
            break
        if _attribution_at(lines, index):
            cut = index
            break
    if cut is None and not inline:
        return QuoteSplit(new_text=text.strip("\n"), is_forward=is_forward)
    cut = len(lines) if cut is None else cut
    quoted = [lines[i] for i in sorted(inline)] + lines[cut:]
    result = QuoteSplit(
        new_text="\n".join(line for i, line in enumerate(lines[:cut]) if i not in inline).strip(
            "\n"
        ),
        quoted_text="\n".join(quoted).strip("\n"),
        has_quote=True,
        is_forward=is_forward,
    )
    if is_forward:
        result.forwarded_from_name, result.forwarded_from_email = _forwarded_sender(quoted)
    return result


def forwarded_body(split):
    """Text of the forwarded message itself (header block and separator removed), for forwards."""
    lines = split.quoted_text.split("\n")
    index = 0
    while index < len(lines) and index < 40:
        line = lines[index].strip()
        if not line or _FORWARD_SEPARATOR_RE.match(line[:300]) or _HEADER_RE.match(line):
            index += 1
            continue
        break
    return "\n".join(lines[index:]).strip("\n")
