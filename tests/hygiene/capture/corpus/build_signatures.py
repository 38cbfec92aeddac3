"""Build the seven-language signature set (signatures_ml.jsonl) from varied invented pieces.

Run: python3 tests/hygiene/capture/corpus/build_signatures.py   (deterministic: fixed seed; output committed)

Languages: English, French, German, Spanish, Italian, Dutch, Portuguese. Every mail is written by one
person (the "writer", the From of the mail); most replies quote an earlier message whose own
signature (another person, another company, another phone) sits below a quote header of one of the
seven languages, in the Gmail, Outlook, Apple Mail or "Original message" form, with or without '>'
marks. Labels are the writer's own values, written from the pieces a mail is built from, never from
the parser's output; values from below the quote or belonging to someone else (an assistant) are
never labels. The e-mail label is the writer's From address when the signature shows none.

Each row has ``tags`` (the phenomena it holds, for per-category figures) and ``region``: the country
of *our* company (what Odoo passes as the last fallback), deliberately often not the writer's.
Everything is fictitious: invented people and companies; phone numbers are the numbering plans'
example numbers with their last digits varied, kept only when valid.
"""

import json
import pathlib
import random

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

HERE = pathlib.Path(__file__).resolve().parent
rng = random.Random(20261130)
LANGS = ("en", "fr", "de", "es", "it", "nl", "pt")

PEOPLE = {
    "en": [("Jane", "Holloway"), ("Marcus", "Whitfield"), ("Priya", "Raman"), ("Owen", "Castell"),
           ("Harriet", "Quayle"), ("Nadia", "Farrow"), ("Callum", "Pryce"), ("Imogen", "Sutter"),
           ("Declan", "O'Rourke"), ("Aoife", "Brennan"), ("Liam", "McAllister"), ("Ruby", "Tanner")],
    "fr": [("Paul", "Martineau"), ("Camille", "Rouvière"), ("Élodie", "Garnier"),
           ("Thibault", "Lemaire"), ("Sophie", "Delacroix"), ("Julien", "Ferrand"),
           ("Aurélie", "Bonnefoy"), ("Inès", "Vautrin"), ("Claire", "de Villiers"),
           ("Hugo", "Mercier"), ("Margaux", "Lefebvre"), ("Bastien", "Roussel")],
    "de": [("Klaus", "Brenner"), ("Anja", "Vollmer"), ("Jonas", "Hartwig"), ("Sabine", "Kessler"),
           ("Tobias", "Reuter"), ("Miriam", "Eckhardt"), ("Florian", "Wendt"), ("Katrin", "Lorenz"),
           ("Lukas", "Gruber"), ("Verena", "Hofbauer"), ("Matthias", "Zeller"), ("Jana", "Pohl")],
    "es": [("Lucía", "Serrano"), ("Javier", "Montoya"), ("Rocío", "del Pino"),
           ("Álvaro", "Iglesias"), ("Marta", "Ibáñez"), ("Sergio", "Castaño"), ("Nuria", "Puig"),
           ("Jordi", "Vilaró"), ("Carmen", "Ruiz Ortega"), ("Pablo", "Herrero"),
           ("Elena", "Navarro"), ("Diego", "Salcedo")],
    "it": [("Marco", "Rossi"), ("Giulia", "Bianchi"), ("Alessandro", "Ferraro"),
           ("Francesca", "Colombo"), ("Luca", "Marchetti"), ("Chiara", "Galli"),
           ("Matteo", "Santoro"), ("Elena", "De Luca"), ("Davide", "Moretti"),
           ("Sara", "Fontana"), ("Paolo", "Rinaldi"), ("Valentina", "Greco")],
    "nl": [("Pieter", "de Vries"), ("Sanne", "Jansen"), ("Daan", "van Dijk"), ("Lotte", "Bakker"),
           ("Bram", "Visser"), ("Femke", "Smit"), ("Joost", "van den Berg"), ("Eva", "Mulder"),
           ("Ruben", "de Graaf"), ("Anouk", "Kok"), ("Thijs", "Hendriks"), ("Marloes", "Peeters")],
    "pt": [("João", "Silva"), ("Ana", "Ferreira"), ("Pedro", "Santos"), ("Mariana", "Costa"),
           ("Tiago", "Oliveira"), ("Beatriz", "Rodrigues"), ("Rui", "Martins"),
           ("Inês", "Carvalho"), ("Gonçalo", "Sousa"), ("Catarina", "Pereira"),
           ("Rafael", "Almeida"), ("Larissa", "Gomes")],
}  # fmt: skip

# Honorifics and credentials written around a name; the label is the bare name.
HONORIFICS = {
    "en": ["Mr ", "Ms ", "Dr ", "Dr. ", "Prof. "],
    "fr": ["M. ", "Mme ", "Maître ", "Me ", "Dr "],
    "de": ["Dr. ", "Mag. ", "Dipl.-Ing. ", "Prof. Dr. ", "Herr ", "Frau "],
    "es": ["D. ", "Dña. ", "Lic. ", "Ing. ", "Dr. "],
    "it": ["Dott. ", "Dott.ssa ", "Ing. ", "Avv. ", "Arch. ", "Geom. "],
    "nl": ["Drs. ", "Ir. ", "mr. ", "Dr. ", "Ing. "],
    "pt": ["Dr. ", "Dra. ", "Eng. ", "Eng.ª ", "Sr. "],
}
CREDENTIALS = [", CIC", ", MBA", ", PhD", " MSc", ", CPA", " (Ms)", " (Mr)", ", P.Eng.", ", LL.M."]
PRONOUNS = [" (they/them)", " (she/her)", " (he/him)", " (elle)", " (sie/ihr)"]

TITLES = {
    "en": ["Sales Director", "Head of Procurement", "Operations Manager", "Account Executive",
           "Chief Financial Officer", "IT Manager", "Purchasing Lead", "Managing Director"],
    "fr": ["Directeur commercial", "Responsable des achats", "Chargée d'affaires",
           "Directrice administrative et financière", "Chef de projet", "Gérant"],
    "de": ["Geschäftsführer", "Leiterin Einkauf", "Vertriebsleiter", "Projektleiterin",
           "Key Account Manager", "Teamleiter IT"],
    "es": ["Directora Comercial", "Responsable de Compras", "Jefe de Proyecto",
           "Gerente de Operaciones", "Director Financiero", "Técnico de Sistemas"],
    "it": ["Responsabile Acquisti", "Direttore Commerciale", "Amministratore Delegato",
           "Responsabile IT", "Project Manager", "Direttrice Vendite"],
    "nl": ["Inkoopmanager", "Commercieel directeur", "Accountmanager", "Projectleider",
           "Directeur", "Hoofd Inkoop"],
    "pt": ["Diretor Comercial", "Gestora de Compras", "Diretora Financeira",
           "Responsável de Vendas", "Gerente de Projetos", "Administrador"],
}  # fmt: skip
BILINGUAL_TITLES = {
    "en": ["Sales Director / Directeur commercial"],
    "fr": ["Directeur commercial / Sales Director", "Responsable des achats / Head of Purchasing"],
    "de": ["Geschäftsführer / Managing Director", "Leiterin Einkauf / Head of Procurement"],
    "es": ["Directora Comercial / Sales Director", "Responsable de Compras / Purchasing Manager"],
    "it": ["Responsabile Acquisti / Purchasing Manager", "Direttore Commerciale / Sales Director"],
    "nl": ["Inkoopmanager / Purchasing Manager", "Commercieel directeur / Sales Director"],
    "pt": ["Diretor Comercial / Sales Director", "Gestora de Compras / Purchasing Manager"],
}

# (company stem, domain slug)
STEMS = {
    "en": [("Harbourline Freight", "harbourline"), ("Bluegate Analytics", "bluegate-analytics"),
           ("Kestrel Components", "kestrelcomponents"), ("Oakridge Dental", "oakridgedental"),
           ("Pinecrest Software", "pinecrest-software"), ("Wattle Logistics", "wattlelogistics")],
    "fr": [("Atelier Lumière", "atelier-lumiere"), ("Transports Vernier", "transports-vernier"),
           ("Boulangeries Morel", "morel-boulangeries"), ("Cabinet Fauvel", "cabinet-fauvel"),
           ("Verrerie du Lac", "verrerie-du-lac"), ("Optique Brun", "optiquebrun")],
    "de": [("Kupferwerk Reutlingen", "kupferwerk"), ("Hartmann Anlagenbau", "hartmann-anlagenbau"),
           ("Brauerei Seidl", "brauerei-seidl"), ("Nordlicht Medien", "nordlicht-medien"),
           ("Alpenblick Hotels", "alpenblick-hotels"), ("Zeller Maschinen", "zeller-maschinen")],
    "es": [("Construcciones Albero", "albero"), ("Bodegas Iturri", "bodegas-iturri"),
           ("Cerámica Llevant", "ceramica-llevant"), ("Logística Tajo", "logisticatajo"),
           ("Editorial Mirall", "mirall"), ("Aceites Guadalquivir", "aceites-guadalquivir")],
    "it": [("Tessitura Brianza", "tessiturabrianza"), ("Officine Meccaniche Tosi", "omtosi"),
           ("Cantina Sorrentino", "cantinasorrentino"), ("Arredamenti Valli", "arredamentivalli"),
           ("Studio Ferretti", "studioferretti"), ("Ceramiche Adriatica", "ceramicheadriatica")],
    "nl": [("Tulpenveld Logistiek", "tulpenveld"), ("Van Leeuwen Installatietechniek", "vanleeuwen-it"),
           ("Dijkstra Bouw", "dijkstrabouw"), ("Grachtenhuis Media", "grachtenhuismedia"),
           ("Polderkaas", "polderkaas"), ("Zeeland Offshore", "zeelandoffshore")],
    "pt": [("Cortiças do Alentejo", "corticas-alentejo"), ("Vinhos Quinta Nova", "quintanova-vinhos"),
           ("Têxteis Minho", "texteisminho"), ("Construtora Atlântico", "construtora-atlantico"),
           ("Azulejos Lusitanos", "azulejoslusitanos"), ("Café Serra Verde", "serraverde")],
}  # fmt: skip
SUFFIXES = {
    "en": [" Ltd", " Ltd.", " Limited", " Pty Ltd", " Inc.", " LLC", " plc"],
    "fr": [" SAS", " SARL", " SA"],
    "de": [" GmbH", " AG", " GmbH & Co. KG", " KG"],
    "es": [" S.L.", " S.A.", " SL", " S.L.U."],
    "it": [" S.r.l.", " S.p.A.", " Srl", " SpA"],
    "nl": [" B.V.", " BV", " N.V."],
    "pt": [" Lda.", " S.A.", " Ltda.", ", Lda"],
}
# (ccTLD, region): the writer's country, with multi-level and uncommon suffixes
TLDS = {
    "en": [("co.uk", "GB"), ("com.au", "AU"), ("ie", "IE"), ("com", "US"), ("ca", "CA")],
    "fr": [("fr", "FR"), ("be", "BE"), ("ch", "CH"), ("com", "FR")],
    "de": [("de", "DE"), ("at", "AT"), ("ch", "CH"), ("com", "DE")],
    "es": [("es", "ES"), ("cat", "ES"), ("com.mx", "MX"), ("com", "ES")],
    "it": [("it", "IT"), ("com", "IT"), ("eu", "IT")],
    "nl": [("nl", "NL"), ("be", "BE"), ("com", "NL")],
    "pt": [("pt", "PT"), ("com.br", "BR"), ("com", "PT")],
}
COUNTRY_NAMES = {
    "GB": "United Kingdom", "AU": "Australia", "IE": "Ireland", "US": "USA", "CA": "Canada",
    "FR": "France", "BE": "Belgique", "CH": "Suisse", "DE": "Deutschland", "AT": "Österreich",
    "ES": "España", "MX": "México", "IT": "Italia", "NL": "Nederland", "PT": "Portugal",
    "BR": "Brasil",
}  # fmt: skip
ADDRESSES = {
    "GB": [("14 Wharf Road", "London N1 7GR")], "AU": [("22 George Street", "Sydney NSW 2000")],
    "IE": [("5 Merrion Square", "Dublin 2")], "US": [("410 Market Street", "Denver, CO 80202")],
    "CA": [("88 King Street West", "Toronto ON M5X 1A9")],
    "FR": [("12 rue des Tanneurs", "69002 Lyon"), ("8 avenue Foch", "75116 Paris")],
    "BE": [("Rue de la Loi 42", "1040 Bruxelles")], "CH": [("Rue du Rhône 30", "1204 Genève")],
    "DE": [("Industriestraße 14", "72764 Reutlingen"), ("Hafenweg 3", "20457 Hamburg")],
    "AT": [("Mariahilfer Straße 88", "1070 Wien")],
    "ES": [("Calle de Alcalá 120", "28009 Madrid"), ("Carrer de Balmes 45", "08007 Barcelona")],
    "MX": [("Av. Reforma 222", "06600 Ciudad de México")],
    "IT": [("Via Roma 12", "20121 Milano"), ("Corso Vittorio Emanuele II 45", "10123 Torino"),
           ("Piazza Garibaldi 3", "80142 Napoli")],
    "NL": [("Keizersgracht 123", "1015 CJ Amsterdam"), ("Stationsweg 4", "3511 ED Utrecht")],
    "PT": [("Rua Augusta 120", "1100-053 Lisboa"), ("Avenida da Boavista 1200", "4100-130 Porto")],
    "BR": [("Av. Paulista 1000", "01310-100 São Paulo")],
}  # fmt: skip
PHONE_LABELS = {
    "en": (["T", "Tel", "Phone", "P", "Direct", "Office"], ["M", "Mob", "Mobile", "Cell"]),
    "fr": (["Tél.", "Tel", "Ligne directe", "Standard", "T"], ["Port.", "Portable", "Mob.", "GSM"]),
    "de": (["Tel.", "Telefon", "Fon", "T"], ["Mobil", "Handy", "Mob.", "M"]),
    "es": (["Tel.", "Tlf.", "Teléfono", "Tfno."], ["Móvil", "Cel.", "Móv.", "Movil"]),
    "it": (["Tel.", "Telefono", "T.", "Tel"], ["Cell.", "Cellulare", "Mob.", "Cel."]),
    "nl": (["Tel.", "Telefoon", "T", "Tel"], ["Mob.", "Mobiel", "M", "GSM"]),
    "pt": (["Tel.", "Telefone", "Tlf.", "T"], ["Telemóvel", "Tlm.", "Cel.", "Celular"]),
}
WEB_LABELS = {
    "en": "Web", "fr": "Site", "de": "Web", "es": "Web", "it": "Sito", "nl": "Website", "pt": "Site",
}  # fmt: skip
SIGN_OFFS = {
    "en": ["Best regards,", "Kind regards,", "Thanks,", "Cheers,", "Regards,", "Many thanks,"],
    "fr": ["Cordialement,", "Bien à vous,", "Bien cordialement,", "Merci,", "Belle journée,"],
    "de": ["Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße", "Freundliche Grüße"],
    "es": ["Saludos,", "Un saludo,", "Atentamente,", "Un cordial saludo,", "Gracias,"],
    "it": ["Cordiali saluti,", "Distinti saluti,", "Un saluto,", "Grazie,", "Saluti,",
           "Buona giornata,"],
    "nl": ["Met vriendelijke groet,", "Met vriendelijke groeten,", "Groeten,", "Mvg,",
           "Hartelijke groet,", "Bedankt,"],
    "pt": ["Com os melhores cumprimentos,", "Cumprimentos,", "Atenciosamente,", "Abraço,",
           "Obrigado,", "Melhores cumprimentos,"],
}  # fmt: skip
BODIES = {
    "en": ["Thanks for the quote. Could you send the revised terms by Friday?",
           "We would like to go ahead with the pilot for 20 users.",
           "Please find attached the signed order form."],
    "fr": ["Merci pour votre devis. Pourriez-vous nous envoyer les conditions révisées ?",
           "Nous souhaitons lancer le pilote avec 20 utilisateurs.",
           "Vous trouverez ci-joint le bon de commande signé."],
    "de": ["Vielen Dank für das Angebot. Können Sie uns die Konditionen bis Freitag schicken?",
           "Wir möchten mit dem Pilotprojekt für 20 Nutzer starten.",
           "Anbei der unterschriebene Auftrag."],
    "es": ["Gracias por el presupuesto. ¿Podría enviarnos las condiciones revisadas el viernes?",
           "Queremos empezar el piloto con 20 usuarios.",
           "Le adjunto el pedido firmado."],
    "it": ["Grazie per il preventivo. Potete inviarci le condizioni aggiornate entro venerdì?",
           "Vorremmo partire con il progetto pilota per 20 utenti.",
           "In allegato l'ordine firmato."],
    "nl": ["Bedankt voor de offerte. Kunt u de herziene voorwaarden vrijdag sturen?",
           "Wij willen graag starten met de pilot voor 20 gebruikers.",
           "In de bijlage vindt u de getekende bestelling."],
    "pt": ["Obrigado pela proposta. Podem enviar-nos as condições revistas até sexta-feira?",
           "Gostaríamos de avançar com o piloto para 20 utilizadores.",
           "Segue em anexo a encomenda assinada."],
}  # fmt: skip
GREETINGS = {
    "en": "Hi {n},", "fr": "Bonjour {n},", "de": "Hallo {n},", "es": "Hola {n}:",
    "it": "Buongiorno {n},", "nl": "Beste {n},", "pt": "Olá {n},",
}  # fmt: skip
# Quote headers: attribution lines and Outlook header blocks of each language
ATTRIBUTIONS = {
    "en": ["On Mon, 3 Mar 2025 at 10:14, {name} <{email}> wrote:",
           "On 3 Mar 2025, at 10:14, {name} <{email}> wrote:",
           "On Monday, March 3, 2025 10:14 AM, {name} <{email}> wrote:"],
    "fr": ["Le lun. 3 mars 2025 à 10:14, {name} <{email}> a écrit :",
           "Le 3 mars 2025 à 10:14, {name} <{email}> a écrit :"],
    "de": ["Am Mo., 3. März 2025 um 10:14 Uhr schrieb {name} <{email}>:",
           "Am 03.03.2025 um 10:14 schrieb {name} <{email}>:"],
    "es": ["El lun, 3 mar 2025 a las 10:14, {name} (<{email}>) escribió:",
           "El 3 mar 2025, a las 10:14, {name} <{email}> escribió:"],
    "it": ["Il giorno lun 3 mar 2025 alle ore 10:14 {name} <{email}> ha scritto:",
           "Il 3 mar 2025, alle ore 10:14, {name} <{email}> ha scritto:"],
    "nl": ["Op ma 3 mrt 2025 om 10:14 schreef {name} <{email}>:",
           "Op 3 mrt. 2025, om 10:14 heeft {name} <{email}> het volgende geschreven:"],
    "pt": ["Em seg., 3 de mar. de 2025 às 10:14, {name} <{email}> escreveu:",
           "Em 3 de mar. de 2025, à(s) 10:14, {name} <{email}> escreveu:"],
}  # fmt: skip
OUTLOOK = {
    "en": ("From", "Sent", "To", "Subject", "Monday, March 3, 2025 10:14 AM"),
    "fr": ("De", "Envoyé", "À", "Objet", "lundi 3 mars 2025 10:14"),
    "de": ("Von", "Gesendet", "An", "Betreff", "Montag, 3. März 2025 10:14"),
    "es": ("De", "Enviado el", "Para", "Asunto", "lunes, 3 de marzo de 2025 10:14"),
    "it": ("Da", "Inviato", "A", "Oggetto", "lunedì 3 marzo 2025 10:14"),
    "nl": ("Van", "Verzonden", "Aan", "Onderwerp", "maandag 3 maart 2025 10:14"),
    "pt": ("De", "Enviada em", "Para", "Assunto", "segunda-feira, 3 de março de 2025 10:14"),
}
ORIGINAL = {
    "en": "-----Original Message-----", "fr": "-----Message d'origine-----",
    "de": "-----Ursprüngliche Nachricht-----", "es": "-----Mensaje original-----",
    "it": "-----Messaggio originale-----", "nl": "-----Oorspronkelijk bericht-----",
    "pt": "-----Mensagem original-----",
}  # fmt: skip
ASSISTANTS = {
    "en": ["Assistant: {name} | {email} | {phone}", "EA to {first}: {name}, {phone}, {email}",
           "For appointments please contact my assistant {name} ({email}, {phone})"],
    "fr": ["Assistante : {name} - {email} - {phone}",
           "Pour tout rendez-vous, contactez mon assistante {name} au {phone} ({email})"],
    "de": ["Assistenz: {name} | {email} | {phone}", "Sekretariat: {name}, Tel. {phone}, {email}"],
    "es": ["Asistente: {name} | {email} | {phone}", "Secretaria: {name} - {phone} - {email}"],
    "it": ["Assistente: {name} | {email} | {phone}", "Segreteria: {name} - {phone} - {email}"],
    "nl": ["Assistent: {name} | {email} | {phone}", "Secretariaat: {name}, {phone}, {email}"],
    "pt": ["Assistente: {name} | {email} | {phone}", "Secretária: {name} - {phone} - {email}"],
}  # fmt: skip


def valid_number(region, ntype):
    """A valid number of region and type: the plan's example with its last digits varied."""
    base = phonenumbers.example_number_for_type(region, ntype)
    digits = str(base.national_number)
    for _ in range(50):
        tail = "".join(rng.choice("0123456789") for _ in range(3))
        candidate = phonenumbers.PhoneNumber(
            country_code=base.country_code, national_number=int(digits[:-3] + tail)
        )
        if phonenumbers.is_valid_number(candidate) and phonenumbers.number_type(candidate) in (
            ntype,
            PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            return candidate
    return base


def e164(number):
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def written(number, national):
    fmt = PhoneNumberFormat.NATIONAL if national else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, fmt)


def person(lang, exclude=()):
    while True:
        first, last = rng.choice(PEOPLE[lang])
        if (first, last) not in exclude:
            return first, last


def slugify(text):
    table = str.maketrans("áàâäãçéèêëíìîïñóòôöõúùûüß", "aaaaaceeeeiiiinooooouuuus")
    return text.lower().translate(table).replace(" ", "").replace("'", "")


class Writer:
    """One person with a company, a domain, phones and an address."""

    def __init__(self, lang, exclude=()):
        self.lang = lang
        self.first, self.last = person(lang, exclude)
        self.name = f"{self.first} {self.last}"
        stem, slug = rng.choice(STEMS[lang])
        self.tld, self.region = rng.choice(TLDS[lang])
        self.company = stem + rng.choice(SUFFIXES[lang])
        self.domain = f"{slug}.{self.tld}"
        self.email = rng.choice(
            [
                f"{slugify(self.first)}.{slugify(self.last)}@{self.domain}",
                f"{slugify(self.first)[0]}{slugify(self.last)}@{self.domain}",
                f"{slugify(self.first)}@{self.domain}",
            ]
        )
        self.title = rng.choice(TITLES[lang])
        self.phone = valid_number(self.region, PhoneNumberType.FIXED_LINE)
        self.mobile = valid_number(self.region, PhoneNumberType.MOBILE)
        self.street, self.city = rng.choice(ADDRESSES[self.region])


def signature_lines(w, tags, national, with_email, with_web, with_address, one_line=False):
    """The writer's signature and its labels."""
    lang = w.lang
    labels = {"name": w.name, "title": w.title, "company": w.company, "email": w.email}
    shown_name = w.name
    roll = rng.random()
    if roll < 0.18:
        shown_name = rng.choice(HONORIFICS[lang]) + w.name
        tags.append("honorific")
    elif roll < 0.28:
        shown_name = w.name + rng.choice(CREDENTIALS)
        tags.append("credential")
    elif roll < 0.36:
        shown_name = w.name + rng.choice(PRONOUNS)
        tags.append("pronouns")
    if rng.random() < 0.15:
        labels["title"] = rng.choice(BILINGUAL_TITLES[lang])
        tags.append("bilingual_title")
    phone_label, mobile_label = PHONE_LABELS[lang]
    phones = []
    has_phone, has_mobile = rng.random() < 0.8, rng.random() < 0.55
    if not has_phone and not has_mobile:
        has_phone = True
    if national:
        tags.append("national_phone")
    if has_phone:
        phones.append(f"{rng.choice(phone_label)} {written(w.phone, national)}")
        labels["phone"] = e164(w.phone)
    if has_mobile:
        phones.append(f"{rng.choice(mobile_label)} {written(w.mobile, national)}")
        labels["mobile"] = e164(w.mobile)
    website = rng.choice([f"www.{w.domain}", w.domain, f"https://www.{w.domain}"])
    if with_web:
        labels["website"] = f"https://{website.removeprefix('https://')}"
        if w.tld in ("com.au", "cat", "com.br", "com.mx", "co.uk"):
            tags.append("multi_level_or_rare_tld")
    if not with_email:
        tags.append("email_from_header")
    if one_line:
        tags.append("one_line")
        parts = [shown_name, labels["title"], w.company] + phones[:1]
        if has_phone and has_mobile:
            labels.pop("mobile")  # only the first number is shown on one line
        if with_web:
            parts.append(website)
        return [" | ".join(parts)], labels
    lines = [shown_name]
    if rng.random() < 0.5:
        lines.append(labels["title"])
        lines.append(w.company)
    else:
        joiner = {"en": " at ", "fr": " chez ", "de": " bei ", "es": " en "}.get(lang, " | ")
        if joiner == " | " or rng.random() < 0.5:
            lines.append(f"{labels['title']} | {w.company}")
        else:
            lines.append(f"{labels['title']}{joiner}{w.company}")
    if with_address:
        country = COUNTRY_NAMES[w.region]
        lines.append(f"{w.street}, {w.city}" + (f", {country}" if rng.random() < 0.5 else ""))
        labels["address"] = f"{w.street}, {w.city}"
        tags.append("address")
    if rng.random() < 0.5 and len(phones) == 2:
        lines.append(" | ".join(phones))
    else:
        lines.extend(phones)
    if with_email:
        lines.append(rng.choice(["", "E-mail: ", "Email: ", "Mail: "]) + w.email)
    if with_web:
        lines.append(rng.choice(["", f"{WEB_LABELS[lang]}: "]) + website)
    return lines, labels


def quote_block(lang, quoted, quoted_lines, quoted_body, tags):
    """The quoted history under the writer's text: header of one form, then the other's mail."""
    style = rng.choice(["attribution", "outlook", "outlook_rule", "original", "attribution_plain"])
    q_lang = lang if rng.random() < 0.7 else rng.choice(LANGS)
    tags.append(f"quote_{style}")
    if q_lang != lang:
        tags.append("quote_other_language")
    content = [
        GREETINGS[q_lang].format(n="all"),
        "",
        quoted_body,
        "",
        rng.choice(SIGN_OFFS[q_lang]),
    ]
    content += quoted_lines
    if style.startswith("attribution"):
        header = rng.choice(ATTRIBUTIONS[q_lang]).format(name=quoted.name, email=quoted.email)
        if rng.random() < 0.3 and len(header) > 50:
            cut = header.rfind(" ", 0, len(header) // 2)
            header = header[:cut] + "\n" + header[cut + 1 :]  # wrapped by the mail client
            tags.append("wrapped_attribution")
        marked = style == "attribution"
        body = [f"> {line}" if marked else line for line in content]
        return [header, ""] + body
    frm, sent, to, subj, when = OUTLOOK[q_lang]
    block = [
        f"{frm}: {quoted.name} <{quoted.email}>",
        f"{sent}: {when}",
        f"{to}: sales@ourcompany.example",
        f"{subj}: {rng.choice(['Offer', 'Angebot', 'Oferta', 'Offerta', 'Offerte', 'Proposta'])}",
    ]
    if style == "outlook_rule":
        block = ["_" * rng.choice([32, 40, 48])] + block
    if style == "original":
        block = [ORIGINAL[q_lang]] + block
    return block + [""] + content


def make_mail(index, lang):
    tags = [f"lang_{lang}"]
    writer = Writer(lang)
    national = rng.random() < 0.5
    with_email = rng.random() < 0.6
    with_web = rng.random() < 0.65
    with_address = rng.random() < 0.35
    one_line = rng.random() < 0.12
    free_mail = rng.random() < 0.08
    if free_mail:
        provider = rng.choice(
            ["yahoo.co.uk", "hotmail.fr", "gmx.de", "libero.it", "hotmail.nl", "sapo.pt",
             "outlook.es", "web.de", "orange.fr", "icloud.com"]
        )  # fmt: skip
        writer.email = (
            f"{slugify(writer.first)}.{slugify(writer.last)}{rng.randint(1, 99)}@{provider}"
        )
        tags.append("free_mail")
    cctld = writer.tld not in ("com", "eu") and (with_web or not free_mail)
    if not (cctld or with_address):
        national = False  # nothing tells the writer's country: numbers are written in full
    lines, labels = signature_lines(
        writer, tags, national, with_email, with_web, with_address, one_line
    )
    labels["email"] = (
        writer.email
    )  # shown in the signature or not: the From address is the writer's
    text = [GREETINGS[lang].format(n=rng.choice(["Tom", "Anna", "Luis", "Marie"])), ""]
    text += [rng.choice(BODIES[lang]), ""]
    sign_off = rng.choice(SIGN_OFFS[lang])
    delimiter = rng.random() < 0.25
    if delimiter:
        text += [sign_off, "", "-- "]
    else:
        text += [sign_off]
    if rng.random() < 0.12 and not one_line:
        # an assistant's contact details inside the writer's signature: never the writer's
        assistant = Writer(lang, exclude=[(writer.first, writer.last)])
        assistant.email = f"{slugify(assistant.first)}.{slugify(assistant.last)}@{writer.domain}"
        line = rng.choice(ASSISTANTS[lang]).format(
            name=assistant.name,
            first=writer.first,
            email=assistant.email,
            phone=written(assistant.phone, False),
        )
        lines.append(line)
        tags.append("assistant")
    if rng.random() < 0.1 and not one_line:
        # no signature at all: a first name under the sign-off; the quote below has a full one
        lines = [writer.first]
        labels = {"name": writer.name, "email": writer.email}
        tags.append("no_signature")
    text += lines
    subject = rng.choice(["Offer", "Devis", "Angebot", "Presupuesto", "Preventivo", "Offerte"])
    has_quote = rng.random() < 0.7
    if has_quote:
        subject = "Re: " + subject
        quoted_lang = lang
        quoted = Writer(quoted_lang, exclude=[(writer.first, writer.last)])
        q_lines, _ = signature_lines(quoted, [], rng.random() < 0.5, True, True, rng.random() < 0.5)
        text += [""] + quote_block(lang, quoted, q_lines, rng.choice(BODIES[quoted_lang]), tags)
        tags.append("quoted_signature")
    body = "\n".join(text)
    is_html = rng.random() < 0.3
    if is_html:
        body = "".join(
            f"<div>{line or '<br>'}</div>" if not line.startswith("> ") else f"<div>{line}</div>"
            for line in text
        )
        if any(line.startswith("> ") for line in text):
            start = next(i for i, line in enumerate(text) if line.startswith("> "))
            head = "".join(f"<div>{line or '<br>'}</div>" for line in text[:start])
            quoted_html = "".join(f"<div>{line[2:] or '<br>'}</div>" for line in text[start:])
            body = f"{head}<blockquote>{quoted_html}</blockquote>"
        tags.append("html")
    from_name = rng.choice([writer.name, f"{writer.last}, {writer.first}", writer.name, ""])
    if not from_name:
        tags.append("no_from_name")
        if "no_signature" in tags:
            labels["name"] = None  # a first name alone, and no From name to complete it
    expected = {f: labels.get(f) for f in FIELDS}
    return {
        "id": f"ml-{index:03d}",
        "lang": lang,
        "is_html": is_html,
        "subject": subject,
        "from_name": from_name,
        "from_email": writer.email,
        "region": rng.choice(["FR", "DE", "ES", "GB", None]),
        "sender_region": writer.region,
        "body": body,
        "expected": expected,
        "tags": sorted(set(tags)),
        "kind": "reply" if has_quote else "new",
    }


FIELDS = ("name", "title", "company", "email", "phone", "mobile", "website", "address")


def main():
    rows = []
    for index in range(350):
        rows.append(make_mail(index, LANGS[index % len(LANGS)]))
    with open(HERE / "signatures_ml.jsonl", "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} mails written to signatures_ml.jsonl")


if __name__ == "__main__":
    main()
