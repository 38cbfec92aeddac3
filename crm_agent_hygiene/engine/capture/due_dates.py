"""Find a due date in a short phrase and resolve it against a reference date (EN/FR/DE/ES/IT/NL/PT).

find_due(text, reference) → (date, (start, end)) or (None, None). Relative words resolve forward:
"Friday" is the next Friday after the reference day, "next week" is the Friday of next week,
"end of month" its last day. Absolute dates without a year take the next such date on or after
the reference (minus a week of slack, for notes written up a few days late). A calendar week
("KW 49", "week 49", "semaine 49") is due on its Friday; a day and month without a year ("4.12",
"bis 4.12.") count only after a date word ("bis", "by", "le", "entro"...) or with the German
trailing dot, so that "version 1.5" stays a number.
"""

import calendar
import re
from datetime import date, timedelta

MAX_CHARS = 500

_WEEKDAYS = {}
for _index, _names in enumerate(
    (
        "monday mon lundi montag lunes lunedì lunedi maandag segunda-feira segunda",
        "tuesday tue tues mardi dienstag martes martedì martedi dinsdag terça-feira terça terca",
        "wednesday wed mercredi mittwoch miércoles miercoles mercoledì mercoledi woensdag "
        "quarta-feira quarta",
        "thursday thu thur thurs jeudi donnerstag jueves giovedì giovedi donderdag quinta-feira "
        "quinta",
        "friday fri vendredi freitag viernes venerdì venerdi vrijdag sexta-feira sexta",
        "saturday sat samedi samstag sábado sabado zaterdag",
        "sunday sun dimanche sonntag domingo domenica zondag",
    )
):
    for _name in _names.split():
        _WEEKDAYS[_name] = _index

_MONTHS = {}
for _index, _names in enumerate(
    (
        "january jan janvier janv januar jän enero ene gennaio januari janeiro",
        "february feb février fevrier févr fevr februar febrero febbraio februari fevereiro",
        "march mar mars märz maerz marzo maart março marco",
        "april apr avril avr abril aprile",
        "may mai mayo maggio mei maio",
        "june jun juin juni junio giugno junho",
        "july jul juillet juil juli julio luglio julho",
        "august aug août aout agosto ago augustus",
        "september sep sept septembre septiembre settembre setembro",
        "october oct octobre oktober okt octubre ottobre outubro",
        "november nov novembre noviembre novembro",
        "december dec décembre decembre déc dezember dez diciembre dic dicembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _index

_WD = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_MO = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "six": 6,
    "a": 1,
    "an": 1,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "ein": 1,
    "eine": 1,
    "einer": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "due": 2,
    "tre": 3,
    "twee": 2,
    "drie": 3,
    "duas": 2,
    "três": 3,
}
_NUM = r"(?P<n>\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"

_DATE_WORDS = (
    r"by|before|on|until|till|due|no later than|le|avant|pour|d'ici|jusqu'au|au plus tard|bis|bis zum|"
    r"am|vor|spätestens|zum|hasta|hasta el|antes del|para el|el|entro il|entro|per il|il|voor|tot|"
    r"uiterlijk|op|até|ate|até dia|no dia|dia"
)
_PATTERNS = (
    (
        "calendar_week",
        re.compile(
            r"\b(?:(?:ende|anfang|end of|start of|fin de la|début de la|debut de la|fine|inizio|"
            r"eind|begin|final de la|fim da|fin de)\s)?(?:der\s|la\s)?"
            r"(?:kw|cw|wk|week|semaine|sem\.?|woche|semana|settimana)\s?(?P<w>\d{1,2})\b",
            re.I,
        ),
    ),
    (
        "day_month_bare",
        re.compile(
            r"(?:(?<=\s)|^)(?P<prefix>(?:" + _DATE_WORDS + r")\s(?:(?:ende|end|fin|fine|eind)\s)?)?"
            r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})(?P<dot>\.)?(?![\d/.]|\.\d)",
            re.I,
        ),
    ),
    ("iso", re.compile(r"\b(?P<y>20\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")),
    (
        "numeric",
        re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})(?:[/.](?P<y>(?:20)?\d\d))?\b(?![/.]\d)"),
    ),
    (
        "day_month",
        re.compile(
            r"\b(?P<d>\d{1,2})(?:st|nd|rd|th|er|\.)?(?:\sde)?\s(?P<mon>"
            + _MO
            + r")\.?(?:\sde)?(?:,?\s(?P<y>20\d\d))?\b",
            re.I,
        ),
    ),
    (
        "month_day",
        re.compile(
            r"\b(?P<mon>" + _MO + r")\.?\s(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s(?P<y>20\d\d))?",
            re.I,
        ),
    ),
    (
        "today",
        re.compile(
            r"\b(?:today|tonight|eod|end of (?:the )?day|cob|aujourd'hui|ce soir|"
            r"heute|hoy|esta tarde|oggi|entro oggi|stasera|vandaag|hoje|fim do dia)\b",
            re.I,
        ),
    ),
    (
        "tomorrow",
        re.compile(r"\b(?:tomorrow|tmrw|demain|morgen|mañana|manana|domani|amanhã|amanha)\b", re.I),
    ),
    (
        "day_after",
        re.compile(
            r"\b(?:day after tomorrow|après-demain|apres-demain|übermorgen|pasado mañana|"
            r"dopodomani|overmorgen|depois de amanhã)\b",
            re.I,
        ),
    ),
    (
        "end_next_week",
        re.compile(
            r"\b(?:end of next week|fin de la semaine prochaine|ende nächster woche|"
            r"ende der nächsten woche|ende naechster woche|final de la próxima semana|"
            r"final de la semana que viene|fine della prossima settimana|fine settimana prossima|"
            r"eind volgende week|eind van volgende week|final da próxima semana|"
            r"fim da próxima semana|fim da semana que vem)\b",
            re.I,
        ),
    ),
    (
        "end_week",
        re.compile(
            r"\b(?:end of (?:the |this )?week|eow|fin de (?:la )?semaine|ende der woche|"
            r"ende dieser woche|final de (?:la )?semana|fin de semana|this week|cette semaine|"
            r"diese woche|esta semana|fine settimana|entro la settimana|questa settimana|"
            r"eind van de week|einde van de week|eind deze week|deze week|fim da semana|"
            r"final da semana|nesta semana|essa semana|fine della settimana|fine di questa settimana|"
            r"fin de esta semana|final de esta semana|fim desta semana|final desta semana)\b",
            re.I,
        ),
    ),
    (
        "next_weekday",
        re.compile(
            r"\b(?:next|(?:la semaine|lundi) prochaine?|nächsten?|kommenden?|el próximo|"
            r"el proximo|próximo|proximo|próxima|proxima|volgende|aanstaande)\s(?P<wd>"
            + _WD
            + r")\b",
            re.I,
        ),
    ),
    (
        # "volgende week donderdag", "next week Thursday", "nächste Woche am Donnerstag"
        "next_weekday",
        re.compile(
            r"\b(?:next week|volgende week|nächste woche|naechste woche|kommende woche|"
            r"la semaine prochaine|la semana que viene|la próxima semana|la prossima settimana|"
            r"a próxima semana|semana que vem)\s(?:on\s|op\s|am\s|le\s|el\s|il\s|na\s)?(?P<wd>"
            + _WD
            + r")\b",
            re.I,
        ),
    ),
    (
        "weekday_next",
        re.compile(
            r"\b(?P<wd>" + _WD + r")\s(?:prochain|prochaine|que viene|next week|prossimo|prossima|"
            r"que vem|volgende week|nächste woche|naechste woche|de la semaine prochaine|"
            r"de la semana que viene|de la próxima semana|della prossima settimana|"
            r"da próxima semana|da semana que vem)\b",
            re.I,
        ),
    ),
    (
        "next_week",
        re.compile(
            r"\b(?:next week|la semaine prochaine|semaine prochaine|nächste woche|"
            r"naechste woche|kommende woche|la semana que viene|la próxima semana|"
            r"la proxima semana|próxima semana|proxima semana|nächster woche|la settimana prossima|"
            r"settimana prossima|la prossima settimana|prossima settimana|volgende week|"
            r"semana que vem)\b",
            re.I,
        ),
    ),
    (
        "end_month",
        re.compile(
            r"\b(?:end of (?:the |this )?month|eom|month[- ]end|fin (?:du|de) mois|"
            r"ende des monats|monatsende|ende (?:des )?monats|final de(?:l)? mes|fin de mes|"
            r"fine mese|fine del mese|eind van de maand|einde van de maand|eind deze maand|"
            r"fim do mês|fim do mes|final do mês|final do mes)\b",
            re.I,
        ),
    ),
    (
        "next_month",
        re.compile(
            r"\b(?:next month|le mois prochain|mois prochain|nächsten monat|"
            r"el mes que viene|el próximo mes|el proximo mes|il mese prossimo|il prossimo mese|"
            r"volgende maand|próximo mês|proximo mes|mês que vem)\b",
            re.I,
        ),
    ),
    (
        "within",
        re.compile(
            r"\b(?:within|in|dans|sous|d'ici|innerhalb von|innerhalb|binnen|in den nächsten|"
            r"en|dentro de|en los próximos|entro|tra|fra|binnen|em|nos próximos)\s"
            + _NUM
            + r"\s(?P<unit>days?|business days?|working days?|weeks?|months?|jours?|semaines?|mois|"
            r"tagen?|wochen?|monaten?|monat|días|dias|día|semanas?|meses|mes|giorni|giorno|"
            r"settimane|settimana|mesi|mese|dagen|dag|weken|week|maanden|maand|dia)\b",
            re.I,
        ),
    ),
    (
        # "para dia 18", "el día 18", "by the 18th": the next such day of a month
        "day_only",
        re.compile(
            r"\b(?:(?:dia|día|el día|el dia)\s(?P<d>\d{1,2})\b(?![/.:]\d)|"
            r"(?:on|by|before) the (?P<d2>\d{1,2})(?:st|nd|rd|th)\b)",
            re.I,
        ),
    ),
    ("weekday", re.compile(r"\b(?P<wd>" + _WD + r")\b", re.I)),
)


# Portuguese short weekday names are also ordinals ("segunda fase"): they need a cue before them.
_AMBIGUOUS_WEEKDAYS = frozenset(("segunda", "terça", "terca", "quarta", "quinta", "sexta"))
_PT_DAY_CUE_RE = re.compile(r"(?:^|\s)(?:até|ate|na|nesta|próxima|proxima|para|de|a)\s$", re.I)


def _next_weekday(reference, weekday, strictly_after=True):
    ahead = (weekday - reference.weekday()) % 7
    if ahead == 0 and strictly_after:
        ahead = 7
    return reference + timedelta(days=ahead)


def _safe_date(year, month, day):
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_year(reference, month, day, year):
    if year:
        year = int(year)
        return _safe_date(year + 2000 if year < 100 else year, month, day)
    candidate = _safe_date(reference.year, month, day)
    if candidate and candidate < reference - timedelta(days=7):
        candidate = _safe_date(reference.year + 1, month, day)
    return candidate


def _calendar_week(reference, week):
    """The Friday of ISO week ``week``: this year's, or next year's when it is long past."""
    for year in (reference.year, reference.year + 1):
        try:
            friday = date.fromisocalendar(year, week, 5)
        except ValueError:
            continue
        if friday >= reference - timedelta(days=7):
            return friday
    return None


def _resolve(kind, match, reference, dayfirst):
    groups = match.groupdict()
    if kind == "calendar_week":
        return _calendar_week(reference, int(groups["w"]))
    if kind == "day_month_bare":
        if not (groups["prefix"] or groups["dot"]):
            return None  # "version 1.5": a number, unless a date word or "4.12." says otherwise
        day, month = int(groups["d"]), int(groups["m"])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None
        return _with_year(reference, month, day, None)
    if kind == "iso":
        return _safe_date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
    if kind == "numeric":
        a, b = int(groups["a"]), int(groups["b"])
        if not groups["y"] and match.group(0).count(".") == 1 and a > 12:
            return None  # "14.5" is a number, not a date
        day, month = (a, b) if dayfirst else (b, a)
        if month > 12 and day <= 12:
            day, month = month, day
        if month > 12 or day > 31:
            return None
        return _with_year(reference, month, day, groups["y"])
    if kind in ("day_month", "month_day"):
        return _with_year(reference, _MONTHS[groups["mon"].lower()], int(groups["d"]), groups["y"])
    if kind == "today":
        return reference
    if kind == "tomorrow":
        return reference + timedelta(days=1)
    if kind == "day_after":
        return reference + timedelta(days=2)
    if kind == "end_week":
        return _next_weekday(reference, 4, strictly_after=False)
    if kind == "end_next_week":
        return reference + timedelta(days=7 - reference.weekday() + 4)
    if kind in ("next_weekday", "weekday_next"):
        monday_next = reference + timedelta(days=7 - reference.weekday())
        return monday_next + timedelta(days=_WEEKDAYS[groups["wd"].lower()])
    if kind == "next_week":
        return reference + timedelta(days=7 - reference.weekday() + 4)
    if kind == "end_month":
        return date(
            reference.year, reference.month, calendar.monthrange(reference.year, reference.month)[1]
        )
    if kind == "next_month":
        year, month = (
            (reference.year + 1, 1)
            if reference.month == 12
            else (reference.year, reference.month + 1)
        )
        return date(year, month, calendar.monthrange(year, month)[1])
    if kind == "within":
        raw = groups["n"].lower()
        count = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        unit = groups["unit"].lower()
        if unit.startswith(("business", "working")):
            day, left = reference, count
            while left:
                day += timedelta(days=1)
                left -= day.weekday() < 5
            return day
        if unit.startswith(("week", "wek", "semaine", "woche", "semana", "settiman")):
            return reference + timedelta(weeks=count)
        if unit.startswith(("month", "mois", "monat", "mes", "maand")):
            month = reference.month - 1 + count
            year, month = reference.year + month // 12, month % 12 + 1
            return date(year, month, min(reference.day, calendar.monthrange(year, month)[1]))
        return reference + timedelta(days=count)
    if kind == "day_only":
        day = int(groups["d"] or groups["d2"])
        if not 1 <= day <= 31:
            return None
        year, month = reference.year, reference.month
        if day < reference.day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return _safe_date(year, month, day)
    if kind == "weekday":
        return _next_weekday(reference, _WEEKDAYS[groups["wd"].lower()])
    return None


# All the patterns in one: text where it finds nothing (most lines) costs one scan, not twenty.
_ANY_RE = re.compile(
    "|".join(
        "(?:" + re.sub(r"\(\?P<\w+>", "(?:", regex.pattern) + ")" for _kind, regex in _PATTERNS
    ),
    re.I,
)


def find_due(text, reference, dayfirst=True):
    """First due date stated in text, as (date, (start, end)) of the phrase; (None, None) if none."""
    text = (text or "")[:MAX_CHARS]
    if not _ANY_RE.search(text):
        return None, None
    best = None
    for kind, regex in _PATTERNS:
        for match in regex.finditer(text):
            if (
                kind == "weekday"
                and len(match.group("wd")) <= 3
                and not match.group("wd")[0].isupper()
            ):
                continue  # "sat", "sun", "mar", "wed" in lower case are ordinary words
            if (
                kind == "weekday"
                and match.group("wd").lower() in _AMBIGUOUS_WEEKDAYS
                and not _PT_DAY_CUE_RE.search(text[max(0, match.start() - 12) : match.start()])
            ):
                continue  # "segunda fase", "quinta edición": ordinals unless "até sexta"
            if kind == "numeric" and not (match.group("y") or "/" in match.group(0)):
                continue  # "1.5" or "3.2" are numbers; dd.mm needs a year to count
            resolved = _resolve(kind, match, reference, dayfirst)
            if resolved is None:
                continue
            span = match.span()
            # Prefer the most specific pattern; among equals, the earliest in the text.
            if best is None or (
                span[1] - span[0] > best[1][1] - best[1][0] and span[0] <= best[1][0] + 40
            ):
                best = (resolved, span)
            break
    return best if best else (None, None)
