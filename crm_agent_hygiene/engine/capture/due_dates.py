"""Find a due date in a short phrase and resolve it against a reference date (EN/FR/DE/ES).

find_due(text, reference) → (date, (start, end)) or (None, None). Relative words resolve forward:
"Friday" is the next Friday after the reference day, "next week" is the Friday of next week,
"end of month" its last day. Absolute dates without a year take the next such date on or after
the reference (minus a week of slack, for notes written up a few days late).
"""

import calendar
import re
from datetime import date, timedelta

MAX_CHARS = 500

_WEEKDAYS = {}
for _index, _names in enumerate(
    (
        "monday mon lundi montag lunes",
        "tuesday tue tues mardi dienstag martes",
        "wednesday wed mercredi mittwoch miércoles miercoles",
        "thursday thu thur thurs jeudi donnerstag jueves",
        "friday fri vendredi freitag viernes",
        "saturday sat samedi samstag sábado sabado",
        "sunday sun dimanche sonntag domingo",
    )
):
    for _name in _names.split():
        _WEEKDAYS[_name] = _index

_MONTHS = {}
for _index, _names in enumerate(
    (
        "january jan janvier janv januar jän enero ene",
        "february feb février fevrier févr fevr februar febrero",
        "march mar mars märz maerz marzo",
        "april apr avril avr abril",
        "may mai mayo",
        "june jun juin juni junio",
        "july jul juillet juil juli julio",
        "august aug août aout agosto ago",
        "september sep sept septembre septiembre",
        "october oct octobre oktober okt octubre",
        "november nov novembre noviembre",
        "december dec décembre decembre déc dezember dez diciembre dic",
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
}
_NUM = r"(?P<n>\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"

_PATTERNS = (
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
            r"heute|hoy|esta tarde)\b",
            re.I,
        ),
    ),
    ("tomorrow", re.compile(r"\b(?:tomorrow|demain|morgen|mañana|manana)\b", re.I)),
    (
        "day_after",
        re.compile(
            r"\b(?:day after tomorrow|après-demain|apres-demain|übermorgen|pasado mañana)\b", re.I
        ),
    ),
    (
        "end_week",
        re.compile(
            r"\b(?:end of (?:the |this )?week|eow|fin de (?:la )?semaine|ende der woche|"
            r"ende dieser woche|final de (?:la )?semana|fin de semana|this week|cette semaine|"
            r"diese woche|esta semana)\b",
            re.I,
        ),
    ),
    (
        "next_weekday",
        re.compile(
            r"\b(?:next|(?:la semaine|lundi) prochaine?|nächsten?|kommenden?|el próximo|"
            r"el proximo|próximo|proximo)\s(?P<wd>" + _WD + r")\b",
            re.I,
        ),
    ),
    (
        "weekday_next",
        re.compile(r"\b(?P<wd>" + _WD + r")\s(?:prochain|prochaine|que viene|next week)\b", re.I),
    ),
    (
        "next_week",
        re.compile(
            r"\b(?:next week|la semaine prochaine|semaine prochaine|nächste woche|"
            r"naechste woche|kommende woche|la semana que viene|la próxima semana|"
            r"la proxima semana|próxima semana)\b",
            re.I,
        ),
    ),
    (
        "end_month",
        re.compile(
            r"\b(?:end of (?:the |this )?month|eom|month[- ]end|fin (?:du|de) mois|"
            r"ende des monats|monatsende|ende (?:des )?monats|final de(?:l)? mes|fin de mes)\b",
            re.I,
        ),
    ),
    (
        "next_month",
        re.compile(
            r"\b(?:next month|le mois prochain|mois prochain|nächsten monat|"
            r"el mes que viene|el próximo mes|el proximo mes)\b",
            re.I,
        ),
    ),
    (
        "within",
        re.compile(
            r"\b(?:within|in|dans|sous|d'ici|innerhalb von|innerhalb|binnen|in den nächsten|"
            r"en|dentro de|en los próximos)\s"
            + _NUM
            + r"\s(?P<unit>days?|business days?|working days?|weeks?|months?|jours?|semaines?|mois|"
            r"tagen?|wochen?|monaten?|monat|días|dias|día|semanas?|meses|mes)\b",
            re.I,
        ),
    ),
    ("weekday", re.compile(r"\b(?P<wd>" + _WD + r")\b", re.I)),
)


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


def _resolve(kind, match, reference, dayfirst):
    groups = match.groupdict()
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
        if unit.startswith(("week", "semaine", "woche", "semana")):
            return reference + timedelta(weeks=count)
        if unit.startswith(("month", "mois", "monat", "mes")):
            month = reference.month - 1 + count
            year, month = reference.year + month // 12, month % 12 + 1
            return date(year, month, min(reference.day, calendar.monthrange(year, month)[1]))
        return reference + timedelta(days=count)
    if kind == "weekday":
        return _next_weekday(reference, _WEEKDAYS[groups["wd"].lower()])
    return None


def find_due(text, reference, dayfirst=True):
    """First due date stated in text, as (date, (start, end)) of the phrase; (None, None) if none."""
    text = (text or "")[:MAX_CHARS]
    best = None
    for kind, regex in _PATTERNS:
        for match in regex.finditer(text):
            if (
                kind == "weekday"
                and len(match.group("wd")) <= 3
                and not match.group("wd")[0].isupper()
            ):
                continue  # "sat", "sun", "mar", "wed" in lower case are ordinary words
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
