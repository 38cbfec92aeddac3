"""Action items on the held-out meeting set (written after the engine, never used to tune it): precision,
recall, owner and due-date accuracy, precision at confidence >= 0.8, per language (markdown on stdout).

Run: python3 bench/capture/action_items_heldout.py [--engine DIR] [--set FILE]

Set: tests/hygiene/capture/corpus/meetings_heldout.json (or --set, e.g. meetings_heldout2.json, a
second held-out set written after the fixes made on the first and never used to tune). Matching as in meeting_quality.py (same
attendee, same due date, token F1 of "what" >= 0.5). Owner accuracy and date accuracy are measured
on the predicted items whose "what" matches an expected item of the same note (token F1 >= 0.5):
the share with the right attendee, and the share with the right due date.
--engine DIR scores another copy of the engine (see action_items.py).
"""

import argparse
import json
import os
import pathlib
import sys
from collections import Counter, defaultdict
from datetime import date

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path[:0] = [
    str(ROOT),
    str(ROOT / "tests" / "hygiene" / "capture"),
    str(ROOT / "bench" / "capture"),
]

import action_items  # noqa: E402
import meeting_quality  # noqa: E402

HELDOUT = meeting_quality.CORPUS / "meetings_heldout.json"
WRITE_CONFIDENCE = 0.8


def load_heldout(path=HELDOUT):
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))


def field_accuracy(rows):
    """Owner and due accuracy on the items whose "what" matches an expected item, per language."""
    counts = defaultdict(Counter)
    for row in rows:
        unmatched = list(row["expected_items"])
        for item in meeting_quality.parse_row(row).action_items:
            hit = max(
                unmatched, key=lambda e: meeting_quality._f1(item.what, e["what"]), default=None
            )
            if hit is None or meeting_quality._f1(item.what, hit["what"]) < 0.5:
                continue
            unmatched.remove(hit)
            due = date.fromisoformat(hit["due"]) if hit["due"] else None
            for key in ("all", row["lang"]):
                counts[key]["aligned"] += 1
                counts[key]["owner_ok"] += (item.attendee.name if item.attendee else None) == hit[
                    "owner"
                ]
                counts[key]["due_ok"] += item.due == due
                counts[key]["resolved"] += item.attendee is not None
    return counts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", help="directory holding another crm_agent_hygiene/engine")
    parser.add_argument(
        "--set", default=str(HELDOUT), help="another held-out file of the same format"
    )
    args = parser.parse_args()
    old = action_items._engine(args.engine)
    if old is not None:
        meeting_quality.parse_row = action_items._wrap(old)
    rows = load_heldout(args.set)
    print(f"load average: {os.getloadavg()}")
    print(
        f"held-out set: {len(rows)} notes, {sum(len(r['expected_items']) for r in rows)} action "
        f"items, {sum(len(r.get('distractors', ())) for r in rows)} distractor lines\n"
    )
    full = meeting_quality.score(rows)
    high = meeting_quality.score(rows, WRITE_CONFIDENCE)
    acc = field_accuracy(rows)
    print("| confidence | expected | predicted | matched | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, s in ((">= 0.0", full), (f">= {WRITE_CONFIDENCE}", high)):
        print(
            f"| {name} | {s['expected']} | {s['predicted']} | {s['tp']} | "
            f"{s['precision']:.3f} | {s['recall']:.3f} |"
        )
    print("\nPer language (all confidences; owner/due accuracy on items whose text matches):\n")
    print(
        "| language | expected | predicted | matched | precision | recall | precision >= 0.8 "
        "| owner acc. | due acc. |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    langs = dict(full["by_lang"], all=full)
    for lang, v in langs.items():
        h = high if lang == "all" else high["by_lang"].get(lang, {"tp": 0, "predicted": 0})
        a = acc[lang]
        h_tp, h_pred = h.get("tp", 0), h.get("predicted", 0)
        hp = h_tp / h_pred if h_pred else 1.0
        owner = a["owner_ok"] / a["aligned"] if a["aligned"] else 0.0
        due = a["due_ok"] / a["aligned"] if a["aligned"] else 0.0
        print(
            f"| {lang} | {v.get('expected', 0)} | {v.get('predicted', 0)} | {v.get('tp', 0)} | {v['precision']:.3f} | "
            f"{v['recall']:.3f} | {hp:.3f} ({h_tp}/{h_pred}) | {owner:.3f} | {due:.3f} |"
        )
    a = acc["all"]
    print(
        f"\nitems whose text matches: {a['aligned']}, owner resolved to an attendee: "
        f"{a['resolved']}, right owner: {a['owner_ok']}, right due date: {a['due_ok']}"
    )
    print("\nPer kind of distractor (lines, and false action items read from them):\n")
    print(action_items._table(full["by_distractor"], "distractor", ["lines", "false_items"]))
    print("\nMisses (note, kind, owner, what, due, category or confidence):")
    for miss in full["misses"]:
        print(f"- {miss}")


if __name__ == "__main__":
    main()
