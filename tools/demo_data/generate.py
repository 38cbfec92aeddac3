"""A generated business for the demo database: plain dicts, deterministic per seed, no Odoo.

``generate(seed, size)`` returns a :class:`Business` whose lists hold what the loader
(``load.py``, run inside Odoo) creates through the ORM: teams, users, companies and contacts (some
of them duplicates with typos, nicknames and other phone formats), closed and open leads with the
messages logged on them, inbound mails with signatures in four languages, and meetings with
external attendees and notes.

The closed-lead history is learnable on purpose: the won rate depends on the source, the country,
the industry, the deal size (differently per team), and how fast the salesperson first answered
(which shows as follow-up messages sent); medium and campaign follow the source; the won rate rises
over the two years. ``snapshot()`` turns a lead into the dict the scoring engine reads, as
``crm.lead._agent_scoring_snapshots`` builds it in Odoo, so the engine's validation against PLS
can be checked here without Odoo (tests/demo).

Standard library only: the launcher imports it with any ``python3``.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

SIZES = {
    # closed leads, open leads, contact companies, people per company, duplicates, mails, meetings
    "full": {"closed": 3000, "open": 400, "companies": 250, "people": 3, "dups": 40, "mails": 24, "meetings": 12},
    "small": {"closed": 1200, "open": 40, "companies": 40, "people": 2, "dups": 6, "mails": 4, "meetings": 3},
}  # fmt: skip

TEAMS = (
    # name, alias, the kind of deals it closes (log10 of the typical revenue), revenue slope of z
    ("Direct Sales", 4.3, +2.5),
    ("Inside Sales", 4.1, -2.5),
    ("Partners & Channels", 4.2, -0.2),
)
REPS = (
    # name, login, team index, response speed (median hours to first answer)
    ("Lucas Martin", "rep", 0, 3.0),
    ("Emma Janssens", "emma", 0, 20.0),
    ("Noah Dubois", "noah", 1, 2.0),
    ("Mila Peeters", "mila", 1, 30.0),
    ("Liam Schmidt", "liam", 2, 6.0),
    ("Sara Rossi", "sara", 2, 48.0),
)
ADMIN = ("Mitchell Admin", "admin")
APPROVER = ("Sofia Marchetti", "approver")

# code, effect on the log-odds, language, phone prefix and the two ways people type a number
COUNTRIES = {
    "BE": {"effect": 0.5, "lang": "nl", "weight": 3},
    "FR": {"effect": 0.1, "lang": "fr", "weight": 3},
    "DE": {"effect": 0.3, "lang": "de", "weight": 3},
    "NL": {"effect": 0.2, "lang": "nl", "weight": 2},
    "ES": {"effect": -0.6, "lang": "es", "weight": 1},
    "GB": {"effect": -0.1, "lang": "en", "weight": 2},
    "US": {"effect": -0.8, "lang": "en", "weight": 2},
}
INDUSTRIES = {
    "Manufacturing": 0.4,
    "Retail": -0.5,
    "Software": 0.2,
    "Healthcare": 0.0,
    "Logistics": 0.3,
    "Public sector": -0.9,  # slow tenders: won in Belgium and France only (see _won_logit)
}
SOURCES = {
    # source: (effect, weight, medium, campaigns)
    "Referral": (1.3, 2, "Direct", ("Customer referrals",)),
    "Website": (0.2, 4, "Website", ("Spring webinar", "Product tour")),
    "Trade fair": (0.5, 2, "Direct", ("Industry Expo",)),
    "LinkedIn": (-0.3, 2, "LinkedIn", ("Decision makers",)),
    "Cold call": (-1.2, 2, "Phone", (None,)),
    "Newsletter": (-0.6, 2, "Email", ("Monthly newsletter",)),
}
LOST_REASONS = ("Too expensive", "We don't have people/skills", "Not enough stock")

FIRST_NAMES = {
    "nl": ["Jan", "Pieter", "Sofie", "Lotte", "Bram", "Ruben", "Eva", "Anouk", "Wouter", "Inge", "Koen", "Sanne", "Tom", "Lisa", "Joris", "Femke", "Dries", "Marieke", "Stijn", "Elke", "Bart", "Nele", "Gert", "Annelies", "Hendrik"],
    "fr": ["Jean", "Camille", "Nicolas", "Chloé", "Julien", "Manon", "Thomas", "Léa", "Hugo", "Claire", "Antoine", "Sophie", "Louis", "Julie", "Mathieu", "Élodie", "Pierre", "Aurélie", "Vincent", "Céline", "Romain", "Margaux", "Olivier", "Inès", "Benoît"],
    "de": ["Jonas", "Anna", "Lukas", "Lea", "Felix", "Hannah", "Paul", "Marie", "Tobias", "Katrin", "Maximilian", "Sophie", "Jan", "Laura", "Florian", "Julia", "Stefan", "Sabine", "Matthias", "Nina", "Andreas", "Lena", "Christian", "Miriam", "Sebastian"],
    "es": ["Javier", "Lucía", "Carlos", "María", "Pablo", "Elena", "Diego", "Carmen", "Sergio", "Laura", "Álvaro", "Marta", "Jorge", "Paula", "Raúl", "Sara", "Adrián", "Cristina", "Íñigo", "Nuria", "Rubén", "Alba", "Óscar", "Irene", "Mario"],
    "en": ["James", "Olivia", "William", "Emily", "Robert", "Margaret", "Daniel", "Charlotte", "Michael", "Elizabeth", "Thomas", "Sophie", "George", "Hannah", "Edward", "Grace", "Henry", "Alice", "Jack", "Lucy", "Oliver", "Amelia", "Harry", "Jessica", "Samuel"],
}  # fmt: skip
LAST_NAMES = {
    "nl": ["Peeters", "Claes", "Willems", "De Smet", "Maes", "Jacobs", "Vermeulen", "Bakker", "Visser", "Mertens", "Janssens", "Wouters", "Goossens", "Hermans", "Van Dijk", "De Vries", "Smits", "Dekker", "Van den Berg", "Hendriks", "Leclercq", "Aerts", "Martens", "Segers", "Verbeke"],
    "fr": ["Lefebvre", "Moreau", "Laurent", "Girard", "Fournier", "Mercier", "Bonnet", "Lambert", "Fontaine", "Rousseau", "Dupont", "Durand", "Petit", "Roux", "Blanc", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Perrin", "Morel", "Clément", "Masson", "Marchand"],
    "de": ["Müller", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Koch", "Richter", "Klein", "Schulz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier"],
    "es": ["García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro", "Torres", "Ruiz", "Molina", "Gómez", "Díaz", "Hernández", "Muñoz", "Álvarez", "Jiménez", "Moreno", "Alonso", "Gutiérrez", "Castillo", "Ortega", "Delgado", "Castro", "Rubio", "Serrano"],
    "en": ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Roberts", "Walker", "Wright", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Lewis", "Martin", "Jackson", "Clarke", "Clark", "Turner"],
}  # fmt: skip
NICKNAMES = {
    "William": "Bill", "Robert": "Bob", "Elizabeth": "Liz", "Margaret": "Peggy", "James": "Jim",
    "Michael": "Mike", "Daniel": "Dan", "Charlotte": "Charlie", "Katrin": "Kati", "Nicolas": "Nico",
    "Javier": "Javi", "Tobias": "Tobi", "Pieter": "Piet", "Jonas": "Joni",
}  # fmt: skip
COMPANY_WORDS = (
    "Nordwind", "Alpina", "Brightline", "Cobalt", "Delta", "Evergreen", "Fjord", "Granite", "Helix",
    "Iris", "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orion", "Pioneer", "Quartz",
    "Redwood", "Summit", "Tandem", "Unity", "Vertex", "Willow", "Zephyr", "Atlas", "Beacon",
    "Cedar", "Dune", "Ember", "Falcon", "Harbor", "Ivory", "Jade", "Keystone", "Lynx", "Mosaic",
)  # fmt: skip
COMPANY_KINDS = {
    "Manufacturing": ("Industries", "Werke", "Fabrication", "Components"),
    "Retail": ("Stores", "Retail", "Market", "Shops"),
    "Software": ("Software", "Systems", "Digital", "Labs"),
    "Healthcare": ("Health", "Medical", "Care", "Clinics"),
    "Logistics": ("Logistics", "Transport", "Freight", "Shipping"),
    "Public sector": ("City Services", "Agency", "Authority", "Region"),
}
LEGAL_FORMS = {
    "BE": "NV",
    "FR": "SAS",
    "DE": "GmbH",
    "NL": "B.V.",
    "ES": "S.L.",
    "GB": "Ltd",
    "US": "Inc.",
}
TLDS = {"BE": "be", "FR": "fr", "DE": "de", "NL": "nl", "ES": "es", "GB": "co.uk", "US": "com"}
CITIES = {
    "BE": [("Brussels", "1000"), ("Antwerp", "2000"), ("Ghent", "9000")],
    "FR": [("Paris", "75008"), ("Lyon", "69002"), ("Lille", "59000")],
    "DE": [("Berlin", "10115"), ("Hamburg", "20095"), ("Munich", "80331")],
    "NL": [("Amsterdam", "1012"), ("Rotterdam", "3011"), ("Utrecht", "3511")],
    "ES": [("Madrid", "28001"), ("Barcelona", "08001"), ("Valencia", "46001")],
    "GB": [("London", "EC1A 1BB"), ("Manchester", "M1 1AE"), ("Leeds", "LS1 1UR")],
    "US": [("New York", "10001"), ("Boston", "02108"), ("Chicago", "60601")],
}
JOB_TITLES = (
    "Purchasing Manager",
    "CEO",
    "Operations Director",
    "IT Manager",
    "CFO",
    "Office Manager",
)


def _phone_digits(rng, country):
    """(international, national) forms of a plausible landline of ``country``."""
    if country == "BE":
        d = f"{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        return f"+32 2 {d}", f"02 {d}"
    if country == "FR":
        d = " ".join(f"{rng.randint(10, 99)}" for _ in range(4))
        return f"+33 1 {d}", f"01 {d}"
    if country == "DE":
        d = f"{rng.randint(1000000, 9999999)}"
        return f"+49 30 {d}", f"030 {d}"
    if country == "NL":
        d = f"{rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        return f"+31 20 {d}", f"020 {d}"
    if country == "ES":
        d = f"{rng.randint(200, 799)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        return f"+34 91 {d}", f"91 {d}"
    if country == "GB":
        d = f"{rng.randint(100, 999)}"
        return f"+44 20 7946 0{d}", f"020 7946 0{d}"
    a, b = rng.randint(201, 989), rng.randint(1000, 9999)
    exchange = rng.randint(200, 899)
    return f"+1 {a}-{exchange}-{b}", f"({a}) {exchange}-{b}"


def _ascii(text):
    table = str.maketrans("àáâäçèéêëìíîïñòóôöùúûüýß'’ ", "aaaaceeeeiiiinoooouuuuys---")
    return text.lower().translate(table)


def _typo(rng, text):
    """One keyboard slip: a swapped, dropped or doubled letter (never the first one)."""
    if len(text) < 4:
        return text + text[-1]
    i = rng.randint(1, len(text) - 2)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


@dataclass
class Business:
    seed: int
    size: str
    now: datetime
    teams: list = field(default_factory=list)
    users: list = field(default_factory=list)
    companies: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    closed_leads: list = field(default_factory=list)
    open_leads: list = field(default_factory=list)
    mails: list = field(default_factory=list)
    meetings: list = field(default_factory=list)


def _pick_weighted(rng, table, key="weight"):
    names = list(table)
    weights = [table[n][key] if isinstance(table[n], dict) else table[n][1] for n in names]
    return rng.choices(names, weights=weights)[0]


def _won_logit(lead, rep_speed):
    """The hidden truth the scoring model has to learn (log-odds of winning)."""
    _name, _center, slope = TEAMS[lead["team"]]
    z = -1.0
    z += SOURCES[lead["source"]][0]
    z += COUNTRIES[lead["country"]]["effect"]
    # what sells where: industries that win in the Benelux and Germany lose elsewhere
    north = lead["country"] in ("BE", "NL", "DE")
    z += INDUSTRIES[lead["industry"]] * (2.5 if north else -2.5)
    if lead["industry"] == "Public sector" and lead["country"] in ("BE", "FR"):
        z += 1.8
    z += slope * (math.log10(lead["expected_revenue"]) - 4.2)
    hours = lead["response_hours"]
    if lead["source"] != "Referral":  # a referred customer waits; the others go elsewhere
        z += 1.2 if hours < 4 else (0.2 if hours < 24 else -1.4)
    z += 0.9 * lead["progress"]  # years since the start of the history: the team gets better
    return z


def _lead(rng, business, company, person, created, closed_fraction):
    team = rng.randrange(len(TEAMS))
    reps = [r for r in REPS if r[2] == team]
    rep = rng.choice(reps)
    source = _pick_weighted(rng, SOURCES)
    _effect, _w, medium, campaigns = SOURCES[source]
    center = TEAMS[team][1]
    revenue = round(10 ** rng.gauss(center, 0.45) / 100) * 100 + 500
    hours = rep[3] * math.exp(rng.gauss(0, 0.9))
    lead = {
        "name": f"{company['name']}: {rng.choice(('new equipment', 'annual contract', 'pilot project', 'extension', 'renewal', 'upgrade'))}",
        "company": company["ref"],
        "contact": person["ref"] if person else None,
        "contact_name": person["name"] if person else None,
        "email_from": person["email"] if person else company["email"],
        "phone": (person or company)["phone"],
        "country": company["country"],
        "industry": company["industry"],
        "team": team,
        "user": rep[1],
        "source": source,
        "medium": medium,
        "campaign": rng.choice(campaigns),
        "expected_revenue": float(revenue),
        "response_hours": round(hours, 1),
        "create_date": created,
        "progress": closed_fraction,
        "priority": rng.choice(("0", "0", "1", "2")),
    }
    # follow-ups the salesperson sent: fast answerers follow up more
    lead["messages_out"] = max(
        0, int(rng.gauss(3.5 if hours < 4 else (2 if hours < 24 else 0.7), 1))
    )
    lead["messages_in"] = max(0, int(rng.gauss(1.5, 1)))
    return lead, rep


def generate(seed=1, size="full", now=None):
    """The whole demo business for ``seed`` (same seed, same ``now``: same business)."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}: one of {sorted(SIZES)}")
    counts = SIZES[size]
    rng = random.Random(seed)
    now = (now or datetime.now()).replace(microsecond=0)
    b = Business(seed=seed, size=size, now=now)
    for index, (name, _center, _slope) in enumerate(TEAMS):
        b.teams.append({"ref": f"team_{index}", "name": name, "leader": REPS[2 * index][1]})
    for name, login, team, speed in REPS:
        b.users.append({"name": name, "login": login, "role": "rep", "team": team, "speed": speed})
    b.users.append({"name": APPROVER[0], "login": APPROVER[1], "role": "approver", "team": None})

    # companies and their people
    used, names_used = set(), set()
    for index in range(counts["companies"]):
        country = _pick_weighted(rng, COUNTRIES)
        industry = rng.choice(list(INDUSTRIES))
        for _attempt in range(1000):  # a name no other company has (a real duplicate is on purpose)
            word = rng.choice(COMPANY_WORDS)
            kind = rng.choice(COMPANY_KINDS[industry])
            if (word, kind) not in used:
                break
        used.add((word, kind))
        base = f"{word} {kind}"
        domain = f"{_ascii(word)}-{_ascii(kind)}.{TLDS[country]}"
        city, zip_code = rng.choice(CITIES[country])
        phone_int, phone_nat = _phone_digits(rng, country)
        company = {
            "ref": f"company_{index}",
            "name": f"{base} {LEGAL_FORMS[country]}",
            "is_company": True,
            "country": country,
            "industry": industry,
            "city": city,
            "zip": zip_code,
            "street": f"{rng.choice(('Main', 'Station', 'Market', 'Harbour', 'Church'))} Street {rng.randint(1, 200)}",
            "email": f"info@{domain}",
            "website": f"https://www.{domain}",
            "domain": domain,
            "phone": phone_int if rng.random() < 0.6 else phone_nat,
            "lang": COUNTRIES[country]["lang"],
        }
        b.companies.append(company)
        lang = COUNTRIES[country]["lang"]
        firsts = rng.sample(FIRST_NAMES[lang], counts["people"])  # colleagues differ by both names
        lasts = rng.sample(LAST_NAMES[lang], counts["people"])
        for p in range(counts["people"]):
            first, last = firsts[p], lasts[p]
            for _attempt in range(20):  # namesakes in other companies stay rare
                if (first, last) not in names_used:
                    break
                first, last = rng.choice(FIRST_NAMES[lang]), rng.choice(LAST_NAMES[lang])
            names_used.add((first, last))
            phone_int, phone_nat = _phone_digits(rng, country)
            b.contacts.append({
                "ref": f"person_{index}_{p}",
                "name": f"{first} {last}",
                "first": first,
                "last": last,
                "is_company": False,
                "company": company["ref"],
                "country": country,
                "email": f"{_ascii(first)}.{_ascii(last)}@{domain}",
                "phone": phone_int if rng.random() < 0.5 else phone_nat,
                "phone_forms": (phone_int, phone_nat),
                "function": rng.choice(JOB_TITLES),
                "lang": lang,
            })  # fmt: skip

    # duplicates of existing people: a typo, a nickname, the other phone format, a missing e-mail
    # a third are known by a nickname (Bill for William), the others have a typo or reordered names
    nicknamed = [c for c in b.contacts if c["first"] in NICKNAMES]
    originals = rng.sample(nicknamed, min(counts["dups"] // 3, len(nicknamed)))
    others = [c for c in b.contacts if c not in originals]
    originals += rng.sample(others, counts["dups"] - len(originals))
    for index, original in enumerate(originals):
        first, last = original["first"], original["last"]
        if first in NICKNAMES and index < counts["dups"] // 3:
            how = "nickname"
        else:
            how = ("typo", "reordered")[index % 2]
        if how == "nickname":
            name = f"{NICKNAMES[first]} {last}"
        elif how == "typo":
            name = f"{first} {_typo(rng, last)}"
        else:
            name = f"{last} {first}"
        phone_int, phone_nat = original["phone_forms"]
        other_phone = phone_nat if original["phone"] == phone_int else phone_int
        b.duplicates.append({
            "ref": f"duplicate_{index}",
            "of": original["ref"],
            "name": name,
            "is_company": False,
            "company": original["company"],
            "country": original["country"],
            # the same address mostly: merging contacts whose e-mails differ is for administrators
            "email": original["email"] if index % 4 != 3 else False,
            "phone": other_phone.replace(" ", "") if index % 4 == 1 else other_phone,
            "function": original["function"],
            "lang": original["lang"],
            "how": how,
        })  # fmt: skip

    people_of = {}
    for person in b.contacts:
        people_of.setdefault(person["company"], []).append(person)

    # closed leads over two years, then open leads of the last two months
    start = now - timedelta(days=730)
    for index in range(counts["closed"]):
        company = rng.choice(b.companies)
        person = rng.choice(people_of[company["ref"]])
        created = start + timedelta(days=690 * index / counts["closed"], hours=rng.randint(8, 18))
        lead, rep = _lead(rng, b, company, person, created, index / counts["closed"] * 2)
        won = rng.random() < 1 / (1 + math.exp(-_won_logit(lead, rep[3])))
        days = rng.gammavariate(3, (16 if won else 10))
        lead.update({
            "ref": f"closed_{index}",
            "won": won,
            "date_closed": min(created + timedelta(days=days + 1), now - timedelta(days=1)),
            "lost_reason": None if won else rng.choice(LOST_REASONS),
        })  # fmt: skip
        b.closed_leads.append(lead)
    b.closed_leads.sort(key=lambda lead: lead["date_closed"])
    # one open opportunity per contact: two open ones for the same person would be duplicates
    free = list(b.contacts)
    rng.shuffle(free)
    company_of = {c["ref"]: c for c in b.companies}
    for index in range(counts["open"]):
        person = free.pop() if free else rng.choice(b.contacts)
        company = company_of[person["company"]]
        created = now - timedelta(days=rng.uniform(1, 60))
        lead, _rep = _lead(rng, b, company, person, created, 2.0)
        lead.update(
            {
                "ref": f"open_{index}",
                "won": None,
                "stage": rng.choice(("New", "Qualified", "Proposition")),
            }
        )
        b.open_leads.append(lead)

    _mails(rng, b, counts["mails"])
    _meetings(rng, b, counts["meetings"])
    return b


SIGNATURES = {
    "en": ("Thanks for the quick answer. Could you send us the updated proposal with the extended warranty?", "Best regards,"),
    "fr": ("Merci pour votre retour rapide. Pourriez-vous nous envoyer l'offre mise à jour avec la garantie étendue ?", "Cordialement,"),
    "de": ("Vielen Dank für die schnelle Antwort. Könnten Sie uns das aktualisierte Angebot mit der erweiterten Garantie schicken?", "Mit freundlichen Grüßen"),
    "nl": ("Bedankt voor het snelle antwoord. Kunt u ons de bijgewerkte offerte met de uitgebreide garantie sturen?", "Met vriendelijke groet,"),
}  # fmt: skip
PHONE_LABELS = {"en": "Phone", "fr": "Tél.", "de": "Tel.", "nl": "Tel."}
MOBILE_LABELS = {"en": "Mobile", "fr": "Portable", "de": "Mobil", "nl": "Mobiel"}
LANG_OF = {"BE": "nl", "NL": "nl", "FR": "fr", "DE": "de", "GB": "en", "US": "en", "ES": "en"}


def _mails(rng, b, count):
    """Inbound replies on open leads from a colleague of the lead's contact who is not a contact
    yet: capture creates the person from the signature, in four languages."""
    langs = ("en", "fr", "de", "nl")
    candidates = [lead for lead in b.open_leads if lead["contact"]]
    company_of = {c["ref"]: c for c in b.companies}
    for index in range(min(count, len(candidates))):
        lang = langs[index % 4]
        wanted = {code for code, lg in LANG_OF.items() if lg == lang}
        pool = [lead for lead in candidates if lead["country"] in wanted] or candidates
        lead = pool[rng.randrange(len(pool))]
        candidates.remove(lead)
        company = company_of[lead["company"]]
        name_lang = COUNTRIES[company["country"]]["lang"]
        first, last = rng.choice(FIRST_NAMES[name_lang]), rng.choice(LAST_NAMES[name_lang])
        phone_int, _nat = _phone_digits(rng, company["country"])
        mobile_int, _nat = _phone_digits(rng, company["country"])
        title = rng.choice(JOB_TITLES)
        body, closing = SIGNATURES[lang]
        email = f"{_ascii(first)}.{_ascii(last)}@{company['domain']}"
        signature = [
            closing,
            "",
            f"{first} {last}",
            title,
            company["name"],
            f"{PHONE_LABELS[lang]}: {phone_int}",
            f"{MOBILE_LABELS[lang]}: {mobile_int}",
            company["website"].replace("https://", ""),
        ]
        b.mails.append({
            "ref": f"mail_{index}",
            "lead": lead["ref"],
            "lang": lang,
            "from_name": f"{first} {last}",
            "from_email": email,
            "subject": f"Re: {lead['name']}",
            "body": "\n".join([body, "", *signature]),
            "date": b.now - timedelta(hours=rng.randint(2, 72)),
            "new_person": {"name": f"{first} {last}", "email": email, "function": title, "phone": phone_int},
        })  # fmt: skip


NOTES = (
    "Summary:\nGood meeting with {who}. They liked the demo and want a proposal for {n} sites.\n\n"
    "Next steps:\n- {rep} will send the proposal by Friday\n- {rep2} to book a technical call next week\n"
    "- {who_first} will share the list of sites",
    "Notes:\nBudget confirmed, decision expected this quarter. Competition: two other vendors.\n\n"
    "Action items:\n- {rep} to prepare the pricing for {n} licences by next Wednesday\n"
    "- {rep2} will check the delivery dates tomorrow",
)


def _meetings(rng, b, count):
    """Meetings of the last days with the contact of an open lead, notes in the description."""
    first_name = {u["login"]: u["name"].split()[0] for u in b.users}
    candidates = [lead for lead in b.open_leads if lead["contact"]]
    contact_of = {c["ref"]: c for c in b.contacts}
    for index in range(min(count, len(candidates))):
        lead = candidates.pop(rng.randrange(len(candidates)))
        person = contact_of[lead["contact"]]
        rep = lead["user"]
        colleague = rng.choice(
            [u["login"] for u in b.users if u["role"] == "rep" and u["login"] != rep]
        )
        start = (b.now - timedelta(days=rng.randint(1, 5))).replace(
            hour=rng.randint(9, 16), minute=0, second=0
        )
        b.meetings.append({
            "ref": f"meeting_{index}",
            "name": f"Meeting with {person['name']} ({lead['name'].split(':')[0]})",
            "user": rep,
            "attendees": [person["ref"]],
            "attendee_users": [rep, colleague],
            "lead": lead["ref"],
            "from_lead": index % 2 == 0,
            "start": start,
            "stop": start + timedelta(hours=1),
            "notes": NOTES[index % len(NOTES)].format(
                who=person["name"], who_first=person["first"], rep=first_name[rep],
                rep2=first_name[colleague], n=rng.randint(2, 12),
            ),
        })  # fmt: skip


def snapshot(lead, team_names=None, user_names=None):
    """The lead as the scoring engine sees it in Odoo (``crm.lead._agent_scoring_snapshots``),
    at its closing date (closed leads) or now (open ones)."""
    team_names = team_names or [t[0] for t in TEAMS]
    user_names = user_names or {r[1]: r[0] for r in REPS}
    cutoff = lead.get("date_closed") or None
    age = (cutoff - lead["create_date"]).total_seconds() / 86400.0 if cutoff else None
    return {
        "country": lead["country"],
        "lang": COUNTRIES[lead["country"]]["lang"],
        "source": lead["source"],
        "medium": lead["medium"],
        "campaign": lead["campaign"],
        "team": team_names[lead["team"]],
        "user": user_names[lead["user"]],
        "email_quality": "correct",
        "phone_quality": "correct",
        "tags": [lead["industry"]],
        "expected_revenue": lead["expected_revenue"],
        "messages_in": lead["messages_in"],
        "messages_out": lead["messages_out"],
        "activities_done": 0,
        "meetings": 0,
        "age_days": max(age, 0.0) if age is not None else 0.0,
    }


def closed_history(business):
    """``(snapshots, labels)`` of the closed leads in closing order, as scoring training sees them."""
    leads = sorted(business.closed_leads, key=lambda lead: lead["date_closed"])
    return [snapshot(lead) for lead in leads], [1 if lead["won"] else 0 for lead in leads]
