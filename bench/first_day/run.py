"""First day on a real database: what one run of the agent's jobs proposes on Odoo's demo data
plus realistic additions, by kind, and how many of those proposals an approver would accept.

    python3 bench/first_day/run.py                          # the addons of this checkout
    python3 bench/first_day/run.py --addons /tmp/before     # another version (e.g. a git archive)

Creates ``first_day_<pid>`` with Odoo's demo data and the three addons (about 3 minutes), adds
what a real database has and demo data lacks (below), runs the agent's scheduled jobs once as the
scheduler does (``ir.cron.method_direct_trigger``), then prints the proposals by kind: how many
ran alone, how many wait in an approver's activity, and how many of them an approver would
accept. Last, it approves every waiting proposal labelled "accept" and counts what executed and
what went stale. The database is dropped unless ``--keep-db``.

Additions, each with its ground truth (``Truth``): closed leads (won, lost) with national phones;
contacts entered twice (typo, nickname, phone and e-mail written differently) and one company
entered twice; colleagues of one company sharing its VAT and switchboard; internal users (one
with a gmail address, one with a customer's domain); contacts with free-mail addresses
(yahoo.co.uk, hotmail.fr, gmx.at, web.de); a domain two companies share; a contact at our own
domain; phones with extensions; a lead and an opportunity for the same request and two other
opportunities of the same customer; a mail from a stranger with a signature through
``message_process``; a meeting with notes.

Labels ("would an approver accept it?") come from that ground truth, never from the code under
test: a merge is accepted when both records are one entity; a standardisation when the record
is open and the new phone is readable (not a bare E.164 run) with its extension; a company link
when the contact's company is the one the truth names (or a new one for a domain only this
contact uses); capture kinds when they match the stranger's signature, the meeting's opportunity
or its action items.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ODOO = os.environ.get("ODOO_ROOT", "/opt/odoo19")
MODULES = "crm_agent,crm_agent_hygiene,crm_agent_scoring"
# the order a day's scheduler would run them in
CRON_METHODS = (
    "_cron_process_changes",
    "_cron_capture_meeting_notes",
    "_cron_flag_stale",
    "_cron_train_models",
    "_cron_score_leads",
    "_cron_execute_actions",
)
FREE_PROVIDERS = {"gmail", "yahoo", "hotmail", "outlook", "live", "gmx", "web", "aol", "icloud"}
SHARED_DOMAINS = {"shophost.example", "example.com"}
BARE_E164 = re.compile(r"^\+\d+(?: ext\. \d+)?$")

NOTES = """<p>Anna needs 20 standing desks for the new floor, budget approved.</p>
<p>Action items:</p>
<ul>
<li>Mitchell: send the quote by Friday</li>
<li>Anna: confirm the delivery date</li>
</ul>"""

MAIL = """Return-Path: <grace.hopper@cobalt-systems.example>
From: Grace Hopper <grace.hopper@cobalt-systems.example>
To: sales@{alias}
Subject: Quote for 50 monitors
Date: Mon, 30 Nov 2026 09:00:00 +0000
Message-ID: <first-day-bench-1@cobalt-systems.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Hello,

could you send us a quote for 50 27-inch monitors, delivered in January?

Best regards,
Grace Hopper
Head of Procurement
Cobalt Systems Ltd
+44 20 7946 0777
www.cobalt-systems.example
"""


def free_mail(domain):
    return (domain or "").split(".")[0] in FREE_PROVIDERS


def domain_of(email):
    return (email or "").rpartition("@")[2].strip().lower().rstrip(">")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--addons", default=ROOT, help="folder holding the three addons")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--autonomy",
        choices=("conditional", "assisted"),
        default="conditional",
        help="the company's agent autonomy: conditional (low-risk changes run alone) or assisted",
    )
    parser.add_argument(
        "--template",
        help="copy this database (demo data and the addons installed, nothing else) instead of "
        "installing: saves the install when running again on the same code",
    )
    args = parser.parse_args()
    db = f"first_day_{os.getpid()}"
    addons = f"{ODOO}/addons,{ODOO}/odoo/addons,{os.path.abspath(args.addons)}"
    rev = subprocess.run(
        ["git", "-C", args.addons, "log", "-1", "--format=%h %s"], capture_output=True, text=True
    ).stdout.strip()
    print(
        f"addons: {args.addons} ({rev or 'not a git checkout'}); autonomy {args.autonomy}; "
        f"load {os.getloadavg()}"
    )
    t0 = time.perf_counter()
    if args.template:
        subprocess.run(["createdb", "-T", args.template, db], check=True)
    else:
        subprocess.run(
        [sys.executable, "-m", "odoo", "server", "-d", db, f"--addons-path={addons}",
         "-i", MODULES, "--with-demo", "--stop-after-init", "--http-interface=127.0.0.1",
         "--http-port=0", "--max-cron-threads=0", "--log-level=warn"],
        check=True, cwd="/tmp",
        )  # fmt: skip
    print(f"database with demo data ready: {time.perf_counter() - t0:.0f} s", flush=True)
    try:
        run(db, addons, args.autonomy)
    finally:
        if "odoo.sql_db" in sys.modules:
            sys.modules["odoo.sql_db"].close_all()
        if not args.keep_db:
            subprocess.run(["dropdb", db], check=False)


class Truth:
    """What is true of the records the bench adds (and of demo data, by rule)."""

    def __init__(self):
        self.entity = {}  # (model, id) -> entity key; records absent are their own entity
        self.company = {}  # partner id -> expected company id, "new", or None
        self.closed_leads = set()
        self.stranger_email = ""
        self.stranger_values = {}
        self.meeting_lead = None
        self.todo_words = ("quote", "delivery date")

    def same_entity(self, model, ids):
        return len({self.entity.get((model, i), (model, i)) for i in ids}) == 1


def build(env, truth):
    """The realistic additions; returns the alias domain."""
    Partner, Lead, Users = env["res.partner"], env["crm.lead"], env["res.users"]
    gb, us, de, fr, be = (env.ref(f"base.{c}") for c in ("uk", "us", "de", "fr", "be"))
    company = env.company
    company.agent_autonomy = "conditional"
    alias = env["mail.alias.domain"].create({"name": "yourcompany-mail.example"})
    company.alias_domain_id = alias
    team = env.ref("sales_team.team_sales_department")
    team.alias_id.sudo().write({"alias_name": "sales", "alias_domain_id": alias.id})
    env["ir.config_parameter"].set_param("crm_agent.capture_enabled", "1")
    sales = env.ref("sales_team.group_sale_salesman")
    agent_user = env.ref("crm_agent.group_agent_user")

    def user(name, login, email):
        return Users.with_context(no_reset_password=True).create({
            "name": name, "login": login, "email": email,
            "group_ids": [(4, sales.id), (4, agent_user.id)],
        })  # fmt: skip

    user("Sara Sales", "sara", "sara@yourcompany.example.com")
    user("Ivan Intern", "ivan", "ivan.intern@gmail.com")
    # a contractor working in our database with the e-mail of a customer
    northwind = Partner.create({
        "name": "Northwind Traders", "is_company": True, "email": "info@northwind.example",
        "website": "https://www.northwind.example", "vat": "BE0477472701",
        "phone": "+32 2 555 01 00", "country_id": be.id, "city": "Brussels",
    })  # fmt: skip
    user("Paula Partner", "paula", "paula@northwind.example")
    colleagues = Partner.create([
        {"name": name, "parent_id": northwind.id, "email": email, "phone": "+32 2 555 01 00"}
        for name, email in (
            ("Anna Berg", "anna.berg@northwind.example"),
            ("Bram De Smet", "bram.desmet@northwind.example"),
            ("Chloé Martin", "chloe.martin@northwind.example"),
        )
    ])  # fmt: skip
    lisa = Partner.create({"name": "Lisa Ray", "email": "lisa.ray@northwind.example"})
    truth.company[lisa.id] = northwind.id
    # entered twice
    acme_tools = Partner.create(
        {"name": "Acme Tools", "is_company": True, "website": "https://acme-tools.example",
         "country_id": us.id}
    )  # fmt: skip
    pairs = [
        ({"name": "Robert Smith", "email": "rob.smith@acme-tools.example",
          "phone": "(415) 555-0134", "country_id": us.id, "parent_id": acme_tools.id},
         {"name": "Bob Smith", "email": "Rob.Smith@ACME-tools.example",
          "phone": "+14155550134", "country_id": us.id, "parent_id": acme_tools.id}),
        ({"name": "Katherine Jones", "email": "kjones@brightline.example",
          "phone": "0161 496 0555", "country_id": gb.id},
         {"name": "Kathrine Jones", "email": "kjones@brightline.example",
          "phone": "0044 161 496 0555", "country_id": gb.id}),
        ({"name": "Jonathan Miller", "email": "jon.miller@gmail.com", "phone": "07700 900123",
          "country_id": gb.id},
         {"name": "Jon Miller", "email": "JON.MILLER@gmail.com", "phone": "+44 7700 900123",
          "country_id": gb.id}),
        ({"name": "Brightline Ltd", "is_company": True, "website": "https://brightline.example",
          "phone": "0161 496 0500", "country_id": gb.id},
         {"name": "Brightline Limited", "is_company": True, "email": "info@brightline.example",
          "phone": "+44 161 496 0500", "country_id": gb.id}),
    ]  # fmt: skip
    for index, (left, right) in enumerate(pairs):
        records = Partner.create([left, right])
        for record in records:
            truth.entity[("res.partner", record.id)] = f"dup{index}"
        if index == 1:
            brightline_people = records
        if index == 3:
            brightline = records
    for person in brightline_people:
        # the company exists twice: linking to either is right, the merge then keeps one
        truth.company[person.id] = tuple(brightline.ids)
    singles = Partner.create([
        {"name": "Edward Exton", "phone": "020 7946 0958 ext. 204", "country_id": gb.id,
         "email": "ed@exton-design.example"},
        {"name": "Dieter Weiss", "phone": "030 1234567 Durchwahl 12", "country_id": de.id,
         "email": "dieter.weiss@web.de"},
        {"name": "Marie Poste", "phone": "01 23 45 67 89 poste 12", "country_id": fr.id,
         "email": "marie.poste@hotmail.fr"},
        {"name": "Yvonne Hart", "email": "yvonne.hart@yahoo.co.uk", "country_id": gb.id},
        {"name": "Gina Graf", "email": "gina.graf@gmx.at"},
        {"name": "Olga Own", "email": "olga@yourcompany.example.com"},
        {"name": "Shop One", "is_company": True, "email": "one@shophost.example"},
        {"name": "Shop Two", "is_company": True, "email": "two@shophost.example"},
        {"name": "Sam Shopper", "email": "sam@shophost.example"},
    ])  # fmt: skip
    truth.company[singles[0].id] = "new"
    # leads: one request entered as a lead and as an opportunity; two other needs of Anna's
    anna = colleagues[0]
    desks_lead, desks_opp, chairs, tables = Lead.create([
        {"name": "Need 20 standing desks", "type": "lead", "contact_name": "Anna Berg",
         "partner_name": "Northwind Traders", "email_from": "anna.berg@northwind.example",
         "team_id": team.id},
        {"name": "20 standing desks", "type": "opportunity", "partner_id": anna.id,
         "team_id": team.id, "user_id": env.ref("base.user_admin").id},
        {"name": "Meeting room chairs", "type": "opportunity", "partner_id": anna.id,
         "team_id": team.id},
        {"name": "Conference tables", "type": "opportunity", "partner_id": northwind.id,
         "team_id": team.id},
    ])  # fmt: skip
    truth.entity[("crm.lead", desks_lead.id)] = truth.entity[("crm.lead", desks_opp.id)] = "desks"
    truth.meeting_lead = desks_opp.id
    won_stage = env["crm.stage"].search([("is_won", "=", True)], limit=1)
    won, lost = Lead.create([
        {"name": "Office chairs (won)", "type": "opportunity", "phone": "020 7946 0300",
         "country_id": gb.id, "stage_id": won_stage.id, "team_id": team.id},
        {"name": "Desk lamps (lost)", "type": "opportunity", "phone": "020 7946 0301",
         "country_id": gb.id, "team_id": team.id},
    ])  # fmt: skip
    lost.action_set_lost()
    truth.closed_leads |= set(
        Lead.with_context(active_test=False).search(["|", ("active", "=", False),
                                                      ("won_status", "!=", "pending")]).ids
    )  # fmt: skip
    truth.stranger_email = "grace.hopper@cobalt-systems.example"
    truth.stranger_values = {
        "function": "head of procurement",
        "phone": "442079460777",
        "website": "cobalt-systems.example",
        "name": "grace hopper",
    }
    return alias, anna


def expected_companies(env, truth):
    """Demo contacts without a company: the one company that uses their domain, a new one when
    only they use it, none for free-mail, our own or shared domains."""
    Partner = env["res.partner"].with_context(active_test=False)
    own = {domain_of(p.email) for p in env["res.company"].search([]).partner_id if p.email}
    own |= {domain_of(u.email) for u in env["res.users"].search([("share", "=", False)]) if u.email}
    own |= set(env["mail.alias.domain"].search([]).mapped("name"))
    owners, persons = defaultdict(set), Counter()
    for partner in Partner.search([]):
        domain = domain_of(partner.email)
        site = re.sub(r"^https?://(www\.)?", "", (partner.website or "").lower()).split("/")[0]
        for d in {domain, site} - {""}:
            if partner.is_company:
                owners[d].add(partner.id)
            elif partner.parent_id:
                owners[d].add(partner.commercial_partner_id.id)
            else:
                persons[d] += 1
    users = set(env["res.users"].with_context(active_test=False).search([]).partner_id.ids)
    for partner in Partner.search([("is_company", "=", False)]):
        if partner.id in truth.company:
            continue
        domain = domain_of(partner.email)
        if partner.parent_id:
            truth.company[partner.id] = partner.parent_id.id  # keep the company it has
        elif partner.id in users or not domain or free_mail(domain) or domain in own:
            truth.company[partner.id] = None
        elif len(owners[domain]) == 1:
            truth.company[partner.id] = next(iter(owners[domain]))
        elif not owners[domain] and persons[domain] == 1:
            truth.company[partner.id] = "new"
        else:
            truth.company[partner.id] = None
    for partner in Partner.browse(list(users)):
        truth.company[partner.id] = partner.parent_id.id or None


def label(action, truth, phones_before):
    """True (an approver would accept it), False, or None (no label for that kind)."""
    a = action.sudo()
    payload = a.payload or {}
    values = payload.get("values") or {}
    kind, model, res_id = a.kind, a.res_model, a.res_id
    if kind in ("merge_partners", "merge_leads"):
        return truth.same_entity(model, payload.get("record_ids") or [])
    if kind == "standardise_fields" or (kind == "fill_empty_fields" and a.source == "hygiene"):
        if model == "crm.lead" and res_id in truth.closed_leads:
            return False
        phone = values.get("phone")
        typed = phones_before.get((model, res_id), "")
        extension = re.search(r"(?:ext\.?|x|poste|durchwahl)\s*(\d{1,6})\s*$", typed, re.I)
        if phone and BARE_E164.match(phone):
            return False  # not readable
        if phone and extension and not phone.endswith(f"ext. {extension.group(1)}"):
            return False  # the extension was dropped
        website = values.get("website") or ""
        domain = re.sub(r"^https?://(www\.)?", "", website.lower()).split("/")[0]
        if domain and (free_mail(domain) or domain in SHARED_DOMAINS):
            return False
        return True
    if (
        kind in ("link_company", "create_company", "overwrite_fields")
        and model == "res.partner"
        and (kind != "overwrite_fields" or "parent_id" in values)
    ):
        expected = truth.company.get(res_id)
        plan = payload.get("company") or {}
        company_id = plan.get("company_id") or values.get("parent_id")
        if expected is None:
            return False
        if expected == "new":
            return not company_id
        if isinstance(expected, tuple):
            return company_id in expected
        return company_id == expected
    if a.source == "capture":
        if kind == "capture_create_contact":
            return (payload.get("email") or "").lower() == truth.stranger_email
        if kind in ("capture_link_meeting", "capture_link_mail"):
            # the stranger has no earlier opportunity; the meeting's is the desks one
            return kind == "capture_link_meeting" and res_id == truth.meeting_lead
        if kind == "capture_create_lead":
            return False
        if kind == "schedule_activity":
            text = " ".join(str(payload.get(k) or "") for k in ("summary", "note")).lower()
            return any(word in text for word in truth.todo_words)
        if kind in ("fill_empty_fields", "overwrite_fields", "update_fields"):
            for fname, value in values.items():
                want = truth.stranger_values.get(fname)
                got = re.sub(r"\D", "", str(value)) if fname == "phone" else str(value).lower()
                if want is None or want not in got:
                    return False
            return True
    return None


def run(db, addons, autonomy):
    import odoo  # noqa: PLC0415
    from odoo import api, fields  # noqa: PLC0415
    from odoo.modules.module import initialize_sys_path  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config([f"--addons-path={addons}", "-d", db, "--log-level=warn"])
    initialize_sys_path()
    import odoo.service.server  # noqa: PLC0415

    odoo.service.server.load_server_wide_modules()
    registry = Registry(db)
    truth = Truth()
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        first_action = (env["crm.agent.action"].with_context(active_test=False).search(
            [], order="id desc", limit=1).id or 0)  # fmt: skip
        first_activity = env["mail.activity"].search([], order="id desc", limit=1).id or 0
        alias, anna = build(env, truth)
        env.company.agent_autonomy = autonomy
        env["crm.agent.hygiene"]._hygiene_reset_watermarks()  # the agent's first day: all of it
        expected_companies(env, truth)
        phones_before = {
            (model, r.id): r.phone or ""
            for model in ("res.partner", "crm.lead")
            for r in env[model].with_context(active_test=False).search([("phone", "!=", False)])
        }
        cr.commit()
        # a mail from a stranger through the gateway, a meeting with notes that ended yesterday
        env["mail.thread"].message_process(None, MAIL.format(alias=alias.name))
        start = fields.Datetime.now() - timedelta(days=1, hours=2)
        env["calendar.event"].with_user(env.ref("base.user_admin")).create({
            "name": "Northwind: desk requirements", "start": start,
            "stop": start + timedelta(hours=1), "description": NOTES,
            "partner_ids": [(4, anna.id), (4, env.ref("base.partner_admin").id)],
        })  # fmt: skip
        cr.commit()
        crons = env["ir.cron"].search([])
        t0 = time.perf_counter()
        for method in CRON_METHODS:
            for cron in crons.filtered(lambda c, m=method: m in (c.code or "")):
                cron.method_direct_trigger()
        print(f"the day's jobs: {time.perf_counter() - t0:.0f} s; load {os.getloadavg()}")
        cr.commit()  # the jobs committed in their own transactions: read what they did
        env.invalidate_all()
        actions = (
            env["crm.agent.action"]
            .with_context(active_test=False)
            .search([("id", ">", first_action)], order="id")
        )
        approval_type = env.ref("crm_agent.mail_activity_type_agent_approval")
        activities = env["mail.activity"].search(
            [("id", ">", first_activity), ("activity_type_id", "=", approval_type.id)]
        )
        per_user = Counter(activity.user_id.name for activity in activities)
        labels = {action.id: label(action, truth, phones_before) for action in actions}
        states = {action.id: action.state for action in actions}
        # the approver accepts what they would accept
        admin = env.ref("base.user_admin")
        for action in actions.filtered(lambda a: a.state == "waiting" and labels[a.id]):
            approver = action.approver_id or admin
            try:
                with cr.savepoint():
                    action.with_user(approver).action_approve()
            except Exception as exc:  # noqa: BLE001 - counted as failed
                print(f"  approving {action.name!r} as {approver.name}: {exc}")
        env.invalidate_all()
        after = {action.id: action.state for action in actions}
        report(actions, len(activities), per_user, labels, states, after)
        if os.environ.get("FIRST_DAY_LIST"):
            for action in actions:
                print(f"  [{labels[action.id]}] {action.kind} {states[action.id]}->"
                      f"{after[action.id]}: {action.name}")  # fmt: skip
        cr.commit()


def report(actions, activities, per_user, labels, states, after):
    rows = defaultdict(Counter)
    for action in actions:
        row = rows[action.kind]
        row["proposed"] += 1
        state = states[action.id]
        row["ran alone"] += state == "done" and action.auto_run
        row["waiting"] += state == "waiting"
        row["other"] += state not in ("done", "waiting")
        verdict = labels[action.id]
        row["accept"] += verdict is True
        row["reject"] += verdict is False
        row["unlabelled"] += verdict is None
        row["accept (waiting)"] += verdict is True and state == "waiting"
        if verdict is True and state == "waiting":
            row["executed on approval"] += after[action.id] == "done"
            row["stale on approval"] += after[action.id] == "stale"
            row["failed on approval"] += after[action.id] == "failed"
    cols = ["proposed", "ran alone", "waiting", "other", "accept", "reject", "unlabelled",
            "accept (waiting)", "executed on approval", "stale on approval", "failed on approval"]  # fmt: skip
    total = Counter()
    print("\n| kind | " + " | ".join(cols) + " |")
    print("| --- " * (len(cols) + 1) + "|")
    for kind in sorted(rows):
        total.update(rows[kind])
        print(f"| {kind} | " + " | ".join(str(rows[kind][c]) for c in cols) + " |")
    print("| **total** | " + " | ".join(str(total[c]) for c in cols) + " |")
    labelled = total["accept"] + total["reject"]
    print(
        f"\n{len(actions)} proposals, {activities} approval activities "
        f"({', '.join(f'{n}: {c}' for n, c in per_user.most_common())}); "
        f"an approver would accept {total['accept']} of {labelled} labelled "
        f"({total['accept'] / max(labelled, 1):.0%}), and "
        f"{total['accept (waiting)']} of the {total['waiting']} waiting in an activity "
        f"({total['accept (waiting)'] / max(total['waiting'], 1):.0%}); approving those executed "
        f"{total['executed on approval']}, went stale {total['stale on approval']}, failed "
        f"{total['failed on approval']}."
    )


if __name__ == "__main__":
    main()
