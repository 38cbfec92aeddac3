"""Load the generated business into an Odoo database and run the agent's jobs once.

Run by tools/demo.py with the Python that runs Odoo::

    python tools/demo_data/load.py --seed 1 --size full -- <odoo options: -d DB --addons-path ...>

Every step runs in its own transaction and records ``crm_agent_demo.step.<name>`` in the system
parameters when it commits: a run that failed resumes at the first step not done. Records are
created through the ORM in batches (``create`` with lists of values); only the log-access dates
(``create_date``, ``write_date``), which the ORM does not let anyone set, are backdated with one
parameterised UPDATE so that the history really spans two years.
"""

import argparse
import email.message
import email.utils
import logging
import os
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402
from odoo.tools import SQL  # noqa: E402

from demo_data.generate import generate  # noqa: E402

_logger = logging.getLogger("crm_agent_demo")
MODULE = "crm_agent_demo"  # ir.model.data module of the generated records
PARAM = "crm_agent_demo."
BATCH = 500
NO_MAIL = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "mail_create_nosubscribe": True,
    "no_reset_password": True,
}


def progress(text):
    print(f"      {text}", flush=True)


class Loader:
    def __init__(self, env, seed, size):
        self.env = env
        self.seed = seed
        self.size = size
        params = env["ir.config_parameter"].sudo()
        now = params.get_param(PARAM + "now")
        if not now:
            now = datetime.now().replace(microsecond=0).isoformat()
            params.set_param(PARAM + "now", now)
            params.set_param(PARAM + "seed", str(seed))
            params.set_param(PARAM + "size", size)
        self.business = generate(seed=seed, size=size, now=datetime.fromisoformat(now))

    # -- references: generated ref -> record, through ir.model.data --------------------------

    def remember(self, records, refs):
        self.env["ir.model.data"].create([
            {"module": MODULE, "name": ref, "model": rec._name, "res_id": rec.id, "noupdate": True}
            for rec, ref in zip(records, refs, strict=True)
        ])  # fmt: skip

    def refs(self, model):
        rows = self.env["ir.model.data"].search_read(
            [("module", "=", MODULE), ("model", "=", model)], ["name", "res_id"]
        )
        return {row["name"]: row["res_id"] for row in rows}

    def countries(self):
        return {c.code: c.id for c in self.env["res.country"].search([("code", "!=", False)])}

    def by_name(self, model, names, extra=None):
        """``{name: id}`` for ``names``, creating those that do not exist yet."""
        Model = self.env[model].with_context(active_test=False)
        found = {r.name: r.id for r in Model.search([("name", "in", list(names))])}
        missing = [n for n in dict.fromkeys(names) if n and n not in found]
        if missing:
            for rec in Model.create([{"name": n, **(extra or {})} for n in missing]):
                found[rec.name] = rec.id
        return found

    # -- steps ---------------------------------------------------------------------------------

    def step_settings_and_users(self):
        env, b = self.env, self.business
        company = env.company
        company.write({"name": "Northwind Solutions", "email": "info@northwind.example"})
        ref = env.ref
        rep_groups = [ref("sales_team.group_sale_salesman").id]
        approver_groups = [
            ref("sales_team.group_sale_manager").id,
            ref("crm_agent.group_agent_approver").id,
            ref("base.group_partner_manager").id,  # merging contacts needs Contact Creation
        ]
        Users = env["res.users"].with_context(**NO_MAIL)
        users = Users.create([
            {
                "name": u["name"],
                "login": u["login"],
                "password": u["login"],
                "email": f"{u['login']}@northwind.example",
                "group_ids": [(6, 0, approver_groups if u["role"] == "approver" else rep_groups)],
            }
            for u in b.users
        ])  # fmt: skip
        self.remember(users, [f"user_{u['login']}" for u in b.users])
        login_id = {u.login: u.id for u in users}
        env.ref("base.user_admin").write(
            {"group_ids": [(4, ref("crm_agent.group_agent_manager").id)]}
        )
        teams = env["crm.team"].with_context(**NO_MAIL).create([
            {
                "name": t["name"],
                "user_id": login_id[t["leader"]],
                "member_ids": [(6, 0, [login_id[u["login"]] for u in b.users if u["team"] == i])],
            }
            for i, t in enumerate(b.teams)
        ])  # fmt: skip
        self.remember(teams, [t["ref"] for t in b.teams])
        company.write({
            "agent_autonomy": "conditional",
            "agent_approver_user_id": login_id["approver"],
        })  # fmt: skip
        params = env["ir.config_parameter"].sudo()
        params.set_param("crm_agent.capture_enabled", "True")
        params.set_param(
            "crm.pls_fields", "country_id,state_id,email_state,phone_state,source_id,tag_ids"
        )
        # as an admin does after importing history (Settings > CRM > Predictive Lead Scoring):
        # Odoo's PLS counts leads created since this date, by default its install date - 8 days
        params.set_param("crm.pls_start_date", str((b.now - timedelta(days=740)).date()))
        return f"{len(users)} users, {len(teams)} teams, approver: approver"

    def _partner_vals(self, row, countries, company_ids, industries):
        vals = {
            "name": row["name"],
            "is_company": row["is_company"],
            "email": row.get("email") or False,
            "phone": row.get("phone") or False,
            "country_id": countries[row["country"]],
        }
        if row["is_company"]:
            vals.update({
                "street": row["street"], "city": row["city"], "zip": row["zip"],
                "website": row["website"], "industry_id": industries[row["industry"]],
            })  # fmt: skip
        else:
            vals.update({"parent_id": company_ids[row["company"]], "function": row.get("function")})
        return vals

    def step_contacts(self):
        env, b = self.env, self.business
        countries = self.countries()
        industries = self.by_name("res.partner.industry", {c["industry"] for c in b.companies})
        Partner = env["res.partner"].with_context(**NO_MAIL)
        companies = Partner.create(
            [self._partner_vals(r, countries, {}, industries) for r in b.companies]
        )
        self.remember(companies, [r["ref"] for r in b.companies])
        company_ids = {r["ref"]: p.id for r, p in zip(b.companies, companies, strict=True)}
        rows = b.contacts + b.duplicates
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            people = Partner.create(
                [self._partner_vals(r, countries, company_ids, industries) for r in chunk]
            )
            self.remember(people, [r["ref"] for r in chunk])
        return (
            f"{len(companies)} companies, {len(b.contacts)} people, {len(b.duplicates)} duplicates"
        )

    def _lead_vals(self, lead, ctx):
        vals = {
            "name": lead["name"],
            "type": "opportunity",
            "partner_id": ctx["partners"].get(lead["contact"]) or ctx["partners"][lead["company"]],
            "email_from": lead["email_from"],
            "phone": lead["phone"],
            "country_id": ctx["countries"][lead["country"]],
            "team_id": ctx["teams"][f"team_{lead['team']}"],
            "user_id": ctx["users"][f"user_{lead['user']}"],
            "source_id": ctx["sources"][lead["source"]],
            "medium_id": ctx["mediums"][lead["medium"]],
            "campaign_id": ctx["campaigns"].get(lead["campaign"], False),
            "tag_ids": [(6, 0, [ctx["tags"][lead["industry"]]])],
            "expected_revenue": lead["expected_revenue"],
            "priority": lead["priority"],
        }
        if lead["won"] is True:
            vals.update(stage_id=ctx["won_stage"], probability=100)
        elif lead["won"] is False:
            vals.update(
                stage_id=ctx["stages"]["New"], active=False, probability=0,
                lost_reason_id=ctx["lost_reasons"][lead["lost_reason"]],
            )  # fmt: skip
        else:
            vals["stage_id"] = ctx["stages"][lead["stage"]]
        return vals

    def _lead_context(self):
        env, b = self.env, self.business
        leads = b.closed_leads + b.open_leads
        stages = env["crm.stage"].search([])  # pylint: disable=no-search-all
        return {
            "partners": self.refs("res.partner"),
            "countries": self.countries(),
            "teams": self.refs("crm.team"),
            "users": self.refs("res.users"),
            "sources": self.by_name("utm.source", {lead["source"] for lead in leads}),
            "mediums": self.by_name("utm.medium", {lead["medium"] for lead in leads}),
            "campaigns": self.by_name("utm.campaign", {lead.get("campaign") for lead in leads} - {None}),
            "tags": self.by_name("crm.tag", {lead["industry"] for lead in leads}),
            "lost_reasons": self.by_name("crm.lost.reason", {lead.get("lost_reason") for lead in leads} - {None}),
            "stages": {s.name: s.id for s in stages if not s.is_won},
            "won_stage": stages.filtered("is_won")[:1].id,
        }  # fmt: skip

    def _messages(self, leads, rows, ctx):
        """Follow-ups sent by the salesperson and mails received from the customer, dated between
        the lead's creation and its closing (what scoring counts before the outcome)."""
        env = self.env
        user_partner = {
            u.id: u.partner_id.id for u in env["res.users"].browse(list(ctx["users"].values()))
        }
        comment = env.ref("mail.mt_comment").id
        vals = []
        for lead, row in zip(leads, rows, strict=True):
            end = row.get("date_closed") or self.business.now
            span = max((end - row["create_date"]).total_seconds(), 3600)
            first = min(row["response_hours"] * 3600, span * 0.5)
            for i in range(row["messages_out"]):
                vals.append({
                    "model": "crm.lead", "res_id": lead.id, "message_type": "comment",
                    "subtype_id": comment, "author_id": user_partner[lead.user_id.id],
                    "body": "Following up on our last exchange: any questions on the proposal?",
                    "date": row["create_date"] + timedelta(seconds=first + (span - first) * i / (row["messages_out"] + 1)),
                })  # fmt: skip
            for i in range(row["messages_in"]):
                vals.append({
                    "model": "crm.lead", "res_id": lead.id, "message_type": "email",
                    "subtype_id": comment, "author_id": lead.partner_id.id,
                    "email_from": lead.email_from, "body": "Thanks, we are looking at it internally.",
                    "date": row["create_date"] + timedelta(seconds=span * (i + 1) / (row["messages_in"] + 2)),
                })  # fmt: skip
        for start in range(0, len(vals), 2000):
            env["mail.message"].create(vals[start : start + 2000])
        return len(vals)

    def _backdate(self, leads, rows):
        ids = leads.ids
        created = [row["create_date"] for row in rows]
        closed = [row.get("date_closed") for row in rows]
        self.env.cr.execute(SQL(
            """
            UPDATE crm_lead l
               SET create_date = d.created,
                   write_date = COALESCE(d.closed, d.created),
                   date_open = d.created,
                   date_closed = d.closed,
                   date_last_stage_update = COALESCE(d.closed, d.created)
              FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[]) AS d(id, created, closed)
             WHERE l.id = d.id
            """,
            ids, created, closed,
        ))  # fmt: skip
        leads.invalidate_recordset()

    def _load_leads(self, rows):
        ctx = self._lead_context()
        Lead = self.env["crm.lead"].with_context(**NO_MAIL)
        messages = 0
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            leads = Lead.create([self._lead_vals(row, ctx) for row in chunk])
            self.remember(leads, [row["ref"] for row in chunk])
            messages += self._messages(leads, chunk, ctx)
            self._backdate(leads, chunk)
            progress(f"{start + len(chunk)} / {len(rows)} leads")
        return messages

    def step_closed_leads(self):
        messages = self._load_leads(self.business.closed_leads)
        won = sum(1 for lead in self.business.closed_leads if lead["won"])
        return f"{len(self.business.closed_leads)} closed leads ({won} won), {messages} messages"

    def step_open_leads(self):
        messages = self._load_leads(self.business.open_leads)
        # Odoo's own predictive lead scoring, from the history just loaded (the baseline we compare with)
        self.env["crm.lead"]._cron_update_automated_probabilities()
        return (
            f"{len(self.business.open_leads)} open leads, {messages} messages, Odoo's PLS updated"
        )

    def step_mails(self):
        """Inbound replies through the real mail gateway (``message_process``), as if fetched."""
        env, b = self.env, self.business
        leads = self.refs("crm.lead")
        Thread = env["mail.thread"]
        for mail in b.mails:
            lead = env["crm.lead"].browse(leads[mail["lead"]])
            msg = email.message.EmailMessage()
            msg["From"] = email.utils.formataddr((mail["from_name"], mail["from_email"]))
            msg["To"] = lead.user_id.email or "sales@northwind.example"
            msg["Subject"] = mail["subject"]
            msg["Date"] = email.utils.format_datetime(mail["date"])
            msg["Message-Id"] = f"<{mail['ref']}.{b.seed}@{mail['from_email'].split('@')[1]}>"
            msg.set_content(mail["body"])
            Thread.message_process("crm.lead", msg.as_string(), thread_id=lead.id)
        return f"{len(b.mails)} mails in four languages through the mail gateway"

    def step_meetings(self):
        env, b = self.env, self.business
        partners, users, leads = (
            self.refs("res.partner"),
            self.refs("res.users"),
            self.refs("crm.lead"),
        )
        Users = env["res.users"]
        by_user = defaultdict(list)
        for meeting in b.meetings:
            organiser = Users.browse(users[f"user_{meeting['user']}"])
            attendees = [partners[r] for r in meeting["attendees"]]
            attendees += [
                Users.browse(users[f"user_{login}"]).partner_id.id
                for login in meeting["attendee_users"]
            ]
            notes = "".join(
                f"<p>{line}</p>" if line else "<p><br></p>" for line in meeting["notes"].split("\n")
            )
            by_user[organiser].append((meeting, {
                "name": meeting["name"],
                "user_id": organiser.id,
                "start": meeting["start"],
                "stop": meeting["stop"],
                "partner_ids": [(6, 0, attendees)],
                # half of them logged from the lead, the others linked by auto-capture
                "opportunity_id": leads[meeting["lead"]] if meeting["from_lead"] else False,
                "description": notes,
            }))  # fmt: skip
        count = 0
        for organiser, items in by_user.items():
            # each salesperson logs their own meetings (capture acts with their rights)
            events = (
                env["calendar.event"]
                .with_user(organiser)
                .with_context(**NO_MAIL)
                .create([v for _m, v in items])
            )
            self.remember(events.sudo(), [m["ref"] for m, _v in items])
            count += len(events)
        return f"{count} meetings with external attendees and notes"

    def step_agent_run(self):
        """The agent's jobs, once: what the crons would do over the first night."""
        env = self.env
        out = []
        Model = env["crm.agent.scoring.model"]
        model = Model._agent_train(env.company)
        out.append(model.message or "")
        if model.state == "shadow":
            model.with_context(crm_agent_scoring_confirm_below_pls=True).action_activate()
            out.append(
                f"{model.name} activated ({'beats' if model.beats_pls else 'does NOT beat'} PLS)"
            )
        started = time.monotonic()
        scored = env["crm.lead"]._cron_score_leads()
        out.append(f"{scored} open leads scored in {time.monotonic() - started:.0f} s")
        started = time.monotonic()
        env["crm.agent.hygiene"]._cron_process_changes()
        env["calendar.event"]._cron_capture_meeting_notes()
        env["crm.agent.action"]._cron_execute_actions()
        # the hygiene pass standardises before it looks for duplicates, so no merge proposed
        # here may turn stale on approval: say so if one does, never hide it
        Action = env["crm.agent.action"]
        waiting = Action.search([("state", "=", "waiting")])
        stale = waiting.filtered(lambda action: action._agent_is_stale_for_kind())
        out.append(
            f"hygiene and capture in {time.monotonic() - started:.0f} s"
            + (f" (WARNING: {len(stale)} proposals already stale)" if stale else "")
        )
        # the rep's day: best time and channel per contact, then next-best actions and drafts
        started = time.monotonic()
        env["res.partner"]._cron_learn_best_time()
        env["crm.lead"]._cron_next_best_actions()
        out.append(f"best times and next-best actions in {time.monotonic() - started:.0f} s")
        Action = env["crm.agent.action"].with_context(active_test=False)
        counts = Action._read_group([], ["kind", "state"], ["__count"])
        out.append("agent actions: " + ", ".join(f"{k} {s}: {n}" for k, s, n in counts))
        return "\n      ".join(out)


STEPS = (
    "settings_and_users",
    "contacts",
    "closed_leads",
    "open_leads",
    "mails",
    "meetings",
    "agent_run",
)
TITLES = {
    "settings_and_users": "users, teams and agent settings",
    "contacts": "companies and contacts (with duplicates)",
    "closed_leads": "two years of closed leads",
    "open_leads": "open leads",
    "mails": "inbound mails through the mail gateway",
    "meetings": "meetings with notes",
    "agent_run": "the agent's jobs, once (training, scoring, hygiene, capture, next-best actions)",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", default="full")
    parser.add_argument("odoo_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    odoo_args = [a for a in args.odoo_args if a != "--"]
    odoo.tools.config.parse_config(odoo_args)
    db = odoo.tools.config["db_name"]
    db = db[0] if isinstance(db, list) else db
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registry = Registry(db)
    for name in STEPS:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            params = env["ir.config_parameter"].sudo()
            if params.get_param(PARAM + "step." + name):
                print(f"  - {TITLES[name]}: done before, skipped", flush=True)
                continue
            print(f"  - {TITLES[name]} ...", flush=True)
            started = time.monotonic()
            loader = Loader(env, args.seed, args.size)
            summary = getattr(loader, "step_" + name)()
            params.set_param(PARAM + "step." + name, datetime.now().isoformat(timespec="seconds"))
            cr.commit()
            print(f"    done in {time.monotonic() - started:.0f} s: {summary}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
