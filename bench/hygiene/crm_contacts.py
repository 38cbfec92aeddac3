"""Labelled CRM-like contacts in seven languages, with the traps of real CRM data.

Unlike ``contacts.py`` (noisy copies of independent people), most people here work in companies
of 2-15 employees who share the company's switchboard number, street, domain, company name and VAT
(Odoo copies the company's VAT onto every contact), some companies are family firms (several
employees share the family name), some people are namesakes of people at other companies, and
about 1.4 rows per person exist. True duplicates vary as real ones do: ``+tag`` mailboxes, gmail
dots, given names reduced to an initial, nicknames, swapped given/family names, a second family
name dropped (es/pt), no e-mail on one copy, typos, accents dropped or transliterated, capitals,
other phone formats.

Each record carries ``entity`` (the person), ``company`` (the company's number or -1), ``family``
(the family name as generated) and ``variant`` (the change made to this copy, '' for the first):
ground truth and categories for the benchmark, never read by the matcher. Deterministic per seed.

    records = generate(20000, seed=1)
"""

import random

LANGUAGES = {
    # country, given names (f / m, with nickname or variant pairs the matcher should know),
    # family names, streets, cities, company words, legal forms
    "en": (
        "GB",
        "anna elizabeth catherine margaret jennifer susan rebecca sarah emily olivia sophie",
        "robert william james michael richard thomas john david daniel christopher andrew peter",
        "smith jones taylor brown williams wilson johnson davies robinson wright thompson evans "
        "walker white roberts green hall wood jackson clarke farnwood ashdown kingsley",
        ("High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue"),
        ("London", "Leeds", "Bristol", "York", "Oxford"),
        ("Logistics", "Consulting", "Engineering", "Foods", "Print"),
        ("Ltd", "plc", "Limited", ""),
    ),
    "fr": (
        "FR",
        "marie camille chloe lea manon ines juliette isabelle catherine nathalie sophie",
        "nicolas julien thomas pierre francois frederic alexandre christophe antoine louis hugo",
        "martin bernard dubois durand lefebvre leroy moreau simon laurent michel garcia "
        "fournier girard bonnet dupont lambert fontaine rousseau vincent muller",
        ("rue de la Paix", "avenue Victor Hugo", "boulevard Voltaire", "rue Pasteur"),
        ("Paris", "Lyon", "Nantes", "Lille", "Bordeaux"),
        ("Transports", "Conseil", "Batiment", "Services", "Imprimerie"),
        ("SARL", "SA", "SAS", ""),
    ),
    "de": (
        "DE",
        "anna katharina elisabeth susanne julia lena sabine claudia monika petra",
        "johannes josef michael thomas stefan andreas christian alexander friedrich wolfgang klaus",
        "müller schmidt schneider fischer weber meyer wagner becker schulz hoffmann koch "
        "richter klein wolf schröder neumann schwarz zimmermann braun krüger",
        ("Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße", "Lindenallee"),
        ("Berlin", "München", "Hamburg", "Köln", "Stuttgart"),
        ("Logistik", "Beratung", "Maschinenbau", "Handel", "Druck"),
        ("GmbH", "AG", "KG", ""),
    ),
    "es": (
        "ES",
        "maria lucia carmen dolores isabel elena laura marta paula cristina",
        "jose francisco manuel javier antonio alejandro ignacio enrique rafael fernando carlos",
        "garcia fernandez gonzalez rodriguez lopez martinez sanchez perez gomez martin "
        "jimenez ruiz hernandez diaz moreno alvarez romero navarro torres dominguez",
        ("Calle Mayor", "Avenida de la Constitución", "Calle del Sol", "Paseo de Gracia"),
        ("Madrid", "Sevilla", "Valencia", "Bilbao", "Zaragoza"),
        ("Transportes", "Consultores", "Construcciones", "Alimentos", "Gráficas"),
        ("SL", "SA", ""),
    ),
    "it": (
        "IT",
        "giulia francesca chiara sara alessandra elena valentina federica martina anna",
        "giuseppe giovanni francesco alessandro antonio marco luca salvatore vincenzo luigi",
        "rossi russo ferrari esposito bianchi romano colombo ricci marino greco bruno "
        "gallo conti de luca mancini costa giordano rizzo lombardi moretti",
        ("Via Roma", "Corso Italia", "Via Garibaldi", "Piazza Verdi"),
        ("Milano", "Roma", "Torino", "Bologna", "Napoli"),
        ("Trasporti", "Consulenze", "Costruzioni", "Alimentari", "Tipografia"),
        ("Srl", "SpA", ""),
    ),
    "nl": (
        "NL",
        "anna maria sanne lotte emma sophie eva lisa femke anouk",
        "johannes cornelis jacobus hendrik pieter willem gerardus adrianus jan daan",
        "de jong jansen de vries van den berg van dijk bakker janssen visser smit meijer "
        "de boer mulder de groot bos vos peters hendriks van leeuwen dekker",
        ("Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsplein"),
        ("Amsterdam", "Utrecht", "Rotterdam", "Den Haag", "Eindhoven"),
        ("Transport", "Advies", "Bouw", "Voeding", "Drukkerij"),
        ("BV", "NV", ""),
    ),
    "pt": (
        "PT",
        "maria ana beatriz mariana ines catarina joana sofia margarida rita",
        "jose joao antonio francisco manuel pedro rui tiago miguel paulo",
        "silva santos ferreira pereira oliveira costa rodrigues martins jesus sousa "
        "fernandes goncalves gomes lopes marques alves almeida ribeiro pinto carvalho",
        ("Rua Augusta", "Avenida da Liberdade", "Rua do Carmo", "Praça do Comércio"),
        ("Lisboa", "Porto", "Braga", "Coimbra", "Faro"),
        ("Transportes", "Consultoria", "Construções", "Alimentar", "Gráfica"),
        ("Lda", "SA", ""),
    ),
}
# (fixed-line prefix, digits after it, mobile prefix, digits after it, international code)
PHONES = {
    "GB": ("+4420794", 5, "+447911", 6),
    "FR": ("+331", 8, "+336", 8),
    "DE": ("+4930", 8, "+49151", 8),
    "ES": ("+3491", 7, "+346", 8),
    "IT": ("+3902", 8, "+39347", 7),
    "NL": ("+3120", 7, "+316", 8),
    "PT": ("+35121", 7, "+35191", 7),
}
NATIONAL_PREFIX = {"GB": "0", "FR": "0", "DE": "0", "ES": "", "IT": "", "NL": "0", "PT": ""}
COUNTRY_CODE = {"GB": "44", "FR": "33", "DE": "49", "ES": "34", "IT": "39", "NL": "31", "PT": "351"}
NICKNAME = {
    "robert": "bob", "william": "bill", "james": "jim", "michael": "mike", "richard": "rick",
    "thomas": "tom", "david": "dave", "daniel": "dan", "christopher": "chris", "andrew": "andy",
    "peter": "pete", "elizabeth": "liz", "catherine": "kate", "margaret": "maggie",
    "jennifer": "jenny", "susan": "sue", "rebecca": "becky", "nicolas": "nico",
    "frederic": "fred", "alexandre": "alex", "christophe": "chris", "johannes": "hans",
    "josef": "sepp", "friedrich": "fritz", "katharina": "kathrin", "elisabeth": "lisa",
    "jose": "pepe", "francisco": "paco", "manuel": "manolo", "javier": "javi",
    "ignacio": "nacho", "enrique": "quique", "dolores": "lola", "rafael": "rafa",
    "giuseppe": "beppe", "giovanni": "gianni", "alessandro": "sandro", "vincenzo": "enzo",
    "luigi": "gino", "cornelis": "kees", "jacobus": "koos", "hendrik": "henk", "pieter": "piet",
    "willem": "wim", "joao": "jao", "antonio": "toni", "isabelle": "isa", "maria": "mieke",
}  # fmt: skip
TRANSLITERATE = (("ü", "ue"), ("ö", "oe"), ("ä", "ae"), ("ß", "ss"), ("é", "e"), ("ç", "c"))
TLD = {"GB": "co.uk", "PT": "pt"}
FREE_MAIL = ("gmail.com", "yahoo.fr", "web.de", "hotmail.es", "libero.it", "outlook.com", "sapo.pt")
DUP_VARIANTS = (
    "plus_tag", "initial", "nickname", "swapped", "dropped_second_family", "missing_email",
    "typo", "phone_format", "gmail_dots", "transliteration",
)  # fmt: skip


def _digits(rng, k):
    return "".join(rng.choice("0123456789") for _ in range(k))


def _number(rng, country, mobile):
    fixed, fixed_len, mob, mob_len = PHONES[country]
    return mob + _digits(rng, mob_len) if mobile else fixed + _digits(rng, fixed_len)


def format_phone(rng, e164, country):
    """One of the ways people type a number: E.164, spaced international, 00, national."""
    code = COUNTRY_CODE[country]
    national = NATIONAL_PREFIX[country] + e164[1 + len(code) :]
    style = rng.random()
    if style < 0.25:
        return e164
    if style < 0.45:
        rest = e164[1 + len(code) :]
        return f"+{code} " + " ".join(rest[k : k + 3] for k in range(0, len(rest), 3))
    if style < 0.55:
        return "00" + e164[1:]
    if style < 0.8:
        return " ".join(national[k : k + 2] for k in range(0, len(national), 2))
    return national[:4] + "-" + national[4:]


def _typo(rng, word):
    if len(word) < 5:
        return word
    k = rng.randint(1, len(word) - 2)
    op = rng.random()
    if op < 0.35:
        return word[:k] + word[k + 1 :]
    if op < 0.7:
        return word[:k] + word[k + 1] + word[k] + word[k + 2 :]
    return word[:k] + rng.choice("aeioulnrst") + word[k:]


def _ascii(text):
    for a, b in TRANSLITERATE:
        text = text.replace(a, b)
    return text


def _title(text):
    particles = {"de", "van", "den", "der"}
    return " ".join(
        w if w in particles and i else w.capitalize() for i, w in enumerate(text.split())
    )


def _local(text):
    return _ascii(text).replace(" ", "")


def generate(n, seed=1, dup_share=0.3):
    """About ``n`` labelled contact dicts (ids 0..n-1), 1.39 rows per person on average."""
    rng = random.Random(seed)
    langs = list(LANGUAGES)
    out = []
    entity = 0
    company_no = 0
    used_names = []  # (lang, given, family) of people already made, for namesakes

    def person(lang, company, family=None):
        nonlocal entity
        country, women, men, families, *_ = LANGUAGES[lang]
        given = rng.choice((women if rng.random() < 0.5 else men).split())
        if family is None:
            family = rng.choice(_families(families))
            if lang in ("es", "pt") and rng.random() < 0.6:
                family = f"{family} {rng.choice(_families(families))}"
        if used_names and rng.random() < 0.04:  # a namesake of someone elsewhere
            lang2, given2, family2 = rng.choice(used_names)
            if lang2 == lang:
                given, family = given2, family2
        used_names.append((lang, given, family))
        if len(used_names) > 5000:
            del used_names[: len(used_names) - 5000]
        mobile = _number(rng, country, True) if rng.random() < 0.55 else ""
        if company:
            email = f"{_local(given)}.{_local(family)}@{company['domain']}"
            if rng.random() < 0.15:
                email = f"{_local(given)[0]}{_local(family)}@{company['domain']}"
        elif rng.random() < 0.85:
            email = f"{_local(given)}{rng.choice('._')}{_local(family)}{rng.randint(1, 99)}@{rng.choice(FREE_MAIL)}"
        else:
            email = ""
        base = {
            "lang": lang, "given": given, "family": family, "entity": entity,
            "company": company["no"] if company else -1,
            "country": company["country"] if company else country,
            "email": email, "mobile": mobile,
            "switchboard": company["phone"] if company else "",
        }  # fmt: skip
        entity += 1
        return base

    def rows_of(base, company):
        """The person's first row and maybe noisy copies."""
        copies = 1
        if rng.random() < dup_share:
            copies += rng.choice((1, 1, 1, 2))
        rows = []
        for c in range(copies):
            given, family = base["given"], base["family"]
            email, variant = base["email"], ""
            phone = base["mobile"] or base["switchboard"] or ""
            name = f"{_title(given)} {_title(family)}"
            if c:
                variant = rng.choice(DUP_VARIANTS)
                if variant == "plus_tag" and email:
                    local, _, domain = email.partition("@")
                    email = f"{local}+{rng.choice(('crm', 'news', 'work', 'shop'))}@{domain}"
                elif variant == "initial":
                    name = f"{given[0].upper()}. {_title(family)}"
                elif variant == "nickname" and given in NICKNAME:
                    name = f"{_title(NICKNAME[given])} {_title(family)}"
                elif variant == "swapped":
                    name = f"{_title(family)} {_title(given)}"
                    if rng.random() < 0.5:
                        name = f"{_title(family)}, {_title(given)}"
                elif variant == "dropped_second_family" and " " in family:
                    name = f"{_title(given)} {_title(family.split()[0])}"
                elif variant == "missing_email":
                    email = ""
                elif variant == "gmail_dots" and email.endswith("@gmail.com"):
                    local = email.split("@")[0].replace(".", "")
                    email = f"{local[:3]}.{local[3:]}@googlemail.com"
                elif variant == "transliteration" and _ascii(name) != name:
                    name = _ascii(name)
                elif variant == "phone_format":
                    pass
                else:
                    variant = "typo"
                    name = f"{_title(given)} {_title(_typo(rng, family))}"
                if rng.random() < 0.1:
                    name = name.upper()
                if rng.random() < 0.15 and variant != "missing_email" and email:
                    email = email.upper() if rng.random() < 0.5 else email
            record = {
                "name": name,
                "company_name": company["name"] if company else "",
                "email": email,
                "phone": format_phone(rng, phone, base["country"]) if phone else "",
                "country_code": base["country"],
                "street": company["street"] if company else base.get("street", ""),
                "zip": company["zip"] if company else base.get("zip", ""),
                "city": company["city"] if company else base.get("city", ""),
                "vat": company["vat"] if company and company["vat_copied"] else "",
                "entity": base["entity"],
                "company": base["company"],
                "family": base["family"],
                "given": base["given"],
                "variant": variant,
            }
            if c and rng.random() < 0.15:
                record["street"] = ""
            rows.append(record)
        return rows

    while len(out) < n:
        lang = rng.choice(langs)
        country, _w, _m, families, streets, cities, words, forms = LANGUAGES[lang]
        if rng.random() < 0.8:
            family_firm = rng.random() < 0.2
            owner = rng.choice(_families(families))
            word = rng.choice(words)
            name = (
                f"{_title(owner)} {word} {company_no}"
                if family_firm
                else f"{_title(owner)}{company_no} {word}"
            )
            form = rng.choice(forms)
            company = {
                "no": company_no,
                "name": f"{name} {form}".strip(),
                "domain": f"{_local(owner)}{company_no}.{TLD.get(country, country.lower())}",
                "phone": _number(rng, country, False),
                "street": f"{rng.randint(1, 200)} {rng.choice(streets)}",
                "zip": f"{rng.randint(10000, 99999)}",
                "city": rng.choice(cities),
                "country": country,
                "vat": f"{country}{rng.randint(10**8, 10**9 - 1)}",
                "vat_copied": rng.random() < 0.7,
            }
            company_no += 1
            size = rng.choice((2, 2, 3, 3, 4, 5, 6, 8, 10, 15))
            staff = set()
            for k in range(size):
                family = owner if family_firm and k < max(2, size // 2) else None
                base = person(lang, company, family)
                if (
                    base["given"],
                    base["family"],
                ) in staff:  # no two identical names in one company
                    continue
                staff.add((base["given"], base["family"]))
                out.extend(rows_of(base, company))
        else:
            base = person(lang, None)
            base["street"] = f"{rng.randint(1, 200)} {rng.choice(streets)}"
            base["zip"] = f"{rng.randint(10000, 99999)}"
            base["city"] = rng.choice(cities)
            out.extend(rows_of(base, None))
    out = out[:n]
    for k, record in enumerate(out):
        record["id"] = k
    return out


def _families(text):
    words = text.split()
    out, k = [], 0
    while k < len(words):  # keep particles with their name ('de jong', 'van den berg', 'de luca')
        if words[k] in ("de", "van", "den") and k + 1 < len(words):
            j = k
            while words[j] in ("de", "van", "den") and j + 1 < len(words):
                j += 1
            out.append(" ".join(words[k : j + 1]))
            k = j + 1
        else:
            out.append(words[k])
            k += 1
    return out


def truth_pairs(records):
    by_entity = {}
    for rec in records:
        by_entity.setdefault(rec["entity"], []).append(rec["id"])
    return {
        frozenset((a, b))
        for ids in by_entity.values()
        for x, a in enumerate(ids)
        for b in ids[x + 1 :]
    }


def pair_category(a, b):
    """What a pair of records is: a true duplicate (by the copy's variant) or a trap."""
    if a["entity"] == b["entity"]:
        return "duplicate: " + (b["variant"] or a["variant"] or "exact copy")
    if a["company"] >= 0 and a["company"] == b["company"]:
        return (
            "relatives (same family, same company)" if a["family"] == b["family"] else "colleagues"
        )
    if a["given"] == b["given"] and a["family"] == b["family"]:
        return "namesakes"
    return "other people"
