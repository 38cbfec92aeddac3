"""Generator of realistic noisy CRM contacts with known duplicate clusters (ground truth).

Entities get a name (given + family, syllable-built family names so name blocks look like real
data), a company (with its own domain and switchboard number) or none, a work or free-mail address,
a direct phone in one of five countries. About ``dup_rate`` of entities get 1-3 extra copies with
noise: typos, nicknames (Bob/Robert), reordered "Family, Given", ALL CAPS, other phone formats,
national vs international numbers, e-mail case changes or a second (free-mail) address, dropped
fields. Each record carries ``entity`` (ground truth, not used by the matcher).
"""

import random

GIVEN = (
    "robert william james michael richard thomas joseph john david daniel christopher matthew "
    "anthony andrew stephen edward frederick henry kenneth nicholas patrick peter ronald samuel "
    "timothy alexander benjamin charles elizabeth catherine margaret jennifer patricia susan "
    "victoria rebecca amanda jessica sarah anne mary maria sophie emma olivia lucas noah liam "
    "marie camille julien nicolas thomas lea hans klaus anna jan piet sanne lars ingrid giulia "
    "marco luca francesca pierre louis chloe manon hugo ines carlos javier lucia pablo elena"
).split()
NICK = {
    "robert": "bob",
    "william": "bill",
    "james": "jim",
    "michael": "mike",
    "richard": "rick",
    "thomas": "tom",
    "joseph": "joe",
    "david": "dave",
    "daniel": "dan",
    "christopher": "chris",
    "matthew": "matt",
    "anthony": "tony",
    "andrew": "andy",
    "stephen": "steve",
    "edward": "ed",
    "elizabeth": "liz",
    "catherine": "kate",
    "margaret": "maggie",
    "jennifer": "jenny",
    "patricia": "patty",
    "susan": "sue",
    "victoria": "vicky",
    "rebecca": "becky",
    "samuel": "sam",
}
SYL = (
    "an ber bro car del dor fen gar hal har ken lan ley lin mar mer mon nor ol par ren ric rob "
    "san sch ster ston tan ter ton van ver wal wen wil ming son sen man berg stein ez es ard ier "
    "eau ini etti ova ski ek"
).split()
FREE = (
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "gmx.de",
    "orange.fr",
    "web.de",
    "icloud.com",
    "yahoo.co.uk",
    "free.fr",
)
COUNTRIES = ("GB", "FR", "DE", "US", "BE")
STREETS = (
    "High Street",
    "Station Road",
    "rue de la Paix",
    "Hauptstrasse",
    "Main Street",
    "avenue Louise",
    "Kerkstraat",
    "Church Lane",
    "boulevard Voltaire",
    "Bahnhofstrasse",
)


def _phone(rng, country):
    """A valid number in E.164 digits plus its national form."""
    if country == "GB":
        sub = f"{rng.randint(0, 9999):04d}"
        return f"+44207946{sub}", f"020 7946 {sub}"
    if country == "FR":
        a, b, c, d = (rng.randint(10, 99) for _ in range(4))
        lead = rng.choice("1234567")
        return f"+33{lead}{a}{b}{c}{d}", f"0{lead} {a} {b} {c} {d}"
    if country == "DE":
        sub = rng.randint(1000000, 9999999)
        return f"+4930{sub}", f"030 {sub}"
    if country == "US":
        area = rng.choice(("650", "212", "415", "312", "617"))
        ex = rng.randint(200, 989)
        sub = f"{rng.randint(0, 9999):04d}"
        return f"+1{area}{ex}{sub}", f"({area}) {ex}-{sub}"
    sub = rng.randint(2000000, 7999999)
    return f"+322{sub}", f"02 {str(sub)[:3]} {str(sub)[3:5]} {str(sub)[5:]}"


def _format_phone(rng, e164, national):
    style = rng.random()
    if style < 0.35:
        return national
    if style < 0.6:
        return e164
    if style < 0.75:
        return "00" + e164[1:]
    if style < 0.9:
        digits = e164[1:]
        return "+" + " ".join(digits[k : k + 3] for k in range(0, len(digits), 3))
    return national.replace(" ", "-").replace("(", "").replace(")", "")


def _typo(rng, word):
    if len(word) < 4:
        return word
    k = rng.randint(1, len(word) - 2)
    op = rng.random()
    if op < 0.3:
        return word[:k] + word[k + 1 :]
    if op < 0.6:
        return word[:k] + word[k + 1] + word[k] + word[k + 2 :]
    if op < 0.8:
        return word[:k] + rng.choice("aeioulnrst") + word[k + 1 :]
    return word[:k] + rng.choice("aeioulnrst") + word[k:]


def generate(n, seed=42, dup_rate=0.1):
    """About ``n`` contact dicts (ids 0..n-1) with ``entity`` ground truth."""
    rng = random.Random(seed)
    families = [
        "".join(rng.choice(SYL) for _ in range(rng.choice((2, 2, 3))))
        for _ in range(max(200, n // 20))
    ]
    n_companies = max(10, n // 25)
    companies = []
    for c in range(n_companies):
        base = "".join(rng.choice(SYL) for _ in range(2)) + str(c)
        country = rng.choice(COUNTRIES)
        suffix = rng.choice(("Ltd", "GmbH", "SARL", "Inc.", "BV", "SA", ""))
        companies.append(
            (f"{base.title()} {suffix}".strip(), f"{base}.com", country, _phone(rng, country))
        )
    out = []
    entity = 0
    while len(out) < n:
        given, family = rng.choice(GIVEN), rng.choice(families)
        company = rng.choice(companies) if rng.random() < 0.7 else None
        country = company[2] if company and rng.random() < 0.8 else rng.choice(COUNTRIES)
        e164, national = _phone(rng, country)
        if company and rng.random() < 0.5:
            email = f"{given}.{family}@{company[1]}"
        elif rng.random() < 0.8:
            email = f"{given}{rng.choice(('.', '_', ''))}{family}{rng.randint(1, 99)}@{rng.choice(FREE)}"
        else:
            email = ""
        base = {
            "name": f"{given.title()} {family.title()}",
            "company_name": company[0] if company else "",
            "email": email,
            "phone": _format_phone(rng, e164, national),
            "mobile": _format_phone(rng, *company[3])
            if company and rng.random() < 0.3
            else "",  # switchboard
            "country_code": country,
            "company_country_code": company[2] if company else "",
            "street": f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
            "city": rng.choice(("London", "Paris", "Berlin", "New York", "Brussels")),
            "zip": f"{rng.randint(1000, 99999)}",
            "entity": entity,
        }
        copies = 1 + (rng.choice((1, 1, 1, 2, 3)) if rng.random() < dup_rate else 0)
        for c in range(copies):
            if len(out) >= n:
                break
            rec = dict(base)
            if c:
                g, f = given, family
                r = rng.random()
                if r < 0.25:
                    f = _typo(rng, f)
                elif r < 0.4 and g in NICK:
                    g = NICK[g]
                elif r < 0.5:
                    g = _typo(rng, g)
                name = f"{g.title()} {f.title()}"
                if rng.random() < 0.15:
                    name = f"{f.title()}, {g.title()}"
                if rng.random() < 0.15:
                    name = name.upper()
                rec["name"] = name
                rec["phone"] = _format_phone(rng, e164, national) if rng.random() < 0.8 else ""
                if rec["email"] and rng.random() < 0.3:
                    rec["email"] = (
                        rec["email"].upper()
                        if rng.random() < 0.5
                        else f"{g}.{f}{rng.randint(1, 9)}@{rng.choice(FREE)}"
                    )
                if rng.random() < 0.2:
                    rec["street"] = ""
                if rng.random() < 0.2:
                    rec["country_code"] = ""
            rec["id"] = len(out)
            out.append(rec)
        entity += 1
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
