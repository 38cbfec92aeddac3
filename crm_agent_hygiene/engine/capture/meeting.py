"""Meeting notes → a short summary and action items (owner, what, due date). Deterministic, offline.

Action items come from, in order of confidence: lines in an "Action items / Next steps / To do"
section (any of EN/FR/DE/ES), lines marked "AI:", "TODO:", "Action:", and commitment sentences
elsewhere ("John will send the proposal by Friday", "Marie va envoyer le devis", "Jonas schickt...").

An optional `extractor` callable (e.g. a language model) may be passed; see parse_meeting.
"""

import re
import time
from dataclasses import dataclass, field
from datetime import date

from .due_dates import find_due
from .text import clean_body, clean_display

MAX_LINES = 2_000
MAX_ITEMS = 100
MAX_WHAT_CHARS = 300
MAX_SCAN_LINE_CHARS = 1_000  # longer lines are prose or garbage: never read as action items
DEFAULT_SUMMARY_CHARS = 400

_ACTION_HEADERS = (
    r"action items?|actions?|next steps?|to[- ]?dos?|follow[- ]ups?|tasks|open items|action points|ais|"
    r"prochaines? étapes?|prochaines? etapes?|actions? à mener|à faire|a faire|suites? à donner|tâches|"
    r"nächste schritte|naechste schritte|aufgaben|to-?do-?liste|maßnahmen|massnahmen|offene punkte|"
    r"próximos pasos|proximos pasos|siguientes pasos|tareas|acciones|pendientes"
)
_SUMMARY_HEADERS = (
    r"summary|tl;?dr|overview|key points|highlights|notes|meeting notes|résumé|resume|synthèse|"
    r"compte[- ]rendu|zusammenfassung|kurzfassung|notizen|resumen|notas|puntos clave|"
    r"discussion|discussion points|décisions|decisions|entscheidungen|decisiones"
)
_HEADER_RE = re.compile(
    r"^(?:#{1,4}\s?|\*\*|__)?(?P<h>[^\W\d][\w '’;/&().-]{0,40}?)(?:\*\*|__)?\s?:?\s?(?:\*\*)?$"
)
_ACTION_HEADER_RE = re.compile(r"^(?:" + _ACTION_HEADERS + r")$", re.I)
_SUMMARY_HEADER_RE = re.compile(r"^(?:" + _SUMMARY_HEADERS + r")$", re.I)
_BULLET_RE = re.compile(
    r"^(?:[-*•·▪◦>]|\d{1,2}[.)]|[a-z][.)]|\[\s?[xX ]?\s?\])\s?(?:\[\s?[xX ]?\s?\]\s?)?"
)
_MARKER_RE = re.compile(
    r"^(?:ai|a\.i\.|todo|to-do|action|action item|ação|aktion|acción|accion)\s?[:\-]\s?", re.I
)
_OWNER_FIELD_RE = re.compile(
    r"[\(\[]?\b(?:owner|responsable|verantwortlich|verantwortlicher|responsable|assigned to|who|qui|wer|quién|"
    r"quien)\s?:\s?(?P<owner>[@\w][\w .'’-]{0,40}?)\s?(?:[\)\]]|[,;]|$)",
    re.I,
)
_DUE_FIELD_RE = re.compile(
    r"[\(\[,;]?\s?\b(?:due|deadline|échéance|echeance|fällig|frist|plazo|fecha límite|"
    r"date limite)\s?:?\s",
    re.I,
)
_MENTION_RE = re.compile(r"(?<![\w.])@(?P<owner>[^\W\d_][\w.-]{0,30})")
_NAME = r"[A-ZÀ-Ý][a-zà-ÿß'’-]{1,20}(?:\s[A-ZÀ-Ý][a-zà-ÿß'’-]{1,20}|\s[A-Z]\.)?"
_PRONOUNS = {
    "i": "I",
    "i'll": "I",
    "i’ll": "I",
    "je": "I",
    "j'": "I",
    "ich": "I",
    "yo": "I",
    "we": "we",
    "we'll": "we",
    "we’ll": "we",
    "nous": "we",
    "on": "we",
    "wir": "we",
    "nosotros": "we",
    "nosotras": "we",
}
# Owner + modal/commitment verb at the start of a line or sentence: "Anna will", "Tom to", "Jonas wird".
_COMMIT_RE = re.compile(
    r"^(?P<owner>"
    + _NAME
    + r"|I|We|we|i|Je|Nous|nous|On|Ich|Wir|Yo|Nosotros|"
    + r"@[^\W\d_][\w.-]{0,30})"
    r"\s(?P<verb>will|'ll|shall|to|needs to|need to|has to|have to|must|should|is going to|are going to|"
    r"offered to|promised to|is to|will take|"
    r"va|vais|allons|doit|dois|devons|devra|s'occupe de|m'occupe de|nous occupons de|se charge de|me charge de|"
    r"enverra|prépare|préparera|relance|relancera|"
    r"wird|werde|werden|soll|sollte|muss|müssen|kümmert sich um|kümmere mich um|übernimmt|schickt|"
    r"va a|vamos a|voy a|debe|debemos|se encarga de|se encargará de|me encargo de|enviará|preparará)\b\s?"
    r"(?P<what>.{3,300})$"
)
_CONTRACTION_RE = re.compile(r"^(?P<owner>I|We|we|i)(?P<verb>['’]ll)\s(?P<what>.{3,300})$")
_OWNER_PREFIX_RE = re.compile(
    r"^(?P<owner>" + _NAME + r"|@[^\W\d_][\w.-]{0,30})\s?(?::|–|—|-|\|)\s(?P<what>.{3,300})$"
)
_OWNER_SUFFIX_RE = re.compile(
    r"^(?P<what>.{3,300}?)\s?(?:[\(\[]|–\s|—\s|-\s)(?P<owner>" + _NAME + r")[\)\]]?\s?$"
)
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s(?=[A-ZÀ-Ý@])")
_NOT_OWNERS = frozenset(
    "the this that it there he she they you everyone all team next then also please note notes "
    "summary action actions todo due owner le la les il elle ils der die das es sie el los ellas ellos "
    "pricing budget meeting call client customer contract proposal demo".split()
)
_DUE_PREFIX_RE = re.compile(
    r"\s?(?:\b(?:by|before|on|until|no later than|due|for|avant|d'ici|pour|le|au plus tard|jusqu'à|jusqu'au|"
    r"bis|bis zum|bis spätestens|am|spätestens|vor|antes del|antes de|para el|para|el|hasta el|a más tardar)"
    r"\s?){0,2}$",
    re.I,
)


@dataclass(frozen=True)
class ActionItem:
    """owner is a name as written, "I" or "we", or "" when none is stated; due is None when not stated."""

    what: str
    owner: str = ""
    due: date | None = None
    due_text: str = ""
    confidence: float = 0.0
    source: str = ""  # "section", "marker", "sentence" or "extractor"


@dataclass
class MeetingNotes:
    summary: str = ""
    action_items: list = field(default_factory=list)
    truncated: bool = False
    timed_out: bool = False
    extractor_used: bool = False


def _strip_bullet(line):
    return _BULLET_RE.sub("", line, count=1).strip()


def _header_kind(line):
    """'action', 'summary', 'other' for a heading line, None for an ordinary line."""
    stripped = line.strip()
    if (
        not stripped
        or len(stripped) > 50
        or (_BULLET_RE.match(stripped) and not stripped.startswith("**"))
    ):
        return None
    match = _HEADER_RE.match(stripped)
    if not match:
        return None
    heading = match.group("h").strip(" :*#_").lower()
    is_heading = (
        stripped.endswith(":") or stripped.startswith(("#", "**", "__")) or stripped.isupper()
    )
    if _ACTION_HEADER_RE.match(heading):
        return "action"
    if _SUMMARY_HEADER_RE.match(heading):
        return "summary"
    return "other" if is_heading else None


def _clean_what(text):
    text = text.strip(" .;,:-–—")
    text = re.sub(r"\s{2,}", " ", text)
    return text[:1].upper() + text[1:] if text else text


def _owner_ok(owner):
    lowered = owner.lower().strip("@")
    return bool(owner) and lowered not in _NOT_OWNERS


def _normalise_owner(owner):
    owner = owner.strip(" :,-")
    return _PRONOUNS.get(owner.lower(), owner)


def _take_due(text, reference, dayfirst):
    """(text without the due phrase, due date, due phrase)."""
    field_match = _DUE_FIELD_RE.search(text)
    if field_match:
        due, span = find_due(text[field_match.end() :], reference, dayfirst)
        if due:
            phrase = text[field_match.end() + span[0] : field_match.end() + span[1]]
            return (
                (text[: field_match.start()] + text[field_match.end() + span[1] :]).strip(" )]"),
                due,
                phrase,
            )
    due, span = find_due(text, reference, dayfirst)
    if not due:
        return text, None, ""
    before = _DUE_PREFIX_RE.sub("", text[: span[0]]).rstrip(" ([,;")
    return (before + " " + text[span[1] :]).strip(" ,;)"), due, text[span[0] : span[1]]


def _parse_item(text, reference, dayfirst, source, confidence):
    """One action line → ActionItem, or None when it carries no task."""
    text = _strip_bullet(_MARKER_RE.sub("", text.strip()).strip())
    if len(text) < 4:
        return None
    owner = ""
    owner_match = _OWNER_FIELD_RE.search(text)
    if owner_match:
        owner = owner_match.group("owner")
        text = (text[: owner_match.start()] + " " + text[owner_match.end() :]).strip()
    if "|" in text:  # a table row: owner | task | due, in some order
        cells = [c.strip() for c in text.split("|") if c.strip()]
        for cell in cells:
            if not owner and re.fullmatch(_NAME + r"|@\w+", cell) and _owner_ok(cell):
                owner = cell
        cells = [c for c in cells if c != owner]
        text = " ".join(cells)
    text, due, due_text = _take_due(text, reference, dayfirst)
    if not owner:
        for regex in (_CONTRACTION_RE, _COMMIT_RE, _OWNER_PREFIX_RE):
            match = regex.match(text)
            if match and _owner_ok(match.group("owner")):
                owner, text = match.group("owner"), match.group("what")
                break
        else:
            mention = _MENTION_RE.search(text)
            if mention:
                owner = mention.group("owner")
                text = (text[: mention.start()] + text[mention.end() :]).strip()
            else:
                match = _OWNER_SUFFIX_RE.match(text)
                if match and _owner_ok(match.group("owner")):
                    owner, text = match.group("owner"), match.group("what")
    return _item(_clean_what(text), owner.lstrip("@"), due, due_text, confidence, source)


def _item(what, owner, due, due_text, confidence, source):
    """An ActionItem whose task and owner are clean display values (see text.clean_display), or None."""
    what = clean_display(what, MAX_WHAT_CHARS)[0]
    if len(what) < 3:
        return None
    owner = clean_display(owner)[0]
    return ActionItem(
        what=what,
        owner=_normalise_owner(owner),
        due=due,
        due_text=due_text,
        confidence=confidence,
        source=source,
    )


def _summary(sections, free_lines, max_chars):
    lines = sections or free_lines
    text = " ".join(_strip_bullet(line) for line in lines if line.strip())
    sentences = _SENTENCE_SPLIT_RE.split(text)
    out = ""
    for sentence in sentences:
        candidate = f"{out} {sentence}".strip()
        if len(candidate) > max_chars:
            break
        out = candidate
    if not out and text:
        out = text[: max_chars - 1].rsplit(" ", 1)[0] + "…"
    return out


def parse_meeting(
    notes,
    reference_date,
    is_html=None,
    extractor=None,
    dayfirst=True,
    max_summary_chars=DEFAULT_SUMMARY_CHARS,
    max_seconds=1.0,
):
    """Summarise meeting notes and list their action items.

    reference_date: the meeting date, against which "Friday" or "next week" resolve.
    extractor: optional callable(text, reference_date) → iterable of dicts with keys
        "what", "owner", "due" (a date or None). When it returns items they are used (source
        "extractor", confidence 0.7); when it raises or returns None the deterministic items stand.
    """
    started = time.monotonic()
    cleaned = clean_body(notes, is_html=is_html)
    lines = cleaned.text.split("\n")[:MAX_LINES]
    result = MeetingNotes(truncated=cleaned.truncated or len(lines) == MAX_LINES)
    section = None
    summary_lines, free_lines, items, seen = [], [], [], set()

    def add(item):
        if item is None or len(items) >= MAX_ITEMS:
            return
        key = (item.owner.lower(), item.what.lower())
        if key not in seen:
            seen.add(key)
            items.append(item)

    for line in lines:
        if time.monotonic() - started > max_seconds:
            result.timed_out = True
            break
        stripped = line.strip()
        if not stripped:
            continue
        if len(stripped) > MAX_SCAN_LINE_CHARS:  # summary text at most, never the costly patterns
            (summary_lines if section == "summary" else free_lines).append(stripped)
            continue
        kind = _header_kind(stripped)
        if kind is None:
            # "Next steps: send the deck" – a heading with its content on the same line
            head, sep, tail = stripped.partition(":")
            if sep and tail.strip() and _ACTION_HEADER_RE.match(head.strip(" *#").lower()):
                add(_parse_item(tail, reference_date, dayfirst, "section", 0.9))
                continue
        if kind:
            section = kind
            continue
        body = _strip_bullet(stripped)
        if section == "action":
            add(_parse_item(body, reference_date, dayfirst, "section", 0.9))
            continue
        if _MARKER_RE.match(body):
            add(_parse_item(body, reference_date, dayfirst, "marker", 0.9))
            continue
        if section == "summary":
            summary_lines.append(stripped)
        else:
            free_lines.append(stripped)
        for sentence in _SENTENCE_SPLIT_RE.split(body)[:20]:
            if _COMMIT_RE.match(sentence) or _CONTRACTION_RE.match(sentence):
                item = _parse_item(sentence, reference_date, dayfirst, "sentence", 0.75)
                if item and item.owner:
                    add(item)
    result.summary = _summary(summary_lines, free_lines, max_summary_chars)
    result.action_items = items
    if extractor is not None and not result.timed_out:
        try:
            proposed = extractor(cleaned.text, reference_date)
        except Exception:  # noqa: BLE001 - an optional model must never break the deterministic path
            proposed = None
        if proposed:
            extracted = (
                _item(
                    str(p.get("what", ""))[:MAX_WHAT_CHARS],
                    str(p.get("owner") or ""),
                    p.get("due") if isinstance(p.get("due"), date) else None,
                    "",
                    0.7,
                    "extractor",
                )
                for p in list(proposed)[:MAX_ITEMS]
                if isinstance(p, dict) and p.get("what")
            )
            result.action_items = [item for item in extracted if item is not None]
            result.extractor_used = True
    return result
