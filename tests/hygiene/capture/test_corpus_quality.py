"""Per-field precision/recall of the capture engine on the labelled corpus (see capture_quality.py)."""

import pytest
from capture_quality import FIELDS, load_jsonl, load_mails, parse_row, score_mails, score_meetings

MAILS = load_mails()
MEETINGS = load_jsonl("meetings.jsonl")
STATS = score_mails(MAILS)
THRESHOLDS = {  # field: (min precision, min recall or None)
    "email": (0.95, 0.85),
    "phone": (0.95, 0.85),
    "company": (0.95, 0.85),
    "name": (0.95, 0.85),
    "title": (0.9, None),
    "website": (0.9, None),
}


def test_corpus_is_large_and_varied():
    assert len(MAILS) >= 150
    assert len(MEETINGS) >= 50
    assert {row["lang"] for row in MAILS} >= {"en", "fr", "de", "es"}
    assert sum(row["is_html"] for row in MAILS) >= 30
    assert {row["kind"] for row in MAILS} >= {"new", "reply", "outlook_reply", "forward"}


@pytest.mark.parametrize("field", sorted(THRESHOLDS))
def test_field_precision_recall(field):
    precision_min, recall_min = THRESHOLDS[field]
    stats = STATS[field]
    assert stats["precision"] >= precision_min, (field, stats["precision"], stats["misses"][:10])
    if recall_min is not None:
        assert stats["recall"] >= recall_min, (field, stats["recall"], stats["misses"][:10])


def test_scoring_detects_wrong_values():
    """The metric is not vacuous: corrupt one label and precision and recall both drop."""
    row = next(r for r in MAILS if r["expected"]["email"])
    bad = dict(row, expected=dict(row["expected"], email="someone.else@example.com"))
    stats = score_mails([bad])
    assert stats["email"]["precision"] == 0 and stats["email"]["recall"] == 0


def test_action_items_precision_recall():
    stats = score_meetings(MEETINGS)
    assert stats["precision"] >= 0.9, stats["misses"][:10]
    assert stats["recall"] >= 0.8, stats["misses"][:10]


def test_quotes_and_forwards_detected():
    for row in MAILS:
        parsed = parse_row(row)
        if row["kind"] in ("reply", "outlook_reply"):
            assert parsed.has_quote, row["id"]
        if row["kind"] == "forward":
            assert (
                parsed.is_forward and parsed.forwarded_from_email == row["forwarded_from_email"]
            ), row["id"]
        if row["kind"] == "new":
            assert not parsed.has_quote, row["id"]


def test_fields_are_named_consistently():
    assert set(FIELDS) == set(STATS)
