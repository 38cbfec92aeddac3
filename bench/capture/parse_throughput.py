"""Mails per second through parse_mail: the corpus repeated, then synthetic long mails.

Run: python3 bench/capture/parse_throughput.py [--seconds 5]
The machine is shared: the load average is printed before and after.
"""

import argparse
import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "hygiene" / "capture")]

from capture_quality import load_jsonl, load_mails  # noqa: E402

from crm_agent_hygiene.engine.capture.mail import parse_mail  # noqa: E402
from crm_agent_hygiene.engine.capture.meeting import parse_meeting  # noqa: E402


def run(rows, seconds):
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for row in rows:
            parse_mail(
                row["body"],
                row["is_html"],
                row["from_name"],
                row["from_email"],
                default_region=row.get("region"),
                subject=row.get("subject", ""),
            )
            done += 1
    elapsed = time.perf_counter() - started
    return done, elapsed


def synthetic(rows):
    """Long mails: a body of ~20 KB prose plus a long quoted thread, in plain and HTML form."""
    out = []
    prose = (
        "We reviewed the proposal with our finance team and have a few questions about the "
        "payment terms and the onboarding timeline. "
    ) * 150
    thread = "\n".join(f"> line {i} of an older message in the thread" for i in range(400))
    for row in rows[:40]:
        body = row["body"]
        if row["is_html"]:
            body = (
                f"<div>{prose}</div>"
                + body
                + "<blockquote>"
                + thread.replace("\n", "<br>")
                + "</blockquote>"
            )
        else:
            body = (
                prose
                + "\n\n"
                + body
                + "\n\nOn Mon, 3 Jun 2024, Bob <bob@example.com> wrote:\n"
                + thread
            )
        out.append(dict(row, body=body))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    rows = load_mails()
    print(f"load average before: {os.getloadavg()}")
    done, elapsed = run(rows, args.seconds)
    print(
        f"corpus mails ({len(rows)} distinct, avg {sum(len(r['body']) for r in rows) // len(rows)} chars): "
        f"{done} parsed in {elapsed:.2f}s = {done / elapsed:.0f} mails/s"
    )
    long_rows = synthetic(rows)
    done, elapsed = run(long_rows, args.seconds)
    print(
        f"synthetic long mails (avg {sum(len(r['body']) for r in long_rows) // len(long_rows)} chars): "
        f"{done} parsed in {elapsed:.2f}s = {done / elapsed:.0f} mails/s"
    )
    meetings = load_jsonl("meetings.jsonl")
    started, count = time.perf_counter(), 0
    while time.perf_counter() - started < args.seconds / 2:
        for row in meetings:
            from datetime import date

            parse_meeting(
                row["notes"], date.fromisoformat(row["reference_date"]), is_html=row["is_html"]
            )
            count += 1
    elapsed = time.perf_counter() - started
    print(f"meeting notes: {count} parsed in {elapsed:.2f}s = {count / elapsed:.0f} notes/s")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
