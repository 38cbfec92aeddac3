"""Best time and channel to reach a contact, learned by ``engine/timing.py`` from Odoo's history.

The learning job reads, in a constant number of queries: the mails contacts wrote (by hour and
weekday in the contact's time zone: its own, else its country's, else its company's), our
discussion mails on leads and whether the contact answered (and how fast), the meetings they
accepted or declined, and the calls logged as done activities on their leads.
"""

import logging
from datetime import timedelta

import pytz

from odoo import api, fields, models

from ..engine.timing import CHANNELS, BestTimeLearner, Touch, next_slot

_logger = logging.getLogger(__name__)

HISTORY_DAYS = 365
REPLY_WINDOW_DAYS = 7
BEST_TIME_FIELDS = (
    "agent_best_slot",
    "agent_best_channel",
    "agent_best_time_confidence",
    "agent_best_time_evidence",
    "agent_best_days",
    "agent_best_hour",
    "agent_best_time_date",
)


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "crm.agent.owned.mixin"]

    agent_best_slot = fields.Char(
        "Best time", readonly=True, copy=False, help="When the contact answers, in their time."
    )
    agent_best_channel = fields.Selection(
        [("email", "E-mail"), ("phone", "Phone"), ("meeting", "Meeting")],
        "Best channel",
        readonly=True,
        copy=False,
    )
    agent_best_time_confidence = fields.Float(
        "Best time confidence", readonly=True, copy=False, digits=(3, 2)
    )
    agent_best_time_evidence = fields.Text("Best time: why", readonly=True, copy=False)
    agent_best_days = fields.Char(readonly=True, copy=False)  # weekdays, "1,2,3" (0 = Monday)
    agent_best_hour = fields.Integer(readonly=True, copy=False, default=-1)
    agent_best_time_date = fields.Datetime("Best time learned on", readonly=True, copy=False)

    @api.model
    def _agent_owned_fields(self):
        return super()._agent_owned_fields() | set(BEST_TIME_FIELDS)

    # ------------------------------------------------------------------
    # Time zones and the next good moment
    # ------------------------------------------------------------------

    def _agent_timezone(self):
        """The contact's time zone: its own, else its country's (first listed), else its
        company's, else the database company's, else UTC."""
        self.ensure_one()
        for tz in (
            self.tz,
            self.commercial_partner_id.tz,
            self.country_id.code
            and (pytz.country_timezones.get(self.country_id.code) or [None])[0],
            self.env.company.partner_id.tz,
        ):
            if tz and tz in pytz.all_timezones_set:
                return pytz.timezone(tz)
        return pytz.utc

    def _agent_next_best_time(self, now=None):
        """The next start of the contact's best window, as a naive UTC datetime (or False)."""
        self.ensure_one()
        if self.agent_best_hour < 0 or not self.agent_best_days:
            return False
        days = tuple(int(d) for d in self.agent_best_days.split(",") if d.strip().isdigit())
        tz = self._agent_timezone()
        now = now or fields.Datetime.now()
        local_now = pytz.utc.localize(now).astimezone(tz).replace(tzinfo=None)
        local = next_slot(local_now, days, self.agent_best_hour)
        if not local:
            return False
        return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    # ------------------------------------------------------------------
    # Learning
    # ------------------------------------------------------------------

    @api.model
    def _agent_best_time_touches(self, since, until=None):
        """``[Touch]`` of every external contact from ``since`` (to ``until``, for backtests),
        in a constant number of queries."""
        until = until or fields.Datetime.now()
        Message = self.env["mail.message"].sudo()  # sudo: the learning job reads every thread
        internal_partners = {
            u["partner_id"][0]
            for u in self.env["res.users"]
            .sudo()  # sudo: which authors are our own people
            .with_context(active_test=False)
            .search_read([("share", "=", False)], ["partner_id"])
        }
        comment = self.env.ref("mail.mt_comment")
        messages = Message.search_read(
            [
                ("model", "=", "crm.lead"),
                ("message_type", "in", ("email", "comment")),
                ("subtype_id", "=", comment.id),
                ("date", ">=", since),
                ("date", "<", until),
                ("author_id", "!=", False),
            ],
            ["author_id", "date", "res_id", "message_type"],
            order="res_id, date, id",
        )
        calls = Message.search_read(
            [
                ("model", "=", "crm.lead"),
                ("date", ">=", since),
                ("date", "<", until),
                ("mail_activity_type_id.category", "=", "phonecall"),
            ],
            ["date", "res_id"],
        )
        lead_ids = {m["res_id"] for m in messages} | {c["res_id"] for c in calls}
        lead_partner = {
            row["id"]: row["partner_id"][0]
            for row in self.env["crm.lead"]
            .sudo()  # sudo: the learning job reads every lead's contact
            .with_context(active_test=False)
            .search_read(
                [("id", "in", list(lead_ids)), ("partner_id", "!=", False)], ["partner_id"]
            )
        }
        attendees = (
            self.env["calendar.attendee"]
            .sudo()  # sudo: the learning job reads every meeting's answers
            .search_read(
                [
                    ("event_id.start", ">=", since),
                    ("event_id.start", "<", until),
                    ("state", "in", ("accepted", "declined")),
                ],
                ["partner_id", "state", "event_id"],
            )
        )
        event_start = {
            e["id"]: e["start"]
            for e in self.env["calendar.event"]
            .sudo()  # sudo: start times of those meetings
            .with_context(active_test=False)
            .search_read([("id", "in", list({a["event_id"][0] for a in attendees}))], ["start"])
        }
        raw = []  # (partner_id, channel, utc datetime, responded, outbound, delay)
        last_ours = {}  # lead id -> date of our last unanswered mail
        for m in messages:
            author = m["author_id"][0]
            lead = m["res_id"]
            if author in internal_partners:
                if lead in lead_partner:
                    last_ours.setdefault(lead, []).append(m["date"])
                continue
            raw.append((author, "email", m["date"], True, False, None))
            for sent in last_ours.pop(lead, []):
                delay = (m["date"] - sent).total_seconds() / 3600
                replied = delay <= REPLY_WINDOW_DAYS * 24
                raw.append((author, "email", sent, replied, True, delay if replied else None))
        for lead, sent_dates in last_ours.items():
            raw.extend((lead_partner[lead], "email", d, False, True, None) for d in sent_dates)
        for c in calls:
            if c["res_id"] in lead_partner:
                raw.append((lead_partner[c["res_id"]], "phone", c["date"], True, False, None))
        for a in attendees:
            start = event_start.get(a["event_id"][0])
            if not start or not a["partner_id"] or a["partner_id"][0] in internal_partners:
                continue
            accepted = a["state"] == "accepted"
            raw.append((a["partner_id"][0], "meeting", start, accepted, not accepted, None))
        partners = (
            self.sudo()  # sudo: time zones and companies of the contacts met in the history
            .with_context(active_test=False)
            .browse({r[0] for r in raw})
            .exists()
        )
        partners.fetch(["tz", "country_id", "commercial_partner_id"])
        info = {
            p.id: (p._agent_timezone(), p.commercial_partner_id.id, p.country_id.id)
            for p in partners
        }
        touches = []
        for partner_id, channel, when, responded, outbound, delay in raw:
            if partner_id not in info:
                continue
            tz, company, country = info[partner_id]
            local = pytz.utc.localize(when).astimezone(tz)
            touches.append(
                Touch(
                    partner_id,
                    channel,
                    local.weekday(),
                    local.hour,
                    responded,
                    outbound,
                    delay,
                    company,
                    country,
                )
            )
        return touches

    @api.model
    def _cron_learn_best_time(self, history_days=HISTORY_DAYS):
        """Learn every contact's best time and channel from the last ``history_days`` days."""
        now = fields.Datetime.now()
        touches = self._agent_best_time_touches(now - timedelta(days=history_days))
        learner = BestTimeLearner().fit(touches)
        contacts = {t.contact for t in touches}
        by_vals = {}
        for contact in contacts:
            rec = learner.recommend(contact)
            vals = {
                "agent_best_slot": rec.slot_label or False,
                "agent_best_channel": rec.channel
                if rec.enough and rec.channel in CHANNELS
                else False,
                "agent_best_time_confidence": rec.confidence,
                "agent_best_time_evidence": rec.evidence,
                "agent_best_days": ",".join(str(d) for d in rec.days) if rec.enough else False,
                "agent_best_hour": rec.window_start if rec.enough else -1,
            }
            by_vals.setdefault(tuple(sorted(vals.items())), []).append(contact)
        # one write per distinct result (contacts without enough history share theirs)
        Partner = self.sudo().with_context(active_test=False)  # sudo: the agent's own fields
        for key, ids in by_vals.items():
            Partner.browse(ids).exists().write({**dict(key), "agent_best_time_date": now})
        _logger.info(
            "CRM agent: best time learned for %s contacts from %s touches",
            len(contacts),
            len(touches),
        )
        return len(contacts)
