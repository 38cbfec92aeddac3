"""Who an action item's owner is: the owner as written in meeting notes, resolved to an attendee.

resolve_owner("Frau Vogel", attendees, author) → Resolution(attendee, how). The attendee list (names
and e-mails from the meeting, plus the note's author) is the only place owners are looked up:
full names, first names, family names with an honorific ("Frau Vogel", "Mr Smith", "M. Dupont"),
"@luis" mentions, e-mail local parts ("luis.garcia", "lgarcia"), and the first-person pronouns of
seven languages (the note's author). "we"/"us" is the author when one is known. An owner that
matches nobody, or more than one attendee equally well, resolves to nobody (``attendee`` None).
"""

import re
from dataclasses import dataclass

from ..normalise import text_key

# First person singular: the note's author.
FIRST_PERSON = frozenset(
    "i i'll i’ll i'm me myself je j moi ich yo io ik eu mich mir me mí mi".split()
)
# First person plural: the author when known, else nobody.
FIRST_PERSON_PLURAL = frozenset(
    "we we'll we’ll us nous on wir uns nosotros nosotras noi wij we ons nós nos".split()
)
HONORIFICS = frozenset(
    (
        "mr mrs ms miss mx dr prof sir madam frau herr fr hr m mme mlle mm monsieur madame "
        "sr sra srta don dona doña senor señor senora señora sig sigra sig.ra signor signora dott "
        "dottssa ing avv dhr mevr mw heer mevrouw dra ra"
    ).split()
)
_LOCAL_SPLIT_RE = re.compile(r"[._+-]+")


@dataclass(frozen=True)
class Attendee:
    """Somebody at the meeting: ``ref`` is the caller's own identifier (a partner id in Odoo)."""

    name: str = ""
    email: str = ""
    ref: object = None


@dataclass(frozen=True)
class Resolution:
    """attendee is None when nobody matches; how says why ("full name", "first name", "author"...)."""

    attendee: Attendee | None
    how: str


def _tokens(value):
    return text_key(value).split()


class AttendeeIndex:
    """The attendee list prepared once per note: name, first-name, family-name and e-mail keys."""

    def __init__(self, attendees=(), author=None):
        self.author = author
        people = [a for a in attendees if a and (a.name or a.email)]
        if author and (author.name or author.email) and author not in people:
            people.append(author)
        self.attendees = people
        self._keys = {}  # key → set of attendees, per kind
        for person in people:
            tokens = [t for t in _tokens(person.name) if t not in HONORIFICS]
            if tokens:
                self._add("full", " ".join(tokens), person)
                self._add("first", tokens[0], person)
                self._add("last", tokens[-1], person)
                if len(tokens) > 2:  # "Ana María López García": also the first family name
                    self._add("last", tokens[-2], person)
                    self._add("full", f"{tokens[0]} {tokens[-1]}", person)
                    self._add("full", f"{tokens[0]} {tokens[-2]}", person)
                self._add("initials", "".join(t[0] for t in tokens), person)
            local = (person.email or "").split("@")[0].lower()
            if local:
                self._add("email", text_key(local).replace(" ", ""), person)
                parts = [p for p in _LOCAL_SPLIT_RE.split(local) if p]
                if parts and len(parts[0]) > 1:
                    self._add("email_first", parts[0], person)

    def _add(self, kind, key, person):
        if key:
            self._keys.setdefault(kind, {}).setdefault(key, set()).add(person)

    def _unique(self, kind, key):
        found = self._keys.get(kind, {}).get(key, ())
        return next(iter(found)) if len(found) == 1 else None

    def _ambiguous(self, kind, key):
        return len(self._keys.get(kind, {}).get(key, ())) > 1

    def is_known_first_word(self, word):
        """True when word alone (a first name, family name or mention) names exactly one attendee."""
        key = text_key(word.lstrip("@"))
        return bool(key) and any(
            self._unique(kind, key) for kind in ("first", "last", "email", "email_first")
        )

    def resolve(self, written):
        """Resolution for an owner as written in the notes."""
        raw = (written or "").strip().strip(" :,;-–—()[]")
        if not raw:
            return Resolution(None, "no owner")
        lowered = raw.lower()
        if lowered in FIRST_PERSON:
            if self.author:
                return Resolution(self.author, "author")
            return Resolution(None, "the author is unknown")
        if lowered in FIRST_PERSON_PLURAL:
            if self.author:
                return Resolution(self.author, "we: the author")
            return Resolution(None, "we: nobody in particular")
        raw = raw.lstrip("@")
        if "." in raw or "_" in raw:
            key = text_key(raw).replace(" ", "")
            person = self._unique("email", key)
            if person:
                return Resolution(person, "e-mail")
        tokens = _tokens(raw)
        honorific = False
        while len(tokens) > 1 and tokens[0] in HONORIFICS:  # "Sig.ra Rossi" is three tokens
            tokens, honorific = tokens[1:], True
        if not tokens:
            return Resolution(None, "not an attendee")
        key = " ".join(tokens)
        if len(tokens) > 1:
            person = self._unique("full", key)
            if person:
                return Resolution(person, "full name")
            if len(tokens) == 2 and len(tokens[1]) == 1:  # "Tom B."
                person = self._unique("first", tokens[0])
                if person and text_key(person.name).split()[-1].startswith(tokens[1]):
                    return Resolution(person, "first name and initial")
            return Resolution(None, "not an attendee")
        if honorific:
            person = self._unique("last", key)
            return Resolution(person, "family name") if person else Resolution(None, "ambiguous")
        for kind, how in (
            ("first", "first name"),
            ("last", "family name"),
            ("email_first", "e-mail"),
            ("email", "e-mail"),
        ):
            if self._ambiguous(kind, key):
                return Resolution(None, f"{how} shared by several attendees")
            person = self._unique(kind, key)
            if person:
                return Resolution(person, how)
        if len(key) in (2, 3) and raw.isupper():  # "JD" as initials
            person = self._unique("initials", key)
            if person:
                return Resolution(person, "initials")
        return Resolution(None, "not an attendee")


def resolve_owner(written, attendees=(), author=None):
    """Resolution of one owner against an attendee list (see AttendeeIndex for many)."""
    return AttendeeIndex(attendees, author).resolve(written)
