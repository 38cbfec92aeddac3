"""Action items from meeting notes, with owners resolved to attendees: precision and recall overall, per
language, per category of item and per kind of distractor, at every confidence and at >= 0.8 (markdown
on stdout).

Run: python3 bench/capture/action_items.py [--engine DIR]

Set: tests/hygiene/capture/corpus/meetings_attendees.jsonl (generated, build_meeting_set.py) and
meetings_handwritten.json (written by hand). --engine DIR scores another copy of the engine package
(e.g. an older commit exported with `git archive`): when its parse_meeting takes no attendee list,
the owners it returns as written are resolved against the attendees afterwards, as an outside
evaluation would.
"""

import argparse
import importlib
import inspect
import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "hygiene" / "capture")]

import meeting_quality  # noqa: E402

from crm_agent_hygiene.engine.capture.attendees import Attendee, AttendeeIndex  # noqa: E402
from crm_agent_hygiene.engine.capture.meeting import ActionItem  # noqa: E402

WRITE_CONFIDENCE = 0.8


def _engine(path):
    """parse_meeting of the engine at path (a directory holding crm_agent_hygiene/engine)."""
    if not path:
        return None
    sys.path.insert(0, path)
    for name in [m for m in sys.modules if m.startswith("crm_agent_hygiene")]:
        del sys.modules[name]
    module = importlib.import_module("crm_agent_hygiene.engine.capture.meeting")
    sys.path.remove(path)
    return module.parse_meeting


def _wrap(old_parse):
    """A parse_row for an engine without attendee input: owners resolved after the fact."""
    from datetime import date

    takes_attendees = "attendees" in inspect.signature(old_parse).parameters

    def parse_row(row):
        attendees = [Attendee(a["name"], a.get("email", ""), a["name"]) for a in row["attendees"]]
        author = Attendee(
            row["author"]["name"], row["author"].get("email", ""), row["author"]["name"]
        )
        reference = date.fromisoformat(row["reference_date"])
        if takes_attendees:
            return old_parse(
                row["notes"], reference, is_html=row["is_html"], attendees=attendees, author=author
            )
        result = old_parse(row["notes"], reference, is_html=row["is_html"])
        index = AttendeeIndex(attendees, author)
        items = []
        for item in result.action_items:
            attendee = index.resolve(item.owner).attendee if item.owner else None
            items.append(
                ActionItem(
                    item.what,
                    item.owner,
                    item.due,
                    item.due_text,
                    item.confidence,
                    item.source,
                    item.owner,
                    attendee,
                )
            )
        result.action_items = items
        return result

    return parse_row


def _table(rows, key_name, figures):
    lines = [f"| {key_name} | " + " | ".join(figures) + " |", "|---|" + "---:|" * len(figures)]
    for key, values in rows.items():
        cells = []
        for name in figures:
            value = values.get(name, 0)
            cells.append(f"{value:.3f}" if isinstance(value, float) else str(value))
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", help="directory holding another crm_agent_hygiene/engine")
    args = parser.parse_args()
    old = _engine(args.engine)
    if old is not None:
        meeting_quality.parse_row = _wrap(old)
    rows = meeting_quality.load_set()
    handwritten = [r for r in rows if r["id"].startswith("hw")]
    generated = [r for r in rows if not r["id"].startswith("hw")]
    print(f"load average: {os.getloadavg()}")
    print(
        f"set: {len(rows)} notes ({len(handwritten)} hand-written), "
        f"{sum(len(r['expected_items']) for r in rows)} action items, "
        f"{sum(len(r.get('distractors', ())) for r in rows)} distractor lines\n"
    )
    print("| set | confidence | expected | predicted | matched | precision | recall |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, subset in (("all", rows), ("generated", generated), ("hand-written", handwritten)):
        for threshold in (0.0, WRITE_CONFIDENCE):
            s = meeting_quality.score(subset, threshold)
            print(
                f"| {name} | >= {threshold} | {s['expected']} | {s['predicted']} | {s['tp']} | "
                f"{s['precision']:.3f} | {s['recall']:.3f} |"
            )
    full = meeting_quality.score(rows)
    print("\nPer language (all confidences):\n")
    print(
        _table(full["by_lang"], "language", ["expected", "predicted", "tp", "precision", "recall"])
    )
    print("\nPer category of action item (recall):\n")
    print(_table(full["by_category"], "category", ["expected", "tp", "recall"]))
    print("\nPer kind of distractor (lines, and false action items read from them):\n")
    print(_table(full["by_distractor"], "distractor", ["lines", "false_items"]))
    print("\nMisses (note, kind, owner, what, due, category or confidence):")
    for miss in full["misses"][:40]:
        print(f"- {miss}")
    started, count = time.perf_counter(), 0
    while time.perf_counter() - started < 2:
        for row in rows:
            meeting_quality.parse_row(row)
            count += 1
    print(f"\nthroughput: {count / (time.perf_counter() - started):.0f} notes/s")


if __name__ == "__main__":
    main()
