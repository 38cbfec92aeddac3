#!/usr/bin/env python3
"""Next-best action inside Odoo: the best-time backtest on Odoo data, and My day's load.

Works in an existing database where crm_agent_scoring is installed, inside one transaction that
is rolled back at the end (nothing stays):

1. **Backtest.** Builds contacts (40 companies in 5 countries, 6 contacts each) who answer
   mostly at a habitual hour on two habitual weekdays of their own time zone (60 % of contacts a
   personal habit, the others their company's; a quarter of their mails at random times), as
   inbound ``mail.message`` rows on their leads over 180 days. The learner is fitted on what
   ``res.partner._agent_best_time_touches`` reads from the first 75 % of the period; for each
   inbound mail of the held-out last 25 %, did the recommended 2-hour window contain its hour?
   Baselines: the company's most common hour, and any business hour (engine/timing.backtest).
2. **My day.** A rep with 2,000 open leads (next-best action set) and 500 pending actions
   waiting for them: time and queries to open My day and read what its form shows, for
   200 and for 2,000 leads in the pipeline.

    python3 bench/nba_odoo/bench_nba.py <database>
"""

import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, ROOT)

from run_tests import odoo_addons_path  # noqa: E402

COUNTRIES = ("base.be", "base.fr", "base.de", "base.es", "base.us")


def build_history(env, rng, days=180, n_companies=40, per_company=6):
    import pytz  # noqa: PLC0415

    comment = env.ref("mail.mt_comment")
    start = datetime(2026, 1, 5)
    messages = []
    for c in range(n_companies):
        country = env.ref(COUNTRIES[c % len(COUNTRIES)])
        tz = pytz.timezone(pytz.country_timezones[country.code][0])
        company = env["res.partner"].create(
            {"name": f"Bench Co {c}", "is_company": True, "country_id": country.id}
        )
        company_hour = rng.choice((9, 10, 14, 16))
        contacts = env["res.partner"].create(
            [
                {
                    "name": f"Bench Contact {c}-{p}",
                    "parent_id": company.id,
                    "email": f"c{c}p{p}@bench.example",
                    "country_id": country.id,
                }
                for p in range(per_company)
            ]
        )
        leads = env["crm.lead"].create(
            [
                {"name": f"Bench deal {c}-{p}", "type": "opportunity", "partner_id": contact.id}
                for p, contact in enumerate(contacts)
            ]
        )
        for contact, lead in zip(contacts, leads, strict=True):
            own = rng.random() < 0.6
            hour = rng.choice((8, 11, 13, 17, 19)) if own else company_hour
            weekdays = rng.sample(range(5), 2)
            for _ in range(rng.randint(3, 25)):
                day = start + timedelta(days=int(rng.uniform(0, days)))
                if rng.random() < 0.75:
                    h = min(23, max(0, int(rng.gauss(hour, 0.6))))
                    while day.weekday() not in weekdays:
                        day += timedelta(days=1)
                else:
                    h = rng.randint(7, 20)
                local = tz.localize(day.replace(hour=h, minute=rng.randint(0, 59)))
                utc = local.astimezone(pytz.utc).replace(tzinfo=None)
                messages.append(
                    {
                        "model": "crm.lead",
                        "res_id": lead.id,
                        "author_id": contact.id,
                        "message_type": "email",
                        "subtype_id": comment.id,
                        "body": "bench",
                        "date": utc,
                    }
                )
    env["mail.message"].create(messages)
    return start, start + timedelta(days=days + 7), len(messages)


def backtest_on_odoo(env):
    from odoo.addons.crm_agent_scoring.engine.timing import backtest  # noqa: PLC0415

    rng = random.Random(11)
    start, end, n_messages = build_history(env, rng)
    cutoff = start + (end - start) * 0.75
    Partner = env["res.partner"]
    t0 = time.perf_counter()
    train = Partner._agent_best_time_touches(start, cutoff)
    test = Partner._agent_best_time_touches(cutoff, end)
    read_s = time.perf_counter() - t0
    result = backtest(train, test)
    t0 = time.perf_counter()
    learned = Partner._cron_learn_best_time(history_days=3650)
    learn_s = time.perf_counter() - t0
    return {
        "messages": n_messages,
        "train_touches": len(train),
        "read_touches_s": round(read_s, 2),
        "learn_cron_s": round(learn_s, 2),
        "contacts_learned": learned,
        **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in result.items()},
    }


def my_day(env, n_leads, n_actions, rep=None):
    from odoo.tests import new_test_user  # noqa: PLC0415

    rep = rep or new_test_user(
        env,
        "bench_nba_rep",
        groups="sales_team.group_sale_salesman,crm_agent.group_agent_approver",
        name="Bench Rep",
    )
    play = env.ref("crm_agent_scoring.play_reply_inbound")
    have = env["crm.lead"].search_count([("user_id", "=", rep.id)])
    if n_leads > have:
        partners = env["res.partner"].create(
            [{"name": f"MyDay {i}", "email": f"m{i}@bench.example"} for i in range(have, n_leads)]
        )
        leads = env["crm.lead"].create(
            [
                {
                    "name": f"MyDay deal {i}",
                    "type": "opportunity",
                    "user_id": rep.id,
                    "partner_id": p.id,
                    "expected_revenue": 1000 + i,
                }
                for i, p in zip(range(have, n_leads), partners, strict=True)
            ]
        )
        leads.write({"agent_nba_play_id": play.id, "agent_nba_reason": "Silence."})
        for i, lead in enumerate(leads):
            lead.agent_nba_value = float(i)
    Action = env["crm.agent.action"]
    have_actions = Action.search_count([("approver_id", "=", rep.id)])
    if n_actions > have_actions:
        leads = env["crm.lead"].search([("user_id", "=", rep.id)], limit=n_actions)
        actions = Action.create(
            [
                {
                    "name": f"Bench action {i}",
                    "kind": "send_email" if i % 2 else "update_fields",
                    "res_model": "crm.lead",
                    "res_id": leads[i % len(leads)].id,
                    "explanation": "bench",
                    "confidence": 0.5,
                    "payload": {"subject": "s", "body": "<p>b</p>", "partner_ids": []}
                    if i % 2
                    else {"values": {"description": "x"}},
                }
                for i in range(have_actions, n_actions)
            ]
        )
        actions.write({"state": "waiting", "approver_id": rep.id})
    env.flush_all()
    spec_actions = {"fields": {"name": {}, "target_display_name": {}, "can_decide": {}}}
    spec = {
        "lead_ids": {
            "fields": {
                "name": {},
                "partner_id": {"fields": {"display_name": {}}},
                "agent_probability": {},
                "expected_revenue": {},
                "agent_nba_play_id": {"fields": {"display_name": {}}},
                "agent_nba_reason": {},
                "agent_best_slot": {},
                "agent_best_channel": {},
                "agent_pending_count": {},
            }
        },
        "draft_ids": spec_actions,
        "approval_ids": spec_actions,
        "logged_ids": spec_actions,
        "minutes_saved": {},
        "logged_count": {},
    }
    MyDay = env["crm.agent.my.day"].with_user(rep)
    times, queries = [], []
    for _ in range(6):
        env.invalidate_all()
        before = env.cr.sql_log_count
        t0 = time.perf_counter()
        result = MyDay.action_open_my_day()
        data = MyDay.browse(result["res_id"]).web_read(spec)
        times.append(time.perf_counter() - t0)
        queries.append(env.cr.sql_log_count - before)
    return rep, {
        "open_leads": n_leads,
        "pending_actions": n_actions,
        "leads_shown": len(data[0]["lead_ids"]),
        "drafts_shown": len(data[0]["draft_ids"]),
        "median_ms": round(statistics.median(times[1:]) * 1000, 1),
        "max_ms": round(max(times[1:]) * 1000, 1),
        "queries": queries[-1],
    }


def nba_cron(env, n_leads=1000, batch_size=200):
    """The next-best action job over ``n_leads`` open leads that each wait for an answer."""
    from odoo.tests import new_test_user  # noqa: PLC0415

    rep = new_test_user(
        env,
        "bench_nba_cron_rep",
        groups="sales_team.group_sale_salesman",
        name="Cron Rep",
        email="cron.rep@bench.example",
    )
    comment = env.ref("mail.mt_comment")
    partners = env["res.partner"].create(
        [
            {
                "name": f"Cron {i}",
                "email": f"cron{i}@bench.example",
                "lang": ("en_US", "fr_FR", "de_DE", "es_ES")[i % 4],
            }
            for i in range(n_leads)
        ]
    )
    leads = env["crm.lead"].create(
        [
            {
                "name": f"Cron deal {i}",
                "type": "opportunity",
                "user_id": rep.id,
                "partner_id": p.id,
                "expected_revenue": 1000 + i,
                "probability": 30,
            }
            for i, p in enumerate(partners)
        ]
    )
    env["mail.message"].create(
        [
            {
                "model": "crm.lead",
                "res_id": lead.id,
                "author_id": lead.partner_id.id,
                "message_type": "email",
                "subtype_id": comment.id,
                "body": "<p>Can you send the price? Is support included?</p>",
                "date": datetime.now() - timedelta(days=2),
            }
            for lead in leads
        ]
    )
    env.flush_all()
    plays = env["crm.agent.play"].search([("active", "=", True)])
    batch = leads[:batch_size]
    env.invalidate_all()
    before = env.cr.sql_log_count
    t0 = time.perf_counter()
    batch._agent_nba_facts()
    facts_q, facts_s = env.cr.sql_log_count - before, time.perf_counter() - t0
    before = env.cr.sql_log_count
    t0 = time.perf_counter()
    actions = leads._agent_nba_run(plays, {})
    run_s = time.perf_counter() - t0
    return {
        "leads": n_leads,
        "facts_queries_per_batch_of_%d" % batch_size: facts_q,
        "facts_s_per_batch": round(facts_s, 2),
        "run_all_s": round(run_s, 1),
        "run_all_queries": env.cr.sql_log_count - before,
        "drafts": len(actions.filtered(lambda a: a.kind == "send_email")),
        "ms_per_lead": round(run_s * 1000 / n_leads, 1),
    }


def main():
    import odoo  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    db = sys.argv[1]
    config.parse_config([f"--addons-path={odoo_addons_path()}", "-d", db, "--log-level=warn"])
    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        print("load", [round(x, 2) for x in os.getloadavg()])
        print("backtest", backtest_on_odoo(env))
        rep, small = my_day(env, 200, 500)
        print("my_day", small)
        _rep, large = my_day(env, 2000, 500, rep)
        print("my_day", large)
        print("load", [round(x, 2) for x in os.getloadavg()])
        for code in ("fr_FR", "de_DE", "es_ES"):
            env["res.lang"]._activate_lang(code)
        print("nba_cron", nba_cron(env))
        print("load", [round(x, 2) for x in os.getloadavg()])
        cr.rollback()


if __name__ == "__main__":
    main()
