"""Scoring of the capture engine against the labelled corpus (shared by tests and bench/capture).

Signature fields, per mail and field:
  - a prediction counts when its confidence >= PROPOSE_CONFIDENCE (what the caller would show at all);
  - TP: predicted and equal to the label after normalisation; FP: predicted but no label or a different
    value; FN: labelled but not predicted or predicted wrong (a wrong value is both FP and FN).
  - equality: email lower-case; phone/mobile E.164; website scheme/www/trailing slash ignored;
    name token multiset (case/accents ignored, order ignored); title/company folded text;
    address token Jaccard >= 0.7.
Action items, per meeting: a predicted item matches an unmatched expected item when the owner is equal
(folded; "I"/"we" literal), the "what" overlaps (token F1 >= 0.5 on folded words) and the due dates are
equal (both None counts as equal). Precision = matched / predicted, recall = matched / expected.
"""

import json
import pathlib
import re
from datetime import date

from crm_agent_hygiene.engine.capture.mail import PROPOSE_CONFIDENCE, parse_mail
from crm_agent_hygiene.engine.capture.meeting import parse_meeting
from crm_agent_hygiene.engine.normalise import text_key

CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"
FIELDS = ("name", "title", "company", "email", "phone", "mobile", "website", "address")


def load_jsonl(name):
    with open(CORPUS / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_mails():
    rows = load_jsonl("mails.jsonl")
    extra = CORPUS / "mails_handwritten.json"
    if extra.exists():
        rows += json.loads(extra.read_text(encoding="utf-8"))
    return rows


def load_signature_set():
    """The seven-language signature set: generated (corpus/build_signatures.py) and hand-written
    (signatures_handwritten.json; signatures_heldout.json was written after the engine work and
    scored once before any change, see bench/results/capture.md)."""
    rows = load_jsonl("signatures_ml.jsonl")
    for name in ("signatures_handwritten.json", "signatures_heldout.json"):
        rows += json.loads((CORPUS / name).read_text(encoding="utf-8"))
    return rows


def expected_of(row):
    """The row's labels; the e-mail is the sender's From address when the signature shows none
    (what capture records for the writer)."""
    expected = dict(row["expected"])
    if not expected.get("email") and row.get("from_email"):
        expected["email"] = row["from_email"].lower()
    return expected


def same(field, predicted, expected):
    if field == "email":
        return predicted.lower() == expected.lower()
    if field in ("phone", "mobile"):
        return predicted == expected
    if field == "website":

        def host(url):
            return re.sub(r"^(https?://)?(www\.)?", "", url.lower()).rstrip("/")

        return host(predicted) == host(expected)
    if field == "name":
        return sorted(text_key(predicted).split()) == sorted(text_key(expected).split())
    if field == "address":
        a, b = set(text_key(predicted).split()), set(text_key(expected).split())
        return bool(a | b) and len(a & b) / len(a | b) >= 0.7
    return text_key(predicted) == text_key(expected)


def parse_row(row):
    return parse_mail(
        row["body"],
        row["is_html"],
        row["from_name"],
        row["from_email"],
        default_region=row.get("region"),
        subject=row.get("subject", ""),
    )


def score_mails(rows, min_confidence=PROPOSE_CONFIDENCE, parsed_rows=None):
    """{field: {"tp", "fp", "fn", "precision", "recall", "misses": [...]}} over the rows."""
    stats = {f: {"tp": 0, "fp": 0, "fn": 0, "misses": []} for f in FIELDS}
    for index, row in enumerate(rows):
        parsed = parsed_rows[index] if parsed_rows is not None else parse_row(row)
        found = parsed.signature.fields(min_confidence)
        labels = expected_of(row)
        for name in FIELDS:
            expected = labels.get(name)
            predicted = found[name].value if name in found else None
            s = stats[name]
            if predicted is not None and expected is not None and same(name, predicted, expected):
                s["tp"] += 1
                continue
            if predicted is not None:
                s["fp"] += 1
            if expected is not None:
                s["fn"] += 1
            if predicted is not None or expected is not None:
                s["misses"].append((row["id"], expected, predicted))
    for s in stats.values():
        s["precision"] = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 1.0
        s["recall"] = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 1.0
    return stats


def score_groups(rows, group_of, min_confidence=PROPOSE_CONFIDENCE):
    """{group: stats as score_mails} with rows grouped by group_of(row) -> iterable of groups."""
    parsed = [parse_row(row) for row in rows]
    groups = {}
    for index, row in enumerate(rows):
        for group in group_of(row):
            groups.setdefault(group, []).append(index)
    return {
        group: score_mails([rows[i] for i in indexes], min_confidence, [parsed[i] for i in indexes])
        for group, indexes in sorted(groups.items())
    }


def _what_f1(a, b):
    ta, tb = text_key(a).split(), text_key(b).split()
    if not ta or not tb:
        return 0.0
    common = len(set(ta) & set(tb))
    if not common:
        return 0.0
    p, r = common / len(set(ta)), common / len(set(tb))
    return 2 * p * r / (p + r)


def item_matches(predicted, expected):
    owner_ok = text_key(predicted.owner) == text_key(expected["owner"] or "")
    due = date.fromisoformat(expected["due"]) if expected["due"] else None
    return owner_ok and predicted.due == due and _what_f1(predicted.what, expected["what"]) >= 0.5


def score_meetings(rows):
    tp = predicted_n = expected_n = 0
    misses = []
    for row in rows:
        result = parse_meeting(
            row["notes"], date.fromisoformat(row["reference_date"]), is_html=row["is_html"]
        )
        expected = list(row["expected_items"])
        predicted_n += len(result.action_items)
        expected_n += len(expected)
        unmatched = list(expected)
        for item in result.action_items:
            hit = next((e for e in unmatched if item_matches(item, e)), None)
            if hit:
                unmatched.remove(hit)
                tp += 1
            else:
                misses.append(
                    (row["id"], "extra", (item.owner, item.what, item.due and item.due.isoformat()))
                )
        misses.extend((row["id"], "missed", e) for e in unmatched)
    return {
        "tp": tp,
        "predicted": predicted_n,
        "expected": expected_n,
        "precision": tp / predicted_n if predicted_n else 1.0,
        "recall": tp / expected_n if expected_n else 1.0,
        "misses": misses,
    }
