"""Mail and web domains compared as a reader sees them, and look-alikes of our own domains caught.

A domain arrives as typed in a From header or a website: upper-case, punycode (``xn--``), full-width
or with a trailing dot. ``normalise_domain`` gives one form for all of them (punycode decoded, NFKC,
case-folded). ``lookalike_of`` tells when a domain is not one of ours but reads like one: Cyrillic
or Greek letters standing in for Latin ones, accents, full-width letters, '0' for 'o', 'rn' for 'm'.
Such a sender is impersonating us and is never attached to any company.
"""

import unicodedata

# the one normal form of a domain is the hygiene's (duplicate keys, enrichment and capture alike)
from ...engine.normalise import decode_domain, normalise_domain

# Letters of other scripts drawn like Latin ones (the common part of Unicode's confusables list).
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i", "ј": "j", "к": "k",
        "ӏ": "l", "м": "m", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s", "т": "t", "ц": "u", "ԝ": "w",
        "х": "x", "у": "y", "ү": "y", "ѡ": "w", "ё": "e", "ї": "i", "є": "e", "ɡ": "g",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ϲ": "c", "ϳ": "j",
        # Armenian, Latin extensions and symbols
        "օ": "o", "ս": "u", "ց": "g", "հ": "h", "ı": "i", "ȷ": "j", "ł": "l", "ø": "o", "đ": "d",
        "ħ": "h", "ŀ": "l", "ſ": "s", "ǀ": "l", "ⅼ": "l",
        # dashes and dots
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-", "﹣": "-",
        "。": ".", "｡": ".", "．": ".", "․": ".",
    }
)  # fmt: skip
# ASCII sequences read as another one; applied after the script folding above.
_ASCII_LOOKALIKES = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"), ("|", "l"))


def same_domain(domain, other):
    """True when both name the same domain, or one is a subdomain of the other's registrable part."""
    domain, other = normalise_domain(domain), normalise_domain(other)
    if not domain or not other:
        return False
    return domain == other or domain.endswith("." + other) or other.endswith("." + domain)


def skeleton(domain):
    """What a reader sees: accents dropped, other scripts' look-alike letters and ASCII look-alike
    sequences folded, invisible characters removed."""
    text = unicodedata.normalize("NFKD", normalise_domain(domain))
    text = "".join(
        ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch)[0] != "C"
    )
    text = text.translate(_CONFUSABLES)
    for sequence, replacement in _ASCII_LOOKALIKES:
        text = text.replace(sequence, replacement)
    return text


def is_ours(domain, own_domains):
    """True when domain is one of own_domains or a subdomain of one, exactly as written (punycode
    decoded, case ignored): a full-width or look-alike spelling is not ours."""
    raw = decode_domain(domain)
    owns = {decode_domain(own) for own in own_domains if own}
    return bool(raw) and any(raw == own or raw.endswith("." + own) for own in owns)


def lookalike_of(domain, own_domains):
    """The own domain that domain imitates, or '' (also '' when it is one of ours).

    Imitating: not ours as written, but the same once normalised (full-width letters, NFKC) or read
    (``skeleton``), also as a subdomain: 'cаpture.test' (Cyrillic a), 'ＣＡＰＴＵＲＥ.test',
    'capture.tést', 'mail.capture.tést', 'c0mpany.example'."""
    if not domain or is_ours(domain, own_domains):
        return ""
    seen = skeleton(domain)
    if not seen:
        return ""
    for own in sorted({normalise_domain(own) for own in own_domains if own}):
        own_seen = skeleton(own)
        if own_seen and (seen == own_seen or seen.endswith("." + own_seen)):
            return own
    return ""
