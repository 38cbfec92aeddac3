"""Build the labelled meeting-notes set with attendees (meetings_attendees.jsonl) from invented pieces.

Run: python3 tests/hygiene/capture/corpus/build_meeting_set.py   (deterministic: fixed seed; output committed)

Seven languages (en, fr, de, es, it, nl, pt). Each note has an attendee list (names and e-mails, ours
and the customer's), an author (one of ours), a meeting date, and labelled action items whose owner is
the attendee's full name (None when the owner is nobody at the meeting, or not stated). Every item and
every distractor carries a category, so that the scorer can report per-category figures:

actions: section, checkbox, marker, request, named_task, commitment, present, arrow, shorthand,
    honorific, mention, email_local, pronoun, unresolved, no_owner
distractors: done, past, decision, goal, customer_plan, parking_lot, nothing, statement

Notes mix sections (summary, action, parking lot, decisions) with free prose, lowercase shorthand and
distractors. Labels come from the pieces, never from the parser's output. Everything is fictitious.
"""

import html as html_lib
import json
import pathlib
import random
from datetime import date, timedelta

HERE = pathlib.Path(__file__).resolve().parent
rng = random.Random(20261130)

# (first, last, e-mail local part style) per language: ours and the customer's people.
PEOPLE = {
    "en": [
        ("Emma", "Clarke"),
        ("Ryan", "Holt"),
        ("Tom", "Becker"),
        ("Grace", "Whitmore"),
        ("Oliver", "Pike"),
        ("Hannah", "Sefton"),
        ("Liam", "Crosby"),
        ("Megan", "Ashdown"),
    ],
    "fr": [
        ("Camille", "Durand"),
        ("Julien", "Perrin"),
        ("Élise", "Moreau"),
        ("Hugo", "Lambert"),
        ("Claire", "Dupont"),
        ("Mathis", "Roux"),
        ("Léa", "Fontaine"),
        ("Bastien", "Girard"),
    ],
    "de": [
        ("Jonas", "Weber"),
        ("Sabine", "Vogel"),
        ("Lukas", "Brandt"),
        ("Miriam", "Kessler"),
        ("Felix", "Hartmann"),
        ("Anke", "Schröder"),
        ("Stefan", "Lorenz"),
        ("Katrin", "Roth"),
    ],
    "es": [
        ("Luis", "García"),
        ("Marta", "Ruiz"),
        ("Javier", "Ortega"),
        ("Lucía", "Navarro"),
        ("Pablo", "Herrera"),
        ("Elena", "Castro"),
        ("Diego", "Romero"),
        ("Irene", "Molina"),
    ],
    "it": [
        ("Giulia", "Rossi"),
        ("Marco", "Bianchi"),
        ("Francesca", "Conti"),
        ("Luca", "Moretti"),
        ("Chiara", "Galli"),
        ("Davide", "Ferri"),
        ("Sara", "Marino"),
        ("Paolo", "Greco"),
    ],
    "nl": [
        ("Sanne", "de Vries"),
        ("Daan", "Jansen"),
        ("Fleur", "Bakker"),
        ("Bram", "Visser"),
        ("Lotte", "Smit"),
        ("Joost", "Mulder"),
        ("Anouk", "Bos"),
        ("Ruben", "Dekker"),
    ],
    "pt": [
        ("Ana", "Silva"),
        ("João", "Costa"),
        ("Beatriz", "Santos"),
        ("Rui", "Ferreira"),
        ("Inês", "Oliveira"),
        ("Tiago", "Pereira"),
        ("Marta", "Sousa"),
        ("Nuno", "Almeida"),
    ],
}
OUTSIDERS = {  # named in notes but not at the meeting: their items are unresolved
    "en": ["Peter", "Nina"],
    "fr": ["Olivier", "Manon"],
    "de": ["Uwe", "Petra"],
    "es": ["Andrés", "Carmen"],
    "it": ["Roberto", "Elisa"],
    "nl": ["Wim", "Eva"],
    "pt": ["Miguel", "Rita"],
}
HONORIFICS = {
    "en": ("Mr", "Ms"),
    "fr": ("M.", "Mme"),
    "de": ("Herr", "Frau"),
    "es": ("Sr.", "Sra."),
    "it": ("Sig.", "Sig.ra"),
    "nl": ("Dhr.", "Mevr."),
    "pt": ("Sr.", "Sra."),
}
FEMALE = {
    "Emma",
    "Grace",
    "Hannah",
    "Megan",
    "Camille",
    "Élise",
    "Claire",
    "Léa",
    "Sabine",
    "Miriam",
    "Anke",
    "Katrin",
    "Marta",
    "Lucía",
    "Elena",
    "Irene",
    "Giulia",
    "Francesca",
    "Chiara",
    "Sara",
    "Sanne",
    "Fleur",
    "Lotte",
    "Anouk",
    "Ana",
    "Beatriz",
    "Inês",
}

# (infinitive/imperative task, third-person present task) per language
TASKS = {
    "en": [
        ("send the revised quote", "sends the revised quote"),
        ("update the forecast sheet", "updates the forecast sheet"),
        ("check the SLA wording", "checks the SLA wording"),
        ("book the technical demo", "books the technical demo"),
        ("share the security questionnaire", "shares the security questionnaire"),
        ("draft the statement of work", "drafts the statement of work"),
        ("call their procurement lead", "calls their procurement lead"),
        ("prepare the onboarding plan", "prepares the onboarding plan"),
    ],
    "fr": [
        ("envoyer le devis révisé", "envoie le devis révisé"),
        ("mettre à jour le prévisionnel", "met à jour le prévisionnel"),
        ("vérifier les clauses RGPD", "vérifie les clauses RGPD"),
        ("organiser la démo technique", "organise la démo technique"),
        ("relancer le service achats", "relance le service achats"),
        ("préparer le plan de déploiement", "prépare le plan de déploiement"),
    ],
    "de": [
        ("das Angebot überarbeiten", "überarbeitet das Angebot"),
        ("die Lizenzfrage klären", "klärt die Lizenzfrage"),
        ("die Freigabe einholen", "holt die Freigabe ein"),
        ("den Demo-Termin buchen", "bucht den Demo-Termin"),
        ("die Preisliste aktualisieren", "aktualisiert die Preisliste"),
        ("den Vertragsentwurf schicken", "schickt den Vertragsentwurf"),
    ],
    "es": [
        ("enviar la propuesta revisada", "envía la propuesta revisada"),
        ("actualizar la lista de precios", "actualiza la lista de precios"),
        ("revisar el contrato marco", "revisa el contrato marco"),
        ("organizar una demo técnica", "organiza una demo técnica"),
        ("llamar al responsable de compras", "llama al responsable de compras"),
        ("preparar el plan de implantación", "prepara el plan de implantación"),
    ],
    "it": [
        ("inviare il preventivo aggiornato", "invia il preventivo aggiornato"),
        ("verificare le clausole GDPR", "verifica le clausole GDPR"),
        ("organizzare la demo tecnica", "organizza la demo tecnica"),
        ("aggiornare il listino prezzi", "aggiorna il listino prezzi"),
        ("chiamare l'ufficio acquisti", "chiama l'ufficio acquisti"),
        ("preparare il piano di rollout", "prepara il piano di rollout"),
    ],
    "nl": [
        ("de offerte versturen", "verstuurt de offerte"),
        ("de prijslijst bijwerken", "werkt de prijslijst bij"),
        ("de AVG-clausules controleren", "controleert de AVG-clausules"),
        ("de inkoper bellen", "belt de inkoper"),
        ("het implementatieplan voorbereiden", "bereidt het implementatieplan voor"),
        ("de demo boeken", "boekt de demo"),
    ],
    "pt": [
        ("enviar a proposta revista", "envia a proposta revista"),
        ("atualizar a tabela de preços", "atualiza a tabela de preços"),
        ("verificar as cláusulas RGPD", "verifica as cláusulas RGPD"),
        ("agendar a demonstração técnica", "agenda a demonstração técnica"),
        ("ligar para o departamento de compras", "liga para o departamento de compras"),
        ("preparar o plano de implementação", "prepara o plano de implementação"),
    ],
}


def _weekday_after(ref, weekday):
    ahead = (weekday - ref.weekday()) % 7 or 7
    return ref + timedelta(days=ahead)


def _friday_next_week(ref):
    return ref + timedelta(days=7 - ref.weekday() + 4)


def _end_month(ref):
    nxt = date(ref.year + (ref.month == 12), ref.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _calendar_week(ref):
    """(week number, its Friday) two or three weeks after the meeting."""
    target = ref + timedelta(days=rng.choice((14, 21)))
    week = target.isocalendar()[1]
    return week, date.fromisocalendar(target.isocalendar()[0], week, 5)


MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
}


def due_phrase(lang, ref):
    """(phrase, date) or ("", None): a due date as people write it, resolved against ref."""
    if rng.random() < 0.3:
        return "", None
    later = ref + timedelta(days=rng.randint(8, 40))
    month = MONTHS[lang].split()[later.month - 1]
    fri, mon = _weekday_after(ref, 4), _weekday_after(ref, 0)
    week, week_friday = _calendar_week(ref)
    options = {
        "en": [
            ("by Friday", fri),
            ("tomorrow", ref + timedelta(days=1)),
            ("EOW", fri if ref.weekday() < 4 else None),
            ("by end of next week", _friday_next_week(ref)),
            ("next Monday", _friday_next_week(ref) - timedelta(days=4)),
            (f"by {month} {later.day}", later),
            ("by end of month", _end_month(ref)),
            ("within 2 weeks", ref + timedelta(weeks=2)),
            ("monday", mon),
        ],
        "fr": [
            ("d'ici lundi", mon),
            ("avant vendredi", fri),
            ("demain", ref + timedelta(days=1)),
            ("la semaine prochaine", _friday_next_week(ref)),
            ("fin de la semaine prochaine", _friday_next_week(ref)),
            (f"le {later.day} {month}", later),
            ("d'ici la fin du mois", _end_month(ref)),
            ("sous 2 semaines", ref + timedelta(weeks=2)),
        ],
        "de": [
            (f"bis Ende KW {week}", week_friday),
            (f"bis KW {week}", week_friday),
            (f"bis {later.day}.{later.month}.", later),
            (f"bis {later.day}.{later.month}", later),
            ("bis Freitag", fri),
            ("morgen", ref + timedelta(days=1)),
            ("nächste Woche", _friday_next_week(ref)),
            ("bis Ende nächster Woche", _friday_next_week(ref)),
            ("bis Monatsende", _end_month(ref)),
            (f"am {later.day}. {month}", later),
        ],
        "es": [
            ("para el viernes", fri),
            ("por el viernes", fri),
            ("antes del lunes", mon),
            ("mañana", ref + timedelta(days=1)),
            ("la próxima semana", _friday_next_week(ref)),
            (f"antes del {later.day} de {month}", later),
            ("a final de mes", _end_month(ref)),
            ("en 2 semanas", ref + timedelta(weeks=2)),
        ],
        "it": [
            ("entro venerdì", fri),
            ("entro lunedì", mon),
            ("domani", ref + timedelta(days=1)),
            ("la prossima settimana", _friday_next_week(ref)),
            ("entro fine mese", _end_month(ref)),
            (f"entro il {later.day} {month}", later),
            ("entro 2 settimane", ref + timedelta(weeks=2)),
        ],
        "nl": [
            ("voor vrijdag", fri),
            ("voor maandag", mon),
            ("morgen", ref + timedelta(days=1)),
            ("volgende week", _friday_next_week(ref)),
            ("voor het eind van de maand", _end_month(ref)),
            (f"voor {later.day} {month}", later),
            ("binnen 2 weken", ref + timedelta(weeks=2)),
        ],
        "pt": [
            ("até sexta", fri),
            ("até segunda", mon),
            ("amanhã", ref + timedelta(days=1)),
            ("na próxima semana", _friday_next_week(ref)),
            ("até ao fim do mês", _end_month(ref)),
            (f"até {later.day} de {month}", later),
            ("em 2 semanas", ref + timedelta(weeks=2)),
        ],
    }[lang]
    phrase, when = rng.choice(options)
    if when is None:
        return "", None
    return phrase, when


# Templates: {O} owner as written, {T} task, {P} present-tense task, {D} due phrase (may be "").
ACTION_TEMPLATES = {
    "en": {
        "commitment": ["{O} will {T} {D}", "{O} to {T} {D}", "{O} is going to {T} {D}"],
        "request": ["@{O} please {T} {D}", "{O}, can you {T} {D}?", "can you {T} {D}, {O}?"],
        "named_task": ["{O}: {T} {D}", "{O} - {T} {D}"],
        "present": ["{O} {P} {D}"],
        "arrow": ["→ {O} {P} {D}", "-> {O}: {T} {D}"],
        "marker": [
            "TODO {O}: {T} {D}",
            "AP {O}: {T} {D}",
            "AI: {O} to {T} {D}",
            "Action - {O}: {T} {D}",
        ],
        "checkbox": ["- [ ] {O}: {T} {D}", "[ ] {T} {D} ({O})", "☐ {O} - {T} {D}"],
        "pronoun": ["I'll {T} {D}", "I will {T} {D}"],
        "no_owner": ["can you {T} {D}?", "please {T} {D}"],
    },
    "fr": {
        "commitment": ["{O} va {T} {D}", "{O} doit {T} {D}", "{O} se charge de {T} {D}"],
        "request": [
            "@{O} merci de {T} {D}",
            "{O}, peux-tu {T} {D} ?",
            "{O}, pouvez-vous {T} {D} ?",
        ],
        "named_task": ["{O} : {T} {D}", "{O} – {T} {D}"],
        "present": ["{O} {P} {D}"],
        "arrow": ["→ {O} {P} {D}"],
        "marker": ["TODO {O} : {T} {D}", "Action {O} : {T} {D}", "AP {O} : {T} {D}"],
        "checkbox": ["- [ ] {O} : {T} {D}", "☐ {T} {D} ({O})"],
        "pronoun": ["Je vais {T} {D}", "je m'occupe de {T} {D}"],
        "no_owner": ["pouvez-vous {T} {D} ?", "merci de {T} {D}"],
    },
    "de": {
        "commitment": ["{O} wird {T} {D}", "{O} soll {T} {D}", "{O} muss {T} {D}"],
        "request": ["@{O} bitte {T} {D}", "{O}, kannst du {T} {D}?", "{O}, könnten Sie {T} {D}?"],
        "named_task": ["{O}: {T} {D}", "{O} – {T} {D}"],
        "present": ["{O} {P} {D}"],
        "arrow": ["→ {O} {P} {D}"],
        "marker": ["AP {O}: {T} {D}", "TODO {O}: {T} {D}", "Aufgabe {O}: {T} {D}"],
        "checkbox": ["- [ ] {O}: {T} {D}", "☐ {T} {D} ({O})"],
        "pronoun": ["Ich werde {T} {D}", "ich muss {T} {D}"],
        "no_owner": ["bitte {T} {D}", "kannst du {T} {D}?"],
    },
    "es": {
        "commitment": ["{O} va a {T} {D}", "{O} se encarga de {T} {D}", "{O} debe {T} {D}"],
        "request": ["@{O} por favor {T} {D}", "{O}, ¿puedes {T} {D}?"],
        "named_task": ["{O}: {T} {D}", "{O} – {T} {D}"],
        "present": ["{O} {P} {D}"],
        "arrow": ["→ {O} {P} {D}"],
        "marker": ["TODO {O}: {T} {D}", "Acción {O}: {T} {D}"],
        "checkbox": ["- [ ] {O}: {T} {D}", "☐ {T} {D} ({O})"],
        "pronoun": ["Yo me encargo de {T} {D}", "Voy a {T} {D}"],
        "no_owner": ["por favor {T} {D}", "¿puedes {T} {D}?"],
    },
    "it": {
        "commitment": ["{O} deve {T} {D}", "{O} si occupa di {T} {D}"],
        "request": ["@{O} per favore {T} {D}", "{O}, puoi {T} {D}?"],
        "named_task": ["{O}: {T} {D}", "{O} – {T} {D}"],
        "present": ["{O} {P} {D}"],
        "arrow": ["→ {O} {P} {D}"],
        "marker": ["TODO {O}: {T} {D}", "Azione {O}: {T} {D}", "AP {O}: {T} {D}"],
        "checkbox": ["- [ ] {O}: {T} {D}", "☐ {T} {D} ({O})"],
        "pronoun": ["Io mi occupo di {T} {D}", "io devo {T} {D}"],
        "no_owner": ["per favore {T} {D}", "puoi {T} {D}?"],
    },
    "nl": {
        "commitment": ["{O} gaat {T} {D}", "{O} moet {T} {D}"],
        "request": ["@{O} graag {T} {D}", "{O}, kun je {T} {D}?"],
        "named_task": ["{O}: {T} {D}", "{O} – {T} {D}"],
        "present": ["{O} {P} {D}"],
        "arrow": ["→ {O} {P} {D}"],
        "marker": ["TODO {O}: {T} {D}", "Actie {O}: {T} {D}", "AP {O}: {T} {D}"],
        "checkbox": ["- [ ] {O}: {T} {D}", "☐ {T} {D} ({O})"],
        "pronoun": ["Ik ga {T} {D}", "ik moet {T} {D}"],
        "no_owner": ["graag {T} {D}", "kun je {T} {D}?"],
    },
    "pt": {
        "commitment": ["{O} vai {T} {D}", "{O} fica de {T} {D}", "{O} deve {T} {D}"],
        "request": ["@{O} por favor {T} {D}", "{O}, pode {T} {D}?"],
        "named_task": ["{O}: {T} {D}", "{O} – {T} {D}"],
        "present": ["{O} {P} {D}"],
        "arrow": ["→ {O} {P} {D}"],
        "marker": ["TODO {O}: {T} {D}", "Ação {O}: {T} {D}", "AP {O}: {T} {D}"],
        "checkbox": ["- [ ] {O}: {T} {D}", "☐ {T} {D} ({O})"],
        "pronoun": ["Eu vou {T} {D}", "eu fico de {T} {D}"],
        "no_owner": ["por favor {T} {D}", "pode {T} {D}?"],
    },
}
PAST = {
    "en": [
        "{O} sent the pricing deck last week.",
        "{O} presented the roadmap.",
        "Last time {O} shared the reference list.",
    ],
    "fr": [
        "{O} a envoyé la présentation la semaine dernière.",
        "{O} a présenté la feuille de route.",
    ],
    "de": ["{O} hat das Angebot letzte Woche geschickt.", "{O} hat die Roadmap vorgestellt."],
    "es": ["{O} envió la presentación la semana pasada.", "{O} presentó la hoja de ruta."],
    "it": ["{O} ha inviato la presentazione la settimana scorsa.", "{O} ha presentato la roadmap."],
    "nl": ["{O} heeft de presentatie vorige week gestuurd.", "{O} heeft de roadmap gepresenteerd."],
    "pt": ["{O} enviou a apresentação na semana passada.", "{O} apresentou o roadmap."],
}
STATEMENT = {
    "en": ["{O} said the budget is approved.", "{O} thinks the timeline is tight."],
    "fr": ["{O} pense que le calendrier est serré.", "{O} dit que le budget est validé."],
    "de": ["{O} meint, der Zeitplan ist knapp.", "{O} sagt, das Budget ist freigegeben."],
    "es": ["{O} dice que el presupuesto está aprobado.", "{O} cree que el plazo es ajustado."],
    "it": ["{O} pensa che i tempi siano stretti.", "{O} dice che il budget è approvato."],
    "nl": ["{O} vindt de planning krap.", "{O} zegt dat het budget is goedgekeurd."],
    "pt": ["{O} acha que o prazo está apertado.", "{O} diz que o orçamento está aprovado."],
}
FIXED_DISTRACTORS = {
    "decision": {
        "en": [
            "Agreed to a 90-day ramp.",
            "Decided to keep the current SLA.",
            "Agreed: pilot starts in January.",
        ],
        "fr": [
            "Décidé : lancement du pilote en janvier.",
            "Convenu d'une montée en charge sur 90 jours.",
        ],
        "de": ["Beschlossen: Pilotstart im Januar.", "Vereinbart: 90 Tage Hochlaufphase."],
        "es": ["Acordado: arranque del piloto en enero.", "Se decidió mantener el SLA actual."],
        "it": ["Deciso: avvio del pilota a gennaio.", "Concordato un ramp-up di 90 giorni."],
        "nl": ["Besloten: pilot start in januari.", "Afgesproken: 90 dagen opstartfase."],
        "pt": ["Decidido: início do piloto em janeiro.", "Ficou decidido manter o SLA atual."],
    },
    "goal": {
        "en": ["Goal: signature before year end.", "Objective: 40 seats in Q1."],
        "fr": ["Objectif : signature avant la fin de l'année."],
        "de": ["Ziel: Unterschrift vor Jahresende."],
        "es": ["Objetivo: firma antes de fin de año."],
        "it": ["Obiettivo: firma entro fine anno."],
        "nl": ["Doel: handtekening voor het einde van het jaar."],
        "pt": ["Meta: assinatura antes do fim do ano."],
    },
    "customer_plan": {
        "en": [
            "The customer plans to migrate to the cloud in Q2.",
            "They will roll out to the Berlin office next year.",
            "Customer wants to consolidate vendors by March.",
        ],
        "fr": [
            "Le client prévoit de migrer au T2.",
            "Ils vont ouvrir une agence à Lyon l'an prochain.",
        ],
        "de": [
            "Der Kunde will im Q2 in die Cloud migrieren.",
            "Kunde plant einen Rollout in Berlin.",
        ],
        "es": [
            "El cliente planea migrar a la nube en el Q2.",
            "Ellos van a abrir una oficina en Sevilla.",
        ],
        "it": [
            "Il cliente prevede di migrare nel cloud nel Q2.",
            "Loro apriranno una sede a Torino.",
        ],
        "nl": [
            "De klant wil in Q2 naar de cloud migreren.",
            "Zij openen volgend jaar een kantoor in Gent.",
        ],
        "pt": [
            "O cliente planeja migrar para a nuvem no Q2.",
            "Eles vão abrir um escritório no Porto.",
        ],
    },
    "nothing": {
        "en": ["Nothing to follow up on.", "No action items for us this week."],
        "fr": ["Rien à signaler.", "Aucune action de notre côté."],
        "de": ["Keine offenen Punkte.", "Nichts zu tun für uns."],
        "es": ["Nada pendiente por nuestra parte.", "Sin acciones por ahora."],
        "it": ["Niente da fare per noi.", "Nessuna azione per ora."],
        "nl": ["Geen actiepunten voor ons.", "Niets te doen deze week."],
        "pt": ["Nada a fazer da nossa parte.", "Sem pendências por agora."],
    },
}
HEADERS = {
    "en": {
        "title": ["Weekly sync", "Pilot review", "Call with the customer"],
        "summary": ["Summary:", "Notes:", "## Discussion"],
        "action": ["Action items:", "Next steps", "## Next steps", "**Action items**", "To do:"],
        "hold": ["Parking lot:", "Decisions:", "Open questions:"],
        "done": "done",
    },
    "fr": {
        "title": ["Point hebdo", "Revue du pilote"],
        "summary": ["Résumé :", "Compte-rendu", "## Notes"],
        "action": ["Prochaines étapes :", "Actions :", "À faire :", "## Plan d'actions"],
        "hold": ["Parking lot :", "Décisions :", "Questions ouvertes :"],
        "done": "fait",
    },
    "de": {
        "title": ["Wochentermin", "Pilot-Review"],
        "summary": ["Zusammenfassung:", "Notizen:", "## Protokoll"],
        "action": ["Nächste Schritte:", "Aufgaben:", "ToDos:", "## Maßnahmen"],
        "hold": ["Parkplatz:", "Entscheidungen:", "Offene Fragen:"],
        "done": "erledigt",
    },
    "es": {
        "title": ["Reunión semanal", "Revisión del piloto"],
        "summary": ["Resumen:", "Notas:", "## Acta"],
        "action": ["Próximos pasos:", "Acciones:", "Tareas:", "## Pendientes"],
        "hold": ["Temas aparcados:", "Decisiones:", "Preguntas abiertas:"],
        "done": "hecho",
    },
    "it": {
        "title": ["Riunione settimanale", "Revisione del pilota"],
        "summary": ["Riepilogo:", "Note:", "## Verbale"],
        "action": ["Prossimi passi:", "Azioni:", "Da fare:", "## Attività"],
        "hold": ["In sospeso:", "Decisioni:", "Domande aperte:"],
        "done": "fatto",
    },
    "nl": {
        "title": ["Wekelijks overleg", "Pilot review"],
        "summary": ["Samenvatting:", "Notulen:", "## Notities"],
        "action": ["Volgende stappen:", "Actiepunten:", "Acties:", "## To do"],
        "hold": ["Parkeerplaats:", "Besluiten:", "Open vragen:"],
        "done": "gedaan",
    },
    "pt": {
        "title": ["Reunião semanal", "Revisão do piloto"],
        "summary": ["Resumo:", "Notas:", "## Ata"],
        "action": ["Próximos passos:", "Ações:", "Tarefas:", "## Pendências"],
        "hold": ["Para depois:", "Decisões:", "Perguntas em aberto:"],
        "done": "feito",
    },
}
SUMMARY = {
    "en": [
        "The customer is comparing three vendors.",
        "Budget is approved for 40 seats.",
        "Delivery dates are still open.",
    ],
    "fr": [
        "Le client compare trois fournisseurs.",
        "Le budget est validé pour 40 postes.",
        "Le planning reste ouvert.",
    ],
    "de": [
        "Der Kunde vergleicht drei Anbieter.",
        "Das Budget für 40 Lizenzen steht.",
        "Der Liefertermin ist offen.",
    ],
    "es": [
        "El cliente compara tres proveedores.",
        "El presupuesto está aprobado para 40 puestos.",
        "La fecha de entrega sigue abierta.",
    ],
    "it": [
        "Il cliente confronta tre fornitori.",
        "Il budget è approvato per 40 licenze.",
        "La data di consegna è ancora aperta.",
    ],
    "nl": [
        "De klant vergelijkt drie leveranciers.",
        "Het budget voor 40 licenties is rond.",
        "De leverdatum staat nog open.",
    ],
    "pt": [
        "O cliente está a comparar três fornecedores.",
        "O orçamento está aprovado para 40 licenças.",
        "A data de entrega continua em aberto.",
    ],
}
FREE_CATEGORIES = (
    "commitment",
    "request",
    "named_task",
    "present",
    "arrow",
    "marker",
    "checkbox",
    "pronoun",
    "honorific",
    "mention",
    "email_local",
    "shorthand",
    "unresolved",
    "no_owner",
)


def _email(first, last, domain, style):
    f = (
        first.lower()
        .replace("é", "e")
        .replace("è", "e")
        .replace("í", "i")
        .replace("ú", "u")
        .replace("ã", "a")
        .replace("ê", "e")
        .replace("ô", "o")
        .replace("á", "a")
        .replace("ó", "o")
    )
    last_key = (
        last.lower()
        .replace(" ", "")
        .replace("í", "i")
        .replace("é", "e")
        .replace("ö", "oe")
        .replace("á", "a")
        .replace("ó", "o")
    )
    return (
        {"dot": f"{f}.{last_key}", "initial": f"{f[0]}{last_key}", "first": f}[style] + "@" + domain
    )


def make_note(index, lang):
    ref = date(2026, 1, 5) + timedelta(days=rng.randint(0, 330))
    people = rng.sample(PEOPLE[lang], 5)
    attendees = []
    for i, (first, last) in enumerate(people):
        domain = "ours.example" if i < 2 else f"client{index % 9}.example"
        style = rng.choice(("dot", "initial", "first"))
        attendees.append({"name": f"{first} {last}", "email": _email(first, last, domain, style)})
    author = attendees[0]
    items, distractors = [], []

    def owner_form(person_index, category):
        first, last = people[person_index]
        full = f"{first} {last}"
        if category == "honorific":
            honorific = HONORIFICS[lang][first in FEMALE]
            return f"{honorific} {last}", full
        if category == "mention":
            return "@" + rng.choice((first, first.lower())), full
        if category == "email_local":
            return "@" + attendees[person_index]["email"].split("@")[0], full
        if category == "shorthand":
            return first.lower(), full
        return rng.choice((first, full, first)), full

    unused_tasks = list(TASKS[lang])
    rng.shuffle(unused_tasks)

    def action(category, in_section):
        person = rng.randrange(5)
        if not unused_tasks:  # every task once per note: the same task twice would be one item
            return ""
        task, present = unused_tasks.pop()
        due_text, due = due_phrase(lang, ref)
        if category == "unresolved":
            written, expected_owner = rng.choice(OUTSIDERS[lang]), None
            template = rng.choice(
                ACTION_TEMPLATES[lang]["named_task"]
                if in_section
                else ACTION_TEMPLATES[lang]["marker"]
            )
        elif category == "pronoun":
            written, expected_owner = "", author["name"]
            template = rng.choice(ACTION_TEMPLATES[lang]["pronoun"])
        elif category == "no_owner":
            written, expected_owner = "", None
            template = rng.choice(ACTION_TEMPLATES[lang]["no_owner"])
        elif category in ("honorific", "shorthand"):
            written, expected_owner = owner_form(person, category)
            template = "{O} {P} {D}" if category == "honorific" or lang != "en" else "{O} {T} {D}"
        elif category in ("mention", "email_local"):
            written, expected_owner = owner_form(person, category)
            template = rng.choice(ACTION_TEMPLATES[lang]["request"][:1] + ["{O}: {T} {D}"])
        elif category == "section":
            written, expected_owner = owner_form(person, category)
            template = rng.choice(["{O}: {T} {D}", "{T} {D} ({O})", "{O} – {T} {D}"])
        else:
            written, expected_owner = owner_form(person, category)
            template = rng.choice(ACTION_TEMPLATES[lang][category])
        if "@{O}" in template:
            written = written.lstrip("@")
        line = template.format(O=written, T=task, P=present, D=due_text)
        line = (
            " ".join(line.split()).replace(" ?", "?" if lang != "fr" else " ?").replace(" )", ")")
        )
        if category == "shorthand":
            line = line[0].lower() + line[1:]
        what = present if "{P}" in template else task
        items.append(
            {
                "owner": expected_owner,
                "what": what,
                "due": due.isoformat() if due else None,
                "category": category,
                "line": line,
            }
        )
        return line

    def distractor(category):
        first, last = people[rng.randrange(5)]
        if category in ("past", "statement"):
            line = rng.choice((PAST if category == "past" else STATEMENT)[lang]).format(
                O=rng.choice((first, f"{first} {last}"))
            )
        elif category == "done":
            task, _present = rng.choice(TASKS[lang])
            line = rng.choice(("- [x] {O}: {T}", "{O}: {T} ({D})")).format(
                O=first, T=task, D=HEADERS[lang]["done"]
            )
        else:
            line = rng.choice(FIXED_DISTRACTORS[category][lang])
        distractors.append({"category": category, "line": line})
        return line

    lines = [
        rng.choice(HEADERS[lang]["title"]) + f" – {ref.isoformat()}",
        (
            "Attendees: "
            if lang == "en"
            else rng.choice(("Attendees: ", "Participants: ", "Teilnehmer: ", ""))
        )
        + ", ".join(a["name"].split()[0] for a in attendees),
        "",
    ]
    lines.append(rng.choice(HEADERS[lang]["summary"]))
    body = [rng.choice(SUMMARY[lang]) for _ in range(2)]
    for _ in range(rng.randint(1, 3)):
        body.append(
            distractor(
                rng.choice(
                    ("past", "statement", "decision", "goal", "customer_plan", "done", "nothing")
                )
            )
        )
    for _ in range(rng.randint(1, 3)):
        category = rng.choice(FREE_CATEGORIES)
        line = action(category, False)
        if line:
            body.append(line)
    rng.shuffle(body)
    lines += [
        (
            "- " + line
            if rng.random() < 0.4 and not line.startswith(("- ", "[", "☐", "→", "->"))
            else line
        )
        for line in body
    ]
    if rng.random() < 0.75:
        lines += ["", rng.choice(HEADERS[lang]["action"])]
        for _ in range(rng.randint(1, 4)):
            category = rng.choice(
                ("section", "section", "checkbox", "unresolved", "pronoun", "commitment")
            )
            line = action(category, True)
            if not line:
                continue
            lines.append(
                line
                if line.startswith(("- ", "[", "☐"))
                else rng.choice(("- ", "* ", "", "1. ")) + line
            )
        if rng.random() < 0.3:
            lines.append("- " + distractor("done"))
    if rng.random() < 0.5:
        lines += ["", rng.choice(HEADERS[lang]["hold"])]
        for _ in range(rng.randint(1, 2)):
            first = people[rng.randrange(5)][0]
            task, _present = rng.choice(TASKS[lang])
            line = f"- {first}: {task}"
            distractors.append({"category": "parking_lot", "line": line})
            lines.append(line)
    html = rng.random() < 0.25
    notes = "\n".join(lines)
    if html:
        notes = "".join(
            f"<p>{html_lib.escape(line)}</p>" if line else "<p><br></p>" for line in lines
        )
    return {
        "id": f"att-{index:03d}",
        "lang": lang,
        "is_html": html,
        "reference_date": ref.isoformat(),
        "attendees": attendees,
        "author": author,
        "notes": notes,
        "expected_items": items,
        "distractors": distractors,
    }


def main():
    rows = []
    for index in range(140):
        rows.append(make_note(index, list(PEOPLE)[index % 7]))
    with open(HERE / "meetings_attendees.jsonl", "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(
        f"{len(rows)} notes, {sum(len(r['expected_items']) for r in rows)} action items, "
        f"{sum(len(r['distractors']) for r in rows)} distractors"
    )


if __name__ == "__main__":
    main()
