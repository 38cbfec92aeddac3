"""Per-field precision/recall of the capture engine on tests/hygiene/capture/corpus (markdown table on stdout).

Run: python3 bench/capture/corpus_quality.py
"""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "hygiene" / "capture")]

from capture_quality import (  # noqa: E402
    FIELDS,
    load_jsonl,
    load_mails,
    score_mails,
    score_meetings,
)

from crm_agent_hygiene.engine.capture.signature import (  # noqa: E402
    PROPOSE_CONFIDENCE,
    WRITE_CONFIDENCE,
)


def main():
    mails = load_mails()
    meetings = load_jsonl("meetings.jsonl")
    print(
        f"corpus: {len(mails)} mails ({sum(r['id'].startswith('hw') for r in mails)} hand-written), "
        f"{len(meetings)} meeting notes\n"
    )
    for threshold in (PROPOSE_CONFIDENCE, WRITE_CONFIDENCE):
        stats = score_mails(mails, threshold)
        print(f"confidence >= {threshold}\n")
        print("| field | labelled | TP | FP | FN | precision | recall |")
        print("|---|---|---|---|---|---|---|")
        for name in FIELDS:
            s = stats[name]
            print(
                f"| {name} | {s['tp'] + s['fn']} | {s['tp']} | {s['fp']} | {s['fn']} | "
                f"{s['precision']:.3f} | {s['recall']:.3f} |"
            )
        print()
    stats = score_mails(mails, PROPOSE_CONFIDENCE)
    print("misses at the propose threshold (id, expected, predicted):")
    for name in FIELDS:
        for miss in stats[name]["misses"]:
            print(f"- {name}: {miss}")
    m = score_meetings(meetings)
    print(
        f"\naction items: expected {m['expected']}, predicted {m['predicted']}, matched {m['tp']}, "
        f"precision {m['precision']:.3f}, recall {m['recall']:.3f}"
    )
    for miss in m["misses"]:
        print(f"- {miss}")


if __name__ == "__main__":
    main()
