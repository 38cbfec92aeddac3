"""Normalise stage: turn raw CRM field values into clean display values and matching keys.

Every public function accepts anything (None, numbers, bytes, huge or hostile strings) and never raises:
bad input comes back flagged with a human-readable ``reason``, and the original value is always kept.
Display values are only ever cleaned (spacing, case); accents and punctuation are stripped in keys only.
"""

import codecs
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import attrgetter
from urllib.parse import urlsplit

import phonenumbers

from .public_suffix import registrable_domain

#: Longest input we look at; anything longer is flagged instead of being processed.
MAX_FIELD_LENGTH = 512

#: Free-mail providers: an address there says nothing about the company a person works for. The
#: one list of the addon (duplicate keys, enrichment and auto-capture): ask ``is_free_mail``.
#: Exact domains; the provider families in ``FREE_MAIL_PROVIDERS`` match on any country suffix.
FREE_MAIL_DOMAINS = frozenset(
    """
    gmail.com googlemail.com aol.com aol.fr aol.de aim.com msn.com me.com mac.com icloud.com
    web.de t-online.de freenet.de arcor.de orange.fr wanadoo.fr free.fr laposte.net sfr.fr
    neuf.fr club-internet.fr bbox.fr numericable.fr alice.it libero.it tiscali.it virgilio.it
    tin.it email.it fastwebnet.it yandex.ru yandex.com ya.ru mail.ru inbox.ru list.ru bk.ru
    rambler.ru protonmail.com protonmail.ch proton.me pm.me tutanota.com tutanota.de tuta.io
    zoho.com zohomail.com qq.com foxmail.com 163.com 126.com yeah.net sina.com sina.cn sohu.com
    aliyun.com 139.com naver.com daum.net hanmail.net rediffmail.com seznam.cz centrum.cz
    wp.pl o2.pl onet.pl interia.pl op.pl telenet.be skynet.be ziggo.nl kpnmail.nl planet.nl
    home.nl hetnet.nl xs4all.nl bluewin.ch gmx.ch sunrise.ch btinternet.com sky.com
    virginmedia.com blueyonder.co.uk ntlworld.com talktalk.net comcast.net verizon.net att.net
    sbcglobal.net bellsouth.net cox.net charter.net earthlink.net optonline.net juno.com
    mail.com email.com usa.com post.com inbox.com hushmail.com fastmail.com fastmail.fm
    hey.com duck.com mailbox.org posteo.de posteo.net runbox.com gmx.com gmx.net gmx.de
    bigpond.com bigpond.net.au optusnet.com.au shaw.ca rogers.com sympatico.ca videotron.ca
    uol.com.br bol.com.br terra.com.br ig.com.br outlook.com hotmail.com live.com yahoo.com
    ymail.com rocketmail.com abv.bg walla.co.il netvigator.com yahoo.fr yahoo.de yahoo.es
    hotmail.fr hotmail.de hotmail.es outlook.fr outlook.de outlook.es live.fr gmx.fr telefonica.net
    sapo.pt netcabo.pt clix.pt iol.pt mail.pt vodafone.pt terra.es ya.com movistar.es euskaltel.net
    tiscali.it inwind.it iol.it teletu.it tiscali.co.uk talktalk.co.uk virgin.net online.nl
    quicknet.nl zonnet.nl chello.nl casema.nl upcmail.nl freenet.de vodafone.de kabelmail.de
    online.de posteo.at aon.at chello.at a1.net hispeed.ch
    """.split()
)
#: Provider names that are free mail under every country suffix (yahoo.co.uk, hotmail.fr, gmx.at ...).
FREE_MAIL_PROVIDERS = frozenset(
    "yahoo hotmail outlook live windowslive msn gmx yandex ymail aol icloud proton protonmail "
    "zoho gmail mail tutanota".split()
)

#: Legal-form words removed from company names in their matching key (already lower-case, no dots).
LEGAL_SUFFIXES = frozenset(
    """
    inc incorporated ltd limited llc llp lp plc corp corporation co company cie gmbh mbh ag kg
    ohg gbr ug ev sarl sa sas sasu eurl sci snc scs bv nv vof cv srl spa sapa snc sl slu sll
    oy oyj ab as asa aps a/s ks pty pte bhd sdn kk kft zrt nyrt sro spzoo sp zoo doo dd ad
    ooo oao zao pjsc ojsc jsc se sce sl lda ltda eireli me epp eood ood plc pcl tbk pt cc
    holding holdings group
    """.split()
)
#: Multi-token legal forms, matched on the dotless lower-case token sequence.
_LEGAL_PHRASES = (
    ("s", "a"),
    ("s", "a", "s"),
    ("s", "r", "l"),
    ("s", "p", "a"),
    ("b", "v"),
    ("n", "v"),
    ("a", "g"),
    ("p", "l", "c"),
    ("l", "l", "c"),
    ("l", "t", "d"),
    ("co", "kg"),
    ("gmbh", "co", "kg"),
    ("sp", "z", "o", "o"),
    ("s", "r", "o"),
    ("pty", "ltd"),
    ("pte", "ltd"),
    ("co", "ltd"),
)

#: Name particles kept lower-case inside a name ("Ludwig van Beethoven", "Charles de Gaulle").
NAME_PARTICLES = frozenset(
    "van von der den de del della di da dos das du la le ten ter y zu bin ibn al".split()
)

#: Given-name variants, one group a line: the canonical form first, then nicknames and spellings
#: in English, French, German, Spanish, Italian, Dutch and Portuguese (plus common transliterations).
#: A name may sit in several groups (``chris``); two given names are compatible when they share a
#: group. Matching keys use the canonical form of the first group.
NICKNAME_GROUPS = """
robert bob bobby rob robbie bert roberto robin
william bill billy will willy liam wilhelm guillermo guglielmo willem wim
james jim jimmy jamie
michael mike mikey mick mickey michi michel miguel michele michiel
richard dick rick ricky rich richie ricardo riccardo
thomas tom tommy thom tomas tommaso
joseph joe joey jo
john jack johnny jon
johannes hans hannes johann
johannes jan joop
david dave davy
daniel dan danny dani
christopher chris kit topher
christian chris christiaan
christina tina chrissy chris christine kristina kristin
matthew matt matty
anthony tony
andrew andy drew
stephen steve steven stevie stefan stephan stefano esteban etienne
edward ed eddie ted ned
frederick fred freddie freddy frederic fritz friedrich federico
gregory greg
henry harry hank
kenneth ken kenny
lawrence larry laurence
nicholas nick nicky nico nicolas nikolaus nicola niklas klaus
patrick pat paddy
peter pete pieter piet pierre pedro pietro
philip phil philipp philippe felipe filippo
ronald ron ronnie
samuel sam sammy
timothy tim timmy
alexander alex sandy sasha alexandre alejandro alessandro sandro aleksandr aleksander alexandr
alexandra alex sandra sasha alessandra alejandra
benjamin ben benny
charles charlie chuck carlos carlo karl karel
douglas doug
francis frank francesco franco francois francisco paco pancho curro fran
gerald gerry jerry
jeffrey jeff geoffrey
joshua josh
leonard len lenny leo
nathan nate nathaniel
raymond ray
walter walt wally
zachary zach zack
abigail abby
elizabeth beth betty liz lizzie eliza elisabeth lisa elise elsa liesl isabel
catherine cathy kathy kate katie kathryn katherine kat katharina kathrin katrin catarina caterina katja
deborah debbie deb
jennifer jenny jen
margaret maggie meg peggy greta margarethe margherita margarita marguerite margot
patricia patty trish tricia
susan sue susie suzanne susanne
victoria vicky vicki
rebecca becky
amanda mandy
jessica jess jessie
sarah sally sara
anne annie ann anna
mary molly polly maria marie mieke marieke ria
valerie val
joanne jo joanna
dominique dom
isabelle isa isabel isabella bella
josef joseph sepp seppl jose pepe ze giuseppe beppe peppe pino
francesco franco checco
giovanni gianni nanni
salvatore toto turi
vincenzo enzo
luigi gino
domenico mimmo
antonio tony toni tonino toninho antoine anton
manuel manu manolo manel
javier javi
ignacio nacho
enrique quique
dolores lola
guadalupe lupe
concepcion concha
jesus chuy
rafael rafa
fernando nando
cornelis kees cor
jacobus koos jaap jacob jakob
hendrik henk
gerardus gert gerard
adrianus arie
mohammed muhammad mohamed mohammad muhammed mehmet
yuri yury iouri juri jurij
sergei sergey serguei sergej
dmitri dmitry dimitri dmitrij
"""


def _nickname_index(text):
    canonical, groups = {}, {}
    for number, line in enumerate(text.strip().splitlines()):
        names = line.split()
        for name in names:
            canonical.setdefault(name, names[0])
            groups.setdefault(name, set()).add(number)
    return canonical, {name: frozenset(g) for name, g in groups.items()}


#: nickname or variant -> canonical given name (first group wins), and name -> its group numbers
NICKNAMES, NICKNAME_GROUP_IDS = _nickname_index(NICKNAME_GROUPS)

_ZERO_WIDTH = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff\u00ad\u180e\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
)
_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PHONE_CHARS = re.compile(r"[^0-9+]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
#: A typed extension at the end of a phone ('ext. 12', 'x12', '#12', 'poste 12', 'Durchwahl 12', ';ext=12').
_EXTENSION = re.compile(
    r"[,;]?\s*(?:ext\.?|extn\.?|extension|x|#|poste|durchwahl)\s*[:.=]?\s*(\d{1,6})\s*$",
    re.IGNORECASE,
)
#: Characters never allowed in a standardised display value: controls, format (bidi) characters,
#: surrogates, private use, unassigned, line and paragraph separators.
_UNSAFE_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
#: Longest standardised values the agent proposes.
MAX_PHONE_LENGTH = 64
MAX_EMAIL_LENGTH = 254
MAX_WEBSITE_LENGTH = 512
_EMAIL_LOCAL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$", re.IGNORECASE
)
_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_NON_WORD = re.compile(r"[\W_]+")
_WORD_PUNCT = re.compile(r"([-'’])")
_INITIAL_DOT = re.compile(r"(?<=\b[a-z])\.(?=[a-z]\b)")
_URL_PATH = re.compile(r"[/?#]")
_WWW_DIGIT = re.compile(r"^www\d\.")
_NON_DIGIT = re.compile(r"\D")
#: ASCII key folding: letters lower-cased, digits kept, apostrophes dropped, anything else a separator.
_ASCII_KEY_TABLE = {
    code: (chr(code).lower() if chr(code).isalnum() else None if chr(code) == "'" else " ")
    for code in range(128)
}
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def clean_text(value):
    """Return ``(text, reason)``: NFKC-normalised text without zero-width/control characters.

    ``text`` is ``""`` and ``reason`` says why when the value is missing or unusable.
    """
    if value is None or value is False:
        return "", "empty"
    if (
        type(value) is str
        and value.isascii()
        and value.isprintable()
        and len(value) <= MAX_FIELD_LENGTH
    ):
        # fast path: printable ASCII is NFKC-stable and has no control characters; only spaces to fix
        if "  " in value or value[:1] == " " or value[-1:] == " ":
            value = " ".join(value.split())
        return (value, "") if value else ("", "empty")
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return "", "not valid UTF-8 text"
    elif not isinstance(value, str):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "", f"unsupported type {type(value).__name__}"
        value = str(value)
    if len(value) > MAX_FIELD_LENGTH * 4:
        return "", f"too long ({len(value)} characters)"
    text = unicodedata.normalize("NFKC", value).translate(_ZERO_WIDTH)
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in text if not ch.isspace()):
        text = "".join(
            ch
            for ch in text
            if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn")
        )
        if not text.strip():
            return "", "only control characters"
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return "", "empty"
    if len(text) > MAX_FIELD_LENGTH:
        return "", f"too long ({len(text)} characters)"
    return text, ""


def strip_accents(text):
    """ASCII-fold for matching keys: 'Müller' -> 'Muller', 'Œ' -> 'OE'. Non-Latin letters are kept."""
    if text.isascii():
        return text
    text = (
        text.replace("ß", "ss")
        .replace("æ", "ae")
        .replace("Æ", "AE")
        .replace("œ", "oe")
        .replace("Œ", "OE")
        .replace("ø", "o")
        .replace("Ø", "O")
        .replace("ł", "l")
        .replace("Ł", "L")
    )
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def text_key(value):
    """Lower-case, accent-free, punctuation-free matching key with single spaces ('' if unusable)."""
    text, _reason = clean_text(value)
    if not text:
        return ""
    return " ".join(_key_tokens(text))


def _key_tokens(text):
    if (
        text.isascii()
    ):  # one translate does lower-case, apostrophe removal and the split on non-alnum
        return text.translate(_ASCII_KEY_TABLE).split()
    folded = strip_accents(text).lower().replace("'", "").replace("’", "")
    # keep non-Latin letters (Cyrillic, CJK, ...) as they are; split on anything that is not a letter/digit
    return [t for t in _NON_WORD.split(folded) if t]


# ---------------------------------------------------------------------------------------------- phones


@dataclass(frozen=True, slots=True)
class PhoneResult:
    """A phone number: ``e164`` is set only when ``valid``; ``original`` is always the caller's value."""

    original: object
    e164: str = ""
    region: str = ""
    valid: bool = False
    reason: str = ""
    #: digits of a typed extension ('12' for '... ext. 12'), kept apart from the number
    extension: str = ""

    @property
    def international(self):
        """Readable international format ('+44 20 7946 0958'), or the E.164 form if formatting fails."""
        if not self.valid:
            return ""
        return _format_international(self.e164)


@lru_cache(maxsize=65536)
def _format_international(e164):
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(e164, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    except phonenumbers.NumberParseException:
        return e164


def _region_tuple(regions):
    """Upper-case ISO codes of a region chain, blanks and repeats dropped (cached for tuple chains)."""
    if not regions:
        return ()
    if type(regions) is tuple:
        try:
            return _region_tuple_of_tuple(regions)
        except TypeError:  # unhashable members: not cached
            return _region_tuple_uncached(regions)
    return _region_tuple_uncached(regions)


@lru_cache(maxsize=4096)
def _region_tuple_of_tuple(regions):
    return _region_tuple_uncached(regions)


def _region_tuple_uncached(regions):
    if isinstance(regions, str):
        regions = (regions,)
    out = []
    for region in regions:
        if isinstance(region, str) and len(region.strip()) == 2:
            code = region.strip().upper()
            if code not in out:
                out.append(code)
    return tuple(out)


def normalise_phone(raw, regions=()):
    """Parse ``raw`` to E.164, trying the ISO country codes of ``regions`` in priority order.

    ``regions`` is the inference chain, e.g. ``[contact country, its company's country, database
    company's country]`` (blanks are skipped). Numbers written with ``+``/``00`` ignore the chain.
    A number that does not parse or is not a valid number comes back with ``valid=False`` and a reason;
    it is never "repaired" into another number.
    """
    if type(raw) is str and len(raw) <= 64 and raw.isascii() and raw.isprintable():
        text = raw.strip()  # fast path: plain ASCII needs no Unicode clean-up
        if not text:
            return PhoneResult(raw, reason="empty")
    else:
        text, reason = clean_text(raw)
        if not text:
            return PhoneResult(raw, reason=reason)
    if len(text) > 64:
        return PhoneResult(raw, reason=f"too long for a phone number ({len(text)} characters)")
    # Fast path: cache on the digits (plus '+' and extension-free) and the region chain, so a pass over
    # a big table parses each distinct (number, region chain) only once.
    extension_match = _EXTENSION.search(text)
    stripped = text[: extension_match.start()] if extension_match else text
    digits = _PHONE_CHARS.sub("", stripped)
    if stripped.lstrip().startswith("00") and not digits.startswith("+"):
        digits = "+" + digits.lstrip("0") if len(digits) > 4 else digits
    if stripped.isascii():
        has_letters = _ASCII_LETTER.search(stripped) is not None
    else:
        has_letters = any(ch.isalpha() for ch in stripped)
    if has_letters and not _looks_like_vanity(stripped):
        return PhoneResult(raw, reason="contains letters")
    e164, region, reason = _parse_phone_cached(digits, _region_tuple(regions))
    if e164:
        return PhoneResult(
            raw, e164, region, True, "", extension_match.group(1) if extension_match else ""
        )
    return PhoneResult(raw, reason=reason)


def safe_display(value, limit):
    """``value`` when it may be shown and stored as a standardised value: no control, bidi or other
    invisible characters and at most ``limit`` characters; else ''."""
    if not value or not isinstance(value, str) or len(value) > limit:
        return ""
    if not (value.isascii() and value.isprintable()) and any(
        unicodedata.category(ch) in _UNSAFE_CATEGORIES for ch in value
    ):
        return ""
    return value


def display_snippet(value, limit=80):
    """A typed value made safe to quote in an explanation: cleaned and shortened."""
    text, _reason = clean_text(value if isinstance(value, str) else str(value or ""))
    if not text:
        text = "".join(
            ch
            for ch in str(value or "")[:limit]
            if unicodedata.category(ch) not in _UNSAFE_CATEGORIES
        )
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _UNSAFE_CATEGORIES)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_safe(value):
    """A value as plain JSON (dates as ISO strings, tuples as lists), e.g. ``read()`` output
    kept as a before-image."""
    return json.loads(json.dumps(value, default=str))


def standard_phone(raw, regions=()):
    """The standard form of a typed phone, as Odoo writes it (``phone_validation``'s
    INTERNATIONAL format: '+44 20 7946 0958'), plus ' ext. N' when an extension was typed; ''
    when it is invalid, already readable in international form, or when standardising could lose
    a typed digit. The E.164 form ('+442079460958') is only a key: Odoo keeps it in
    ``phone_sanitized``, the duplicate search uses ``normalise_phone(...).e164``.

    Safety rules: the national number and extension must be the last digits typed (nothing
    dropped, nothing rewritten), and when phonenumbers reads an extension it must be the same
    one we read; otherwise the value is left as typed."""
    result = normalise_phone(raw, regions)
    if not result.valid:
        return ""
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        return ""
    try:
        number = phonenumbers.parse(result.e164, None)
    except phonenumbers.NumberParseException:
        return ""
    typed = clean_text(text)[0]
    try:
        typed_extension = phonenumbers.parse(typed, result.region or None).extension
    except phonenumbers.NumberParseException:
        typed_extension = None  # e.g. 'Durchwahl 12' is too long for it: our reading stands alone
    if typed_extension and typed_extension != result.extension:
        return ""
    nsn = phonenumbers.national_significant_number(number)
    if not _NON_DIGIT.sub("", typed).endswith(nsn + result.extension):
        return ""
    if is_readable_international(typed):
        return ""
    value = readable_phone(result.e164, result.extension)
    return value if value and value != raw else ""


def readable_phone(e164, extension=""):
    """The one display form of a phone the agent writes (hygiene's standardisation and the mail
    auto-capture): Odoo's readable INTERNATIONAL format ('+44 20 7946 0958'), plus ' ext. N' for
    an extension; '' when the result would not be a safe display value."""
    if not e164:
        return ""
    value = _format_international(e164) + (f" ext. {extension}" if extension else "")
    return safe_display(value, MAX_PHONE_LENGTH)


_READABLE_INTERNATIONAL = re.compile(r"^\+\d{1,3}[ .-]\(?\d[\d .()-]*\d")


def is_readable_international(text):
    """Whether a typed phone already reads as an international number ('+44 20 7946 0958',
    '+1 (870) 931-0505'): a '+', the country code, separators between the digit groups and no
    national trunk prefix '(0)'. Such a value is left as its author typed it; an E.164 run of
    digits ('+442079460958') or a national form ('020 7946 0958') is not readable abroad."""
    return bool(_READABLE_INTERNATIONAL.match(text or "")) and "(0)" not in text


def standard_email(raw):
    """Trimmed address with its domain in lower case; '' when invalid, unsafe or unchanged."""
    email = normalise_email(raw)
    if not email.valid:
        return ""
    value = safe_display(email.email, MAX_EMAIL_LENGTH)
    return value if value and value != raw else ""


def standard_website(raw):
    """Lower-case scheme and host, no lone trailing slash, no invisible characters; '' when nothing
    changes, the value is unreadable or the result would not be a safe display value."""
    if not raw or not isinstance(raw, str):
        return ""
    text, _reason = clean_text(raw)
    if not text or " " in text or not website_domain(text):
        return ""
    parts = urlsplit(text)
    if not parts.scheme or not parts.netloc:
        return ""
    path = "" if parts.path == "/" else parts.path
    clean = f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}"
    if parts.query:
        clean += f"?{parts.query}"
    if parts.fragment:
        clean += f"#{parts.fragment}"
    clean = safe_display(clean, MAX_WEBSITE_LENGTH)
    return clean if clean and clean != raw else ""


def _looks_like_vanity(text):
    # '1-800-FLOWERS' style numbers: phonenumbers maps the letters; accept only mostly-digit text with a '+'
    return text.startswith("+") and sum(ch.isdigit() for ch in text) >= 7


def _parse_phone_cached(digits, regions):
    """``(e164, region, reason)`` for cleaned digits and a region chain; each region is tried (and
    cached) on its own, so the same national number under different chains is parsed once."""
    plus = digits.startswith("+")
    bare = digits.lstrip("+")
    if "+" in bare:
        return "", "", "misplaced '+'"
    if not bare:
        return "", "", "no digits"
    if len(bare) < 5:
        return "", "", f"too short ({len(bare)} digits)"
    if len(bare) > 17:
        return "", "", f"too long ({len(bare)} digits)"
    if plus:
        return _parse_phone_for_region(digits, None)
    if not regions:
        return "", "", "no country to interpret a national number (and no '+' prefix)"
    for region in regions:
        result = _parse_phone_for_region(digits, region)
        if result[0]:
            return result
    if len(regions) > 1:
        return "", "", f"not a valid number for any of {', '.join(regions)}"
    return result


def phone_e164(number):
    """The E.164 form of a parsed number ("+442079460958"): the key phones are matched by."""
    return f"+{number.country_code}{phonenumbers.national_significant_number(number)}"


@lru_cache(maxsize=262144)
def _parse_phone_for_region(digits, region):
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException as exc:
        return "", "", f"does not parse ({exc._msg})" if hasattr(exc, "_msg") else "does not parse"
    nsn = phonenumbers.national_significant_number(number)
    if _is_valid_number(number.country_code, nsn):
        # the country code's main region: exact per-region lookup costs another validity check
        found_region = region or phonenumbers.region_code_for_country_code(number.country_code)
        return phone_e164(number), found_region, ""
    where = f"for {region}" if region else f"for country code +{number.country_code}"
    return "", "", f"not a valid number {where}"


_NUMBER_TYPE_DESCS = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
    "mobile",
)


def _compiled_desc(desc):
    if desc is None or not desc.national_number_pattern:
        return None
    return frozenset(desc.possible_length), re.compile(desc.national_number_pattern)


@lru_cache(maxsize=512)
def _region_patterns(country_code, region):
    """Pre-compiled validity patterns of one region: ``(general, types, leading_digits)``.

    ``phonenumbers`` looks every pattern up through ``re.compile`` on each call; compiling once per
    region makes the validity check below ~3x cheaper with exactly the library's rules.
    """
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    if metadata is None:
        return None
    types = tuple(
        d for d in (_compiled_desc(getattr(metadata, name)) for name in _NUMBER_TYPE_DESCS) if d
    )
    leading = re.compile(metadata.leading_digits) if metadata.leading_digits else None
    return _compiled_desc(metadata.general_desc), types, leading


def _matches_desc(nsn, desc):
    lengths, pattern = desc
    return (not lengths or len(nsn) in lengths) and pattern.fullmatch(nsn) is not None


def _valid_in_region(nsn, patterns):
    general, types, _leading = patterns
    return (
        general is not None
        and _matches_desc(nsn, general)
        and any(_matches_desc(nsn, d) for d in types)
    )


def _is_valid_number(country_code, nsn):
    """Same answer as ``phonenumbers.is_valid_number`` (region from the number, then its patterns)."""
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    if not regions:
        return False
    if len(regions) == 1:
        patterns = _region_patterns(country_code, regions[0])
        return patterns is not None and _valid_in_region(nsn, patterns)
    for (
        region
    ) in regions:  # as region_code_for_number: leading digits decide, else the first valid region
        patterns = _region_patterns(country_code, region)
        if patterns is None:
            continue
        if patterns[2] is not None:
            if patterns[2].match(nsn):
                return _valid_in_region(nsn, patterns)
        elif _valid_in_region(nsn, patterns):
            return True
    return False


# ---------------------------------------------------------------------------------------------- emails


@dataclass(frozen=True, slots=True)
class EmailResult:
    """An e-mail address: ``email`` keeps the local part's case, ``key`` is all lower-case for matching."""

    original: object
    email: str = ""
    key: str = ""
    local: str = ""
    domain: str = ""
    valid: bool = False
    free_mail: bool = False
    reason: str = ""


def is_free_mail(domain):
    """True for consumer mail providers (gmail.com, yahoo.co.uk, hotmail.fr, gmx.de, ...)."""
    if not domain:
        return False
    domain = domain.lower().rstrip(".")
    if domain in FREE_MAIL_DOMAINS:
        return True
    labels = domain.split(".")
    # provider.tld, provider.co.tld, provider.com.tld
    if len(labels) >= 2 and labels[0] in FREE_MAIL_PROVIDERS:
        suffix = labels[1:]
        if len(suffix) == 1 or (len(suffix) == 2 and suffix[0] in ("co", "com", "ne", "or")):
            return True
    return False


def normalise_email(raw):
    """Trim, lower-case the domain (the whole address in ``key``) and check the syntax."""
    text, reason = clean_text(raw)
    if not text:
        return EmailResult(raw, reason=reason)
    text = text.strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if " " in text:
        return EmailResult(raw, reason="contains spaces")
    if len(text) > 254:
        return EmailResult(raw, reason="longer than 254 characters")
    if text.count("@") != 1:
        return EmailResult(raw, reason="needs exactly one '@'" if "@" in text else "no '@'")
    local, domain = text.split("@")
    domain = domain.lower().rstrip(".")
    if not local:
        return EmailResult(raw, reason="empty local part")
    if len(local) > 64:
        return EmailResult(raw, reason="local part longer than 64 characters")
    if not _EMAIL_LOCAL.match(local):
        return EmailResult(raw, reason="invalid characters in local part")
    try:
        ascii_domain = domain.encode("idna").decode("ascii") if not domain.isascii() else domain
    except UnicodeError:
        return EmailResult(raw, reason="invalid international domain")
    labels = ascii_domain.split(".")
    if len(labels) < 2:
        return EmailResult(raw, reason="domain has no dot")
    if not all(_DOMAIN_LABEL.match(label) for label in labels):
        return EmailResult(raw, reason="invalid domain")
    if labels[-1].isdigit():
        return EmailResult(raw, reason="domain ends with a number")
    email = f"{local}@{domain}"
    return EmailResult(
        raw, email, email.lower(), local.lower(), domain, True, is_free_mail(domain), ""
    )


#: Providers that ignore dots in the local part (``j.doe@gmail.com`` is ``jdoe@gmail.com``), with
#: the domain their mailboxes are known under.
DOTLESS_MAIL_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def mailbox_key(email):
    """The mailbox an address delivers to, for matching: lower-case, without a ``+tag``
    (``anna+crm@acme.com`` -> ``anna@acme.com``), without the dots gmail ignores; '' if invalid."""
    local, _at, domain = (email or "").lower().rpartition("@")
    if not local or not domain:
        return ""
    base = local.split("+", 1)[0] or local
    domain = DOTLESS_MAIL_DOMAINS.get(domain, domain)
    if domain == "gmail.com":
        base = base.replace(".", "") or base
    return f"{base}@{domain}"


# ---------------------------------------------------------------------------------------------- names


@dataclass(frozen=True, slots=True)
class NameResult:
    """A person name: ``display`` is cleaned for showing, ``key``/``tokens`` are for matching."""

    original: object
    display: str = ""
    key: str = ""
    tokens: tuple = ()
    reason: str = ""
    #: the key before nicknames are canonicalised (what names are compared on)
    plain: str = ""


def _fix_word_case(word, first):
    low = word.lower()
    if not first and low in NAME_PARTICLES:
        return low
    parts = _WORD_PUNCT.split(low)
    out = []
    for part in parts:
        if part in ("-", "'", "’") or not part:
            out.append(part)
            continue
        cap = part[:1].upper() + part[1:]
        if len(part) > 3 and part.startswith("mc"):
            cap = "Mc" + part[2:3].upper() + part[3:]
        elif len(part) > 4 and part.startswith("mac") and part[3:4] not in "aeiouhky":
            cap = "Mac" + part[3:4].upper() + part[4:]
        out.append(cap)
    return "".join(out)


def display_name(text):
    """Collapse spacing; re-case names typed ALL CAPS or all lower ('JOHN MCDONALD' -> 'John McDonald')."""
    if text.isascii():  # ASCII letters are all cased: isupper/islower say "all letters upper/lower"
        if text.isupper() or text.islower():
            return " ".join(_fix_word_case(w, i == 0) for i, w in enumerate(text.split(" ")))
        return text
    letters = [ch for ch in text if ch.isalpha()]
    if letters and (all(ch.isupper() for ch in letters) or all(ch.islower() for ch in letters)):
        if any(
            ch.isupper() or ch.islower() for ch in letters
        ):  # scripts without case stay as typed
            words = text.split(" ")
            return " ".join(_fix_word_case(w, i == 0) for i, w in enumerate(words))
    return text


def canonical_given_name(token):
    """Nickname to canonical given name for matching ('bob' -> 'robert'); other tokens and
    ambiguous nicknames ('chris': Christopher, Christian or Christina) unchanged."""
    groups = NICKNAME_GROUP_IDS.get(token)
    return NICKNAMES[token] if groups and len(groups) == 1 else token


def normalise_name(raw):
    """Clean a person's name; the key is accent-free, lower-case, with nicknames canonicalised."""
    text, reason = clean_text(raw)
    if not text:
        return NameResult(raw, reason=reason)
    plain = _key_tokens(text)
    tokens = tuple(canonical_given_name(t) for t in plain)
    if not tokens:
        return NameResult(raw, display_name(text), reason="no letters or digits")
    if all(t.isdigit() for t in tokens):
        return NameResult(raw, text, reason="only digits")
    return NameResult(raw, display_name(text), " ".join(tokens), tokens, "", " ".join(plain))


def company_key(raw):
    """Matching key of a company name: legal forms, punctuation and accents removed, lower-case.

    'ACME Inc.' / 'Acme, Incorporated' / 'acme' all give 'acme'. If removing legal words would leave
    nothing ('Holding AG'), the unstripped key is kept.
    """
    text, _reason = clean_text(raw)
    if not text:
        return ""
    folded = strip_accents(text).lower().replace("&", " and ")
    folded = _INITIAL_DOT.sub("", folded)  # 's.a.' -> 'sa.', 'b.v.' -> 'bv.'
    tokens = [t for t in _NON_WORD.split(folded) if t]
    full = " ".join(tokens)
    kept = list(tokens)
    changed = True
    while kept and changed:  # strip legal forms from the end ('Acme Holding GmbH & Co. KG')
        changed = False
        for phrase in _LEGAL_PHRASES:
            if len(kept) > len(phrase) and tuple(kept[-len(phrase) :]) == phrase:
                del kept[-len(phrase) :]
                changed = True
        if len(kept) > 1 and kept[-1] in LEGAL_SUFFIXES | {"and"}:
            kept.pop()
            changed = True
    if kept and kept[0] == "the" and len(kept) > 1:
        kept = kept[1:]
    return " ".join(kept) or full


# ------------------------------------------------------------------------------------------- domains
#
# One normal form for every domain the addon compares (duplicate keys, enrichment, capture):
# punycode decoded, NFKC, case-folded, without a trailing dot.


def _decode_label(label):
    if label.lower().startswith("xn--"):
        try:
            return codecs.decode(label[4:].lower().encode("ascii"), "punycode")
        except (UnicodeError, ValueError):
            return label
    return label


def decode_domain(domain):
    """The domain with its punycode labels decoded and lower-cased, nothing else folded."""
    domain = (domain or "").strip().rstrip(".")
    return ".".join(_decode_label(label) for label in domain.split(".")).lower()


def normalise_domain(domain):
    """'XN--MLLER-KVA.DE.' → 'müller.de'; 'ＡＣＭＥ.example' → 'acme.example'; '' when empty."""
    text = unicodedata.normalize("NFKC", decode_domain(domain)).casefold()
    for dot in ("。", "｡", "．"):
        text = text.replace(dot, ".")
    return text.strip(".")


def ascii_domain(domain):
    """The punycode (IDNA) spelling of a normalised domain, as it may be stored: 'müller.de' →
    'xn--mller-kva.de'; the domain itself when it is ASCII or cannot be encoded."""
    domain = normalise_domain(domain)
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def domain_of_email(email):
    """Normalised domain of an address ('' when there is none)."""
    return normalise_domain((email or "").rpartition("@")[2]) if "@" in (email or "") else ""


def website_domain(raw):
    """The host of a website in the normal form, without 'www.'/'wwwN.', user, port or path
    ('https://www.Acme.com:8080/x?y' -> 'acme.com', 'XN--MLLER-KVA.de' -> 'müller.de'); '' when
    there is none (no dot, invalid labels, an IP address)."""
    text, _reason = clean_text(raw)
    if not text or " " in text.strip():
        return ""
    text = _URL_SCHEME.sub("", text.strip())
    host = _URL_PATH.split(text, maxsplit=1)[0]
    host = normalise_domain(host.rsplit("@", 1)[-1].split(":", 1)[0])
    if host.startswith("www."):
        host = host[4:]
    elif _WWW_DIGIT.match(host):
        host = host[5:]
    labels = host.split(".")
    if len(labels) < 2 or not all(
        _DOMAIN_LABEL.match(label) for label in labels if label.isascii()
    ):
        return ""
    if labels[-1].isdigit():  # an IP address is not a company domain
        return ""
    return host


def registrable_label(domain):
    """The label that names the owner of a domain, by the public-suffix rules:
    'mail.northwind-logistics.co.uk' -> 'northwind-logistics', 'acme.com.au' -> 'acme' ('' when
    there is none)."""
    domain = normalise_domain(domain)
    registrable = registrable_domain(domain)
    if registrable:
        return registrable.split(".")[0]
    parts = [part for part in domain.split(".") if part]
    return parts[0] if len(parts) == 1 else ""


def company_name_from_domain(domain):
    """The name a company gets from its domain alone: 'mail.northwind-logistics.co.uk' ->
    'Northwind Logistics' (the one rule of enrichment and auto-capture)."""
    return registrable_label(domain).replace("-", " ").replace("_", " ").title().strip()


# -------------------------------------------------------------------------------------------- phonetic

_SOUNDEX_CODES = {
    ch: str(d)
    for d, letters in enumerate(("aeiouyhw", "bfpv", "cgjkqsxz", "dt", "l", "mn", "r"), 0)
    for ch in letters
}


def phonetic_key(token):
    """American Soundex of one key token ('robert' -> 'R163'); '' for tokens without Latin letters."""
    letters = [ch for ch in token if "a" <= ch <= "z"]
    if not letters:
        return ""
    first = letters[0]
    out = [first.upper()]
    last = _SOUNDEX_CODES.get(first, "")
    for ch in letters[1:]:
        code = _SOUNDEX_CODES.get(ch, "")
        if code == "0":
            if ch not in "hw":
                last = ""
            continue
        if code != last:
            out.append(code)
            if len(out) == 4:
                break
        last = code
    return "".join(out).ljust(4, "0")


# ---------------------------------------------------------------------------------------------- record

#: Record keys the engine reads (all optional). ``vat`` is any stable identifier (VAT, national id).
RECORD_FIELDS = (
    "id",
    "name",
    "company_name",
    "email",
    "phone",
    "mobile",
    "website",
    "street",
    "street2",
    "city",
    "zip",
    "state",
    "country_code",
    "company_country_code",
    "vat",
    "birth_date",
    "is_company",
    "company_vat",
    "subject",
    "create_date",
)
#: ``is_company``: the record is a company (compared on company evidence); ``company_vat``: the VAT
#: of the company a person belongs to (Odoo copies it onto every contact): company evidence only;
#: ``subject``: what a lead or opportunity is about (its title), ``create_date``: when it was made.


@dataclass(slots=True)
class NormalisedRecord:
    """One record ready for blocking and comparison. String fields are '' when missing."""

    id: object = None
    name: str = ""  # display name
    name_key: str = ""  # accent-free, lower-case, nicknames canonical
    name_plain: str = ""  # accent-free, lower-case, as written (compared by ``name_agreement``)
    name_sorted: str = ""  # name_key tokens sorted (order-insensitive key)
    first_token: str = ""
    last_token: str = ""
    phonetic: str = ""  # sorted soundex codes of the first and last name tokens
    company_key: str = ""
    email_key: str = ""
    email_local: str = ""
    email_domain: str = ""
    company_domain: str = ""  # from a non-free-mail e-mail domain, else the website
    phones: tuple = ()  # valid E.164 numbers (phone, mobile), de-duplicated
    street_key: str = ""
    city_key: str = ""
    zip_key: str = ""
    state_key: str = ""
    country: str = ""
    vat_key: str = ""
    birth_date: str = ""  # digits only, YYYYMMDD when given as a date
    is_company: bool = False
    signature: str = ""  # coarse person key (initials + family sound), see ``name_signature``
    vat_company: bool = False  # the identifier is the company's (copied onto its contacts)
    subject_key: str = ""  # a lead's title as a key
    created: int = 0  # creation day number (0 = unknown)
    flags: list = field(default_factory=list)  # human-readable problems found while normalising


def _digits_and_letters(value):
    text, _ = clean_text(value)
    return _NON_ALNUM.sub("", strip_accents(text).lower()) if text else ""


def _birth_date_key(value):
    if value is None or value is False:
        return ""
    if hasattr(value, "strftime"):
        try:
            return value.strftime("%Y%m%d")
        except (ValueError, TypeError):
            return ""
    text, _ = clean_text(value)
    return _NON_DIGIT.sub("", text)[:8] if text else ""


def _shared_appender(append, setdefault):
    def append_shared(value):
        append(setdefault(value, value) if value else value)

    return append_shared


def name_signature(tokens):
    """A coarse key of a person's name that survives typos, initials, nicknames (canonical tokens)
    and swapped order: the initials of the first and last token and the sound of the longer one.
    Several signatures on one phone, e-mail or identifier mean several people share it."""
    if not tokens:
        return ""
    first, last = tokens[0], tokens[-1]
    longer = max(first, last, key=lambda t: (len(t), t))
    return "".join(sorted((first[:1], last[:1]))) + phonetic_key(longer)


def _day_number(value):
    """Days since 0001-01-01 of a date, datetime or 'YYYY-MM-DD...' text; 0 when unknown."""
    if value in (None, False, ""):
        return 0
    if hasattr(value, "toordinal"):
        return value.toordinal()
    text = str(value)[:10]
    try:
        year, month, day = (int(p) for p in text.split("-"))
        return date(year, month, day).toordinal()
    except (TypeError, ValueError):
        return 0


def normalise_record(record, default_regions=()):
    """Normalise one raw record dict (see ``RECORD_FIELDS``) into a ``NormalisedRecord``.

    Phone regions are inferred in this order: the record's ``country_code``, its
    ``company_country_code``, then ``default_regions`` (e.g. the database company's country).
    """
    if not isinstance(record, dict):
        out = NormalisedRecord()
        out.flags.append(f"record is not a dict ({type(record).__name__})")
        return out
    get = record.get
    out = NormalisedRecord(id=get("id"))
    flags = out.flags

    name = normalise_name(get("name"))
    if name.reason and name.reason != "empty":
        flags.append(f"name: {name.reason}")
    out.name = name.display
    out.name_key = name.key
    out.is_company = bool(get("is_company"))
    if out.is_company and name.key:
        # a company is named by its company key (legal forms off), and signed by it
        key = company_key(get("name"))
        name = NameResult(name.original, name.display, key, tuple(key.split()), "", key)
        out.name_key = key
    out.name_plain = name.plain
    if name.tokens:
        out.name_sorted = " ".join(sorted(name.tokens))
        out.first_token = name.tokens[0]
        out.last_token = name.tokens[-1]
        codes = sorted(
            c for c in (phonetic_key(name.tokens[0]), phonetic_key(name.tokens[-1])) if c
        )
        out.phonetic = " ".join(codes)
        out.signature = name.key if out.is_company else name_signature(name.tokens)

    out.company_key = company_key(get("company_name"))

    email = normalise_email(get("email"))
    if email.valid:
        out.email_key = mailbox_key(email.key)
        out.email_local = out.email_key.rpartition("@")[0]
        out.email_domain = email.domain
        if not email.free_mail:
            out.company_domain = email.domain
    elif email.reason != "empty":
        flags.append(f"email: {email.reason}")
    if not out.company_domain:
        site = website_domain(get("website"))
        if site and not is_free_mail(site):
            out.company_domain = site

    country = get("country_code")
    country = country.strip().upper() if isinstance(country, str) else ""
    out.country = country
    regions = _region_tuple(
        [country, get("company_country_code"), *(_region_tuple(default_regions))]
    )
    phones = []
    for field_name in ("phone", "mobile"):
        value = get(field_name)
        if value in (None, False, ""):
            continue
        result = normalise_phone(value, regions)
        if result.valid:
            if result.e164 not in phones:
                phones.append(result.e164)
        elif result.reason != "empty":
            flags.append(f"{field_name}: {result.reason}")
    out.phones = tuple(phones)

    street = " ".join(p for p in (text_key(get("street")), text_key(get("street2"))) if p)
    out.street_key = street
    out.city_key = text_key(get("city"))
    out.zip_key = _digits_and_letters(get("zip"))
    out.state_key = text_key(get("state"))
    out.vat_key = _digits_and_letters(get("vat"))
    company_vat = _digits_and_letters(get("company_vat"))
    if company_vat and not out.is_company and out.vat_key in ("", company_vat):
        out.vat_key, out.vat_company = company_vat, True
    out.birth_date = _birth_date_key(get("birth_date"))
    out.subject_key = text_key(get("subject"))
    out.created = _day_number(get("create_date"))
    return out


class RecordTable:
    """Column-wise store of normalised records, the input of the block and compare stages.

    One Python list per field (cheap to index in bulk, ~10x less memory than one object per record at
    a million rows). Row ``k`` is the ``k``-th record given; ``ids[k]`` is its ``id``.
    """

    COLUMNS = (
        "ids",
        "name",
        "name_key",
        "name_plain",
        "name_sorted",
        "first_token",
        "last_token",
        "phonetic",
        "company_key",
        "email_key",
        "email_local",
        "email_domain",
        "company_domain",
        "phone1",
        "phone2",
        "street_key",
        "city_key",
        "zip_key",
        "state_key",
        "country",
        "vat_key",
        "birth_date",
        "is_company",
        "signature",
        "vat_company",
        "subject_key",
        "created",
        "flags",
    )

    def __init__(self):
        for column in self.COLUMNS:
            setattr(self, column, [])

    def __len__(self):
        return len(self.ids)

    #: Columns with few distinct values: equal strings share one object (saves ~50 bytes a cell).
    SHARED_COLUMNS = (
        "first_token",
        "last_token",
        "phonetic",
        "company_key",
        "email_domain",
        "company_domain",
        "phone2",
        "city_key",
        "zip_key",
        "state_key",
        "country",
        "signature",
    )
    _PLAIN_COLUMNS = tuple(c for c in COLUMNS if c not in ("ids", "phone1", "phone2", "flags"))
    _plain_values = attrgetter(*_PLAIN_COLUMNS)

    def append(self, rec):
        """Add one ``NormalisedRecord``."""
        self.extend((rec,))

    def extend(self, normalised):
        """Add ``NormalisedRecord`` objects, sharing repeated strings of ``SHARED_COLUMNS``."""
        pools = self.__dict__.setdefault("_pools", {})
        appenders = []
        for column in self._PLAIN_COLUMNS:
            append = getattr(self, column).append
            if column in self.SHARED_COLUMNS:
                pool = pools.setdefault(column, {})
                append = _shared_appender(append, pool.setdefault)
            appenders.append(append)
        phone2_append = _shared_appender(
            self.phone2.append, pools.setdefault("phone2", {}).setdefault
        )
        ids_append, phone1_append, flags_append = (
            self.ids.append,
            self.phone1.append,
            self.flags.append,
        )
        values_of = self._plain_values
        for rec in normalised:
            ids_append(rec.id)
            for append, value in zip(appenders, values_of(rec), strict=True):
                append(value)
            phones = rec.phones
            phone1_append(phones[0] if phones else "")
            phone2_append(phones[1] if len(phones) > 1 else "")
            flags_append(tuple(rec.flags) if rec.flags else ())

    @classmethod
    def from_records(cls, records, default_regions=()):
        """Normalise raw record dicts straight into columns (no per-record objects are kept)."""
        table = cls()
        regions = _region_tuple(default_regions)
        table.extend(normalise_record(record, regions) for record in records)
        return table

    @classmethod
    def from_normalised(cls, normalised):
        table = cls()
        table.extend(normalised)
        return table

    def take(self, rows):
        """A new table holding ``rows`` of this one, in that order (a small slice of a big table)."""
        table = type(self)()
        for column in self.COLUMNS:
            values = getattr(self, column)
            setattr(table, column, [values[r] for r in rows])
        return table

    def phones(self, row):
        return tuple(p for p in (self.phone1[row], self.phone2[row]) if p)
