"""Contact details read from what a mail gives: the sender's address and a signature's address.

Pure helpers of the capture side of the contact vocabulary (``engine/normalise.py`` holds the
rest): the model maps their output onto Odoo records."""

import re

from ..normalise import decode_domain
from .text import clean_display

_ADDRESS_PARTS_RE = re.compile(r"\s*[,\n|·]\s*")
_ZIP_CITY_RE = re.compile(
    r"^(?:(?P<zip>(?:[A-Z]{1,2}-)?\d{4,5}(?:-\d{3,4})?|\d{3}\s\d{2})\s+(?P<city>[^\d,]{2,40})"
    r"|(?P<city2>[^\d,]{2,40}?)\s+(?P<zip2>\d{4,5}|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}))$",
    re.I,
)


def raw_domain_of(email):
    """The domain as written in the address (punycode decoded, lower-cased, nothing folded): what
    tells our own domain from a full-width or look-alike spelling of it."""
    return decode_domain((email or "").rpartition("@")[2]) if "@" in (email or "") else ""


def name_from_email(email):
    """'ann.smith@acme.example' → 'Ann Smith' (a guess: only for contacts named after their address)."""
    local = (email or "").partition("@")[0]
    words = [w for w in re.split(r"[._\-+]+", local) if w.isalpha()]
    return clean_display(" ".join(w.capitalize() for w in words))[0] if len(words) >= 2 else ""


def address_parts(text):
    """The non-empty parts of a one-line or multi-line address, in order."""
    return [part.strip() for part in _ADDRESS_PARTS_RE.split(text or "") if part.strip()]


def split_address(parts):
    """Street, street2, zip and city from address parts (the country, if any, already taken off):
    '1 Main Street', 'London EC1A 1BB' → street '1 Main Street', zip 'EC1A 1BB', city 'London'."""
    values = {}
    for part in parts:
        match = _ZIP_CITY_RE.match(part)
        if match and "zip" not in values:
            values["zip"] = (match.group("zip") or match.group("zip2")).upper()
            values["city"] = (match.group("city") or match.group("city2")).strip()
        elif "street" not in values:
            values["street"] = part
        elif "street2" not in values:
            values["street2"] = part
    return values
