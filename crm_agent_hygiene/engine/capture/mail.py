"""Facade for incoming mail: clean text, quoted history, signature fields, auto-reply and bounce checks."""

import re
import time
from dataclasses import dataclass, field

from .quotes import QuoteSplit, forwarded_body, split_quotes
from .signature import PROPOSE_CONFIDENCE, WRITE_CONFIDENCE, Signature, extract_signature
from .text import DEFAULT_MAX_CHARS, clean_body

__all__ = [
    "ParsedMail",
    "parse_mail",
    "is_auto_reply",
    "is_bounce",
    "WRITE_CONFIDENCE",
    "PROPOSE_CONFIDENCE",
]

DEFAULT_MAX_SECONDS = 1.0


@dataclass
class ParsedMail:
    """What a mail says, ready for the CRM.

    text: the sender's new text (quoted history and the signature's noise removed, signature kept);
    signature: contact fields with confidences (see signature.WRITE_CONFIDENCE / PROPOSE_CONFIDENCE);
    forwarded_signature: for a forward, the fields of the original sender's signature, when found.
    """

    text: str = ""
    has_quote: bool = False
    is_forward: bool = False
    forwarded_from_name: str = ""
    forwarded_from_email: str = ""
    signature: Signature = field(default_factory=Signature)
    forwarded_signature: Signature | None = None
    truncated: bool = False
    binary_removed: bool = False
    timed_out: bool = False
    quoted_text: str = ""


def parse_mail(
    body,
    is_html=None,
    from_name="",
    from_email="",
    default_region=None,
    max_seconds=DEFAULT_MAX_SECONDS,
    subject="",
    max_chars=DEFAULT_MAX_CHARS,
):
    """Parse one mail body. Never raises on bad input; every stage after the (linear, capped) text
    clean-up runs against one deadline, max_seconds from the start: past it, the stages still to run
    are skipped and the result says timed_out (with no signature: nothing is read from half a mail).

    default_region is an ISO country code (e.g. the company's country) used to read national phone
    numbers; without it the region is guessed from the mail domain and the signature's language.
    """
    deadline = time.monotonic() + max_seconds
    cleaned = clean_body(body, is_html=is_html, max_chars=max_chars)
    result = ParsedMail(truncated=cleaned.truncated, binary_removed=cleaned.binary_removed)
    if time.monotonic() > deadline:
        result.timed_out = True
        return result
    split = split_quotes(cleaned.text, subject=subject or "", deadline=deadline)
    result.text = split.new_text
    result.has_quote = split.has_quote
    result.is_forward = split.is_forward
    result.forwarded_from_name = split.forwarded_from_name
    result.forwarded_from_email = split.forwarded_from_email
    result.quoted_text = split.quoted_text
    if split.timed_out or time.monotonic() > deadline:
        result.timed_out = True
        return result
    result.signature = extract_signature(
        split.new_text, from_name, from_email, default_region, deadline=deadline
    )
    if split.is_forward and split.forwarded_from_email and time.monotonic() <= deadline:
        result.forwarded_signature = _forwarded_signature(split, default_region, deadline)
    result.timed_out = time.monotonic() > deadline
    return result


def _forwarded_signature(split: QuoteSplit, default_region, deadline):
    original = split_quotes(forwarded_body(split), deadline=deadline)
    if original.timed_out:
        return None
    return extract_signature(
        original.new_text,
        split.forwarded_from_name,
        split.forwarded_from_email,
        default_region,
        deadline=deadline,
    )


# --------------------------------------------------------------------------------------------
# Auto-replies and bounces

_AUTO_SUBJECT_RE = re.compile(
    r"^\s*(?:\[?(?:auto(?:matic)?[- ]?(?:reply|response|antwort)|out of (?:the )?office|ooo\b|"
    r"away from (?:the )?office|on vacation|on leave|autoreply|"
    r"réponse automatique|reponse automatique|absence du bureau|absent(?:e)? du bureau|message d'absence|"
    r"abwesenheitsnotiz|automatische antwort|abwesend|nicht im büro|"
    r"respuesta automática|respuesta automatica|fuera de la oficina|ausente))",
    re.I,
)
_AUTO_BODY_RE = re.compile(
    r"(?:i am (?:currently )?out of (?:the )?office|i'm (?:currently )?out of (?:the )?office|"
    r"je suis absent(?:e)? du bureau|ich bin (?:derzeit |zurzeit )?nicht im büro|"
    r"estaré fuera de la oficina|this is an automatic reply|ceci est une réponse automatique|"
    r"dies ist eine automatische antwort|esta es una respuesta automática)",
    re.I,
)
_BOUNCE_SENDER_RE = re.compile(
    r"^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon|bounces?|nobody-bounce)@", re.I
)
_BOUNCE_SUBJECT_RE = re.compile(
    r"^\s*(?:undeliver(?:able|ed)|delivery status notification|returned mail|mail delivery (?:failed|failure)|"
    r"delivery (?:has )?failed|failure notice|non remis|non distribuable|unzustellbar|"
    r"nicht zustellbar|no se puede entregar|no entregado)",
    re.I,
)


def _header(headers, name):
    """Case-insensitive header lookup returning a lower-cased string ('' when missing)."""
    if not headers:
        return ""
    wanted = name.lower()
    for key, value in headers.items():
        if str(key).lower() == wanted:
            return str(value or "")[:500].strip().lower()
    return ""


def is_auto_reply(headers, subject="", body=""):
    """True for out-of-office and other automatic replies (RFC 3834 headers first, then wording)."""
    auto_submitted = _header(headers, "Auto-Submitted")
    if auto_submitted and auto_submitted != "no":
        return True
    if (
        _header(headers, "X-Autoreply")
        or _header(headers, "X-Autorespond")
        or _header(headers, "X-Auto-Response-Suppress") in ("all", "oof")
    ):
        return True
    if _header(headers, "Precedence") in ("bulk", "auto_reply", "list", "junk"):
        return True
    if "auto" in _header(headers, "X-Mailer") and "reply" in _header(headers, "X-Mailer"):
        return True
    if subject and _AUTO_SUBJECT_RE.match(subject[:200]):
        return True
    return bool(body) and bool(_AUTO_BODY_RE.search((body or "")[:2000]))


def is_bounce(headers, from_email="", subject=""):
    """True for delivery status notifications (mailer-daemon, multipart/report, DSN subjects)."""
    if from_email and _BOUNCE_SENDER_RE.match(from_email.strip()):
        return True
    content_type = _header(headers, "Content-Type")
    if content_type.startswith("multipart/report") and "delivery-status" in content_type:
        return True
    if content_type.startswith("multipart/report") or _header(headers, "X-Failed-Recipients"):
        return True
    return bool(subject) and bool(_BOUNCE_SUBJECT_RE.match(subject[:200]))
