"""Odoo-level hygiene benchmark: generated noisy contacts in a throw-away database, then the
duplicate pass through the cron method ``crm.agent.hygiene._cron_process_changes``.

    python3 bench/hygiene_odoo/run.py 100000            # creates, fills and drops hygiene_bench_<pid>
    python3 bench/hygiene_odoo/run.py 100000 --keep-db

Needs Odoo 19 importable as ``odoo`` (ODOO_ADDONS: its addons paths, default /opt/odoo19) and a
local PostgreSQL. Contacts come from ``bench/hygiene/contacts.py`` (ids kept in ``ref``), are
created through the ORM in batches, then the duplicate pass runs with standardisation and
enrichment switched off (they would propose a fix for every national-format phone, which measures
the approval machinery rather than duplicate finding).
"""

import argparse
import os
import subprocess
import sys
import time
from unittest.mock import patch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path[:0] = [os.path.join(ROOT, "bench", "hygiene"), ROOT]

from common import load, machine, peak_rss_mb  # noqa: E402
from contacts import generate, truth_pairs  # noqa: E402

ODOO = os.environ.get("ODOO_ROOT", "/opt/odoo19")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--no-propose",
        action="store_true",
        help="count the merge proposals instead of creating them (times the finding alone)",
    )
    parser.add_argument(
        "--addons", default=ROOT, help="folder holding crm_agent and crm_agent_hygiene"
    )
    args = parser.parse_args()
    db = f"hygiene_bench_{os.getpid()}"
    addons = f"{ODOO}/addons,{ODOO}/odoo/addons,{args.addons}"
    print(machine(), flush=True)
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "server",
            "-d",
            db,
            f"--addons-path={addons}",
            "-i",
            "crm_agent_hygiene",
            "--stop-after-init",
            "--http-interface=127.0.0.1",
            "--http-port=0",
            "--max-cron-threads=0",
            "--log-level=warn",
            "--without-demo=all",
        ],
        check=True,
        cwd="/tmp",
    )
    print(f"install: {time.perf_counter() - t0:.0f} s", flush=True)
    try:
        run(db, addons, args.n, args.no_propose)
    finally:
        if "odoo.sql_db" in sys.modules:
            sys.modules["odoo.sql_db"].close_all()
        if not args.keep_db:
            subprocess.run(["dropdb", db], check=False)


def run(db, addons, n, no_propose=False):
    import odoo
    from odoo import api
    from odoo.modules.module import initialize_sys_path
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config([f"--addons-path={addons}", "-d", db, "--log-level=warn"])
    initialize_sys_path()
    import odoo.service.server  # noqa: PLC0415

    from odoo.addons.crm_agent_hygiene.models.crm_agent_hygiene import (
        CrmAgentHygiene,  # noqa: PLC0415
    )

    odoo.service.server.load_server_wide_modules()
    registry = Registry(db)
    records = generate(n)
    truth = truth_pairs(records)
    print(f"{n} contacts generated, {len(truth)} true duplicate pairs", flush=True)
    with registry.cursor() as cr:
        env = api.Environment(
            cr,
            odoo.SUPERUSER_ID,
            {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True},
        )
        env.company.country_id = env.ref("base.uk")
        countries = {c.code: c.id for c in env["res.country"].search([])}
        t0 = time.perf_counter()
        for start in range(0, n, 2000):
            env["res.partner"].create(
                [
                    {
                        "name": r["name"],
                        "email": r["email"] or False,
                        "phone": r["phone"] or False,
                        "company_name": r["company_name"] or False,
                        "street": r["street"],
                        "city": r["city"],
                        "zip": r["zip"],
                        "country_id": countries.get(r["country_code"]),
                        "ref": str(r["id"]),
                    }
                    for r in records[start : start + 2000]
                ]
            )
            env.flush_all()
            env.invalidate_all()
            cr.commit()
        print(f"load through the ORM: {time.perf_counter() - t0:.0f} s ({load()})", flush=True)
        env["crm.agent.hygiene"]._hygiene_reset_watermarks()
        cr.commit()

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        queries0 = cr.sql_log_count
        Action = type(env["crm.agent.action"])
        original_propose = Action._agent_propose
        proposing = {"seconds": 0.0, "queries": 0}

        counted = []

        def timed_propose(self, vals_list):
            q, t = cr.sql_log_count, time.perf_counter()
            if no_propose:
                counted.extend(vals_list)
                result = self.browse()
            else:
                result = original_propose(self, vals_list)
            proposing["seconds"] += time.perf_counter() - t
            proposing["queries"] += cr.sql_log_count - q
            return result

        t0 = time.perf_counter()
        with (
            patch.object(
                CrmAgentHygiene, "_standardise_proposals", lambda self, records, values: []
            ),
            patch.object(
                CrmAgentHygiene, "_enrichment_proposals", lambda self, records, values: ([], [])
            ),
            patch.object(Action, "_agent_propose", timed_propose),
        ):
            env["crm.agent.hygiene"]._cron_process_changes()
        env.flush_all()
        wall = time.perf_counter() - t0
        queries = cr.sql_log_count - queries0
        actions = env["crm.agent.action"].search([("source", "=", "hygiene")])
        payloads = [v["payload"] for v in counted] if no_propose else actions.mapped("payload")
        ref_of = {p.id: int(p.ref) for p in env["res.partner"].search([("ref", "!=", False)])}
        proposed = {frozenset(ref_of[i] for i in payload["record_ids"]) for payload in payloads}
        tp = len(proposed & truth)
        print(
            f"duplicate pass through _cron_process_changes: {wall:.0f} s, {queries} queries, "
            f"{len(payloads)} merge proposals{' (counted, not created)' if no_propose else ''} "
            f"({len(actions.activity_id)} approval activities); "
            f"precision {tp / max(len(proposed), 1):.3f}, recall {tp / max(len(truth), 1):.3f} "
            f"(pairs); peak RSS {peak_rss_mb():.0f} MB; {load()}\n"
            f"  of which creating and routing the proposals (actions, approval activities, chatter "
            f"notes): {proposing['seconds']:.0f} s, {proposing['queries']} queries; finding them "
            f"(watermark batches, SQL candidates, engine scoring): {wall - proposing['seconds']:.0f} s, "
            f"{queries - proposing['queries']} queries",
            flush=True,
        )
        cr.rollback()


if __name__ == "__main__":
    main()
