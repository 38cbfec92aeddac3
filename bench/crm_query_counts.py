#!/usr/bin/env python3
"""How many SQL queries do our addons add to creating and writing leads?

Builds two throw-away databases without demo data, one with `crm` alone and one with `crm` and
our three addons, then in each counts the queries of the same operations (after a warm-up, so
that caches are equally hot): create 1 lead, create a batch of 20, write 1 lead, write a batch of
20, post a message on a lead. Prints a Markdown table of both counts and the difference.

    python3 bench/crm_query_counts.py

Needs an installed Odoo 19 and a reachable PostgreSQL (as tools/run_tests.py).
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

from run_tests import (  # noqa: E402
    MODULES,
    drop_database,
    ensure_postgres,
    odoo_addons_path,
    odoo_command,
)

BATCH = 20


def build(db, modules):
    drop_database(db)
    cmd = odoo_command(db, "-i", ",".join(modules), "--log-level=warn")
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def measure(db, scoring_live=False):
    import odoo  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config([f"--addons-path={odoo_addons_path()}", "-d", db, "--log-level=warn"])
    registry = Registry(db)
    counts = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        user = env.ref("base.user_admin")
        env = env(user=user)
        Lead = env["crm.lead"]
        team = env["crm.team"].search([], limit=1)

        def vals(i):
            return {
                "name": f"Lead {i}",
                "email_from": f"person{i}@example.com",
                "phone": f"+32 456 00 00 {i:02d}",
                "team_id": team.id,
                "user_id": user.id,
            }

        if scoring_live:
            # as when an activated scoring model rescores changed leads
            env["ir.config_parameter"].sudo().set_param("crm_agent_scoring.live", "1")

        def count(label, func):
            env.flush_all()
            cr.precommit.run()
            env.invalidate_all()
            before = cr.sql_log_count
            func()
            env.flush_all()
            cr.precommit.run()  # what runs at commit (tracking, cron triggers) counts too
            counts[label] = cr.sql_log_count - before

        Lead.create([vals(i) for i in range(3)])  # warm-up
        count("create 1 lead", lambda: Lead.create(vals(50)))
        count(
            f"create {BATCH} leads (one batch)",
            lambda: Lead.create([vals(i) for i in range(BATCH)]),
        )
        leads = Lead.search([], limit=BATCH, order="id desc")
        leads[0].write({"phone": "+32 456 11 11 11"})  # warm-up
        count("write 1 lead", lambda: leads[:1].write({"phone": "+32 456 22 22 22", "name": "W1"}))
        count(
            f"write {BATCH} leads (one batch)",
            lambda: leads.write({"phone": "+32 456 33 33 33", "expected_revenue": 1000}),
        )
        count("post a message on a lead", lambda: leads[0].message_post(body="hello"))
        cr.rollback()
    return counts


def main():
    reason = ensure_postgres()
    if reason:
        sys.exit(reason)
    stamp = os.getpid()
    dbs = {"crm": f"crm_qc_{stamp}_crm", "ours": f"crm_qc_{stamp}_ours"}
    try:
        build(dbs["crm"], ["crm"])
        build(dbs["ours"], ["crm", *MODULES])
        base, ours = measure(dbs["crm"]), measure(dbs["ours"])
        live = measure(dbs["ours"], scoring_live=True)
    finally:
        for db in dbs.values():
            drop_database(db)
    print(
        "| operation | crm alone | + our addons | added | + our addons, scoring model active | added |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label in base:
        print(
            f"| {label} | {base[label]} | {ours[label]} | {ours[label] - base[label]:+d} "
            f"| {live[label]} | {live[label] - base[label]:+d} |"
        )


if __name__ == "__main__":
    main()
