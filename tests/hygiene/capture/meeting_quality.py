"""Scoring of meeting-note action items against the labelled set with attendees (shared by tests and bench).

A predicted item matches an unmatched expected item of the same note when the owner is the same
attendee (the resolved attendee's full name; both None when nobody at the meeting owns it), the
due dates are equal (both None counts as equal) and the "what" overlaps (token F1 >= 0.5 on folded
words). Precision = matched / predicted, recall = matched / expected, overall, per language, per
category of expected item (recall) and per distractor category (false items read from it).
"""

import json
import pathlib
from collections import Counter, defaultdict
from datetime import date

from crm_agent_hygiene.engine.capture.attendees import Attendee
from crm_agent_hygiene.engine.capture.meeting import parse_meeting
from crm_agent_hygiene.engine.normalise import text_key

CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"


def load_set():
    rows = []
    with open(CORPUS / "meetings_attendees.jsonl", encoding="utf-8") as fh:
        rows += [json.loads(line) for line in fh if line.strip()]
    handwritten = CORPUS / "meetings_handwritten.json"
    if handwritten.exists():
        rows += json.loads(handwritten.read_text(encoding="utf-8"))
    return rows


def _f1(a, b):
    ta, tb = set(text_key(a).split()), set(text_key(b).split())
    common = len(ta & tb)
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def parse_row(row):
    attendees = [Attendee(a["name"], a.get("email", ""), a["name"]) for a in row["attendees"]]
    author = row.get("author")
    return parse_meeting(
        row["notes"],
        date.fromisoformat(row["reference_date"]),
        is_html=row["is_html"],
        attendees=attendees,
        author=Attendee(author["name"], author.get("email", ""), author["name"])
        if author
        else None,
    )


def item_matches(predicted, expected):
    owner = predicted.attendee.name if predicted.attendee else None
    due = date.fromisoformat(expected["due"]) if expected["due"] else None
    return (
        owner == expected["owner"]
        and predicted.due == due
        and _f1(predicted.what, expected["what"]) >= 0.5
    )


def _ratio(a, b):
    return a / b if b else 1.0


def score(rows, min_confidence=0.0):
    """Overall, per-language, per-category figures and the misses, for items >= min_confidence."""
    totals = Counter()
    by_lang = defaultdict(Counter)
    by_category = defaultdict(Counter)
    by_distractor = defaultdict(Counter)
    misses = []
    for row in rows:
        found = [i for i in parse_row(row).action_items if i.confidence >= min_confidence]
        unmatched = list(row["expected_items"])
        lang = by_lang[row["lang"]]
        for expected in unmatched:
            by_category[expected.get("category", "handwritten")]["expected"] += 1
        for distractor in row.get("distractors", ()):
            by_distractor[distractor["category"]]["lines"] += 1
        totals["expected"] += len(unmatched)
        lang["expected"] += len(unmatched)
        totals["predicted"] += len(found)
        lang["predicted"] += len(found)
        for item in found:
            hit = next((e for e in unmatched if item_matches(item, e)), None)
            if hit:
                unmatched.remove(hit)
                totals["tp"] += 1
                lang["tp"] += 1
                by_category[hit.get("category", "handwritten")]["tp"] += 1
                continue
            owner = item.attendee.name if item.attendee else None
            source = next(
                (d for d in row.get("distractors", ()) if _f1(item.what, d["line"]) >= 0.5), None
            )
            if source:
                by_distractor[source["category"]]["false_items"] += 1
            misses.append((row["id"], "extra", owner, item.what, str(item.due), item.confidence))
        misses.extend(
            (row["id"], "missed", e["owner"], e["what"], e["due"], e.get("category"))
            for e in unmatched
        )
    result = {
        "tp": totals["tp"],
        "predicted": totals["predicted"],
        "expected": totals["expected"],
        "precision": _ratio(totals["tp"], totals["predicted"]),
        "recall": _ratio(totals["tp"], totals["expected"]),
        "by_lang": {
            k: dict(
                v, precision=_ratio(v["tp"], v["predicted"]), recall=_ratio(v["tp"], v["expected"])
            )
            for k, v in sorted(by_lang.items())
        },
        "by_category": {
            k: dict(v, recall=_ratio(v["tp"], v["expected"]))
            for k, v in sorted(by_category.items())
        },
        "by_distractor": {k: dict(v) for k, v in sorted(by_distractor.items())},
        "misses": misses,
    }
    return result
