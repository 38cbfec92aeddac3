"""Build the labelled capture corpus (mails.jsonl, meetings.jsonl) from invented pieces.

Run: python3 tests/hygiene/capture/corpus/build_corpus.py   (deterministic: fixed seed; output committed)

Everything is fictitious: invented people and companies, reserved domains (.example, example.com/net/org),
phone numbers from ranges reserved for drama where they exist (UK 020 7946 0xxx and 07700 900xxx,
US 555-01xx, FR 01 99 00 xx xx and 06 39 98 xx xx, DE 030 23125 xxx / 069 90009 xxx). Spanish and German
mobile numbers have no published fiction range; the ones used are unassigned-looking placeholders.
Labels are written from the pieces each sample is built from, never from the parser's output.
"""

import json
import pathlib
import random
from datetime import date, timedelta

HERE = pathlib.Path(__file__).resolve().parent
rng = random.Random(20240612)

PEOPLE = {
    "en": [
        ("Jane", "Holloway"),
        ("Marcus", "Whitfield"),
        ("Priya", "Raman"),
        ("Owen", "Castell"),
        ("Harriet", "Quayle"),
        ("Dmitri", "Okafor"),
        ("Lena", "Marsh"),
        ("Samuel", "Penrose"),
        ("Chloe", "Atherton"),
        ("Theo", "Blackwood"),
        ("Nadia", "Farrow"),
        ("Callum", "Pryce"),
        ("Rosalind", "Teague"),
        ("Ethan", "Lockridge"),
        ("Imogen", "Sutter"),
        ("Gareth", "Venn"),
    ],
    "fr": [
        ("Paul", "Martineau"),
        ("Camille", "Rouvière"),
        ("Élodie", "Garnier"),
        ("Thibault", "Lemaire"),
        ("Sophie", "Delacroix"),
        ("Julien", "Ferrand"),
        ("Aurélie", "Bonnefoy"),
        ("Mathieu", "Charpentier"),
        ("Inès", "Vautrin"),
        ("Hugo", "Mercier"),
        ("Claire", "de Villiers"),
        ("Antoine", "Lacombe"),
    ],
    "de": [
        ("Klaus", "Brenner"),
        ("Anja", "Vollmer"),
        ("Jonas", "Hartwig"),
        ("Sabine", "Kessler"),
        ("Tobias", "Reuter"),
        ("Miriam", "Eckhardt"),
        ("Florian", "Wendt"),
        ("Katrin", "Lindemann"),
        ("Lukas", "von Arnim"),
        ("Julia", "Seidel"),
        ("Matthias", "Kraus"),
        ("Heike", "Dorn"),
    ],
    "es": [
        ("Lucía", "Ferrandiz"),
        ("Javier", "Montoya"),
        ("Carmen", "Villalba"),
        ("Diego", "Arriaga"),
        ("Elena", "Casares"),
        ("Pablo", "Quintana"),
        ("Marta", "Iglesias"),
        ("Sergio", "Valcárcel"),
        ("Nuria", "Benavent"),
        ("Andrés", "Salcedo"),
        ("Rocío", "del Pino"),
        ("Iker", "Zubiri"),
    ],
}
COMPANIES = {
    "en": [
        ("Northwind Logistics", "Ltd", "northwind-logistics"),
        ("Bramblecote Analytics", "Inc.", "bramblecote"),
        ("Harbourline Foods", "PLC", "harbourline"),
        ("Quillfeather Software", "LLC", "quillfeather"),
        ("Ashgrove Medical Supplies", "Ltd", "ashgrove-medical"),
        ("Copperleaf Energy", "Inc", "copperleaf"),
        ("Redfern & Tate", "LLP", "redferntate"),
        ("Silverbirch Consulting", "", "silverbirch"),
        ("Tidewater Robotics", "Corp.", "tidewater-robotics"),
        ("Kestrel Print", "Limited", "kestrelprint"),
    ],
    "fr": [
        ("Fromagerie Duvallon", "SARL", "fromagerie-duvallon"),
        ("Atelier Brisecou", "SAS", "brisecou"),
        ("Transports Lemarchand", "S.A.", "lemarchand-transports"),
        ("Verrerie du Causse", "SAS", "verrerie-causse"),
        ("Bureau Orvande", "EURL", "orvande"),
        ("Solutions Capucine", "", "capucine-solutions"),
        ("Menuiserie Ardelle", "SARL", "ardelle"),
        ("Groupe Hélianthe", "SA", "helianthe"),
    ],
    "de": [
        ("Brenner Maschinenbau", "GmbH", "brenner-maschinenbau"),
        ("Nordlicht Software", "AG", "nordlicht-software"),
        ("Elbtal Logistik", "GmbH & Co. KG", "elbtal-logistik"),
        ("Hartwig Elektrotechnik", "GmbH", "hartwig-et"),
        ("Weinhaus Sonnhalde", "KG", "sonnhalde"),
        ("Kupferwerk Reutlingen", "AG", "kupferwerk"),
        ("Datenbrücke", "UG", "datenbruecke"),
        ("Feldmann Beratung", "", "feldmann-beratung"),
    ],
    "es": [
        ("Aceites del Sur", "S.L.", "aceitesdelsur"),
        ("Construcciones Albero", "S.A.", "albero"),
        ("Bodegas Valdeluna", "S.L.", "valdeluna"),
        ("Textiles Marisma", "S.L.U.", "marisma-textil"),
        ("Logística Cierzo", "S.A.", "cierzo"),
        ("Estudio Almendro", "", "almendro"),
        ("Cerámicas Guadiel", "S.A.U.", "guadiel"),
    ],
}
TITLES = {
    "en": [
        "Head of Sales",
        "Sales Director",
        "Account Executive",
        "Chief Executive Officer",
        "CEO",
        "Procurement Manager",
        "VP of Operations",
        "Senior Consultant",
        "Co-founder & CTO",
        "Purchasing Manager",
        "Business Development Manager",
        "Office Manager",
        "Managing Director",
        "Operations Lead",
        "Key Account Manager",
        "Finance Director",
    ],
    "fr": [
        "Directeur commercial",
        "Directrice des achats",
        "Responsable grands comptes",
        "Gérant",
        "Chef de projet",
        "Chargée d'affaires",
        "Président",
        "Ingénieur commercial",
        "Responsable logistique",
        "Assistante de direction",
        "Directrice générale",
    ],
    "de": [
        "Geschäftsführer",
        "Vertriebsleiter",
        "Leiterin Einkauf",
        "Key Account Manager",
        "Projektleiter",
        "Geschäftsführerin",
        "Technischer Berater",
        "Inhaber",
        "Einkäuferin",
        "Leiter Vertrieb Süd",
        "Vorstandsvorsitzender",
    ],
    "es": [
        "Jefe de ventas",
        "Directora comercial",
        "Gerente",
        "Responsable de compras",
        "Director general",
        "Ejecutiva de cuentas",
        "Consultor sénior",
        "Jefa de proyecto",
        "Fundadora",
        "Director de operaciones",
    ],
}
ADDRESSES = {
    "en": [
        ["14 Larkspur Road", "London EC1V 9XY"],
        ["Unit 3, Meridian Park", "Leeds LS11 5QA"],
        ["221 Orchard Street, Suite 400", "Springfield, IL 62701"],
        ["9 Quayside Lane", "Bristol BS1 4RN"],
        ["500 Harbor Drive", "San Diego, CA 92101"],
    ],
    "fr": [
        ["12 rue des Tanneurs", "69002 Lyon"],
        ["3 avenue Jean Moulin", "33000 Bordeaux"],
        ["45 boulevard Carnot", "59000 Lille"],
        ["8 place du Marché", "67000 Strasbourg", "France"],
        ["ZA du Moulin, 2 chemin des Prés", "35000 Rennes"],
    ],
    "de": [
        ["Industriestraße 12", "10115 Berlin"],
        ["Hafenweg 7", "20457 Hamburg"],
        ["Lindenallee 23", "80331 München", "Deutschland"],
        ["Am Markt 4", "D-04109 Leipzig"],
        ["Rheinuferstraße 88", "50667 Köln"],
    ],
    "es": [
        ["Calle Mayor 21", "28013 Madrid"],
        ["Avda. de la Constitución 5", "41001 Sevilla"],
        ["Paseo de Gracia 60, 3º", "08007 Barcelona", "España"],
        ["Calle Alcalá 120", "28009 Madrid"],
        ["Plaza del Pilar 2", "50003 Zaragoza"],
    ],
}
REGION = {"en": "GB", "fr": "FR", "de": "DE", "es": "ES"}


def _digits(count):
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def phone_number(lang, mobile, us=False):
    """(displayed text, E.164) from fiction ranges, in one of several written forms."""
    if us:
        area = rng.choice(["202", "312", "415", "617"])
        tail = f"01{_digits(2)}"
        e164 = f"+1{area}555{tail}"
        shown = rng.choice(
            [
                f"({area}) 555-{tail}",
                f"+1 {area}-555-{tail}",
                f"{area}.555.{tail}",
                f"+1 ({area}) 555 {tail}",
            ]
        )
        return shown, e164
    if lang == "en":
        if mobile:
            tail = _digits(3)
            return rng.choice(
                [f"07700 900{tail}", f"+44 7700 900{tail}", f"+44 (0)7700 900 {tail}"]
            ), f"+447700900{tail}"
        tail = _digits(3)
        return rng.choice(
            [
                f"020 7946 0{tail}",
                f"+44 20 7946 0{tail}",
                f"+44 (0)20 7946 0{tail}",
                f"+44 207 946 0{tail}",
            ]
        ), f"+442079460{tail}"
    if lang == "fr":
        a, b = _digits(2), _digits(2)
        if mobile:
            return rng.choice(
                [
                    f"06 39 98 {a} {b}",
                    f"+33 6 39 98 {a} {b}",
                    f"06.39.98.{a}.{b}",
                    f"+33 (0)6 39 98 {a} {b}",
                ]
            ), "+33639980000"[:0] + f"+3363998{a}{b}"
        return rng.choice(
            [
                f"01 99 00 {a} {b}",
                f"+33 1 99 00 {a} {b}",
                f"01.99.00.{a}.{b}",
                f"+33 (0)1 99 00 {a} {b}",
            ]
        ), f"+3319900{a}{b}"
    if lang == "de":
        if mobile:
            tail = _digits(4)
            return rng.choice(
                [
                    f"0152 2881 {tail}",
                    f"+49 152 2881{tail}",
                    f"+49 (0)152 2881 {tail}",
                    f"0152/2881{tail}",
                ]
            ), f"+491522881{tail}"
        tail = _digits(3)
        city = rng.choice([("30", "23125"), ("69", "90009")])
        return rng.choice(
            [
                f"0{city[0]} {city[1]} {tail}",
                f"+49 {city[0]} {city[1]}-{tail}",
                f"+49 (0){city[0]} {city[1]} {tail}",
                f"0{city[0]}/{city[1]}{tail}",
            ]
        ), f"+49{city[0]}{city[1]}{tail}"
    tail = _digits(3)
    if mobile:
        return rng.choice(
            [f"600 000 {tail}", f"+34 600 000 {tail}", f"+34 600 00 0{tail[:1]} {tail[1:]}"]
        ), f"+34600000{tail}"
    return rng.choice(
        [f"910 000 {tail}", f"+34 910 000 {tail}", f"+34 91 000 0{tail[:1]} {tail[1:]}"]
    ), f"+34910000{tail}"


PHONE_LABELS = {
    "en": ["T: ", "Tel: ", "Phone: ", "P: ", "Office: ", "Direct: ", "t. ", "Tel. "],
    "fr": ["Tél. : ", "Tél : ", "T. ", "Tel : ", "Ligne directe : ", "Fixe : "],
    "de": ["Tel.: ", "Telefon: ", "T ", "Tel ", "Fon: ", "Durchwahl: "],
    "es": ["Tel.: ", "Teléfono: ", "Tfno.: ", "T. ", "Tel: "],
}
MOBILE_LABELS = {
    "en": ["M: ", "Mobile: ", "Mob: ", "Cell: ", "m. ", "Mobile "],
    "fr": ["Portable : ", "Mobile : ", "Port. : ", "M. ", "Mob : "],
    "de": ["Mobil: ", "Handy: ", "M ", "Mobil ", "Mobiltelefon: "],
    "es": ["Móvil: ", "Movil: ", "M. ", "Cel.: ", "Móv.: "],
}
SIGN_OFFS = {
    "en": [
        "Best regards,",
        "Kind regards,",
        "Thanks,",
        "Many thanks,",
        "Best,",
        "Cheers,",
        "Regards,",
        "Warm regards,",
        "Thank you,",
        "All the best,",
    ],
    "fr": [
        "Cordialement,",
        "Bien cordialement,",
        "Bien à vous,",
        "Merci,",
        "Bonne journée,",
        "Très cordialement",
        "Salutations,",
    ],
    "de": [
        "Mit freundlichen Grüßen",
        "Viele Grüße",
        "Beste Grüße",
        "Freundliche Grüße",
        "Gruß",
        "Vielen Dank und viele Grüße",
    ],
    "es": [
        "Saludos,",
        "Un saludo,",
        "Atentamente,",
        "Saludos cordiales,",
        "Un cordial saludo,",
        "Gracias,",
    ],
}
BODIES = {
    "en": [
        "Hi {to},\n\nThanks for the call earlier. As discussed, I've attached our updated price list for the "
        "2025 season. Let me know if the volumes work for you.",
        "Hello,\n\nCould you send me a quote for 250 units of the standard model, delivered to our Leeds site "
        "before the end of next month?",
        "Hi {to},\n\nJust following up on my previous email. Are you available for a short demo on Thursday "
        "afternoon?",
        "Dear {to},\n\nPlease find attached the signed NDA. Our legal team had no further comments.",
        "Hey {to} - quick one: can we move tomorrow's call to 3pm? Something came up.",
        "Hi all,\n\nI'm taking over the account from my colleague, who has moved to another team. Looking "
        "forward to working with you.",
    ],
    "fr": [
        "Bonjour {to},\n\nSuite à notre échange téléphonique, je vous prie de trouver ci-joint notre devis "
        "pour la fourniture de 40 palettes.",
        "Bonjour,\n\nPourriez-vous nous faire parvenir vos conditions tarifaires pour l'année prochaine ?",
        "Madame, Monsieur,\n\nNous souhaiterions organiser une rencontre la semaine prochaine afin de "
        "présenter notre offre.",
        "Bonjour {to},\n\nJe reviens vers vous concernant la commande n° 2024-118. La livraison est-elle "
        "toujours prévue pour jeudi ?",
    ],
    "de": [
        "Hallo {to},\n\nvielen Dank für das angenehme Gespräch. Anbei wie besprochen unser Angebot.",
        "Sehr geehrte Damen und Herren,\n\nwir interessieren uns für Ihre Lösung und bitten um ein "
        "unverbindliches Angebot für 12 Lizenzen.",
        "Guten Tag {to},\n\nkönnen wir den Termin am Dienstag auf 14 Uhr verschieben?",
        "Hallo zusammen,\n\nanbei die unterschriebene Auftragsbestätigung.",
    ],
    "es": [
        "Hola {to}:\n\nGracias por la reunión de ayer. Te adjunto la propuesta revisada con los nuevos "
        "plazos de entrega.",
        "Buenos días,\n\n¿Podrían enviarnos un presupuesto para 300 unidades del modelo estándar?",
        "Estimado {to}:\n\nLe confirmo la visita a nuestras instalaciones el próximo martes.",
        "Hola {to},\n\n¿Tienes disponibilidad esta semana para una llamada rápida?",
    ],
}
DISCLAIMERS = {
    "en": "This email and any attachments are confidential and intended solely for the addressee. If you "
    "have received it in error, please notify the sender and delete it.",
    "fr": "Ce message et ses pièces jointes sont confidentiels et destinés exclusivement au destinataire. "
    "Si vous l'avez reçu par erreur, merci de le supprimer.",
    "de": "Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Empfänger sind, "
    "informieren Sie bitte sofort den Absender.",
    "es": "Este mensaje es confidencial y va dirigido exclusivamente a su destinatario. Si lo ha recibido "
    "por error, por favor elimínelo.",
}
LEGAL_FOOTERS = {
    "en": "Registered in England and Wales No. 01234567. Registered office: as above.",
    "fr": "SIRET 000 000 000 00000 – RCS Lyon – Capital social 10 000 €",
    "de": "Sitz der Gesellschaft: Berlin | Amtsgericht Charlottenburg HRB 000000 | Geschäftsführer: siehe oben",
    "es": "Inscrita en el Registro Mercantil de Madrid, CIF B00000000",
}
DEVICE_LINES = {
    "en": ["Sent from my iPhone", "Get Outlook for Android", "Sent from my Galaxy"],
    "fr": ["Envoyé de mon iPhone", "Envoyé depuis mon mobile"],
    "de": ["Von meinem iPhone gesendet", "Gesendet von Outlook für Android"],
    "es": ["Enviado desde mi iPhone", "Enviado desde mi móvil"],
}
QUOTE_INTROS = {
    "en": "On {day}, {name} <{email}> wrote:",
    "fr": "Le {day}, {name} <{email}> a écrit :",
    "de": "Am {day} schrieb {name} <{email}>:",
    "es": "El {day}, {name} <{email}> escribió:",
}
OUTLOOK_HEADERS = {
    "en": ("From", "Sent", "To", "Subject"),
    "fr": ("De", "Envoyé", "À", "Objet"),
    "de": ("Von", "Gesendet", "An", "Betreff"),
    "es": ("De", "Enviado", "Para", "Asunto"),
}
SOCIAL = [
    "LinkedIn: linkedin.com/in/{slug}",
    "Follow us on Twitter @{slug}",
    "https://www.linkedin.com/company/{slug}",
    "LinkedIn | Twitter | Instagram",
]


def make_person(lang):
    first, last = rng.choice(PEOPLE[lang])
    company = rng.choice(COMPANIES[lang])
    domain = company[2] + ".example"
    style = rng.random()
    local = (
        f"{first}.{last}" if style < 0.5 else f"{first[0]}.{last}" if style < 0.75 else first
    ).lower()
    local = local.replace(" ", "").translate(str.maketrans("éèíóúáñüöäç", "eeiouanuoac"))
    return first, last, company, domain, f"{local}@{domain}"


def make_mail(index):
    lang = rng.choice(["en", "en", "fr", "de", "es"])
    us = lang == "en" and rng.random() < 0.3
    first, last, company, domain, email = make_person(lang)
    full = f"{first} {last}"
    comp_name = f"{company[0]} {company[1]}".strip()
    title = rng.choice(TITLES[lang]) if rng.random() < 0.8 else None
    has_company = rng.random() < 0.85
    has_email = rng.random() < 0.6
    has_website = rng.random() < 0.5
    has_phone = rng.random() < 0.75
    has_mobile = rng.random() < 0.5
    has_address = rng.random() < 0.4 and not us
    name_mode = rng.choices(["full", "first_only", "upper_last", "none"], [0.72, 0.12, 0.08, 0.08])[
        0
    ]
    from_mode = rng.choices(["full", "comma", "empty", "upper"], [0.75, 0.1, 0.08, 0.07])[0]
    from_name = {
        "full": full,
        "comma": f"{last}, {first}",
        "empty": "",
        "upper": f"{last.upper()} {first}",
    }[from_mode]
    if rng.random() < 0.1:
        email_in_sig = f"sales@{domain}"
    else:
        email_in_sig = email
    phone = phone_number(lang, False, us) if has_phone else None
    mobile = phone_number(lang, True, us) if has_mobile else None  # US mobiles are always labelled
    website_shown = None
    if has_website:
        website_shown = rng.choice(
            [
                f"www.{domain}",
                f"https://www.{domain}",
                f"https://{domain}/",
                f"http://{domain}",
                f"{domain}",
            ]
        )
    address = rng.choice(ADDRESSES[lang]) if has_address else None

    # What a careful human would label.
    expected = {
        "name": None,
        "title": title,
        "company": comp_name if has_company else None,
        "email": email_in_sig.lower() if has_email else None,
        "phone": phone[1] if phone else None,
        "mobile": mobile[1] if mobile else None,
        "website": None,
        "address": ", ".join(address) if address else None,
    }
    if website_shown:
        expected["website"] = "https://" + website_shown.split("://")[-1].rstrip("/")
    if name_mode == "full":
        expected["name"] = full
    elif name_mode == "upper_last":
        expected["name"] = f"{first} {last.upper()}"
    elif name_mode == "first_only" and from_mode == "full":
        expected["name"] = full

    lines = []
    name_line = {
        "full": full,
        "upper_last": f"{first} {last.upper()}",
        "first_only": first,
        "none": None,
    }[name_mode]
    layout = rng.choice(["stacked", "stacked", "pipes", "compact", "title_at", "name_comma_title"])
    phone_lines = []
    phone_unlabelled = (
        rng.random() < 0.25 and lang != "en"
    )  # numbering plan tells FR/DE/ES mobiles apart
    if phone:
        phone_lines.append(("" if phone_unlabelled else rng.choice(PHONE_LABELS[lang])) + phone[0])
    if mobile:
        mobile_valid = not (lang == "en" and not us) and lang != "fr"
        label = "" if (phone_unlabelled and mobile_valid) else rng.choice(MOBILE_LABELS[lang])
        phone_lines.append(label + mobile[0])
    if not has_company:
        expected["company"] = None
    if layout == "stacked":
        if name_line:
            lines.append(name_line)
        if title:
            lines.append(title)
        if has_company:
            lines.append(comp_name)
        if address:
            lines.extend(address)
        if phone_lines and rng.random() < 0.5:
            lines.append(
                "  |  ".join(phone_lines)
                if rng.random() < 0.5 or phone_unlabelled
                else " ".join(phone_lines)
            )
        else:
            lines.extend(phone_lines)
        if has_email:
            lines.append(rng.choice(["", "E-mail: ", "Email: ", "E: ", "Mail: "]) + email_in_sig)
        if website_shown:
            lines.append(rng.choice(["", "Web: ", "Website: ", "w. "]) + website_shown)
    elif layout == "pipes":
        head = [x for x in (name_line, title, comp_name if has_company else None) if x]
        if head:
            lines.append(" | ".join(head))
        contact = (
            phone_lines
            + ([email_in_sig] if has_email else [])
            + ([website_shown] if website_shown else [])
        )
        if contact:
            lines.append(" | ".join(contact))
        if address:
            lines.append(", ".join(address))
    elif layout == "compact":
        if name_line:
            lines.append(name_line + (f" – {title}" if title else ""))
        elif title:
            lines.append(title)
        if has_company:
            lines.append(comp_name.upper() if rng.random() < 0.2 and company[1] else comp_name)
            if lines[-1] != comp_name:
                expected["company"] = lines[-1]
        lines.extend(phone_lines)
        if has_email or website_shown:
            lines.append(
                " · ".join(
                    x
                    for x in ([email_in_sig] if has_email else [])
                    + ([website_shown] if website_shown else [])
                )
            )
        if address:
            lines.append(" - ".join(address))
    elif layout == "title_at":
        if name_line:
            lines.append(name_line)
        joiner = {"en": " at ", "fr": " chez ", "de": " bei ", "es": " en "}[lang]
        if title and has_company:
            lines.append(title + joiner + comp_name)
        elif title:
            lines.append(title)
        elif has_company:
            lines.append(comp_name)
        lines.extend(phone_lines)
        if has_email:
            lines.append(email_in_sig)
        if website_shown:
            lines.append(website_shown)
        if address:
            lines.extend(address)
    else:  # name_comma_title
        if name_line and title:
            lines.append(f"{name_line}, {title}")
        elif name_line:
            lines.append(name_line)
        elif title:
            lines.append(title)
        if has_company:
            lines.append(comp_name)
        lines.extend(phone_lines)
        if has_email:
            lines.append(email_in_sig)
        if website_shown:
            lines.append(website_shown)
        if address:
            lines.extend(address)
    if rng.random() < 0.2:
        lines.append(rng.choice(SOCIAL).format(slug=company[2]))

    to_first = rng.choice(PEOPLE["en" if lang == "en" else lang])[0]
    body = rng.choice(BODIES[lang]).format(to=to_first)
    opener = rng.random()
    parts = [body, ""]
    if opener < 0.75:
        sign_off = rng.choice(SIGN_OFFS[lang])
        if name_mode == "first_only" and rng.random() < 0.5 and lines and lines[0] == first:
            lines.pop(0)
            parts.append(
                f"{sign_off.rstrip(',')}, {first}" if lang == "en" else f"{sign_off}\n{first}"
            )
        else:
            parts.append(sign_off)
        if rng.random() < 0.3:
            parts.append("")
    if rng.random() < 0.3 or opener >= 0.75:
        parts.append("-- ")
    parts.extend(lines)
    if rng.random() < 0.15:
        parts.extend(["", rng.choice(DEVICE_LINES[lang])])
    if rng.random() < 0.2:
        parts.extend(["", DISCLAIMERS[lang]])
    if lang in LEGAL_FOOTERS and rng.random() < 0.12:
        parts.extend(["", LEGAL_FOOTERS[lang]])
    text = "\n".join(parts)

    kind = rng.choices(["new", "reply", "outlook_reply", "forward"], [0.45, 0.25, 0.15, 0.15])[0]
    subject = rng.choice(
        ["Quote request", "Devis", "Angebot", "Presupuesto", "Follow-up", "Meeting"]
    )
    other_first, other_last = rng.choice(PEOPLE[rng.choice(list(PEOPLE))])
    other_email = f"{other_first[0].lower()}.{other_last.lower().replace(' ', '')}@example.org"
    other_sig = [
        f"{other_first} {other_last}",
        "Buyer",
        "Example Org Purchasing Ltd",
        "T: +44 20 7946 0999",
    ]
    quoted_body = ["Thanks, see my comments below.", "", f"{other_first}"] + other_sig
    forwarded_from = None
    if kind == "reply":
        intro = QUOTE_INTROS[lang].format(
            day="Mon, 3 Jun 2024 at 09:14", name=f"{other_first} {other_last}", email=other_email
        )
        text += "\n\n" + intro + "\n" + "\n".join("> " + x for x in quoted_body)
        subject = "Re: " + subject
    elif kind == "outlook_reply":
        h = OUTLOOK_HEADERS[lang]
        text += (
            "\n\n"
            + rng.choice(["-----Original Message-----\n", "________________________________\n", ""])
            + f"{h[0]}: {other_first} {other_last} <{other_email}>\n{h[1]}: Monday, June 3, 2024 9:14 AM\n"
            f"{h[2]}: {first} {last}\n{h[3]}: RE: {subject}\n\n" + "\n".join(quoted_body)
        )
        subject = rng.choice(["RE: ", "AW: ", "RE : ", "RV: "]) + subject
    elif kind == "forward":
        sep = {
            "en": "---------- Forwarded message ---------",
            "fr": "-------- Message transféré --------",
            "de": "---------- Weitergeleitete Nachricht ----------",
            "es": "---------- Mensaje reenviado ---------",
        }[lang]
        h = OUTLOOK_HEADERS[lang]
        text += (
            f"\n\n{sep}\n{h[0]}: {other_first} {other_last} <{other_email}>\nDate: Mon, 3 Jun 2024\n"
            f"{h[3]}: {subject}\n{h[2]}: {first} {last} <{email}>\n\n" + "\n".join(quoted_body)
        )
        subject = rng.choice(["Fwd: ", "TR: ", "WG: ", "RV: ", "Fw: "]) + subject
        forwarded_from = other_email

    is_html = rng.random() < 0.35
    if is_html:
        text = to_html(text, bold_name=name_line)
    return {
        "id": f"gen-{index:03d}",
        "lang": lang,
        "is_html": is_html,
        "subject": subject,
        "from_name": from_name,
        "from_email": email,
        "region": None if rng.random() < 0.35 else ("US" if us else REGION[lang]),
        "body": text,
        "expected": expected,
        "kind": kind,
        "forwarded_from_email": forwarded_from,
    }


def to_html(text, bold_name=None):
    """Render the plain mail as typical client HTML: paragraphs, <br>, blockquote for '>' lines."""
    import html

    out, quote = ['<html><head><style>p{margin:0}</style></head><body><div dir="ltr">'], False
    for line in text.split("\n"):
        if line.startswith("> "):
            if not quote:
                out.append(
                    '<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px #ccc solid">'
                )
                quote = True
            out.append(html.escape(line[2:]) + "<br>")
            continue
        if quote:
            out.append("</blockquote>")
            quote = False
        if bold_name and line == bold_name:
            out.append(f'<div><b><span style="color:#1f497d">{html.escape(line)}</span></b></div>')
        elif not line:
            out.append("<div><br></div>")
        else:
            out.append(f"<div>{html.escape(line)}</div>")
    if quote:
        out.append("</blockquote>")
    out.append("</div></body></html>")
    return "".join(out)


# ------------------------------------------------------------------------------------------------
# Meetings

OWNERS = [
    "Anna",
    "Tom",
    "Sofia Reyes",
    "Marc",
    "Jonas",
    "Élise",
    "Carlos",
    "Priya",
    "Ben Okoro",
    "Lea",
]
TASKS = {
    "en": [
        "send the revised proposal",
        "book a demo with their IT team",
        "share the security questionnaire",
        "update the pricing sheet",
        "draft the statement of work",
        "check the GDPR clauses with legal",
        "introduce us to their CFO",
        "confirm the delivery schedule",
        "prepare the onboarding plan",
        "follow up on the open invoice",
    ],
    "fr": [
        "envoyer le devis révisé",
        "organiser une démo avec la DSI",
        "relancer le service achats",
        "préparer le planning de livraison",
        "vérifier les conditions générales",
    ],
    "de": [
        "das überarbeitete Angebot schicken",
        "einen Demo-Termin mit der IT vereinbaren",
        "die Preisliste aktualisieren",
        "den Rahmenvertrag prüfen",
    ],
    "es": [
        "enviar la propuesta revisada",
        "organizar una demo con el equipo técnico",
        "actualizar la lista de precios",
        "revisar el contrato marco",
    ],
}
HEADERS = {
    "en": [
        "Action items:",
        "Next steps:",
        "To do:",
        "Actions:",
        "## Action items",
        "ACTION ITEMS",
        "**Next steps**",
    ],
    "fr": ["Prochaines étapes :", "Actions :", "À faire :"],
    "de": ["Nächste Schritte:", "Aufgaben:", "To-dos:"],
    "es": ["Próximos pasos:", "Tareas:", "Acciones:"],
}
SUMMARY_HEADERS = {
    "en": ["Summary:", "Notes:", "## Summary", "Key points:"],
    "fr": ["Résumé :", "Notes :"],
    "de": ["Zusammenfassung:", "Notizen:"],
    "es": ["Resumen:", "Notas:"],
}
CONTEXT = {
    "en": [
        "Customer is evaluating three vendors and wants a decision before the end of the quarter.",
        "Budget is approved for 40 seats; procurement needs a formal quote.",
        "They were unhappy with the onboarding last year and want a named contact.",
        "Pricing was discussed at length; no discount agreed yet.",
    ],
    "fr": [
        "Le client compare trois fournisseurs.",
        "Le budget est validé pour 2025.",
        "La question du délai de livraison reste ouverte.",
    ],
    "de": [
        "Der Kunde vergleicht drei Anbieter.",
        "Das Budget für 2025 ist freigegeben.",
        "Die Lieferzeit ist noch offen.",
    ],
    "es": [
        "El cliente compara tres proveedores.",
        "El presupuesto para 2025 está aprobado.",
        "El plazo de entrega sigue abierto.",
    ],
}


def due_phrase(lang, reference):
    """(phrase, resolved date) in a random style, or ('', None)."""
    choice = rng.randrange(9)
    if choice <= 1:
        return "", None
    if choice == 2:
        day = reference + timedelta(days=rng.randint(3, 25))
        fmt = rng.choice(["%Y-%m-%d", "%d/%m/%Y"] + (["%B %d"] if lang == "en" else []))
        text = day.strftime(fmt)
        return {"en": "by ", "fr": "avant le ", "de": "bis ", "es": "antes del "}[lang] + text, day
    if choice == 3:
        wd = rng.randrange(5)
        names = {
            "en": "Monday Tuesday Wednesday Thursday Friday",
            "fr": "lundi mardi mercredi jeudi vendredi",
            "de": "Montag Dienstag Mittwoch Donnerstag Freitag",
            "es": "lunes martes miércoles jueves viernes",
        }
        word = names[lang].split()[wd]
        ahead = (wd - reference.weekday()) % 7 or 7
        pre = {"en": "by ", "fr": "avant ", "de": "bis ", "es": "antes del "}[lang]
        return pre + word, reference + timedelta(days=ahead)
    if choice == 4:
        return {"en": "tomorrow", "fr": "demain", "de": "morgen", "es": "mañana"}[
            lang
        ], reference + timedelta(days=1)
    if choice == 5:
        return (
            {
                "en": "next week",
                "fr": "la semaine prochaine",
                "de": "nächste Woche",
                "es": "la semana que viene",
            }[lang],
            reference + timedelta(days=7 - reference.weekday() + 4),
        )
    if choice == 6:
        n = rng.choice([2, 3])
        return (
            {
                "en": f"within {n} weeks",
                "fr": f"sous {n} semaines",
                "de": f"innerhalb von {n} Wochen",
                "es": f"en {n} semanas",
            }[lang],
            reference + timedelta(weeks=n),
        )
    if choice == 7:
        import calendar

        last = calendar.monthrange(reference.year, reference.month)[1]
        return (
            {
                "en": "by end of month",
                "fr": "d'ici fin du mois",
                "de": "bis Ende des Monats",
                "es": "antes de final de mes",
            }[lang],
            date(reference.year, reference.month, last),
        )
    return {"en": "by EOD", "fr": "aujourd'hui", "de": "heute", "es": "hoy"}[lang], reference


def item_line(lang, owner, task, due_text):
    """One action in one of several shapes; returns the line."""
    shapes = {
        "en": [
            "{o}: {t} {d}",
            "{o} to {t} {d}",
            "{o} will {t} {d}",
            "{t} {d} (owner: {o})",
            "@{o} {t} {d}",
            "{t} – {o} {d}",
            "[ ] {o} – {t}, due {d}",
        ],
        "fr": [
            "{o} : {t} {d}",
            "{o} doit {t} {d}",
            "{o} va {t} {d}",
            "{t} {d} (responsable : {o})",
        ],
        "de": ["{o}: {t} {d}", "{o} wird {t} {d}", "{t} {d} (verantwortlich: {o})", "@{o} {t} {d}"],
        "es": [
            "{o}: {t} {d}",
            "{o} va a {t} {d}",
            "{o} se encarga de {t} {d}",
            "{t} {d} (responsable: {o})",
        ],
    }
    shape = rng.choice(shapes[lang])
    if "@" in shape and " " in owner:
        shape = "{o}: {t} {d}"
    if "due {d}" in shape and not due_text:
        shape = shape.replace(", due {d}", "")
    if "due {d}" in shape:
        due_text = due_text.split(" ", 1)[-1] if due_text.startswith(("by ",)) else due_text
    return " ".join(shape.format(o=owner, t=task, d=due_text).split())


def make_meeting(index):
    lang = rng.choice(["en", "en", "en", "fr", "de", "es"])
    reference = date(2024, 1, 8) + timedelta(days=rng.randint(0, 330))
    n_items = rng.randint(1, 5)
    items, lines = [], []
    lines.append(
        rng.choice(
            [
                f"Call with {rng.choice(COMPANIES['en'])[0]} – {reference.isoformat()}",
                "Weekly account review",
                f"Meeting notes {reference.strftime('%d/%m/%Y')}",
                "Kick-off",
                "Compte rendu de réunion",
                "Protokoll",
                "Acta de reunión",
            ]
        )
    )
    lines.append("Attendees: " + ", ".join(rng.sample(OWNERS, 3)))
    lines.append("")
    lines.append(rng.choice(SUMMARY_HEADERS[lang]))
    for sentence in rng.sample(CONTEXT[lang], min(2, len(CONTEXT[lang]))):
        lines.append(("- " if rng.random() < 0.5 else "") + sentence)
    lines.append("")
    style = rng.choice(["section", "section", "markers", "prose"])
    if style == "section":
        lines.append(rng.choice(HEADERS[lang]))
    tasks = rng.sample(TASKS[lang], min(n_items, len(TASKS[lang])))
    for task in tasks:
        owner = rng.choice(OWNERS)
        if rng.random() < 0.12 and lang == "en":
            owner_text, owner_label = rng.choice([("I'll", "I"), ("We'll", "we")])
            due_text, due = due_phrase(lang, reference)
            line = " ".join(f"{owner_text} {task} {due_text}".split())
        else:
            owner_label = owner
            due_text, due = due_phrase(lang, reference)
            line = item_line(lang, owner, task, due_text)
        if style == "section":
            line = rng.choice(["- ", "* ", "• ", "1. ", "- [ ] ", ""]) + line
        elif style == "markers":
            line = rng.choice(["AI: ", "TODO: ", "Action: ", "- AI: "]) + line
        else:
            if not any(
                v in line.split()[:3] for v in ("will", "to", "va", "wird", "doit", "I'll", "We'll")
            ):
                line = {
                    "en": f"{owner} will {task} {due_text}",
                    "fr": f"{owner} va {task} {due_text}",
                    "de": f"{owner} wird {task} {due_text}",
                    "es": f"{owner} va a {task} {due_text}",
                }[lang]
                line = " ".join(line.split())
                owner_label = owner
            line = line[0].upper() + line[1:] + "."
        lines.append(line)
        items.append({"owner": owner_label, "what": task, "due": due.isoformat() if due else None})
    if rng.random() < 0.4:
        lines += [
            "",
            rng.choice(["Decisions:", "Open questions:"]),
            "- Pricing stays as quoted for now.",
            "- We agreed to revisit the SLA in Q3.",
        ]
    text = "\n".join(lines)
    is_html = rng.random() < 0.25
    if is_html:
        text = to_html(text)
    return {
        "id": f"meet-{index:03d}",
        "lang": lang,
        "is_html": is_html,
        "reference_date": reference.isoformat(),
        "notes": text,
        "expected_items": items,
    }


def main():
    mails = [make_mail(i) for i in range(170)]
    meetings = [make_meeting(i) for i in range(60)]
    with open(HERE / "mails.jsonl", "w", encoding="utf-8") as fh:
        for row in mails:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(HERE / "meetings.jsonl", "w", encoding="utf-8") as fh:
        for row in meetings:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(mails)} mails, {len(meetings)} meetings")


if __name__ == "__main__":
    main()
