"""Meeting notes → a short summary and action items (owner, what, due date). Deterministic, offline.

Languages: English, French, German, Spanish, Italian, Dutch and Portuguese.

An action item is, in order of confidence:
- a line of an "Action items / Next steps / To do / Nächste Schritte / Próximos passos..." section;
- a line marked as one anywhere: an open checkbox ("[ ]", "- [ ]", "☐"), a marker ("TODO Camille:",
  "AP Jonas:", "Action:", "AI:");
- a sentence that commits or asks somebody: "Anna will send…", "Camille envoie…", "Jonas klärt…",
  "→ Ryan sends…", "tom send OF monday", "@Emma please update…", "can you check…".
Never an action item: what is done ("[x]", "done", "erledigt"), past ("Tom sent…"), a decision
("Agreed to…", "Decided…"), a goal, the customer's own plans, "nothing to follow up", and anything
in a parking-lot, decisions, goals or done section.

Owners: when the caller passes the attendee list (``attendees``, and the note's ``author``), owners
are resolved to attendees inside the engine (see attendees.py): ``item.attendee`` is the attendee,
``item.owner`` their name; an owner that resolves to nobody keeps ``attendee`` None and is reported
as written, and outside an action section a sentence whose subject is not an attendee (or "I"/"we")
is not an action item. Without an attendee list owners are returned as written ("I"/"we" for the
pronouns), as before.

An optional ``extractor`` callable (e.g. a language model) may be passed; see parse_meeting.
"""

import re
import time
from dataclasses import dataclass, field, replace
from datetime import date

from .attendees import FIRST_PERSON, FIRST_PERSON_PLURAL, Attendee, AttendeeIndex
from .due_dates import _MONTHS, find_due
from .text import clean_body, clean_display

MAX_LINES = 2_000
MAX_ITEMS = 100
MAX_WHAT_CHARS = 300
MAX_SCAN_LINE_CHARS = 1_000  # longer lines are prose or garbage: never read as action items
DEFAULT_SUMMARY_CHARS = 400

# Confidence by evidence; >= 0.8 may be written without asking (conditional autonomy).
CONFIDENCE_SECTION = 0.9  # a line of an action section, or with a checkbox or a marker
CONFIDENCE_COMMITMENT = 0.9  # "Anna will send…" / "@Emma please…" with Anna, Emma attendees
CONFIDENCE_NAMED_TASK = 0.8  # "Anna: send…" outside an action section
CONFIDENCE_PRESENT = 0.75  # "Camille envoie…", "tom send OF monday"
CONFIDENCE_UNRESOLVED = 0.7  # an owner who is not an attendee (or "we" without an author)
CONFIDENCE_REQUEST = 0.6  # "can you check…" with nobody named

_ACTION_HEADERS = (
    r"action items?|actions?|next steps?|to[- ]?dos?|follow[- ]ups?|tasks|open items|action points|ais|"
    r"aps|action list|owners?|who does what|"
    r"prochaines? étapes?|prochaines? etapes?|actions? à mener|à faire|a faire|suites? à donner|tâches|"
    r"plan d'actions?|"
    r"nächste schritte|naechste schritte|aufgaben|to-?do-?liste|maßnahmen|massnahmen|offene punkte|"
    r"próximos pasos|proximos pasos|siguientes pasos|tareas|acciones|pendientes?|compromisos|"
    r"prossimi passi|azioni|attività|attivita|da fare|cose da fare|compiti|punti d'azione|"
    r"volgende stappen|actiepunten|acties|actielijst|taken|"
    r"próximos passos|proximos passos|ações|acoes|tarefas|pendências|pendencias|a fazer|"
    r"encaminhamentos"
)
_SUMMARY_HEADERS = (
    r"summary|tl;?dr|overview|key points|highlights|notes|meeting notes|minutes|context|discussion|"
    r"discussion points|attendees|participants|agenda|"
    r"résumé|resume|synthèse|compte[- ]rendu|contexte|points discutés|participants|"
    r"zusammenfassung|kurzfassung|notizen|protokoll|teilnehmer|besprochen|"
    r"resumen|notas|puntos clave|acta|asistentes|"
    r"riepilogo|sintesi|note|verbale|partecipanti|"
    r"samenvatting|notulen|aanwezigen|besproken|"
    r"resumo|notas da reunião|ata|participantes|pontos discutidos"
)
# Sections whose lines are never action items.
_HOLD_HEADERS = (
    r"parking lot|parked|parking|backlog|later|out of scope|open questions|questions|risks|"
    r"decisions?|decided|agreed|agreements|goals?|objectives?|done|completed|fyi|for info|"
    r"hors périmètre|plus tard|questions ouvertes|décisions?|decisions prises|objectifs?|fait|risques|"
    r"parkplatz|themenspeicher|später|offene fragen|entscheidungen|beschlüsse|beschlossen|ziele|"
    r"erledigt|risiken|"
    r"aparcado|temas aparcados|para más adelante|preguntas abiertas|decisiones|acuerdos|objetivos|"
    r"hecho|riesgos|"
    r"parcheggio|in sospeso|domande aperte|decisioni|obiettivi|fatto|completato|rischi|"
    r"parkeerplaats|open vragen|besluiten|besloten|doelen|gedaan|risico's|"
    r"estacionamento|para depois|questões em aberto|perguntas em aberto|decisões|decisoes|metas|"
    r"feito|concluído|riscos"
)
_HEADER_RE = re.compile(
    r"^(?:#{1,4}\s?|\*\*|__)?(?P<h>[^\W\d][\w '’;/&().-]{0,40}?)(?:\*\*|__)?\s?:?\s?(?:\*\*)?$"
)
_ACTION_HEADER_RE = re.compile(r"^(?:" + _ACTION_HEADERS + r")(?:\s?\(.{0,30}\))?$", re.I)
_SUMMARY_HEADER_RE = re.compile(r"^(?:" + _SUMMARY_HEADERS + r")(?:\s?\(.{0,30}\))?$", re.I)
_HOLD_HEADER_RE = re.compile(r"^(?:" + _HOLD_HEADERS + r")(?:\s?\(.{0,30}\))?$", re.I)
# Questions, however qualified ("Follow-up questions", "Question ouverte", "Offene Frage"), are
# open points, not tasks: a heading or an inline head ending or starting with the word holds them.
_QUESTION_HEAD_RE = re.compile(
    r"^(?:[\w'’-]+\s){0,2}(?:questions?|q|fragen?|preguntas?|domande|domanda|vragen|vraag|"
    r"perguntas?|questões|questão|questoes|questao|da chiarire|à clarifier|a clarifier|zu klären|"
    r"por aclarar|a esclarecer|te verduidelijken)(?:\s[\w'’-]+){0,2}$",
    re.I,
)

# "Attendees: Marc, Priya" and other header fields: never action items.
_ROSTER_RE = re.compile(
    r"^(?:attendees|participants|present|absent|apologies|cc|date|subject|location|where|when|"
    r"présents|absents|excusés|objet|lieu|teilnehmer|anwesend|abwesend|datum|betreff|ort|"
    r"asistentes|participantes|ausentes|fecha|asunto|lugar|partecipanti|presenti|assenti|oggetto|"
    r"luogo|aanwezigen|afwezig|onderwerp|locatie|presentes|assunto|local|data)$",
    re.I,
)
_BULLET_RE = re.compile(r"^(?:[-*•·▪◦>–]|\d{1,2}[.)]|[a-z][.)])\s?")
_OPEN_BOX_RE = re.compile(r"^(?:[-*•]\s?)?(?:\[\s?\]|☐|□|\(\s\))\s?")
_DONE_BOX_RE = re.compile(r"^(?:[-*•]\s?)?(?:\[\s?[xX✓✔]\s?\]|☑|☒|✅|✓|✔|✔️)\s?")
_MARKER_RE = re.compile(
    r"^(?:ai|a\.i\.|ap|todo|to-do|to do|action item|action point|action|ação|acao|aktion|acción|"
    r"accion|azione|actie|actiepunt|tâche|aufgabe|tarea|tarefa|compito|taak)"
    r"(?=[\s:\-–(]|$)\s?(?:[:\-–]\s?)?",
    re.I,
)
_ARROW_RE = re.compile(r"^(?:→|->|=>|⇒|➔|➜|>>)\s?")
_OWNER_FIELD_RE = re.compile(
    r"[\(\[]?\b(?:owner|responsible|responsable|verantwortlich|verantwortlicher|assigned to|assignee|who|qui|wer|"
    r"quién|quien|resp\.?|responsabile|chi|eigenaar|wie|responsável|responsavel|dono)\s?:\s?"
    r"(?P<owner>[@\w][\w .'’-]{0,40}?)\s?(?:[\)\]|]|[,;]|\s[–—-]\s|$)",
    re.I,
)
_OWNER_COLUMN_RE = re.compile(
    r"owners?|responsible|responsables?|verantwortlich|verantwortliche[r]?|wer|who|assignee|"
    r"assigned to|quién|quien|chi|responsabile|eigenaar|actiehouder|wie|responsável|responsavel|"
    r"dono|qui"
)
_DUE_FIELD_RE = re.compile(
    r"[\(\[,;]?\s?\b(?:due|deadline|échéance|echeance|fällig|frist|plazo|fecha límite|"
    r"date limite|scadenza|deadline|uiterlijk|prazo)\s?:?\s",
    re.I,
)
_MENTION_RE = re.compile(r"(?<![\w.])@(?P<owner>[^\W\d_][\w.-]{0,30}[^\W_]|[^\W\d_])")
_NAME_WORD = r"[A-ZÀ-Ý][a-zà-ÿß'’-]{1,20}"
_HONORIFIC = (
    r"(?:Frau|Herr|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Prof\.?|M\.|Mme\.?|Mlle\.?|Sr\.?|Sra\.?|Srta\.?|"
    r"Sig\.(?:ra)?|Sig\.ra|Dott\.(?:ssa)?|Dhr\.?|Mevr\.?|Mw\.?)"
)
_NAME = (
    r"(?:"
    + _HONORIFIC
    + r"\s)?"
    + _NAME_WORD
    + r"(?:\s"
    + _NAME_WORD
    + r"|\s[A-Z]\.|\s(?:de|van|von|da|"
    r"del|di|le|la|van der|van den|dos|das)\s" + _NAME_WORD + r")?"
)
_OWNER_TOKEN = r"(?:" + _NAME + r"|@[^\W\d_][\w.-]{0,30}|I|[a-zà-ÿ][a-zà-ÿ'’-]{1,20})"

_MODALS = (
    r"will|'ll|’ll|shall|to|needs to|need to|has to|have to|must|should|is going to|are going to|"
    r"am going to|offered to|promised to|agreed to|volunteered to|committed to|is to|will take|"
    r"takes|take|"
    r"va|vais|allons|vont|doit|dois|devons|doivent|devra|s'occupe de|m'occupe de|nous occupons de|"
    r"se charge de|me charge de|propose de|s'occupe du|s'occupe des|s'occupera de|s'occupera du|"
    r"se chargera de|"
    r"wird|werde|werden|soll|sollte|muss|müssen|kümmert sich um|kümmere mich um|übernimmt|"
    r"übernehme|"
    r"va a|vamos a|voy a|van a|debe|debemos|tiene que|tengo que|se encarga de|se encargará de|"
    r"me encargo de|queda en|"
    r"deve|devo|dobbiamo|si occupa di|si occupa della|si occupa del|si occuperà di|"
    r"si occuperà della|si occuperà del|mi occupo di|ci occupiamo di|si impegna a|"
    r"se ocupa de|se ocupará de|se encargará del|se encarga del|"
    r"gaat|ga|gaan|zal|zullen|moet|moeten|zorgt voor|zorg voor|neemt|"
    r"vai|vou|vamos|deve|devemos|fica de|fico de|ficou de|fica responsável por|se compromete a|tem que|"
    r"precisa|precisam|preciso|precisa de|tem de|fico responsável por|fica responsável pela|"
    r"fica responsável pelo|fico responsável pela|fico responsável pelo|necesita|necesitan|"
    r"ha bisogno di|heeft nodig"
)
_COMMIT_RE = re.compile(
    r"^(?P<owner>"
    + _OWNER_TOKEN
    + r")\s(?P<verb>"
    + "|".join(sorted(set(_MODALS.split("|")), key=len, reverse=True))  # "va a" before "va"
    + r")\b\s?(?P<what>.{3,300})$"
)
_CONTRACTION_RE = re.compile(r"^(?P<owner>I|We|we|i)(?P<verb>['’]ll)\s(?P<what>.{3,300})$")
_JE_RE = re.compile(r"^(?P<owner>[Jj])['’](?P<what>.{3,300})$")
_OWNER_PREFIX_RE = re.compile(
    r"^(?P<owner>" + _OWNER_TOKEN + r")\s?(?:\([^)]{1,30}\)\s?)?(?::|–|—|-|\||→|->|=>)\s?"
    r"(?P<what>.{3,300})$"
)
_BOLD_RE = re.compile(r"(?:\*\*|__)(?P<inner>[^*_]{1,60})(?:\*\*|__)")
# "Responsible: Tom | Task: send…": the label of the task cell says nothing
_TASK_LABEL_RE = re.compile(
    r"(?:(?<=\|)|^)\s?(?:task|tâche|aufgabe|tarea|compito|taak|tarefa)\s?:\s?", re.I
)
# A modal left at the start of a task ("Tom: will send…", "Will send… (Tom)")
_LEAD_MODAL_RE = re.compile(
    r"^(?:will|shall|to|is going to|is to|needs to|must|should|va|vai|wird|soll|muss|gaat|moet|"
    r"deve|debe|va a|vamos a)\s",
    re.I,
)

# "Tom & Maria: …", "Tom and Maria will …": one item each
_PAIR_RE = re.compile(
    r"^(?P<a>"
    + _OWNER_TOKEN
    + r")(?:\s?&\s?|\s(?:and|et|und|y|e|en)\s)(?P<b>"
    + _OWNER_TOKEN
    + r")"
    r"(?P<rest>\s?(?::|–|—|-)\s.{3,300}|\s.{3,300})$"
)
_SUBJECT_RE = re.compile(r"^(?P<owner>" + _OWNER_TOKEN + r")\s(?P<what>.{3,300})$")
_OWNER_SUFFIX_RE = re.compile(
    r"^(?P<what>.{3,300}?)\s?(?:[\(\[]|–\s|—\s|-\s|→\s?|->\s?)(?P<owner>"
    + _NAME
    + r"|@[^\W\d_][\w.-]{0,30})[\)\]]?\s?\.?$"
)
# after a word, not after "16." (a German date: "am 16. Oktober")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[^\d\s][.!?;])\s(?=[A-ZÀ-Ý@→])")
# After a date ("…avant le 27/11. De mon côté…", "…per il 10/12. Davide…"): a new sentence,
# unless the next word is a month ("am 16. Oktober").
_DATE_END_SPLIT_RE = re.compile(r"(?<=\d[.!?])\s(?=(?P<next>[A-ZÀ-Ý][\w'’]*))")


def _sentences(text):
    out = []
    for part in _SENTENCE_SPLIT_RE.split(text):
        start = 0
        for match in _DATE_END_SPLIT_RE.finditer(part):
            if match.group("next").lower().rstrip(".") not in _MONTHS:
                out.append(part[start : match.start()])
                start = match.end()
        out.append(part[start:])
    return out


# Pro-drop first person: "Voy a…", "Me encargo de…", "Vou…", "Mi occupo di…" are the author's.
_FIRST_PERSON_LEAD_RE = re.compile(
    r"^(?P<verb>voy a|me encargo(?: yo)? de|me ocupo(?: yo)? de|vou|fico de|"
    r"mi occupo(?: io)? d(?:i|ella|el|ello|ei|egli|elle)|devo|me charge de|"
    r"m'occupe de|kümmere mich um|übernehme|will|i'll|i’ll)\s(?P<what>.{3,300})$",
    re.I,
)

# Words that are never owners (articles, pronouns for others, generic roles, decision words...).
_NOT_OWNERS = frozenset(
    (
        "the this that it there he she they you everyone all team next then also please note notes "
        "summary action actions todo due owner nothing none nobody agreed decided decision goal "
        "objective fyi info pricing budget meeting call client customer customers contract proposal "
        "demo they'll he'll she'll it'll who what when where why how if so and but or "
        "le la les il elle ils elles on rien personne client cliente décidé convenu objectif "
        "der die das es er sie man nichts niemand kunde kunden beschlossen vereinbart ziel "
        "el los las ella ellos ellas nada nadie acordado decidido objetivo "
        "lo gli lui lei loro niente nessuno deciso concordato obiettivo "
        "de het hij zij ze men niets niemand klant besloten afgesproken doel "
        "o a os as ele ela eles elas nada ninguém acordado decidido objetivo meta "
        "can could would kannst können könnten pouvez peux peut puedes puede puoi può kun kunt pode "
        "podes"
    ).split()
)
# Generic third parties: an item they own is the customer's own plan, not ours.
_THIRD_PARTIES = frozenset(
    "customer customers client clients they them kunde kunden sie cliente clientes ellos loro "
    "klant klanten zij ze eles elas vendor supplier partner ils elles".split()
)

# Lines that are never action items, wherever they are.
_NOTHING_RE = re.compile(
    r"^(?:none|nothing|tbd|tbc|n/a|-|—|aucune?|rien|keine|nichts|nada|ninguna|niente|nessuna|geen|"
    r"niets|nenhuma)[.!]?$|\b(?:nothing (?:to|else to|further to) (?:follow up|do|report)|no (?:further |other )?"
    r"(?:action items?|actions?|follow[- ]ups?|next steps)|n/a|none for now|no open items|"
    r"rien à (?:signaler|faire|suivre)|aucune action|pas d'action|"
    r"nichts zu tun|keine (?:weiteren )?(?:offenen punkte|aufgaben|maßnahmen|to-?dos)|nichts offen|"
    r"nada (?:pendiente|que hacer|que seguir)|sin acciones|ninguna acción|"
    r"niente da (?:fare|seguire|segnalare)|nessuna azione|nessun follow[- ]up|"
    r"niets te doen|geen (?:actiepunten|acties|openstaande punten)|"
    r"nada a fazer|nenhuma ação|sem pendências|sem ações)\b",
    re.I,
)
# "Nothing else to follow up on", "Nada más que hacer…", "Niente altro da segnalare", "Niets meer op
# te volgen", "Rien d'autre à signaler", "Nada mais a acompanhar": a nothing-word, maybe "else", then
# the infinitive particle.
_NOTHING_LEAD_RE = re.compile(
    r"^(?:nothing|rien|nichts|nada|niente|nulla|niets|nothing much)"
    r"(?:\s(?:else|more|further|other|d'autre|de plus|weiter(?:es)?|mehr|más|mas|mais|altro|"
    r"anders|meer|verder))?\s(?:to|à|a|zu|que|da|te|op te|om te|para)\b",
    re.I,
)
_DECISION_RE = re.compile(
    r"^(?:agreed|we agreed|all agreed|decided|we decided|decision|consensus|aligned on|"
    r"agreed on|approved|goal|objective|target|fyi|note|info|"
    r"d[ée]cid[ée]e?s?|on a d[ée]cid[ée]|nous avons d[ée]cid[ée]|convenu|accord|d[ée]cision|objectif|"
    r"validé|"
    r"beschlossen|vereinbart|entschieden|wir haben (?:beschlossen|vereinbart|entschieden)|einigung|"
    r"beschluss|entscheidung|ziel|"
    r"acordado|acordamos|decidido|decidimos|decisión|objetivo|se acordó|se decidió|"
    r"concordato|deciso|abbiamo deciso|decisione|obiettivo|"
    r"besloten|afgesproken|we hebben besloten|besluit|doel|"
    r"acordado|combinado|decidimos|decisão|meta|objetivo|ficou decidido)\b",
    re.I,
)
_DONE_RE = re.compile(
    r"(?:\((?:done|fait|erledigt|hecho|fatto|gedaan|feito|completed?|closed)\)|"
    r"\b(?:done|erledigt|already (?:sent|done|shared)|completed|déjà fait|deja fait|ya hecho|"
    r"già fatto|al gedaan|já feito|já enviado)\s?[.!]?$|^(?:done|erledigt|fait|hecho|fatto|gedaan|"
    r"feito)\b|[✓✔✅]\s?$|~~.+~~)",
    re.I,
)
# Subjects followed by these are statements, not tasks (reporting, state, wishes, past auxiliaries).
_NOT_TASK_VERBS = frozenset(
    (
        "is was are were be been said says mentioned explained thinks think believes feels likes prefers "
        "wants wanted asked agrees agreed noted confirmed raised joined left has had have seems sounds "
        "presented loves knows understands sees reported described expects hopes plans intends "
        "would could might may did does already also still only just never "
        "est était sont étaient a ont avait dit pense trouve souhaite veut voulait préfère aime explique "
        "expliqué mentionne rappelle précise estime craint espère prévoit sait semble "
        "ist war sind waren hat haben hatte hatten sagt sagte meint findet möchte will wollte denkt glaubt "
        "erklärt erklärte berichtet erwähnt bevorzugt plant hofft weiß scheint "
        "es está estaba fue son era ha han había dice dijo piensa cree quiere quería prefiere comenta "
        "comentó explica explicó menciona planea espera sabe tiene parece "
        "è era sono erano ha hanno aveva dice disse pensa crede vuole voleva preferisce spiega menziona "
        "prevede spera sa sembra "
        "is was zijn waren heeft hebben had zegt zei denkt vindt wil wilde verwacht hoopt weet lijkt "
        "é era são foi estava tem tinha diz disse acha pensa quer queria prefere explica menciona "
        "planeja espera sabe parece já"
    ).split()
)
_PAST_IRREGULAR = frozenset(
    "sent did made took gave went saw told met got brought wrote spoke ran led paid found thought "
    "bought sold held kept began shown done".split()
)
# Stems of task verbs (imperative, infinitive or present) in the seven languages.
_TASK_STEMS = tuple(
    sorted(
        set(
            (
                "send share check call prepar updat book schedul draft review organi setup follow "
                "email e-mail mail writ ping ask get find clarif contact reach circulat provid deliver "
                "creat fix finali arrang invit look investigat confirm chas loop sync coordinat handl "
                "test run validat compil collect gather reserv submit sign order cancel repl respond "
                "answer forward introduc escalat request remind nudg align verif document present "
                "produc build put add remov chang edit sort dig double-check doublecheck resend talk "
                "speak "
                "envo envi enví invi invía enverr prépar vérifi appel relanc organis planifi réserv rédig redig partag transm "
                "fourn corrig finalis rappel demand propose proposer cherch clarifi regarde regarder "
                "valid lance lancer boucl chiffr mett met cré "
                "schick prüf klär ruf bereit aktualis buch erstell schreib teil kontaktier frag holt "
                "hole holen bestätig liefer übernimm kümmer stimm abstimm besorg lädt lade überarbeit "
                "versend reich koordin gib gibt setz informier forder mach zieh nimm stell pfleg "
                "mand revis llam actualiz organiz program agend redact compart verific coordin gestion "
                "solicit pide pedir busc consult aclar entreg hace hacer arregl "
                "controll chiam aggiorn prenot organizz pianific condivid contatt conferm gestisc chied "
                "sentire sente senti fiss propon scriv ricontatt sollecit "
                "stuur stur verstuur verstur controle belt bellen bel controleer bereid werk boek organiseer schrijf deel "
                "neem vraag regel zorg bevestig lever verifieer zoek nodig pakt pak maak plan "
                "liga ligar atualiz compartilh partilh trata tratar trato cuid fala falar pede marca marcar "
                "leit zet"
            ).split()
        )
    )
)
# German and Dutch infinitives carry separable prefixes: "einholen", "bijwerken", "voorbereiden".
_SEPARABLE_PREFIXES = (
    "ein an ab auf aus zu vor nach mit bei zurück in op af uit door mee bij voor na aan terug "
    "weiter raus her hin klaar rond"
).split()
_REQUEST_RE = re.compile(
    r"\b(?:can you|could you|would you|will you|please|pls|plz|"
    r"peux-tu|pourrais-tu|pouvez-vous|pourriez-vous|merci de|stp|svp|s'il te plaît|s'il vous plaît|"
    r"kannst du|könntest du|können sie|könnten sie|bitte|"
    r"puedes|podrías|puede usted|podría|por favor|"
    r"puoi|potresti|può|potrebbe|per favore|per cortesia|"
    r"kun je|kunt u|zou je|zou u|graag|alsjeblieft|alstublieft|"
    r"pode|podes|poderia|podia|por favor|por gentileza)\b",
    re.I,
)
_REQUEST_LEAD_RE = re.compile(
    r"^(?:can you|could you|would you|please|pls|plz|peux-tu|pourrais-tu|pouvez-vous|pourriez-vous|"
    r"merci de|kannst du|könntest du|können sie|könnten sie|bitte|puedes|podrías|por favor|puoi|"
    r"potresti|per favore|kun je|kunt u|zou je|graag|pode|podes|poderia)\s",
    re.I,
)
_GERMAN_HINT_RE = re.compile(
    r"\b(?:und|der|die|das|nicht|mit|ist|wir|noch|für|bis|zum|zur|den|dem|bitte|auf|ein|eine)\b",
    re.I,
)
_DUE_PREFIX_RE = re.compile(
    r"\s?(?:\b(?:by|before|on|until|till|no later than|due|for|avant|d'ici|pour|le|au plus tard|"
    r"jusqu'à|jusqu'au|bis|bis zum|bis spätestens|am|spätestens|vor|antes del|antes de|para el|para|"
    r"el|hasta el|a más tardar|entro il|entro|per il|il|voor|tot|uiterlijk|op|até|ate|no dia|"
    r"dia|de|ende|end of|the|het|ao|al|del|della|la|fine|der|dem|den)\s?){0,3}$",
    re.I,
)


@dataclass(frozen=True)
class ActionItem:
    """One action item.

    owner: the attendee's name when it resolved to one, else the owner as written ("I"/"we" for the
    pronouns, "" when none is stated). owner_written: as written. attendee: the Attendee it resolved
    to (None when none, or when no attendee list was given). due: None when not stated.
    """

    what: str
    owner: str = ""
    due: date | None = None
    due_text: str = ""
    confidence: float = 0.0
    source: str = ""  # "section", "checkbox", "marker", "sentence", "request" or "extractor"
    owner_written: str = ""
    attendee: Attendee | None = None
    resolution: str = ""  # how the owner resolved ("first name", "author", "not an attendee"...)

    @property
    def owner_resolved(self):
        return self.attendee is not None


@dataclass
class MeetingNotes:
    summary: str = ""
    action_items: list = field(default_factory=list)
    truncated: bool = False
    timed_out: bool = False
    extractor_used: bool = False


def _strip_bullet(line):
    return _BULLET_RE.sub("", line, count=1).strip()


def _header_kind(line):
    """'action', 'summary', 'hold', 'other' for a heading line, None for an ordinary line."""
    stripped = line.strip()
    if (
        not stripped
        or len(stripped) > 50
        or (_BULLET_RE.match(stripped) and not stripped.startswith(("**", "##", "# ")))
        or _OPEN_BOX_RE.match(stripped)
    ):
        return None
    match = _HEADER_RE.match(stripped)
    if not match:
        return None
    heading = match.group("h").strip(" :*#_").lower()
    is_heading = (
        stripped.endswith(":") or stripped.startswith(("#", "**", "__")) or stripped.isupper()
    )
    if _ACTION_HEADER_RE.match(heading):
        return "action"
    if _HOLD_HEADER_RE.match(heading) or _QUESTION_HEAD_RE.match(heading):
        return "hold"
    if _SUMMARY_HEADER_RE.match(heading):
        return "summary"
    return "other" if is_heading else None


def _clean_what(text):
    text = text.strip(" .;,:-–—→")
    text = re.sub(r"\s{2,}", " ", text)
    return text[:1].upper() + text[1:] if text else text


def _first_word(text):
    match = re.match(r"[\w'’-]+", text)
    return match.group(0).lower() if match else ""


# Object pronouns before the verb: "Sig.ra Bruno ci manda…", "Pedro nos envía…", "Kees ons stuurt…"
_CLITIC_RE = re.compile(r"^(?:(?:ci|mi|ti|vi|ne|nos|me|te|lhe|lhes|nous|vous|uns|ons)\s)+", re.I)
_FUTURE_RE = re.compile(r"\w{3,}(?:era|erà|erá|ira|irà|irá|ara|arà|ará|rra)")
# Short futures the stem list does not name: "fera", "farà", "hará", "dirá" (never "sera"/"será": "is")
_SHORT_FUTURE_RE = re.compile(r"\w{1,}(?:rà|rá|era|rra|ront)")
_NOT_FUTURES = frozenset(
    "era sera será sarà aura avrà terá tendrá habrá estará starà fuera quiera hubiera tuviera "
    "pudiera dovrà potrà podrá poderá deverá debera deberá".split()
)


def _is_future(word):
    return len(word) >= 4 and word not in _NOT_FUTURES and bool(_SHORT_FUTURE_RE.fullmatch(word))


_FR_UPDATE_RE = re.compile(r"(?:mets?|mettre) à jour\b", re.I)  # "met" is not English "met" here


def _is_task_verb(word):
    if len(word) < 2 or word in _NOT_TASK_VERBS or word in _PAST_IRREGULAR:
        return False
    if word.startswith(_TASK_STEMS):
        return True
    return any(
        word.startswith(prefix) and word[len(prefix) :].startswith(_TASK_STEMS)
        for prefix in _SEPARABLE_PREFIXES
        if len(word) > len(prefix) + 2
    )


def _has_task_verb(what):
    """The task names a task verb first ("send…", "envoie…") or last ("…überarbeiten", "…bellen")."""
    what = _LEAD_MODAL_RE.sub("", what.strip(" ¿¡"))
    if _FR_UPDATE_RE.match(what):
        return True
    words = re.findall(r"[\w'’-]+", _REQUEST_LEAD_RE.sub("", what.strip(" ¿¡")).lower())
    if not words:
        return False
    first, last = words[0], words[-1]
    if _is_past(first, what):
        return False
    return (
        _is_task_verb(first)
        or (len(words) > 1 and _is_task_verb(last))
        or any(w.endswith("en") and len(w) > 5 and _is_task_verb(w) for w in words[1:-1])
    )


def _reports(what):
    """The words after a subject report or state ("mentioned…", "ha detto…", "comentou…")."""
    what = _CLITIC_RE.sub("", what)
    words = re.findall(r"[\w'’-]+", what.lower())[:2]
    if not words or _FR_UPDATE_RE.match(what):
        return False
    if words[0] in ("is", "are", "am") and len(words) > 1 and words[1].endswith("ing"):
        return False  # "Tom is sending…": a commitment in progress
    return words[0] in _NOT_TASK_VERBS or _is_past(words[0], what)


def _is_past(word, rest):
    if word in _PAST_IRREGULAR:
        return True
    if word.endswith("ed") and len(word) > 4 and word not in ("need", "proceed", "feed"):
        return True
    # Spanish preterite ("envió") and Portuguese ("enviou", "pediu")
    # ... and their plurals ("revisaron", "enviaram")
    return bool(
        re.fullmatch(r"\w{3,}(?:ó|ou|iu|aron|ieron|aram|eram|iram)", word)
    ) and word not in (
        "vou",
        "sou",
        "estou",
    )


class _Context:
    """What one parse needs everywhere: the reference date, the attendee index, the note's language."""

    def __init__(self, reference, dayfirst, index, german):
        self.reference = reference
        self.dayfirst = dayfirst
        self.index = index
        self.german = german

    def known(self, owner, loose=False):
        """True when owner names somebody: an attendee (with a list), or a pronoun/name (without).

        loose: on a line marked as an action (section, checkbox, marker), a capitalised name that
        is not an attendee still counts as its owner (reported unresolved)."""
        if not owner:
            return False
        lowered = owner.lower().strip("@")
        if lowered in _NOT_OWNERS or lowered in _THIRD_PARTIES:
            return False
        if lowered in FIRST_PERSON or lowered in FIRST_PERSON_PLURAL:
            return True
        if self.index is None or (loose and (owner[0].isupper() or owner.startswith("@"))):
            return owner[0].isupper() or owner.startswith("@")
        return self.index.resolve(owner).attendee is not None


def _take_due(text, context):
    """(text without the due phrase, due date, due phrase)."""
    reference, dayfirst = context.reference, context.dayfirst
    field_match = _DUE_FIELD_RE.search(text)
    if field_match:
        due, span = find_due(text[field_match.end() :], reference, dayfirst)
        if due:
            phrase = text[field_match.end() + span[0] : field_match.end() + span[1]]
            return (
                (text[: field_match.start()] + text[field_match.end() + span[1] :]).strip(" )]"),
                due,
                phrase,
            )
    due, span = find_due(text, reference, dayfirst)
    if not due:
        return text, None, ""
    before = _DUE_PREFIX_RE.sub("", text[: span[0]]).rstrip(" ([,;")
    return (before + " " + text[span[1] :]).strip(" ,;)"), due, text[span[0] : span[1]]


_PRONOUN_SUBJECT_RE = re.compile(
    r"^(?:he|she|il|elle|er|sie|él|ella|lui|lei|hij|zij|ze|ele|ela)\s"
    r"(?:(?:nous|vous|lui|leur|nos|ci|ne|ons|uns|ihm|ihr|us|me|te|mi|ti)\s)?",
    re.I,
)


# A sentence starting with "he/she" (never German "sie" or Dutch "ze": also "they"/"you")
_HE_SHE_RE = re.compile(r"^(?:he|she|il|elle|er|él|ella|lui|lei|hij|zij|ele|ela)\s", re.I)


def _split_owner(text, context, strict):
    """(owner as written, task text, how) for one action line; owner '' when none is stated.

    how: "commitment" (modal verb), "named" ("Name: task"), "present" (subject + task verb),
    "mention", "suffix", "field", or "" (no owner found).
    strict: outside an action section, only subjects that name somebody count.
    """
    owner_match = _OWNER_FIELD_RE.search(text)
    if owner_match:
        rest = (text[: owner_match.start()] + " " + text[owner_match.end() :]).strip()
        return owner_match.group("owner"), rest, "field"
    if "|" in text:  # a table row: owner | task | due, in some order
        cells = [c.strip() for c in text.split("|") if c.strip()]
        owner = next(
            (
                c
                for c in cells
                if re.fullmatch(_NAME + r"|@[\w.-]+", c) and context.known(c) and len(cells) > 1
            ),
            "",
        )
        return owner, " ".join(c for c in cells if c != owner), "field" if owner else ""
    match = _REPORTED_RE.match(text)
    if match:
        owner = match.group("owner") or match.group("owner2")
        if context.known(owner):
            return owner, match.group("what") or match.group("what2"), "commitment"
    for regex in (_CONTRACTION_RE, _JE_RE):
        match = regex.match(text)
        if match:
            owner = "je" if regex is _JE_RE else match.group("owner")
            return owner, match.group("what"), "commitment"
    match = _FIRST_PERSON_LEAD_RE.match(text)
    if match and not (match.group("verb").lower() == "will" and not context.german):
        if match.group("verb").lower() != "will":  # German "Will…" is "I want": a wish
            return "I", match.group("what"), "commitment"
    loose = not strict
    match = _COMMIT_RE.match(text)
    if match and context.known(match.group("owner"), loose):
        verb = match.group("verb").lower()
        if not (verb == "will" and context.german):  # German "will" is "wants": a wish
            if not (verb in ("to", "take", "takes") and match.group("owner")[0].islower()):
                return match.group("owner"), match.group("what"), "commitment"
    match = _OWNER_PREFIX_RE.match(text)
    if match and context.known(match.group("owner"), loose):
        what = _PRONOUN_SUBJECT_RE.sub("", match.group("what"))
        if not strict or _has_task_verb(what):
            return match.group("owner"), what, "named"
    match = _SUBJECT_RE.match(text)
    if match and context.known(match.group("owner")):
        word = _first_word(_CLITIC_RE.sub("", match.group("what")))
        if _FR_UPDATE_RE.match(match.group("what")) or (
            (_is_task_verb(word) or _is_future(word)) and not _is_past(word, match.group("what"))
        ):
            # a future ("enverra", "enviará", "invierà", "fera") commits as much as "will"
            how = "commitment" if _FUTURE_RE.fullmatch(word) or _is_future(word) else "present"
            return match.group("owner"), match.group("what"), how
    mention = _MENTION_RE.search(text)
    if mention:
        rest = (text[: mention.start()] + text[mention.end() :]).strip(" ,:")
        return "@" + mention.group("owner"), rest, "mention"
    match = _OWNER_SUFFIX_RE.match(text)
    if match and context.known(match.group("owner"), loose):
        return match.group("owner"), match.group("what"), "suffix"
    owner, what = _passive(text, context)
    if owner:
        return owner, what, "passive"
    return "", text, ""


# "Contract to be sent by Jonas", "Die Rechnung muss von Michael korrigiert werden", "Il contratto va
# rivisto da Sara", "doit être signé par Léa", "debe ser firmado por Pablo", "moet door Bram worden
# gecontroleerd", "deve ser revisto pelo Pedro": a passive task whose agent is named.
_PASSIVE_RE = re.compile(
    r"\b(?:to be|needs to be|need to be|must be|has to be|have to be|should be|is to be|are to be|"
    r"muss|müssen|soll|sollte|sollen|wird|werden|"
    r"doit être|doivent être|devra être|à faire|"
    r"debe ser|deben ser|tiene que ser|tienen que ser|"
    r"va|vanno|deve essere|devono essere|dovrà essere|"
    r"moet|moeten|zal|wordt|"
    r"deve ser|devem ser|tem de ser|tem que ser|vai ser)\b",
    re.I,
)
_AGENT_RE = re.compile(r"\s(?:by|von|par|por|da|door|pelo|pela|pel)\s(?P<owner>" + _NAME + r")\b")
# "Marcus said he'd fill in…", "Julie a dit qu'elle allait envoyer…", "Pablo dijo que iba a…"
_REPORTED_RE = re.compile(
    r"^(?P<owner>" + _NAME + r")\s(?:said|says|promised|confirmed|offered|agreed)\s(?:that\s)?"
    r"(?:he|she|they)(?:['’]d|['’]ll|\swould|\swill|\sis going to|\swas going to)\s(?P<what>.{3,300})$"
    r"|^(?P<owner2>"
    + _NAME
    + r")\s(?:a dit|a promis|a confirmé|dijo|prometió|confirmó|ha detto|ha promesso|disse|"
    r"prometeu|confirmou|zei|beloofde)\s(?:qu['’](?:il|elle)|que|che|dat (?:hij|zij|ze))\s"
    r"(?:va|allait|va a|iba a|vai|ia|zal|ging)\s(?P<what2>.{3,300})$"
)


def _passive(text, context):
    """(owner, task without the agent) for a passive task whose agent is an attendee, else ('', text)."""
    agent = _AGENT_RE.search(text)
    if not agent or not _PASSIVE_RE.search(text[: agent.start()] + " " + text[agent.end() :]):
        return "", text
    if not context.known(agent.group("owner")):
        return "", text
    return agent.group("owner"), (text[: agent.start()] + text[agent.end() :]).strip()


def _vocative(text, context):
    """'Emma, can you check…' or 'can you check…, Emma?': (owner, text without the name)."""
    match = re.match(r"^(?P<owner>" + _OWNER_TOKEN + r")\s?,\s(?P<what>.+)$", text)
    if match and context.known(match.group("owner")):
        return match.group("owner"), match.group("what")
    match = re.match(r"^(?P<what>.+?),\s(?P<owner>" + _OWNER_TOKEN + r")\s?[?.!]?$", text)
    if match and context.known(match.group("owner")):
        return match.group("owner"), match.group("what")
    return "", text


def _is_statement(text):
    """Past tense, a decision, done, or 'nothing to follow up': never an action item."""
    return bool(
        _NOTHING_RE.search(text)
        or _NOTHING_LEAD_RE.match(text)
        or _DECISION_RE.match(text)
        or _DONE_RE.search(text)
    )


# A definite article before a first name (Portuguese, Italian, colloquial Spanish and German)
_ARTICLE_RE = re.compile(r"^(?P<article>A|O|La|Il|El|Der|Die)\s(?P<name>" + _NAME + r")\b")
# "De mon côté, je…", "On my side I…", "Por mi parte…": who speaks follows
_LEAD_PHRASE_RE = re.compile(
    r"^(?:de mon côté|de notre côté|pour ma part|de mon cote|on my side|on our side|from my side|"
    r"from our side|for my part|meinerseits|von meiner seite|unsererseits|von unserer seite|"
    r"por mi parte|por nuestra parte|da parte mia|per parte mia|da parte nostra|dal canto mio|"
    r"van mijn kant|van onze kant|mijnerzijds|da minha parte|da nossa parte|por minha parte|"
    r"also|then|puis|ensuite|dann|außerdem|luego|además|poi|inoltre|verder|depois|além disso)"
    r"\s?,?\s",
    re.I,
)


def _parse_line(text, context, in_section, flags=None):
    """One line (or sentence) → a list of ActionItems (two for "Tom & Maria: …"), empty when it
    carries no task. flags: (checkbox, marker) already read from the line, for its parts."""
    text = _BOLD_RE.sub(r"\g<inner>", text.strip())  # "**Tom**: …"
    if flags is not None:
        checkbox, marker = flags
        return _parse_task(text, context, in_section, checkbox, marker)
    checkbox = False
    if _DONE_BOX_RE.match(text):
        return []
    if _OPEN_BOX_RE.match(text):
        checkbox, text = True, _OPEN_BOX_RE.sub("", text, count=1).strip()
    text = _strip_bullet(text)
    if _DONE_BOX_RE.match(text):
        return []
    if _OPEN_BOX_RE.match(text):
        checkbox, text = True, _OPEN_BOX_RE.sub("", text, count=1).strip()
    if _DONE_BOX_RE.match(text):
        return []
    marker = bool(_MARKER_RE.match(text))
    if marker:
        text = _MARKER_RE.sub("", text, count=1).strip()
        # "AI (Tom): …" / "TODO Camille : …" / "AP Jonas – …"
        text = re.sub(r"^\((?P<o>[^)]{1,40})\)\s?:?\s?", r"\g<o>: ", text)
        text = re.sub(r"^(?:for|für|pour|para|per|voor)\s", "", text, flags=re.I)
        if _OPEN_BOX_RE.match(text):
            checkbox, text = True, _OPEN_BOX_RE.sub("", text, count=1).strip()
    text = _ARROW_RE.sub("", text).strip().lstrip("¿¡")
    text = re.sub(r"^\[(?P<o>[^\]]{2,40})\]\s?:?\s?", r"\g<o>: ", text)  # "[Tom] send…"
    text = _TASK_LABEL_RE.sub("", text)
    text = _LEAD_PHRASE_RE.sub("", text)
    article = _ARTICLE_RE.match(text)
    if article and context.known(article.group("name")):
        text = text[article.end("article") :].lstrip()
    flagged = in_section or checkbox or marker
    pair = _PAIR_RE.match(text)
    if pair and context.known(pair.group("a"), flagged) and context.known(pair.group("b"), flagged):
        return [
            item
            for owner in (pair.group("a"), pair.group("b"))
            for item in _parse_line(
                owner + pair.group("rest"), context, in_section, (checkbox, marker)
            )
        ]
    return _parse_task(text, context, in_section, checkbox, marker)


_ADVERB_RE = re.compile(
    r"^(?:also|then|first|aussi|ensuite|d'abord|auch|dann|zuerst|también|luego|primero|anche|poi|"
    r"prima|ook|dan|eerst|também|depois|primeiro)\s(?=\w)",
    re.I,
)


def _parse_task(text, context, in_section, checkbox, marker):
    """A line without its bullet, box and marker → [ActionItem] or []."""
    if len(text) < 4 or _is_statement(text):
        return []
    if re.search(r"\?(?:\s|$)", text) and not (
        _REQUEST_RE.search(text) or _MENTION_RE.search(text)
    ):
        return []  # an open question, not a task
    subject = _SUBJECT_RE.match(text)
    if (
        subject
        and not _COMMIT_RE.match(text)
        and not _REPORTED_RE.match(text)
        and context.index is not None
        and context.index.resolve(subject.group("owner")).attendee is not None
        and _reports(subject.group("what"))
    ):
        return []  # "Chiara ha detto che…", "Emily mentioned…", "Fernanda comentou…": a report
    flagged = in_section or checkbox or marker
    text, due, due_text = _take_due(text, context)
    request = bool(_REQUEST_RE.search(text))
    owner, what, how = _split_owner(text, context, strict=not flagged)
    what = _ADVERB_RE.sub("", what)  # "will also loop in…", "va aussi envoyer…"
    if not owner and request:
        owner, what = _vocative(text, context)
        how = "mention" if owner else ""
    if owner and owner.lower().strip("@") in _THIRD_PARTIES:
        return []  # the customer's own plan
    if owner and owner.lower().strip("@") in _NOT_OWNERS:
        owner, how = "", ""
    word = _first_word(_LEAD_MODAL_RE.sub("", _REQUEST_LEAD_RE.sub("", what.strip(" ¿¡"))))
    if _FR_UPDATE_RE.match(what):
        word = "mettre"
    if word in _NOT_TASK_VERBS or (how not in ("commitment",) and _is_past(word, what)):
        return []
    if flagged:
        confidence = CONFIDENCE_SECTION
        source = "section" if in_section else ("checkbox" if checkbox else "marker")
    elif how == "commitment" or (how == "mention" and request):
        confidence, source = CONFIDENCE_COMMITMENT, "sentence"
    elif how == "passive" or (
        how in ("named", "mention", "suffix", "field") and _has_task_verb(what)
    ):
        confidence, source = CONFIDENCE_NAMED_TASK, "sentence"
    elif how == "present":
        confidence, source = CONFIDENCE_PRESENT, "sentence"
    elif request and _REQUEST_LEAD_RE.match(text):
        confidence, source = CONFIDENCE_REQUEST, "request"
    else:
        return []
    what = _REQUEST_LEAD_RE.sub("", what.strip(" ,:¿¡|")).strip(" ¿¡|")
    what = _LEAD_MODAL_RE.sub("", what)
    what = re.sub(
        r"\s?(?:,\s?)?\b(?:please|bitte|por favor|per favore|s'il te plaît|svp|graag)\b[.!?]?",
        "",
        what,
        flags=re.I,
    ).strip(" ,?")
    item = _item(what, owner, due, due_text, confidence, source, context)
    return [item] if item else []


def _item(what, owner, due, due_text, confidence, source, context=None):
    """An ActionItem whose task and owner are clean display values (see text.clean_display), or None."""
    what = clean_display(_clean_what(what), MAX_WHAT_CHARS)[0]
    if len(what) < 3:
        return None
    written = clean_display(owner.strip(" :,-"))[0]
    index = context.index if context else None
    lowered = written.lower().lstrip("@")
    if lowered in FIRST_PERSON:
        display = "I"
    elif lowered in FIRST_PERSON_PLURAL:
        display = "we"
    else:
        display = written.lstrip("@")
    attendee, resolution = None, ""
    if index is not None and written:
        resolved = index.resolve(written)
        attendee, resolution = resolved.attendee, resolved.how
        if attendee is not None:
            display = attendee.name or attendee.email
            if resolution == "we: the author":
                confidence = min(confidence, CONFIDENCE_UNRESOLVED + 0.05)
        else:
            confidence = min(confidence, CONFIDENCE_UNRESOLVED)
    return ActionItem(
        what=what,
        owner=display,
        due=due,
        due_text=due_text,
        confidence=confidence,
        source=source,
        owner_written=written,
        attendee=attendee,
        resolution=resolution,
    )


def _summary(sections, free_lines, max_chars):
    lines = sections or free_lines
    text = " ".join(_strip_bullet(line) for line in lines if line.strip())
    sentences = _SENTENCE_SPLIT_RE.split(text)
    out = ""
    for sentence in sentences:
        candidate = f"{out} {sentence}".strip()
        if len(candidate) > max_chars:
            break
        out = candidate
    if not out and text:
        out = text[: max_chars - 1].rsplit(" ", 1)[0] + "…"
    return out


def _as_attendee(value):
    if value is None or isinstance(value, Attendee):
        return value
    if isinstance(value, dict):
        return Attendee(
            str(value.get("name") or ""), str(value.get("email") or ""), value.get("ref")
        )
    return Attendee(str(value))


def parse_meeting(
    notes,
    reference_date,
    is_html=None,
    extractor=None,
    dayfirst=True,
    max_summary_chars=DEFAULT_SUMMARY_CHARS,
    max_seconds=1.0,
    attendees=None,
    author=None,
):
    """Summarise meeting notes and list their action items.

    reference_date: the meeting date, against which "Friday", "KW 49" or "next week" resolve.
    attendees: the meeting's attendees (Attendee, dicts with "name"/"email"/"ref", or names);
        author: the note's author (same forms), who "I"/"je"/"ich" is. When either is given, owners
        are resolved to attendees (see ActionItem).
    extractor: optional callable(text, reference_date) → iterable of dicts with keys
        "what", "owner", "due" (a date or None). When it returns items they are used (source
        "extractor", confidence 0.7); when it raises or returns None the deterministic items stand.
    """
    started = time.monotonic()
    cleaned = clean_body(notes, is_html=is_html)
    lines = cleaned.text.split("\n")[:MAX_LINES]
    result = MeetingNotes(truncated=cleaned.truncated or len(lines) == MAX_LINES)
    index = None
    if attendees is not None or author is not None:
        index = AttendeeIndex(
            [a for a in (_as_attendee(v) for v in attendees or ()) if a], _as_attendee(author)
        )
    german = len(_GERMAN_HINT_RE.findall(cleaned.text[:5000])) >= 3
    context = _Context(reference_date, dayfirst, index, german)
    section = None
    last_subject = ""  # the last attendee named as a sentence's subject in running text
    summary_lines, free_lines, items, seen = [], [], [], set()

    def add(found):
        for item in found:
            if len(items) >= MAX_ITEMS:
                return
            key = (item.owner.lower(), item.what.lower())
            if key not in seen:
                seen.add(key)
                items.append(item)

    for line in lines:
        if time.monotonic() - started > max_seconds:
            result.timed_out = True
            break
        stripped = line.strip()
        if not stripped:
            continue
        if len(stripped) > MAX_SCAN_LINE_CHARS:  # summary text at most, never the costly patterns
            (summary_lines if section == "summary" else free_lines).append(stripped)
            continue
        if "|" in stripped:
            # A table whose header names an owner column ("Owner | Task | Due", "Responsável |
            # Ação | Prazo"): its rows are assignments, whatever their verb.
            if re.fullmatch(r"[\s|:+=-]+", stripped):
                continue  # "|---|---|"
            cells = [c.strip(" *_#").lower() for c in stripped.strip("|").split("|")]
            if len(cells) >= 2 and any(_OWNER_COLUMN_RE.fullmatch(c) for c in cells):
                section = "table"
                continue
        elif section == "table":
            section = None
        if section == "table":
            add(_parse_line(stripped, context, True))
            continue
        kind = _header_kind(stripped)
        if kind is None:
            # "Next steps: send the deck" – a heading with its content on the same line
            head, sep, tail = stripped.partition(":")
            head_key = head.strip(" *#").lower()
            if sep and tail.strip() and len(head_key) <= 40:
                if _ACTION_HEADER_RE.match(head_key):
                    add(_parse_line(tail, context, True))
                    continue
                if _HOLD_HEADER_RE.match(head_key) or _QUESTION_HEAD_RE.match(head_key):
                    continue
                if _ROSTER_RE.match(head_key):  # "Attendees: Marc, Priya"
                    summary_lines.append(stripped)
                    continue
        if kind:
            section = kind
            continue
        if section == "hold":
            continue
        if section == "action":
            add(_parse_line(stripped, context, True))
            continue
        if section == "summary":
            summary_lines.append(stripped)
        else:
            free_lines.append(stripped)
        body = _strip_bullet(_BOLD_RE.sub(r"\g<inner>", stripped))
        if _OPEN_BOX_RE.match(stripped) or _OPEN_BOX_RE.match(body) or _MARKER_RE.match(body):
            add(_parse_line(stripped, context, False))
            continue
        for sentence in _sentences(_ARROW_RE.sub("", body))[:20]:
            found = _parse_line(sentence, context, False)
            pronoun = _HE_SHE_RE.match(sentence)
            if not found and pronoun and last_subject:
                # "She will also loop in…" after "Hannah mentioned…": the last attendee named as a
                # subject, proposed only (a pronoun is a guess: its gender is unknown here)
                found = [
                    replace(item, confidence=min(item.confidence, CONFIDENCE_UNRESOLVED))
                    for item in _parse_line(
                        last_subject + sentence[pronoun.end() - 1 :], context, False
                    )
                ]
            add(found)
            subject = _SUBJECT_RE.match(_strip_bullet(sentence))
            if subject and context.index is not None:
                resolved = context.index.resolve(subject.group("owner")).attendee
                if resolved is not None and subject.group("owner").lower() not in FIRST_PERSON:
                    last_subject = subject.group("owner")
    result.summary = _summary(summary_lines, free_lines, max_summary_chars)
    result.action_items = items
    if extractor is not None and not result.timed_out:
        try:
            proposed = extractor(cleaned.text, reference_date)
        except Exception:  # noqa: BLE001 - an optional model must never break the deterministic path
            proposed = None
        if proposed:
            extracted = (
                _item(
                    str(p.get("what", ""))[:MAX_WHAT_CHARS],
                    str(p.get("owner") or ""),
                    p.get("due") if isinstance(p.get("due"), date) else None,
                    "",
                    0.7,
                    "extractor",
                    context,
                )
                for p in list(proposed)[:MAX_ITEMS]
                if isinstance(p, dict) and p.get("what")
            )
            result.action_items = [item for item in extracted if item is not None]
            result.extractor_used = True
    return result
