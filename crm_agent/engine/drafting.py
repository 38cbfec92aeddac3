"""Deterministic drafts: the context a follow-up template is filled with, in the contact's language.

Pure Python. The Odoo layer renders a ``mail.template`` (one per play and language) with the
context built here: the greeting and the phrases in the contact's language, the action items of
the last meeting, the questions left open in their last mail, the salesperson's signature. The
same input always gives the same draft; nothing here calls a language model. An optional hook
(:class:`DraftRewriter`) may later polish a draft; it is off by default and nothing depends on it.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field

LANGUAGES = ("en", "fr", "de", "es")
DEFAULT_LANGUAGE = "en"
MAX_ITEMS = 5

PHRASES = {
    "en": {
        "greeting": "Hello {name},",
        "greeting_anonymous": "Hello,",
        "questions": "You asked:",
        "action_items": "As agreed in our last meeting:",
        "closing": "Best regards,",
    },
    "fr": {
        "greeting": "Bonjour {name},",
        "greeting_anonymous": "Bonjour,",
        "questions": "Vous nous avez demandé :",
        "action_items": "Comme convenu lors de notre dernière réunion :",
        "closing": "Bien cordialement,",
    },
    "de": {
        "greeting": "Guten Tag {name},",
        "greeting_anonymous": "Guten Tag,",
        "questions": "Sie haben gefragt:",
        "action_items": "Wie in unserem letzten Termin vereinbart:",
        "closing": "Mit freundlichen Grüßen",
    },
    "es": {
        "greeting": "Hola {name}:",
        "greeting_anonymous": "Hola:",
        "questions": "Nos preguntó:",
        "action_items": "Según lo acordado en nuestra última reunión:",
        "closing": "Un cordial saludo,",
    },
}

_SENTENCE = re.compile(r"[^.!?\n]*\?", re.UNICODE)
_ITEM = re.compile(
    r"^\s*(?:[-*•]\s+|\d+[.)]\s+|(?:todo|action|next step|à faire|aufgabe|acción)\s*:\s*)(.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED = re.compile(r"^\s*>.*$|^On .+ wrote:$|^Le .+ a écrit :$", re.MULTILINE)


def pick_language(lang: str | None) -> str:
    """``fr_BE`` → ``fr``; an unsupported or empty language falls back to English."""
    code = (lang or "").split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def open_questions(text: str | None, limit: int = MAX_ITEMS) -> list[str]:
    """The questions of a mail's own text (quoted history dropped), in order, without repeats."""
    text = _QUOTED.sub("", text or "")
    seen, found = set(), []
    for match in _SENTENCE.finditer(text):
        question = " ".join(match.group(0).split())
        if len(question) < 4 or question.lower() in seen:
            continue
        seen.add(question.lower())
        found.append(question)
        if len(found) >= limit:
            break
    return found


def action_items(text: str | None, limit: int = MAX_ITEMS) -> list[str]:
    """Bulleted, numbered or ``TODO:`` / ``Action:`` lines of meeting notes."""
    found = []
    for match in _ITEM.finditer(text or ""):
        item = " ".join(match.group(1).split())
        if item and item not in found:
            found.append(item)
        if len(found) >= limit:
            break
    return found


def first_name(name: str | None) -> str:
    """The first word of a person's name, or empty (a company name is never used as greeting)."""
    return (name or "").strip().split(" ")[0] if name else ""


@dataclass(frozen=True)
class DraftContext:
    language: str
    greeting: str
    questions: list = field(default_factory=list)
    action_items: list = field(default_factory=list)
    questions_intro: str = ""
    action_items_intro: str = ""
    closing: str = ""
    signature: str = ""
    deal: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def build_context(
    lang,
    contact_name,
    deal="",
    last_inbound_text="",
    meeting_notes="",
    signature="",
    is_company=False,
) -> DraftContext:
    """Everything a template needs, deterministic, in the contact's language."""
    language = pick_language(lang)
    phrases = PHRASES[language]
    name = "" if is_company else first_name(contact_name)
    greeting = phrases["greeting"].format(name=name) if name else phrases["greeting_anonymous"]
    return DraftContext(
        language=language,
        greeting=greeting,
        questions=open_questions(last_inbound_text),
        action_items=action_items(meeting_notes),
        questions_intro=phrases["questions"],
        action_items_intro=phrases["action_items"],
        closing=phrases["closing"],
        signature=signature or "",
        deal=deal or "",
    )


def html_to_text(body: str | None) -> str:
    """Plain text of an HTML body, one line per paragraph (for diffs and question extraction)."""
    text = re.sub(r"<\s*(br|/p|/li|/div|/h\d)\s*/?>", "\n", body or "", flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", "", text)
    lines = (" ".join(html.unescape(line).split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def describe_edit(draft: str, sent: str) -> dict:
    """What a person changed in a draft: the lines removed and added, and a similarity ratio."""
    before = html_to_text(draft).splitlines()
    after = html_to_text(sent).splitlines()
    removed, added = [], []
    for op in difflib.ndiff(before, after):
        if op.startswith("- "):
            removed.append(op[2:])
        elif op.startswith("+ "):
            added.append(op[2:])
    ratio = difflib.SequenceMatcher(None, "\n".join(before), "\n".join(after)).ratio()
    return {
        "edited": bool(removed or added),
        "removed": removed,
        "added": added,
        "similarity": round(ratio, 3),
    }


class DraftRewriter:
    """Optional hook to polish a draft with a language model: off by default, never required.

    An implementation gets the deterministic draft and its context and returns a new body (or
    the same). It must not reach the network at install time; the Odoo layer calls it only when
    an administrator configured one, and keeps the deterministic draft when it raises."""

    def rewrite(self, body: str, context: DraftContext) -> str:  # pragma: no cover - interface
        return body
