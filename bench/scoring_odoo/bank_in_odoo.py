"""Odoo-level benchmark: our scoring model against Odoo's own Predictive Lead Scoring, inside Odoo 19.

Loads UCI bank marketing into a throw-away database as CRM leads (every categorical value and every
quintile bin of a number is a tag, ``crm.pls_fields = tag_ids``; the first 70 % of rows are won/lost
leads in date order, the last 30 % open leads), runs Odoo's PLS cron to compute ``automated_probability``,
trains and runs our model through the addon (``crm.agent.scoring.model._agent_train``, the scoring cron),
and compares AUC, Brier and log loss of both on the open (held-out) leads, whose outcome the CSV knows.

Run from the repository root (PostgreSQL reachable, Odoo 19 importable)::

    python3 bench/scoring_odoo/bank_in_odoo.py [CSV] [--db NAME] [--rows N] [--keep-db] [--addons-root DIR]
"""

import argparse
import os
import pathlib
import platform
import subprocess
import sys
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
ODOO = pathlib.Path(os.environ.get("ODOO_PATH", "/opt/odoo19"))
CATEGORICAL = [
    "job",
    "marital",
    "education",
    "default",
    "housing",
    "loan",
    "contact",
    "month",
    "poutcome",
]
NUMERIC = ["age", "balance", "day", "campaign", "pdays", "previous"]
TRAIN_FRACTION = 0.7
BATCH = 2000


STARTED = time.monotonic()


def log(text):
    print(f"[{time.monotonic() - STARTED:7.1f}s] {text}", flush=True)


def row_tags(data, edges):
    """Tag names per row: ``job=management`` ..., ``age=q2`` (right-closed training quintiles)."""
    tags = [[] for _ in range(len(data))]
    for column in CATEGORICAL:
        for i, value in enumerate(data[column].astype(str)):
            tags[i].append(f"{column}={value}")
    for column in NUMERIC:
        bins = np.searchsorted(edges[column], data[column].to_numpy(dtype=float), side="left")
        for i, b in enumerate(bins):
            tags[i].append(f"{column}=q{b}")
    return tags


def load_leads(env, data, y, n_train):
    edges = {
        c: np.unique(np.quantile(data[c].to_numpy(dtype=float)[:n_train], [0.2, 0.4, 0.6, 0.8]))
        for c in NUMERIC
    }
    tags_by_row = row_tags(data, edges)
    names = sorted({t for tags in tags_by_row for t in tags})
    Tag = env["crm.tag"]
    tag_ids = dict(zip(names, Tag.create([{"name": n} for n in names]).ids, strict=True))
    team = env["crm.team"].create({"name": "Bank"})
    stages = env["crm.stage"].search([], order="sequence")
    won_stage = stages.filtered("is_won")[:1]
    open_stage = (stages - won_stage)[:1]
    Lead = env["crm.lead"].with_context(
        tracking_disable=True,
        mail_create_nolog=True,
        mail_create_nosubscribe=True,
        mail_notrack=True,
    )
    lead_ids = []
    for start in range(0, len(y), BATCH):
        vals_list = []
        for i in range(start, min(start + BATCH, len(y))):
            vals = {
                "name": f"Bank contact {i}",
                "type": "opportunity",
                "team_id": team.id,
                "user_id": False,
                "tag_ids": [(6, 0, [tag_ids[t] for t in tags_by_row[i]])],
            }
            if i < n_train and y[i]:
                vals["stage_id"] = won_stage.id
            elif i < n_train:
                vals.update(stage_id=open_stage.id, active=False, probability=0)
            else:
                vals["stage_id"] = open_stage.id
            vals_list.append(vals)
        lead_ids += Lead.create(vals_list).ids
        env.cr.commit()
        log(f"{len(lead_ids)} leads created")
    # the rows are in date order: give the leads a matching timeline (creation and outcome dates)
    env.cr.execute(
        """
        UPDATE crm_lead l
           SET create_date = TIMESTAMP '2008-05-01' + o.n * INTERVAL '30 minutes',
               date_closed = CASE WHEN l.won_status = 'pending' THEN NULL
                                  ELSE TIMESTAMP '2008-05-01' + o.n * INTERVAL '30 minutes' END
          FROM unnest(%s::int[]) WITH ORDINALITY AS o(id, n)
         WHERE l.id = o.id
        """,
        (lead_ids,),
    )
    env.cr.commit()
    env.invalidate_all()
    return lead_ids


def metrics(y, p):
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return {"auc": roc_auc_score(y, p), "brier": brier_score_loss(y, p), "log_loss": log_loss(y, p)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "csv", nargs="?", default=str(ROOT.parent / "shared" / "data" / "bank-marketing-full.csv")
    )
    parser.add_argument("--db", default=f"scoring_bench_{os.getpid()}")
    parser.add_argument("--rows", type=int, default=0, help="only the first N rows (quick runs)")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--addons-root", default=str(ROOT), help="folder holding crm_agent and crm_agent_scoring"
    )
    args = parser.parse_args()
    addons = f"{ODOO}/addons,{ODOO}/odoo/addons,{args.addons_root}"

    data = pd.read_csv(args.csv).drop(columns=["duration"])  # known only after the call: it leaks
    if args.rows:
        data = data.head(args.rows)
    y = (data.pop("y") == "yes").astype(int).to_numpy()
    n_train = int(len(y) * TRAIN_FRACTION)
    log(f"{len(y)} rows, {n_train} closed leads, {len(y) - n_train} open (held-out) leads")

    install = [
        sys.executable, "-m", "odoo", "server", "-d", args.db, f"--addons-path={addons}",
        "-i", "crm_agent_scoring", "--stop-after-init", "--http-interface=127.0.0.1", "--http-port=0",
        "--max-cron-threads=0", "--log-level=warn",
    ]  # fmt: skip
    subprocess.run(install, check=True, cwd="/tmp")
    log(f"database {args.db} created with crm_agent_scoring")

    import odoo
    import odoo.sql_db
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config([f"--addons-path={addons}", "-d", args.db, "--log-level=warn"])
    try:
        with Registry(args.db).cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            params = env["ir.config_parameter"]
            params.set_param("crm.pls_fields", "tag_ids")
            params.set_param("crm.pls_start_date", "2000-01-01")
            lead_ids = load_leads(env, data, y, n_train)
            held_out = env["crm.lead"].browse(lead_ids[n_train:])

            t = time.monotonic()
            env["crm.lead"]._cron_update_automated_probabilities()
            env.cr.commit()
            pls_seconds = time.monotonic() - t
            log(f"Odoo PLS cron: {pls_seconds:.1f}s")

            t = time.monotonic()
            model = env["crm.agent.scoring.model"]._agent_train(env.company)
            env.cr.commit()
            train_seconds = time.monotonic() - t
            log(
                f"our training (with its own held-out validation): {train_seconds:.1f}s, {model.message}"
            )

            t = time.monotonic()
            scored = env["crm.lead"]._cron_score_leads()
            env.cr.commit()
            score_seconds = time.monotonic() - t
            log(f"our scoring cron: {scored} leads in {score_seconds:.1f}s")

            env.invalidate_all()
            truth = y[n_train:]
            rows = held_out.read(
                ["automated_probability", "agent_probability", "agent_score_explanation"]
            )
            ours = metrics(truth, [r["agent_probability"] / 100 for r in rows])
            pls = metrics(truth, [r["automated_probability"] / 100 for r in rows])
            explained = sum(1 for r in rows if r["agent_score_explanation"])
            sample = rows[0]["agent_score_explanation"]
            record = {
                "auc": model.auc, "pls_auc": model.pls_auc, "beats_pls": model.beats_pls,
                "columns": len((model.feature_names or "").split(", ")),
                "log": model.training_log,
            }  # fmt: skip

        print("\n## Held-out open leads (last 30 % of rows), in Odoo\n")
        print(
            f"rows {len(y)}; closed (won/lost) leads {n_train}; held-out {len(truth)}, won rate {truth.mean():.3f}"
        )
        print("\n| model | AUC | Brier | log loss |\n|---|---|---|---|")
        print(
            f"| crm_agent_scoring (agent_probability) | {ours['auc']:.4f} | {ours['brier']:.4f} | {ours['log_loss']:.4f} |"
        )
        print(
            f"| Odoo PLS (automated_probability) | {pls['auc']:.4f} | {pls['brier']:.4f} | {pls['log_loss']:.4f} |"
        )
        print(
            f"\nModel record's own validation (last 30 % of the closed leads): AUC {record['auc']:.4f} vs PLS "
            f"{record['pls_auc']:.4f}; beats_pls={record['beats_pls']}; model columns: {record['columns']}"
        )
        print(
            f"Timings: Odoo PLS cron {pls_seconds:.1f}s; our training {train_seconds:.1f}s; "
            f"our scoring cron {score_seconds:.1f}s for {scored} leads; explanations on {explained} leads"
        )
        print(f"Training log:\n{record['log']}")
        print(f"Sample explanation:\n{sample}")
        print(
            f"\nMachine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"loadavg {os.getloadavg()}"
        )
    finally:
        odoo.sql_db.close_db(args.db)
        if not args.keep_db:
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    main()
