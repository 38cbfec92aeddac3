"""Per-field, per-language and per-category precision/recall of signature capture (markdown on stdout).

Sets: the seven-language set (tests/hygiene/capture/corpus/signatures_ml.jsonl, built by
build_signatures.py) and the earlier corpus (mails.jsonl + mails_handwritten.json).
Run: python3 bench/capture/signature_quality.py [--misses] [--set FILE.json]
(--set scores only that file, e.g. tests/hygiene/capture/corpus/signatures_heldout2.json, the second
held-out set, which load_signature_set does not include so that it stays unseen by the shared tests.)
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "hygiene" / "capture")]

from capture_quality import (  # noqa: E402
    FIELDS,
    load_mails,
    load_signature_set,
    score_groups,
    score_mails,
)

from crm_agent_hygiene.engine.capture.signature import (  # noqa: E402
    PROPOSE_CONFIDENCE,
    WRITE_CONFIDENCE,
)

MAIN_FIELDS = ("name", "company", "email", "phone", "mobile", "title", "website")


def field_table(stats):
    print("| field | labelled | TP | FP | FN | precision | recall |")
    print("|---|---|---|---|---|---|---|")
    for name in FIELDS:
        s = stats[name]
        print(
            f"| {name} | {s['tp'] + s['fn']} | {s['tp']} | {s['fp']} | {s['fn']} | "
            f"{s['precision']:.3f} | {s['recall']:.3f} |"
        )
    print()


def overall_at(rows, threshold):
    """Precision over every field of every row at confidence >= threshold."""
    stats = score_mails(rows, threshold)
    tp = sum(s["tp"] for s in stats.values())
    fp = sum(s["fp"] for s in stats.values())
    return tp, fp, tp / (tp + fp) if tp + fp else 1.0


def group_table(groups):
    head = " | ".join(f"{f} P/R" for f in MAIN_FIELDS)
    print(f"| group | mails | {head} |")
    print("|---|---|" + "---|" * len(MAIN_FIELDS))
    for group, (count, stats) in groups.items():
        cells = " | ".join(
            f"{stats[f]['precision']:.2f}/{stats[f]['recall']:.2f}" for f in MAIN_FIELDS
        )
        print(f"| {group} | {count} | {cells} |")
    print()


def main():
    show_misses = "--misses" in sys.argv
    if "--set" in sys.argv:
        path = pathlib.Path(sys.argv[sys.argv.index("--set") + 1])
        sets = {path.name: json.loads(path.read_text(encoding="utf-8"))}
    else:
        sets = {"seven-language set": load_signature_set(), "earlier corpus": load_mails()}
    for label, rows in sets.items():
        print(f"## {label}: {len(rows)} mails\n")
        for threshold in (PROPOSE_CONFIDENCE, WRITE_CONFIDENCE):
            print(f"confidence >= {threshold}\n")
            field_table(score_mails(rows, threshold))
        tp, fp, precision = overall_at(rows, WRITE_CONFIDENCE)
        print(f"all fields at confidence >= {WRITE_CONFIDENCE}: {tp} right, {fp} wrong, "
              f"precision {precision:.3f}\n")  # fmt: skip
        if "tags" not in rows[0]:
            continue
        counts = {}
        for row in rows:
            for tag in row["tags"]:
                counts[tag] = counts.get(tag, 0) + 1
        by_lang = score_groups(rows, lambda row: [row["lang"]])
        print(f"### per language (confidence >= {PROPOSE_CONFIDENCE})\n")
        group_table(
            {lang: (sum(r["lang"] == lang for r in rows), stats) for lang, stats in by_lang.items()}
        )
        by_tag = score_groups(
            rows, lambda row: [t for t in row["tags"] if not t.startswith("lang")]
        )
        print(f"### per category (confidence >= {PROPOSE_CONFIDENCE})\n")
        group_table({tag: (counts[tag], stats) for tag, stats in by_tag.items()})
        by_tag_w = score_groups(
            rows, lambda row: [t for t in row["tags"] if not t.startswith("lang")], WRITE_CONFIDENCE
        )
        print(f"### per category (confidence >= {WRITE_CONFIDENCE})\n")
        group_table({tag: (counts[tag], stats) for tag, stats in by_tag_w.items()})
        if show_misses:
            stats = score_mails(rows, PROPOSE_CONFIDENCE)
            print("misses at the propose threshold (id, expected, predicted):")
            for name in FIELDS:
                for miss in stats[name]["misses"]:
                    print(f"- {name}: {miss}")
            stats = score_mails(rows, WRITE_CONFIDENCE)
            print("wrong values at the write threshold (id, expected, predicted):")
            for name in FIELDS:
                for miss in stats[name]["misses"]:
                    if miss[2] is not None:
                        print(f"- {name}: {miss}")


if __name__ == "__main__":
    main()
