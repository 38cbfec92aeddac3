"""Find the signature block at the end of a mail's new text and read contact fields from it.

Each field carries a confidence in [0, 1]:
  >= WRITE_CONFIDENCE    strong evidence (label, sender match, legal suffix): safe to write;
  >= PROPOSE_CONFIDENCE  plausible: propose to a user, do not write silently;
  below                  a hint only (position in the block, nothing else).
Evidence from the sender (From display name and address) raises confidence: a name line equal to the
From name, a company line matching the mail domain, a website on the same domain.
"""

import re
import time
from dataclasses import dataclass, field, fields

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType

# the contact vocabulary shared with the duplicate search: free mail, domains, phones, folding
from ...engine.normalise import is_free_mail, phone_e164, registrable_label, text_key
from ...engine.public_suffix import is_known_suffix, public_suffix
from .text import clean_display

WRITE_CONFIDENCE = 0.8
PROPOSE_CONFIDENCE = 0.5

MAX_TAIL_LINES = 60  # only the end of a mail can hold its signature
MAX_BLOCK_LINES = 16
MAX_SEGMENT_CHARS = 200
MAX_PHONES = 6

# --------------------------------------------------------------------------------------------
# Vocabulary


def _words(text):
    return [w.strip() for w in text.split("|") if w.strip()]


_SIGN_OFFS = _words(
    # English
    "best regards|kind regards|warm regards|warmest regards|regards|best|best wishes|all the best|"
    "many thanks|thanks|thank you|thanks again|thanks in advance|cheers|sincerely|yours sincerely|"
    "sincerely yours|yours faithfully|yours truly|respectfully|talk soon|speak soon|take care|"
    "with thanks|with best regards|br|rgds|kr|"
    # French
    "cordialement|bien cordialement|très cordialement|tres cordialement|bien à vous|bien a vous|"
    "salutations|sincères salutations|meilleures salutations|bien amicalement|amicalement|"
    "merci|merci beaucoup|merci d'avance|bonne journée|bonne journee|bonne soirée|belle journée|"
    "à bientôt|a bientot|cdlt|bàv|"
    # German
    "mit freundlichen grüßen|mit freundlichen grüssen|mit freundlichem gruß|freundliche grüße|"
    "freundliche grüsse|viele grüße|viele grüsse|beste grüße|beste grüsse|liebe grüße|herzliche grüße|"
    "schöne grüße|gruß|grüße|mfg|lg|vg|danke|vielen dank|besten dank|"
    # Spanish
    "saludos|un saludo|saludos cordiales|atentamente|cordialmente|un cordial saludo|muchas gracias|"
    "gracias|un abrazo|quedo atento|quedo atenta|quedo a la espera|"
    # Italian
    "cordiali saluti|distinti saluti|saluti|un saluto|un caro saluto|cari saluti|grazie|"
    "grazie mille|buona giornata|buon lavoro|a presto|in attesa di un vostro riscontro|"
    # Dutch
    "met vriendelijke groet|met vriendelijke groeten|vriendelijke groet|vriendelijke groeten|"
    "hartelijke groet|hartelijke groeten|groeten|groet|mvg|bedankt|alvast bedankt|"
    # Portuguese
    "com os melhores cumprimentos|melhores cumprimentos|cumprimentos|atenciosamente|"
    "abraço|abraços|um abraço|obrigado|obrigada|saudações|cordialmente"
)
_SIGN_OFF_RE = re.compile(
    r"^(?P<phrase>"
    + "|".join(sorted((re.escape(p) for p in _SIGN_OFFS), key=len, reverse=True))
    + r")"
    r"(?:[\s,.!;:-]{1,4}(?P<rest>[^\d@:]{0,60}))?$",
    re.I,
)
_DELIMITER_RE = re.compile(r"^(?:--|-- |---|—|–|__|~~)\s?$")
_NOISE_RE = re.compile(
    r"^(?:sent from my|sent from (?:outlook|mail|yahoo)|get outlook for|envoyé de mon|envoyé depuis|"
    r"von meinem .{1,40} gesendet|gesendet von|enviado desde|obtener outlook|download outlook|"
    r"sent with|envoyé avec|inviato da|verzonden vanaf|verstuurd vanaf|enviado do meu)",
    re.I,
)
_LEGAL_FOOTER_RE = re.compile(
    r"(?:confidential|intended (?:solely )?(?:only )?for|intended recipient|privileged|"
    r"confidentiel|destinataire|vertraulich|empfänger|confidencial|destinatario|"
    r"before printing|avant d'imprimer|umwelt|medio ambiente|registered in england|"
    r"registered office|company (?:registration|number)|registergericht|amtsgericht|handelsregister|"
    r"sitz der gesellschaft|ust-?id|\brcs\b|siret|capital social|registro mercantil|\bcif\b|"
    r"unsubscribe|se désabonner|disclaimer|avertissement|riservat|destinatari|vertrouwelijk|"
    r"geadresseerde|kvk|btw-?nr|partita iva|p\.\s?iva|registo comercial|nipc|nif\b|"
    r"confidencialidade|contribuinte)",
    re.I,
)
_SOCIAL_HOSTS = (
    "linkedin.",
    "twitter.",
    "x.com",
    "facebook.",
    "instagram.",
    "youtube.",
    "xing.",
    "tiktok.",
    "github.com",
    "calendly.",
    "t.me",
    "wa.me",
    "medium.com",
    "bit.ly",
)
_SOCIAL_TEXT_RE = re.compile(
    r"(?:linkedin|twitter|facebook|instagram|xing|youtube|tiktok|follow us|suivez-nous|folgen sie uns|"
    r"síguenos|siguenos|seguici|volg ons|siga-nos|segue-nos)",
    re.I,
)

_TITLE_RE = re.compile(
    r"(?:\b(?:ceo|cto|cfo|coo|cmo|cio|cpo|cro|vp|svp|evp|md|founder|co-founder|cofounder|"
    r"director|manager|head of|head|vice[- ]president|president|chairman|chairwoman|chair|"
    r"engineer|consultant|account executive|executive|representative|specialist|officer|lead|"
    r"partner|owner|analyst|coordinator|assistant|architect|developer|designer|advisor|adviser|"
    r"associate|buyer|purchaser|administrator|chief|managing|supervisor|controller|accountant|"
    r"counsel|attorney|lawyer|recruiter|strategist|planner|principal|team lead|"
    r"directeur|directrice|responsable|chef de (?:projet|produit|service|rayon)|chargée? d[e']|"
    r"gérante?|présidente?|ingénieure?|commerciale?|attachée?|acheteuse|acheteur|fondatrice|"
    r"fondateur|cofondat\w{2,5}|assistante?|conseill\w{2,4}|consultante|développeu\w{1,3}|"
    r"gestionnaire|technicien\w{0,3}|comptable|juriste|délégué\w{0,2}|"
    r"geschäftsführer(?:in)?|leiter(?:in)?|leitung|vertriebsleiter(?:in)?|"
    r"einkäufer(?:in)?|einkaufsleiter(?:in)?|projektleiter(?:in)?|projektmanager(?:in)?|"
    r"berater(?:in)?|inhaber(?:in)?|vorstand\w{0,20}|abteilungsleiter(?:in)?|referent(?:in)?|"
    r"sachbearbeiter(?:in)?|ingenieur(?:in)?|entwickler(?:in)?|prokurist(?:in)?|"
    r"gesellschafter(?:in)?|kundenberater(?:in)?|teamleiter(?:in)?|laborleiter(?:in)?|"
    r"directora?|jefe|jefa|gerente|ingeniera|ingeniero|consultora?|fundadora?|asesora?|"
    r"coordinadora?|técnico|técnica|compradora?|ejecutiva|ejecutivo|administradora?|"
    r"delegada?|comercial|"
    r"responsabile|direttore|direttrice|amministratore(?: delegato)?|amministratrice|titolare|"
    r"impiegat[oa]|commerciale|consulente|ingegnere|tecnico|socio|socia|segretari[oa]|"
    r"inkoper|inkoopmanager|accountmanager|projectleider|bedrijfsleider|hoofd|eigenaar|"
    r"medewerker|adviseur|vennoot|verkoper|commercieel|directeur|"
    r"diretora?|gestora?|responsável|administrador|sócio|sócia|engenheir[oa]|coordenadora?|"
    r"assessora?|vendedora?|analista|gerente|presidente|avocate?|associée?|notaire|"
    r"expert-comptable|avvocato|advocaat|advogad[oa]|abogad[oa]|rechtsanwält(?:in)?|"
    r"dpto|departamento|département|abteilung|afdeling|verkoop|binnendienst|buitendienst|"
    r"operator|agent|agente)\b"
    r"|\b\w{0,20}(?:leiter|leiterin|manager|managerin|führer|führerin|leider|leidster)\b)",
    re.I,
)
_LEGAL_SUFFIX_RE = re.compile(
    r"(?:^|[\s,])(?:inc|incorporated|ltd|limited|llc|llp|plc|corp|corporation|co|company|gmbh|"
    r"gmbh & co\.? kg|ag|kg|ohg|e\.?\s?k|ug|se|sarl|s\.a\.r\.l|sas|sasu|sa|s\.a|eurl|sci|scop|"
    r"sl|s\.l|slu|s\.l\.u|s\.a\.u|sau|sca|bv|b\.v|nv|n\.v|oy|ab|pty ltd|pty|spa|s\.p\.a|srl|s\.r\.l|"
    r"lda|ltda|s\.n\.c|snc|s\.a\.s|sapa|vof|v\.o\.f|cv|c\.v|unipessoal|sàrl|s\.à r\.l|"
    r"e\.u|scarl|s\.c\.a\.r\.l|bvba|sprl|nv/sa|"
    r"lda|group|groupe|gruppe|grupo|gruppo|groep|holding)\.?\)?$",
    re.I,
)
# Honorifics and academic or professional prefixes of seven languages, before a name.
_HONORIFICS = (
    "dr dra drs dr.ssa dr.ª dr.a eng.a ing.a sr.a prof prof.ssa mr mrs ms miss mx sir dame mme mlle me maître maitre "
    "herr frau mag dipl.-ing dipl.-kfm dipl.-kffr dipl ing ing.ª ir sr sra srta sr.ª dña doña "
    "lic lcdo lcda dott dott.ssa avv arch geom rag sig sig.ra eng eng.ª engª enga exmo exma dhr "
    "mevr meneer mevrouw signor signora i.a. i.v. ppa. pp."
).split()
# Any hyphenated degree ('Dr.-Ing.', 'Dipl.-Wirt.-Ing.', 'Dr.-Ing. habil.') and any honorific with an
# ordinal indicator ('Eng.º', 'Arq.ª', 'Dr.º'; 'Eng.o' once NFKC-folded) are prefixes too, listed or not.
_HONORIFIC_RE = re.compile(
    r"^(?:(?:[a-z]{2,6}\.(?:-[a-z]{2,6}\.?)+(?:\s?habil\.?)?|[a-z]{1,5}\.[oaºª°](?=\s)|"
    + "|".join(re.escape(word) for word in sorted(_HONORIFICS, key=len, reverse=True))
    + r")(?:\.?\s?[ºª°])?(?:\.\s?|\s)|(?:m|d)\.\s?)+",
    re.I,
)
# Credentials and pronouns after a name: ', CIC', ' MSc', '(Ms)', '(they/them)'. Short letters that
# may be a family name ('Ing', 'Dr', 'Ma') count only after a comma.
_CREDENTIALS_ANYWHERE = (
    "phd ph.d mba msc m.sc cpa cfa cic pmp cissp llm ll.m p.eng esq fca acca ceng mbe obe cbe frics "
    "mrics jr jr. cima cfp"
).split()
_CREDENTIALS_AFTER_COMMA = (
    "ma m.a ba b.a bsc b.sc pe md m.d rn aca sr dipl.-ing mag dr prof ir ing drs eng".split()
)


def _alternation(words):
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_POSTNOMINAL_RE = re.compile(
    r"(?:(?:,\s?(?:" + _alternation(_CREDENTIALS_ANYWHERE + _CREDENTIALS_AFTER_COMMA) + r")"
    r"|\s(?:" + _alternation(_CREDENTIALS_ANYWHERE) + r"))\.?(?=$|[\s,]))+$"
    r"|\s?\((?:ms|mr|mrs|mx|miss|dr|[a-zà-ü]{1,6}\s?/\s?[a-zà-ü]{1,6}(?:\s?/\s?[a-zà-ü]{1,6})?"
    r"|elle|il|iel|sie|er|ela|ele|zij|hij|lei|lui)\)\s?$",
    re.I,
)


def strip_name_decorations(text):
    """'Dott.ssa Giulia Bianchi' → 'Giulia Bianchi'; 'Sam Lee (they/them)' → 'Sam Lee';
    'Anna Berg, CIC' → 'Anna Berg': honorifics, credentials and pronouns are not the name."""
    text = (text or "").strip()
    for _ in range(3):
        stripped = _POSTNOMINAL_RE.sub("", text).strip(" ,")
        stripped = _HONORIFIC_RE.sub("", stripped).strip(" ,")
        if stripped == text:
            break
        text = stripped
    return text


_NAME_PARTICLES = frozenset(
    "de du des del della der den van von da di le la los las y e zu ten ter het dos das do".split()
)
_NOT_NAME_WORDS = frozenset(
    "team sales support service services customer office department the and und et y of for "
    "hello hi dear thanks regards gmbh inc ltd llc sarl sas group mobile phone email tel fax "
    "www http street road avenue rue calle monday tuesday wednesday thursday friday".split()
)

_LABEL_KINDS = (
    ("fax", r"fax|f|télécopie|telefax|tfx"),
    (
        "mobile",
        r"mobile|mob|m|cell|cellphone|cell phone|portable|port|gsm|handy|mobil|mobiltelefon|"
        r"móvil|movil|móv|mov|celular|cel|tlf\.? móvil|cellulare|cellular|mobiel|mobiele telefoon|"
        r"telemóvel|telemovel|tlm|tlmv|móvel|movel|whatsapp",
    ),
    (
        "phone",
        r"phone|ph|p|tel|tél|t|telephone|téléphone|office|direct|direct line|dl|d|work|"
        r"ligne directe|standard|fixe|bureau|telefon|fon|festnetz|durchwahl|zentrale|"
        r"teléfono|telefono|tfno|tlf|fijo|oficina|centralita|switchboard|main|"
        r"fisso|ufficio|centralino|telefoon|tel\.? kantoor|kantoor|vast|doorkiesnummer|"
        r"telefone|tlf|escritório|escritorio|geral",
    ),
    ("email", r"e-mail|email|mail|courriel|e|correo|correo electrónico|posta|correio|e-post"),
    (
        "website",
        r"web|website|site|site web|www|w|url|internet|homepage|página web|web site|sito|sito web|"
        r"webpagina|sítio|página",
    ),
    (
        "address",
        r"address|adresse|anschrift|dirección|direccion|addr|indirizzo|adres|morada|endereço",
    ),
)
_LABEL_RE = re.compile(
    r"^(?P<label>" + "|".join(f"(?P<{kind}>{words})" for kind, words in _LABEL_KINDS) + r")"
    r"(?:\.?\s?:\s?|\.\s|\s)",
    re.I,
)
# A label written right before a number inside a segment ("T +44 ... M +44 ...").
_INLINE_LABEL_RE = re.compile(
    r"(?P<word>[A-Za-zéèóÓÉ.]{1,14})\s?[:.]?\s?\(?\s?$",
)
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,5}"
)
# A web address: with a scheme or 'www.', anything host-like; bare, a host whose suffix the public
# suffix list knows (``engine/public_suffix.py``: 'acme.com.au', 'acme.cat'), checked in _web_host.
_URL_RE = re.compile(
    r"(?<![@\w.])(?:https?://|www\.)[^\s|,;<>()\"']{2,200}|"
    r"(?<![@\w.-])[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9][a-z0-9-]{0,62}){1,4}"
    r"(?:/[^\s|,;<>()\"']{0,100})?(?![\w@-])",
    re.I,
)
_EXPLICIT_URL_RE = re.compile(r"^(?:https?://|www\.)", re.I)
_RESERVED_TLDS = frozenset(("example", "test"))  # RFC 2606 names, used in examples and tests


def _web_host(url):
    """True when url (as matched by _URL_RE) names a web host: explicit, or a bare domain whose
    suffix is public (by the public suffix list) under an owner label of 2+ characters."""
    if _EXPLICIT_URL_RE.match(url):
        return True
    host = url.split("/", 1)[0].lower()
    suffix = public_suffix(host)
    owner = host[: -len(suffix) - 1] if suffix and host.endswith("." + suffix) else ""
    owner_label = owner.rpartition(".")[2]
    return (
        bool(owner_label)
        and (len(owner_label) >= 3 or (len(owner_label) == 2 and url.islower()))
        and not owner_label.isdigit()
        and (suffix in _RESERVED_TLDS or is_known_suffix(suffix))
    )


_STREET_RE = re.compile(
    r"(?:^\d{1,5}[a-z]?(?:-\d{1,5})?,?\s.{0,60}\b(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|"
    r"boulevard|blvd|way|place|pl|court|ct|square|sq|parkway|pkwy|highway|hwy|terrace|row|close|"
    r"crescent|wharf|yard|mews)\b"
    r"|^\d{1,4}(?:\s?(?:bis|ter))?,?\s(?:rue|avenue|av\.|boulevard|bd|place|allée|chemin|quai|impasse|"
    r"route|cours|square|passage|rond-point|esplanade|parvis)\b"
    r"|\b\w{0,30}(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee|markt)\s\d{1,4}\s?[a-z]?\b"
    r"|^(?:calle|c/|avda\.?|avenida|av\.|paseo|plaza|pza\.|carrer|ronda|camino|travesía|glorieta|"
    r"rambla|passeig)\s.{2,60}"
    r"|^(?:via|viale|piazza|piazzale|corso|largo|vicolo|strada|contrada|località|loc\.|rua|avenida|"
    r"av\.|travessa|praça|praca|estrada|alameda|rodovia)\s.{2,60}?\d{1,5}"
    r"|\b\w{0,30}(?:straat|gracht|laan|plein|kade|dijk|singel|steeg|markt|weg)\s\d{1,4}\s?[a-z]?\b"
    r"|\b(?:suite|unit|floor|building|bâtiment|bât\.|etage|étage|planta|piso)\s\w{1,6}\b"
    r"|^(?:p\.?o\.? box|bp|cs|postfach|apartado)\s?\d{1,6}\b)",
    re.I,
)
_POSTCODE_RE = re.compile(
    r"(?:\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"  # UK
    r"|(?:^|\s|,|[A-Z]-)\d{4,5}\s[A-ZÀ-Ý][\w'-]{1,30}"  # FR / DE / ES / BE / CH / AT
    r"|\b[A-Z][A-Za-z. ]{1,30},\s?[A-Z]{2}\s\d{5}(?:-\d{4})?\b"  # US
    r"|(?:^|\s|,)\d{4}\s?[A-Z]{2}\s[A-Z][\w'-]{1,30}"  # NL
    r"|(?:^|\s|,)\d{4,5}-\d{3}\s[A-ZÀ-Ý][\w'-]{1,30})"  # PT / BR
)
_COUNTRIES = {
    "france": "FR",
    "germany": "DE",
    "deutschland": "DE",
    "allemagne": "DE",
    "alemania": "DE",
    "spain": "ES",
    "españa": "ES",
    "espagne": "ES",
    "spanien": "ES",
    "united kingdom": "GB",
    "uk": "GB",
    "england": "GB",
    "royaume-uni": "GB",
    "reino unido": "GB",
    "usa": "US",
    "united states": "US",
    "u.s.a.": "US",
    "etats-unis": "US",
    "états-unis": "US",
    "belgium": "BE",
    "belgique": "BE",
    "switzerland": "CH",
    "suisse": "CH",
    "schweiz": "CH",
    "austria": "AT",
    "österreich": "AT",
    "méxico": "MX",
    "mexico": "MX",
    "ireland": "IE",
    "canada": "CA",
    "italia": "IT",
    "italy": "IT",
    "italie": "IT",
    "italien": "IT",
    "nederland": "NL",
    "netherlands": "NL",
    "the netherlands": "NL",
    "pays-bas": "NL",
    "niederlande": "NL",
    "países bajos": "NL",
    "holland": "NL",
    "belgië": "BE",
    "belgien": "BE",
    "bélgica": "BE",
    "portugal": "PT",
    "brasil": "BR",
    "brazil": "BR",
    "brésil": "BR",
    "australia": "AU",
    "australie": "AU",
    "luxembourg": "LU",
    "luxemburg": "LU",
    "svizzera": "CH",
    "zwitserland": "CH",
    "suíça": "CH",
    "francia": "FR",
    "frankrijk": "FR",
    "frankreich": "FR",
    "germania": "DE",
    "duitsland": "DE",
    "alemanha": "DE",
    "spagna": "ES",
    "spanje": "ES",
    "espanha": "ES",
    "regno unito": "GB",
    "verenigd koninkrijk": "GB",
}
_TLD_REGION = {
    "fr": "FR",
    "de": "DE",
    "es": "ES",
    "uk": "GB",
    "us": "US",
    "be": "BE",
    "ch": "CH",
    "at": "AT",
    "ie": "IE",
    "ca": "CA",
    "mx": "MX",
    "it": "IT",
    "nl": "NL",
    "pt": "PT",
}
_SEGMENT_SPLIT_RE = re.compile(r"\s{0,3}[|•·∙◦▪]\s{0,3}|\s{2,}|\t+|\s[–—]\s|\s-\s")
_DIGIT_DASH_RE = re.compile(r"(?<![\w+])((?:0|\+)\d{1,3}) - (?=\d)")
_SLASH_SPLIT_RE = re.compile(r"\s/\s")
# '089 / 12 34 56 78', '(0171) / 1234567', '+43 (0) 1 / 234 56 78': an area code written apart from the number by a slash.
_AREA_SLASH_RE = re.compile(
    r"(?<![\w+/])((?:\+\d{1,3}\s?(?:\(0\)\s?)?\d{1,5}|\(?0\d{1,5}\)?))\s?/\s?(?=\d)"
)
# A vCard-like field label before a name, title or company ('Name: ', 'Title: ', 'Société : '):
# the label is not part of the value.
_FIELD_LABEL_RE = re.compile(
    r"^(?:full name|name|job title|title|position|role|company|organi[sz]ation|firm|"
    r"vorname|nachname|firma|unternehmen|funktion|nom|fonction|poste|soci[ée]t[ée]|entreprise|"
    r"nombre|cargo|puesto|empresa|nome|ruolo|qualifica|azienda|societ[àa]|naam|functie|bedrijf|"
    r"organisatie|fun[çc][ãa]o)\s?:\s?(?=\S)",
    re.I,
)
# A line that gives another person's details (an assistant, a secretariat, "on behalf of"): its
# address and numbers are not the sender's.
_OTHER_PERSON_RE = re.compile(
    r"^(?:executive |personal )?(?:assistant|assistante|assistent|assistente|assistentin|assistenz|"
    r"asistente|secretary|secretaria|secretario|secrétaire|secretariat|secrétariat|sekretariat|"
    r"sekretärin|segreteria|segretaria|secretariaat|secretaresse|secretária|secretariado|"
    r"ea|pa)\b(?:\s(?:to|of|de|du|von|van|di|da|del|della)\b[^:]{0,40})?\s?:"
    r"|^(?:ea|pa|assistant)\sto\s"
    r"|\b(?:my|mon|ma|meine|mein|mi|la mia|il mio|mijn|a minha|o meu)\s(?:personal |executive )?"
    r"(?:assistant|assistante|assistentin|assistenten|asistente|assistente|assistent|"
    r"secrétaire|sekretärin|secretaria|segretaria|secretaresse|secretária)\b"
    r"|\b(?:on behalf of|au nom de|de la part de|im auftrag von|en nombre de|per conto di|"
    r"a nome di|namens|em nome de)\b",
    re.I,
)
_COMPANY_JOIN_RE = re.compile(r"\s(?:at|@|chez|bei|en|de la société|von der)\s|,\s", re.I)


@dataclass(frozen=True)
class Field:
    """One extracted value, its confidence in [0, 1] and a short reason for it."""

    value: str
    confidence: float
    evidence: str = ""
    #: digits of a phone's extension (the value of a phone is its E.164 key, without it)
    extension: str = ""


@dataclass
class Signature:
    """The located signature block and the contact fields read from it (None when absent)."""

    block: str = ""
    located_by: str = ""  # "delimiter", "sign-off", "trailing-block" or "" when none found
    name: Field | None = None
    title: Field | None = None
    company: Field | None = None
    email: Field | None = None
    phone: Field | None = None
    mobile: Field | None = None
    website: Field | None = None
    address: Field | None = None
    extra_phones: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)  # field name: why its value was not kept
    timed_out: bool = False

    FIELD_NAMES = ("name", "title", "company", "email", "phone", "mobile", "website", "address")

    def fields(self, min_confidence=0.0):
        """{field name: Field} for the fields found with at least min_confidence."""
        out = {}
        for name in self.FIELD_NAMES:
            value = getattr(self, name)
            if value is not None and value.confidence >= min_confidence:
                out[name] = value
        return out

    def values(self, min_confidence=WRITE_CONFIDENCE):
        """{field name: value} of the fields confident enough to write without asking."""
        return {name: f.value for name, f in self.fields(min_confidence).items()}


assert {f.name for f in fields(Signature)} >= set(Signature.FIELD_NAMES)


# --------------------------------------------------------------------------------------------
# Helpers


def _domain_label(domain):
    """'mail.northwind-logistics.co.uk' → 'northwindlogistics' (the registrable name, folded)."""
    return re.sub(r"[^a-z0-9]", "", registrable_label(domain))


_LANGUAGE_REGIONS = (
    (re.compile(r"\b(?:tél|portable|cordialement|fixe|bien à vous|rue|cedex)\b", re.I), "FR"),
    (re.compile(r"\b(?:handy|telefon|grüße|grüssen|mobil|\w+straße|\w+strasse)\b", re.I), "DE"),
    (re.compile(r"\b(?:móvil|movil|tfno|teléfono|saludos|atentamente|calle|avda)\b", re.I), "ES"),
    (re.compile(r"\b(?:cellulare|cell|saluti|ufficio|via|piazza|corso)\b", re.I), "IT"),
    (re.compile(r"\b(?:mobiel|telefoon|groet|groeten|mvg|straat|\w+gracht|\w+weg)\b", re.I), "NL"),
    (re.compile(r"\b(?:telemóvel|telemovel|tlm|cumprimentos|rua|avenida da)\b", re.I), "PT"),
)
# Postcodes that name their country: Dutch '1015 CJ', Portuguese '1100-053', Brazilian '01310-100'.
_POSTCODE_REGIONS = (
    (re.compile(r"(?:^|[\s,])\d{4}\s?[A-Z]{2}\s[A-Z][a-z]"), "NL"),
    (re.compile(r"(?:^|[\s,])\d{4}-\d{3}\s[A-ZÀ-Ý]"), "PT"),
    (re.compile(r"(?:^|[\s,])\d{5}-\d{3}\s[A-ZÀ-Ý]"), "BR"),
)
_TLD_REGION_EXTRA = {
    "uk": "GB",
    "cat": "ES",
    "eus": "ES",
    "gal": "ES",
    "bzh": "FR",
    "corsica": "FR",
}


def _tld_region(host):
    """Region of a host's country-code top-level domain ('acme.com.au' → 'AU'), or None."""
    tld = (host or "").lower().rstrip("/").split("/")[0].rstrip(".").rpartition(".")[2]
    if tld in _TLD_REGION_EXTRA:
        return _TLD_REGION_EXTRA[tld]
    if len(tld) == 2 and tld.isalpha() and phonenumbers.country_code_for_region(tld.upper()):
        return tld.upper()
    return None


_COUNTRY_AT_END_RE = re.compile(
    r"(?:^|[\s,])("
    + "|".join(re.escape(country) for country in sorted(_COUNTRIES, key=len, reverse=True))
    + r")\.?$",
    re.I,
)
_COUNTRY_WORD_RE = re.compile(
    r"\b(" + "|".join(re.escape(c) for c in sorted(_COUNTRIES, key=len, reverse=True)) + r")\b",
    re.I,
)


def _address_region(lines):
    """Region named by a country name or a country-specific postcode in the lines, or None."""
    for line in lines:
        match = _COUNTRY_AT_END_RE.search(line)
        if match:
            return _COUNTRIES[match.group(1).lower()]
    for line in lines:
        for regex, region in _POSTCODE_REGIONS:
            if regex.search(line):
                return region
    return None


def region_evidence(block, email="", website="", text="", company_region=None):
    """[(region, evidence)] for reading national phone numbers, strongest first: the country code
    of a number written in full, the address's country, the ccTLD of the sender's domain then of
    the website, the signature's language, and last the company's country in Odoo."""
    found = []
    prefix = _region_from_prefix(block)
    if prefix:
        found.append((prefix, "country code of another number"))
    address = _address_region(block)
    if address:
        found.append((address, "country of the address"))
    domain = email.rpartition("@")[2]
    for host, evidence in ((domain, "the sender's domain"), (website, "the website")):
        if host and not (evidence.startswith("the sender") and is_free_mail(host)):
            region = _tld_region(host)
            if region:
                found.append((region, f"ccTLD of {evidence}"))
    if domain and is_free_mail(domain) and _tld_region(domain):
        found.append((_tld_region(domain), "ccTLD of the sender's free-mail domain"))
    for regex, region in _LANGUAGE_REGIONS:
        if regex.search(text):
            found.append((region, "language of the signature"))
            break
    if company_region:
        found.append((company_region, "country of our company"))
    ordered, support = [], {}
    for region, evidence in found:
        if region not in support:
            ordered.append(region)
        support.setdefault(region, []).append(evidence)
    # two independent hints naming the same country (the signature's language and our company's
    # country, say) are as good as one strong piece of evidence
    return [
        (region, support[region][0] if len(support[region]) == 1 else " and ".join(support[region]))
        for region in ordered
    ]


def region_for(email="", website="", text=""):
    """Best guess of a phone region: mail or web domain, a country name, then the signature's language."""
    evidence = region_evidence([], email, website, text)
    match = _COUNTRY_WORD_RE.search(text)
    if match:
        evidence.insert(0, (_COUNTRIES[match.group(1).lower()], "country name"))
    return evidence[0][0] if evidence else None


def _is_social(url):
    lowered = url.lower()
    return any(host in lowered for host in _SOCIAL_HOSTS)


def normalise_website(url):
    """'HTTPS://www.Example.com/' → 'https://www.example.com' (scheme added, host lower-cased)."""
    url = url.strip().rstrip("/.")
    if not re.match(r"^https?://", url, re.I):
        url = "https://" + url
    scheme, _, rest = url.partition("://")
    host, sep, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{sep}{path}"


def _looks_like_name(segment):
    words = segment.replace(",", " ").split()
    if not 2 <= len(words) <= 5 or len(segment) > 60:
        return False
    capitalised = 0
    for word in words:
        bare = word.strip(".'’()")
        if not bare:
            return False
        if bare.lower() in _NAME_PARTICLES:
            continue
        if bare.lower() in _NOT_NAME_WORDS:
            return False
        if not all(ch.isalpha() or ch in "-'’." for ch in bare):
            return False
        if not bare[0].isupper():
            return False
        capitalised += 1
    return capitalised >= 2


def _name_evidence(candidate, from_name, from_email):
    """Confidence that candidate is the sender, from the From display name and address."""
    cand = set(text_key(candidate).split())
    sender = set(text_key(from_name).split()) - _NOT_NAME_WORDS
    local = text_key(from_email.partition("@")[0]).replace(" ", "")
    if sender and len(cand) >= 2:
        common = cand & sender
        if len(common) >= 2 or (common and common == sender):
            return 0.97, "matches the From name"
        if common:
            return 0.85, "shares a word with the From name"
    hits = [token for token in cand if len(token) >= 3 and token in local]
    if len(hits) >= 2:
        return 0.9, "matches the sender address"
    if hits:
        return 0.8, "part of the sender address"
    return 0.6, "name-shaped first line of the signature"


def _company_evidence(segment, domains):
    """(confidence, reason) that segment names a company; 0 when it does not look like one."""
    suffix = bool(_LEGAL_SUFFIX_RE.search(segment))
    folded = text_key(_LEGAL_SUFFIX_RE.sub("", segment)).replace(" ", "")
    domain_match = False
    words = [w for w in text_key(_LEGAL_SUFFIX_RE.sub("", segment)).split() if len(w) >= 3]
    for label in domains:
        if label and len(words) >= 2 and all(w in label for w in words):
            domain_match = True  # 'Boulangeries Morel' and morel-boulangeries.fr
        if label and folded and len(folded) >= 3:
            if (
                folded == label
                or (len(label) >= 4 and (folded.startswith(label) or label.startswith(folded)))
                or (len(label) >= 6 and label in folded)
            ):
                domain_match = True
    if suffix and domain_match:
        return 0.95, "legal suffix and mail domain"
    if suffix:
        return 0.85, "legal suffix"
    if domain_match:
        return 0.85, "matches the mail domain"
    return 0.0, ""


# --------------------------------------------------------------------------------------------
# Locating the block


def _trim_tail(lines):
    """Drop device taglines and legal footers at the end; return the remaining lines."""
    end = len(lines)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _NOISE_RE.match(stripped):
            end = min(end, index)
            break
        if _LEGAL_FOOTER_RE.search(stripped) and (
            len(stripped) > 60 or ":" in stripped or index > 2
        ):
            # a disclaimer or company register footer: everything below it is boilerplate too
            end = min(end, index)
            break
    return lines[:end]


def locate(text):
    """Return (block_lines, located_by, sign_off_rest) for the signature at the end of text."""
    lines = (text or "").split("\n")[-MAX_TAIL_LINES:]
    lines = [line[: MAX_SEGMENT_CHARS * 2].strip() for line in lines]
    lines = [
        line[1:].strip() if line.startswith(("*", "_")) and line.endswith(("*", "_")) else line
        for line in lines
    ]
    # Footers are cut only within the last lines so that a word in the body never truncates it.
    body, tail = lines[:-25], _trim_tail(lines[-25:])
    lines = body + tail
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        return [], "", ""
    for index in range(len(lines) - 1, max(-1, len(lines) - 25), -1):
        if _DELIMITER_RE.match(lines[index]):
            return [x for x in lines[index + 1 :] if x][:MAX_BLOCK_LINES], "delimiter", ""
    non_empty = [i for i, line in enumerate(lines) if line]
    for index in reversed(non_empty[-20:]):
        match = _SIGN_OFF_RE.match(lines[index])
        rest = (match.group("rest") or "").strip(" ,.!") if match else ""
        place = rest.split()[0].lower() in ("aus", "from", "de", "desde", "von") if rest else False
        if place:
            rest = ""  # "Viele Grüße aus Aalen": a sign-off with a place, not a name
        elif rest and not (len(rest.split()) <= 3 and all(w[:1].isupper() for w in rest.split())):
            continue  # "Thanks for the call" is a sentence, not a sign-off
        if match and len(lines[index]) <= 80:
            block = [x for x in lines[index + 1 :] if x][:MAX_BLOCK_LINES]
            return block, "sign-off", rest
    block = []
    for index in reversed(non_empty[-MAX_BLOCK_LINES:]):
        line = lines[index]
        one_line = line.count(" | ") >= 2 and len(line) <= MAX_SEGMENT_CHARS
        prose = not one_line and (
            len(line) > 90
            or line.endswith((",", ":"))
            or (len(line.split()) >= 5 and line.endswith((".", "?", "!")))
        )
        if prose:
            break
        block.insert(0, line)
    return block, "trailing-block", ""


# --------------------------------------------------------------------------------------------
# Reading the block


def _split_segments(line):
    """Parts of a signature line; 'Directeur commercial / Sales Director' stays one (a title in two
    languages), other ' / ' separate parts."""
    segments = []
    line = _DIGIT_DASH_RE.sub(r"\1-", line[:MAX_SEGMENT_CHARS])  # '06 - 12 34 56 78' is one number
    line = _AREA_SLASH_RE.sub(r"\1 ", line)
    for part in _SEGMENT_SPLIT_RE.split(line):
        pieces = _SLASH_SPLIT_RE.split(part) if part else []
        if len(pieces) > 1 and all(
            _TITLE_RE.search(piece) and not any(ch.isdigit() or ch == "@" for ch in piece)
            for piece in pieces
        ):
            pieces = [part]
        segments.extend(
            _FIELD_LABEL_RE.sub("", piece.strip(" ,;"))
            for piece in pieces
            if piece and piece.strip(" ,;")
        )
    return segments


def _label_kind(match):
    return next((kind for kind, _ in _LABEL_KINDS if match.group(kind)), None)


def _phone_kind_from_text(prefix):
    """Kind ('phone', 'mobile', 'fax' or None) of a label written just before a number."""
    match = _INLINE_LABEL_RE.search(prefix[-20:])
    if not match:
        return None
    word = match.group("word").strip(".").lower()
    label = _LABEL_RE.match(word + " ")
    kind = _label_kind(label) if label else None
    return kind if kind in ("phone", "mobile", "fax") else None


def _label_fits(kind, body):
    if kind in ("phone", "mobile", "fax"):
        return sum(ch.isdigit() for ch in body) >= 6
    if kind == "email":
        return "@" in body
    if kind == "website":
        return "." in body and " " not in body.strip()
    return bool(body)


_TRAILING_LABEL_RE = re.compile(r"^\s?\(\s?(\w{1,10})\.?\s?\)", re.I)
_TRAILING_LABEL = {
    "mobile": "mobile",
    "mob": "mobile",
    "m": "mobile",
    "cell": "mobile",
    "portable": "mobile",
    "handy": "mobile",
    "mobil": "mobile",
    "móvil": "mobile",
    "cell.": "mobile",
    "cellulare": "mobile",
    "mobiel": "mobile",
    "telemóvel": "mobile",
    "celular": "mobile",
    "office": "phone",
    "direct": "phone",
    "work": "phone",
    "bureau": "phone",
    "büro": "phone",
    "oficina": "phone",
    "fax": "fax",
}


def _trailing_label(text):
    match = _TRAILING_LABEL_RE.match(text)
    return match.group(1).lower() if match else ""


# Evidence for the region of national numbers strong enough to write what it reads without asking.
_STRONG_REGION_EVIDENCE = ("country code", "country of the address", "ccTLD of the sender's domain",
                           "ccTLD of the website")  # fmt: skip


_MAX_REGIONS_TRIED = 3


def _find_phones(segment, label_kind, regions):
    """(kind, Field) for each number in segment: valid numbers first, then labelled possible ones.

    regions is region_evidence()'s list: a number written in full needs none; a national number is
    read in the first region where it is valid, and its confidence says how good that region's
    evidence is (a country guessed from the language or our own company is only proposed)."""
    found, seen = [], set()
    candidates = list(regions or ())[:_MAX_REGIONS_TRIED] or [(None, "")]
    for leniency in (Leniency.VALID, Leniency.POSSIBLE):
        # a number merely possible is read in the best-supported region only
        tried = candidates if leniency is Leniency.VALID else candidates[:1]
        for position, (region, region_evidence_text) in enumerate(tried):
            matched = False
            start = 0
            try:
                for match in PhoneNumberMatcher(segment, region, leniency=leniency, max_tries=20):
                    matched = True
                    kind = (
                        _phone_kind_from_text(segment[start : match.start])
                        or _TRAILING_LABEL.get(_trailing_label(segment[match.end : match.end + 16]))
                        or label_kind
                    )
                    start = match.end
                    e164 = phone_e164(match.number)
                    if e164 in seen:
                        continue
                    international = match.raw_string.lstrip("(").startswith(("+", "00"))
                    if leniency is Leniency.POSSIBLE:
                        if kind not in ("phone", "mobile"):
                            continue  # an unlabelled, merely possible number is more likely a reference
                        confidence = 0.7
                        evidence = f"labelled {kind}, number not in the numbering plan"
                    elif kind in ("phone", "mobile", "fax"):
                        confidence, evidence = 0.95, f"labelled {kind}"
                    else:
                        ntype = phonenumbers.number_type(match.number)
                        kind = "mobile" if ntype == PhoneNumberType.MOBILE else "phone"
                        confidence, evidence = 0.85, "valid number, type from the numbering plan"
                    if not international and region:
                        strong = position == 0 and (
                            region_evidence_text.startswith(_STRONG_REGION_EVIDENCE)
                            or " and " in region_evidence_text
                        )
                        evidence += f"; national number read as {region} ({region_evidence_text})"
                        if not strong:
                            confidence = min(confidence, 0.7)
                    seen.add(e164)
                    found.append(
                        (kind, Field(e164, confidence, evidence, match.number.extension or ""))
                    )
            except Exception:  # noqa: BLE001 - phonenumbers raises on odd input; a missed number is fine
                continue
            if matched:
                break
    return found


def _classify_text(segment, domains):
    """Scores of a free-text segment as ('company', conf, reason) / ('title', ...) / ('name', ...)."""
    company_conf, company_reason = _company_evidence(segment, domains)
    if company_conf:
        return "company", company_conf, company_reason
    if _TITLE_RE.search(segment) and len(segment) <= 80 and "@" not in segment:
        return "title", 0.85, "job title vocabulary"
    if _looks_like_name(segment):
        return "name", 0.6, "name-shaped"
    return "other", 0.0, ""


def parse_block(
    block, from_name="", from_email="", default_region=None, sign_off_rest="", deadline=None
):
    """Read contact fields from the signature lines (a list of stripped, non-empty lines).

    default_region: a list of region_evidence() pairs, or one region code (taken as strong)."""
    if isinstance(default_region, str) or default_region is None:
        regions = [(default_region, "country code given")] if default_region else []
    else:
        regions = list(default_region)
    sig = Signature(block="\n".join(block))
    from_email = (from_email or "").strip().lower()
    from_domain = from_email.rpartition("@")[2]
    domains = [] if is_free_mail(from_domain) else [_domain_label(from_domain)]
    emails, websites, phones, address_parts, texts = [], [], [], [], []
    for line_no, line in enumerate(block[:MAX_BLOCK_LINES]):
        if deadline is not None and time.monotonic() > deadline:
            sig.timed_out = True
            return sig
        other = _OTHER_PERSON_RE.search(line)
        if other:
            # an assistant's or a colleague's details: never the sender's
            sig.skipped["other_person"] = f"a line about another person: {line[:80]}"
            if not line[other.end() :].strip(" :-|"):
                break  # 'Assistant:' alone: what follows is the assistant's
            continue
        segments = _split_segments(line)
        for seg_no, segment in enumerate(segments):
            label = _LABEL_RE.match(segment)
            label_kind = _label_kind(label) if label else None
            body = segment[label.end() :].strip() if label else segment
            if label_kind and not _label_fits(label_kind, body):
                label_kind, body = None, segment  # "Office Manager": a word, not a label
            rest = body
            for match in _EMAIL_RE.finditer(body):
                emails.append(match.group(0).strip(".").lower())
                rest = rest.replace(match.group(0), " ")
            for match in _URL_RE.finditer(rest):
                url = match.group(0).rstrip(".")
                if "@" in url or url[:1].isdigit() or not _web_host(url):
                    continue  # 'Dott.ssa', 'S.p.A.', '1.5': not a web address
                websites.append((url, label_kind == "website"))
                rest = rest.replace(match.group(0), " ")
            if label_kind == "address" or _STREET_RE.search(rest) or _POSTCODE_RE.search(rest):
                if label_kind not in ("phone", "mobile", "fax"):
                    address_parts.append((line_no, rest.strip(" ,")))
                    continue
            if any(ch.isdigit() for ch in rest) and len(phones) < MAX_PHONES:
                found = _find_phones(rest, label_kind, regions)
                if found:
                    phones.extend(found)
                    continue
            rest = rest.strip(" ,;:-")
            if _SOCIAL_TEXT_RE.search(rest):
                continue
            if rest and label_kind is None and not any(ch.isdigit() for ch in rest[:3]):
                if (
                    address_parts
                    and address_parts[-1][0] >= line_no - 1
                    and rest.lower().strip(" .") in _COUNTRIES
                ):
                    address_parts.append((line_no, rest))
                    continue
                texts.append((line_no, seg_no, rest))

    # Email: prefer the sender's own address; without one in the signature, the From address.
    if not emails and from_email and "@" in from_email:
        sig.email = Field(from_email, 0.95, "the sender's From address")
    if emails:
        chosen = from_email if from_email in emails else emails[0]
        if chosen == from_email:
            sig.email = Field(chosen, 0.99, "same as the sender address")
        elif chosen.rpartition("@")[2] == from_domain:
            sig.email = Field(chosen, 0.9, "same domain as the sender")
        else:
            sig.email = Field(chosen, 0.7, "address in the signature")
    email_domain = (sig.email.value if sig.email else from_email).rpartition("@")[2]

    for url, labelled in websites:
        if _is_social(url):
            continue
        value = normalise_website(url)
        host = value.split("://", 1)[1].split("/")[0]
        if email_domain and (host == email_domain or host.endswith("." + email_domain)):
            confidence, evidence = 0.95, "same domain as the mail address"
        elif labelled or url.lower().startswith(("http", "www.")):
            confidence, evidence = 0.85, "explicit web address"
        else:
            confidence, evidence = 0.65, "bare domain"
        sig.website = Field(value, confidence, evidence)
        domains.append(_domain_label(host))
        break

    for kind, found in phones:
        if kind == "mobile" and sig.mobile is None:
            sig.mobile = found
        elif kind == "phone" and sig.phone is None:
            sig.phone = found
        elif kind != "fax" and found.value not in {f.value for f in (sig.phone, sig.mobile) if f}:
            sig.extra_phones.append(found)

    if address_parts:
        text = ", ".join(part for _, part in address_parts)
        street = any(_STREET_RE.search(part) for _, part in address_parts)
        postcode = any(_POSTCODE_RE.search(part) for _, part in address_parts)
        sig.address = Field(
            text,
            0.8 if street and postcode else 0.55,
            "street and postcode" if street and postcode else "address-like line",
        )

    _read_identity(sig, texts, from_name, from_email, domains, sign_off_rest)
    return sig


def _split_title_company(segment, domains):
    """'Head of Sales at Acme Ltd' → ('Head of Sales', 'Acme Ltd', conf) when the right side is a company."""
    for match in _COMPANY_JOIN_RE.finditer(segment):
        left, right = segment[: match.start()].strip(), segment[match.end() :].strip()
        if not left or not right:
            continue
        conf, reason = _company_evidence(right, domains)
        joiner = match.group(0).strip()
        if _TITLE_RE.search(left) and (conf or (joiner != "," and right[:1].isupper())):
            return left, right, conf or 0.7, reason or "after 'at' in the title line"
        if (
            joiner == ","
            and _TITLE_RE.search(left)
            and not _TITLE_RE.search(right)
            and sum(word[:1].isupper() or word == "&" for word in right.split()) >= 2
        ):
            # 'Partner, Ward & Co Solicitors': probably title then company, but a region or a
            # department reads the same ('Director, Europe and Middle East'): proposed, never written
            return left, right, 0.6, "after a comma in the title line"
    return None


def _read_identity(sig, texts, from_name, from_email, domains, sign_off_rest):
    """Assign name, title and company from the free-text segments of the block."""
    used = set()
    classified = []
    for line_no, seg_no, segment in texts:
        split = _split_title_company(segment, domains)
        if split:
            left, right, conf, reason = split
            title_conf = 0.85 if conf >= 0.7 else conf  # a guessed split is only proposed
            classified.append((line_no, seg_no, left, "title", title_conf, "job title vocabulary"))
            classified.append((line_no, seg_no, right, "company", conf, reason))
            continue
        if "," in segment:
            left, _, right = segment.partition(",")
            left = strip_name_decorations(left)
            company_conf, company_reason = _company_evidence(right.strip(), domains)
            if (
                _looks_like_name(left.strip())
                and company_conf
                and text_key(_LEGAL_SUFFIX_RE.sub("", right))  # not 'Ferreira Vinhos, S.A.'
                and _name_evidence(left, from_name, from_email)[0] >= 0.9
            ):
                # 'Pilar Vidal, Grupo Vidal Hoteles': the sender's name, then the company
                classified.append((line_no, seg_no, left.strip(), "name", 0.6, "name-shaped"))
                classified.append(
                    (line_no, seg_no, right.strip(), "company", company_conf, company_reason)
                )
                continue
            if _looks_like_name(left.strip()) and _TITLE_RE.search(right):
                classified.append((line_no, seg_no, left.strip(), "name", 0.6, "name-shaped"))
                classified.append(
                    (line_no, seg_no, right.strip(), "title", 0.85, "job title vocabulary")
                )
                continue
        kind, conf, reason = _classify_text(segment, domains)
        if kind in ("name", "other"):
            bare = strip_name_decorations(segment)
            if bare != segment and _looks_like_name(bare):
                kind, conf, reason, segment = "name", 0.6, "name-shaped", bare
        classified.append((line_no, seg_no, segment, kind, conf, reason))

    # Name: the name-shaped segment with the strongest sender evidence, earliest first on ties.
    best = None
    for index, (line_no, _, segment, kind, _, _) in enumerate(classified):
        if kind != "name" or line_no > 3:
            continue
        conf, reason = _name_evidence(segment, from_name, from_email)
        if line_no > 0 and conf < 0.8:
            conf -= 0.15  # a name-shaped line lower in the block is less likely the signer
        if best is None or conf > best[0]:
            best = (conf, reason, segment, index)
    if best:
        sig.name = Field(strip_name_decorations(best[2]), round(best[0], 2), best[1])
        used.add(best[3])
    elif sign_off_rest or (
        classified and classified[0][3] == "other" and len(classified[0][2].split()) == 1
    ):
        first = sign_off_rest or classified[0][2]
        sender = (from_name or "").strip()
        if (
            first.isalpha()
            and sender
            and text_key(first) == text_key(sender).split(" ")[0]
            and _looks_like_name(sender)
        ):
            sig.name = Field(
                sender, 0.8, "first name in the signature, full name from the From header"
            )
        elif first.isalpha() and first[0].isupper():
            sig.name = Field(first, 0.4, "first name only")
    if sig.name is None and from_name and _looks_like_name(from_name.strip()):
        # A signature line equal to the From name is a strong name even if it looked like something else.
        for index, (_, _, segment, _, _, _) in enumerate(classified):
            if text_key(segment) == text_key(from_name):
                sig.name = Field(segment, 0.95, "matches the From name")
                used.add(index)
                break

    for index, (_line_no, _, segment, kind, conf, reason) in enumerate(classified):
        if index in used:
            continue
        if kind == "title" and sig.title is None:
            sig.title = Field(segment, conf, reason)
            used.add(index)
        elif kind == "company" and (sig.company is None or conf > sig.company.confidence):
            sig.company = Field(segment, conf, reason)
            used.add(index)

    local_part = (from_email or "").partition("@")[0].lower()
    if sig.name is None and sig.title is not None and local_part in _ROLE_LOCAL_PARTS:
        # a shared mailbox and no person signs: a 'title' is a team ('Sales Department'), not a job
        sig.skipped["title"] = f"a title without a person's name: {sig.title.value[:60]}"
        sig.title = None

    if sig.company is None and sig.title is not None:
        # A capitalised line right after the title, not otherwise explained, is probably the company.
        title_index = next(i for i, c in enumerate(classified) if c[2] == sig.title.value)
        if title_index + 1 < len(classified):
            _, _, segment, kind, _, _ = classified[title_index + 1]
            taken = sig.name is not None and title_index + 1 in used
            if (
                kind in ("other", "name")
                and not taken
                and segment[:1].isupper()
                and len(segment) <= 60
            ):
                sig.company = Field(segment, 0.5, "line after the job title")


# Local parts of shared mailboxes in the seven languages (info@, ventas@, kundenservice@...).
_ROLE_LOCAL_PARTS = frozenset(
    "info infos information contact contacts kontakt contacto contatto contato sales ventas vendas "
    "vendite verkoop vertrieb verkauf vente ventes comercial commercial commerciale office bureau "
    "buero buro ufficio oficina kantoor escritorio admin administration administracion "
    "administracao amministrazione service services servicio servico support assistenza "
    "atendimento klantenservice kundenservice serviceclient sav accounts accounting compta "
    "comptabilite contabilidad contabilita buchhaltung billing facturacion fatturazione "
    "facturatie team equipe hello orders bestellung pedidos ordini reception recepcion "
    "secretariat sekretariat segreteria secretaria secretariaat mail noreply no-reply hr jobs".split()
)


_PLUS_PREFIX_RE = re.compile(r"(?<![\w+])\+(\d{1,3})[\s(.-]")


def _region_from_prefix(block):
    """Region of the first +CC number of the block: its national numbers are likely the same country."""
    for line in block:
        if _OTHER_PERSON_RE.search(line):
            continue  # an assistant's number says nothing of the sender's country
        match = _PLUS_PREFIX_RE.search(line)
        if match:
            region = phonenumbers.region_code_for_country_code(int(match.group(1)))
            if region and region != "ZZ":
                return region
    return None


DISPLAY_FIELDS = ("name", "title", "company")


def _clean_display_fields(sig):
    """Names, titles and companies as capture may write them (see text.clean_display), or dropped."""
    for name in DISPLAY_FIELDS:
        found = getattr(sig, name)
        if found is None:
            continue
        value, reason = clean_display(found.value)
        if reason:
            setattr(sig, name, None)
            sig.skipped[name] = reason
        elif value != found.value:
            setattr(sig, name, Field(value, found.confidence, found.evidence))
    return sig


_LAST_FIRST_RE = re.compile(r"^([^,]{2,40}),\s?([^,]{2,40})$")


def _from_name_in_order(from_name):
    """'Raman, Priya' (Outlook's display form) → 'Priya Raman'; other names as they are."""
    match = _LAST_FIRST_RE.match(from_name or "")
    if match and _looks_like_name(f"{match.group(2)} {match.group(1)}"):
        return f"{match.group(2).strip()} {match.group(1).strip()}"
    return from_name


_URL_PREFIX_RE = re.compile(r"^(?:https?://)?(?:www\.)?", re.I)


def _website_in(block):
    for line in block:
        for match in _URL_RE.finditer(line):
            url = match.group(0).rstrip(".")
            if "@" not in url and _web_host(url) and not _is_social(url):
                return _URL_PREFIX_RE.sub("", url).split("/")[0]
    return ""


def _sender_only(from_email):
    """What is known of a sender without a signature: the From address."""
    email = (from_email or "").strip().lower()
    if "@" not in email:
        return Signature()
    return Signature(email=Field(email, 0.95, "the sender's From address"))


def extract_signature(text, from_name="", from_email="", default_region=None, deadline=None):
    """Locate and read the signature at the end of text (the new part of a mail).

    default_region is the country of our company (what Odoo knows): the last resort for reading
    national numbers, after the evidence of the mail itself (see region_evidence).
    deadline is a time.monotonic() value: past it nothing is read (timed_out is set)."""
    if deadline is not None and time.monotonic() > deadline:
        return Signature(timed_out=True)
    from_name = _from_name_in_order(clean_display(from_name)[0])
    block, located_by, sign_off_rest = locate(text)
    if not block and not sign_off_rest:
        return _sender_only(from_email)
    tail = "\n".join((text or "").split("\n")[-MAX_TAIL_LINES:])
    regions = region_evidence(
        block, (from_email or "").lower(), _website_in(block), tail, company_region=default_region
    )
    sig = parse_block(block, from_name, from_email or "", regions, sign_off_rest, deadline=deadline)
    if sig.timed_out:
        return Signature(timed_out=True)
    sig.located_by = located_by
    _clean_display_fields(sig)
    if located_by == "trailing-block":
        own_email = sig.email and sig.email.evidence != "the sender's From address"
        has_structure = own_email or sig.phone or sig.mobile or sig.website or sig.title
        if not has_structure and sig.name and sig.name.confidence >= WRITE_CONFIDENCE:
            return Signature(
                block=sig.block,
                located_by=located_by,
                name=sig.name,
                email=sig.email,
                skipped=sig.skipped,
            )
        if not has_structure:
            result = _sender_only(from_email)
            result.skipped = sig.skipped
            return result
    return sig
