"""Next-best action per open opportunity: plays' triggers, expected-value ranking, drafts.

The job gathers the facts of a batch of open opportunities in a constant number of queries
(``_agent_nba_facts``), lets ``engine/plays.py`` find the plays that apply and
``engine/ranking.py`` order them by expected value, then proposes each lead's best play through
the core (``_agent_propose``): a ``send_email`` draft built from the play's ``mail.template`` in
the contact's language (never sent without a person), or an activity to schedule.
"""

import logging
from collections import Counter, defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, html2plaintext

from odoo.addons.crm_agent.engine import guardrails
from odoo.addons.crm_agent.engine.drafting import build_context
from odoo.addons.crm_agent.engine.proposal import propose

from ..engine.plays import LeadFacts, candidates
from ..engine.ranking import LeadHistory, estimate_play_effects, rank

_logger = logging.getLogger(__name__)

NBA_BATCH = 200
NBA_HISTORY_LIMIT = 20000  # the most recent closed leads read to measure the plays' effects
NBA_FIELDS = ("agent_nba_value", "agent_nba_play_id", "agent_nba_reason", "agent_nba_date")
QUOTE_WORDS = ("quote", "quotation", "devis", "angebot", "presupuesto", "cotización")


class CrmLead(models.Model):
    _inherit = "crm.lead"

    agent_nba_value = fields.Float(
        "Expected value", readonly=True, copy=False, help="Of the next-best action."
    )
    agent_nba_play_id = fields.Many2one(
        "crm.agent.play", "Next-best action", readonly=True, copy=False, ondelete="set null"
    )
    agent_nba_reason = fields.Char("Why now", readonly=True, copy=False)
    agent_nba_date = fields.Datetime("Next-best action on", readonly=True, copy=False)
    agent_best_slot = fields.Char(related="partner_id.agent_best_slot")
    agent_best_channel = fields.Selection(related="partner_id.agent_best_channel")
    agent_best_time_confidence = fields.Float(related="partner_id.agent_best_time_confidence")
    agent_best_time_evidence = fields.Text(related="partner_id.agent_best_time_evidence")

    @api.model
    def _agent_owned_fields(self):
        return super()._agent_owned_fields() | set(NBA_FIELDS)

    # ------------------------------------------------------------------
    # Facts
    # ------------------------------------------------------------------

    def _agent_nba_last_messages(self):
        """``{lead_id: (id, author_id, date, body)}``: the last discussion message of each lead."""
        if not self:
            return {}
        comment = self.env.ref("mail.mt_comment")
        self.env["mail.message"].flush_model(
            ["model", "res_id", "message_type", "subtype_id", "date", "author_id", "body"]
        )
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT ON (res_id) res_id, id, author_id, date, body
                     FROM mail_message
                    WHERE model = 'crm.lead' AND res_id = ANY(%s)
                      AND message_type IN ('email', 'comment') AND subtype_id = %s
                 ORDER BY res_id, date DESC, id DESC""",
                list(self.ids),
                comment.id,
            )
        )
        return {row[0]: row[1:] for row in rows}

    def _agent_nba_facts(self, now=None):
        """``({lead_id: LeadFacts}, {lead_id: extra})`` for the batch, in constant queries."""
        now = now or fields.Datetime.now()
        today = fields.Date.context_today(self)
        last = self._agent_nba_last_messages()
        authors = {row[1] for row in last.values() if row[1]}
        internal = {
            u["partner_id"][0]
            for u in self.env["res.users"]
            .sudo()  # sudo: which of these authors are our own people
            .with_context(active_test=False)
            .search_read(
                [("partner_id", "in", list(authors)), ("share", "=", False)], ["partner_id"]
            )
        }
        events = (
            self.env["calendar.event"]
            .sudo()  # sudo: the meetings of leads the job may read
            .search_read(
                [("opportunity_id", "in", self.ids)],
                ["opportunity_id", "start", "description"],
                order="start",
            )
        )
        held, planned, notes = {}, set(), {}
        for e in events:
            lead_id = e["opportunity_id"][0]
            if e["start"] <= now:
                held[lead_id] = e["start"]
                notes[lead_id] = e["description"] or ""
            else:
                planned.add(lead_id)
        Activity = self.env["mail.activity"].sudo()  # sudo: counts of the leads' activities
        domain = [("res_model", "=", "crm.lead"), ("res_id", "in", self.ids)]
        domain_own = [*domain, ("agent_action_id", "=", False)]
        next_acts = dict(Activity._read_group(domain_own, ["res_id"], ["__count"]))
        overdue = dict(
            Activity._read_group(
                [*domain_own, ("date_deadline", "<", today)], ["res_id"], ["__count"]
            )
        )
        facts, extra = {}, {}
        for lead in self:
            message = last.get(lead.id)
            inbound_hours = None
            inbound_text = ""
            touch = None
            if message:
                _id, author, date, body = message
                touch = (now - date).total_seconds() / 86400
                if author and author not in internal:
                    inbound_hours = (now - date).total_seconds() / 3600
                    inbound_text = html2plaintext(body or "")
            if lead.id in held:
                since_meeting = (now - held[lead.id]).total_seconds() / 86400
                touch = since_meeting if touch is None else min(touch, since_meeting)
            else:
                since_meeting = None
            probability = (
                lead.agent_probability / 100.0
                if "agent_probability" in lead._fields and lead.agent_probability
                else (lead.probability or 0.0) / 100.0
            )
            facts[lead.id] = LeadFacts(
                lead.id,
                probability=probability,
                expected_revenue=lead.expected_revenue or 0.0,
                days_since_touch=touch,
                unanswered_inbound_hours=inbound_hours,
                days_since_meeting=since_meeting,
                has_next_activity=next_acts.get(lead.id, 0) > overdue.get(lead.id, 0),
                overdue_activities=overdue.get(lead.id, 0),
                quote_requested=any(w in inbound_text.lower() for w in QUOTE_WORDS),
                has_quote=bool("order_ids" in lead._fields and lead.order_ids),
                has_contact_email=bool(lead.partner_id.email),
                has_meeting_planned=lead.id in planned,
            )
            extra[lead.id] = {
                "last_message_id": message[0] if message else 0,
                "state_key": f"{message[0] if message else 0}:"
                f"{fields.Datetime.to_string(held.get(lead.id)) or 0}:{overdue.get(lead.id, 0)}",
                "inbound_text": inbound_text,
                "meeting_notes": html2plaintext(notes.get(lead.id) or ""),
            }
        return facts, extra

    # ------------------------------------------------------------------
    # Effects measured from history
    # ------------------------------------------------------------------

    @api.model
    def _agent_nba_histories(self, limit=NBA_HISTORY_LIMIT):
        """The most recent closed leads as :class:`LeadHistory` (days since creation): mails
        from the contact and from us, calls and meetings marked done, meetings held (calendar).
        Three queries."""
        self.env["crm.lead"].flush_model(["won_status", "date_closed"])
        self.env["mail.message"].flush_model()
        self.env["calendar.event"].flush_model(["opportunity_id", "start", "active"])
        leads = self.env.execute_query(
            SQL(
                """
                SELECT id, create_date, date_closed, won_status = 'won'
                  FROM crm_lead
                 WHERE won_status IN ('won', 'lost') AND create_date IS NOT NULL
              ORDER BY id DESC
                 LIMIT %(limit)s
                """,
                limit=limit,
            )
        )
        if not leads:
            return []
        ids = [row[0] for row in leads]
        comment = self.env.ref("mail.mt_comment")
        messages = self.env.execute_query(
            SQL(
                """
                SELECT m.res_id, m.date,
                       CASE WHEN t.category = 'phonecall' THEN 'call'
                            WHEN t.category = 'meeting' THEN 'meeting'
                            WHEN m.subtype_id != %(comment)s THEN NULL
                            WHEN EXISTS (SELECT 1 FROM res_users u
                                          WHERE u.partner_id = m.author_id AND NOT u.share)
                                 THEN 'outbound_mail'
                            WHEN m.message_type = 'email' THEN 'inbound_mail'
                       END
                  FROM mail_message m
             LEFT JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
                 WHERE m.model = 'crm.lead' AND m.res_id = ANY(%(ids)s)
                   AND (m.subtype_id = %(comment)s OR t.category IN ('phonecall', 'meeting'))
                """,
                comment=comment.id,
                ids=ids,
            )
        )
        meetings = self.env.execute_query(
            SQL(
                """
                SELECT opportunity_id, start, 'meeting'
                  FROM calendar_event
                 WHERE opportunity_id = ANY(%(ids)s) AND active AND start <= %(now)s
                """,
                ids=ids,
                now=fields.Datetime.now(),
            )
        )
        created = {lead_id: create_date for lead_id, create_date, _closed, _won in leads}
        events = defaultdict(list)
        for lead_id, date, kind in messages + meetings:
            if kind and date:
                events[lead_id].append(((date - created[lead_id]).total_seconds() / 86400, kind))
        return [
            LeadHistory(
                won=bool(won),
                events=tuple(events[lead_id]),
                closed=(closed - create_date).total_seconds() / 86400 if closed else None,
            )
            for lead_id, create_date, closed, won in leads
        ]

    @api.model
    def _agent_nba_effects(self, plays):
        """``{play_code: Effect}``: each play's effect measured on the same closed leads (see
        ``engine/ranking.py`` ``EFFECT_RULES``: the state each trigger reads in history and the
        action that counts); no effect is claimed without enough leads in both groups, nor for
        the plays whose situation history cannot show (an overdue activity, a quote asked)."""
        if not plays:
            return {}
        return estimate_play_effects(
            [play._agent_spec() for play in plays], self._agent_nba_histories()
        )

    # ------------------------------------------------------------------
    # Proposing
    # ------------------------------------------------------------------

    @api.model
    def _cron_next_best_actions(self, batch_size=NBA_BATCH):
        """Find, rank and propose the next-best action of every open opportunity, in batches."""
        if self.env["crm.agent.action"]._agent_is_paused():
            _logger.info("CRM agent is paused: no next-best action proposed")
            return
        plays = self.env["crm.agent.play"].search([("active", "=", True)])
        if not plays:
            return
        effects = self._agent_nba_effects(plays)
        domain = [
            ("type", "=", "opportunity"),
            ("won_status", "=", "pending"),
            ("user_id", "!=", False),
        ]
        last_id = 0
        while True:
            leads = self.search([*domain, ("id", ">", last_id)], order="id", limit=batch_size)
            if not leads:
                break
            last_id = leads[-1].id
            leads._agent_nba_run(plays, effects)
            if len(leads) < batch_size:
                break

    def _agent_nba_run(self, plays=None, effects=None):
        """Rank and propose the best play of each of these leads; returns the actions."""
        plays = (
            plays
            if plays is not None
            else self.env["crm.agent.play"].search([("active", "=", True)])
        )
        effects = effects if effects is not None else self._agent_nba_effects(plays)
        now = fields.Datetime.now()
        facts, extra = self._agent_nba_facts(now)
        play_by_code = {p.code: p for p in plays}
        ranked = rank(candidates(facts.values(), [p._agent_spec() for p in plays]), facts, effects)
        cap_counts = self._agent_nba_drafts_this_week()
        max_per_week = self.env["crm.agent.action"]._agent_max_drafts_per_week()
        aliases = self.env["crm.agent.action"]._agent_alias_emails()
        proposals, drafts, best = [], defaultdict(list), {}
        for lead in self:
            for option in ranked.get(lead.id) or []:
                play = play_by_code[option.play]
                proposal = lead._agent_nba_proposal(
                    play, option, facts[lead.id], extra[lead.id], cap_counts, max_per_week, aliases
                )
                if proposal is None:
                    continue
                if isinstance(proposal, dict):  # a draft, rendered below with its template
                    drafts[proposal["template"]].append(proposal)
                else:
                    proposals.append(proposal)
                best[lead.id] = (option, play)
                break
        # one rendering per template for the whole batch: each lead's context keyed by its id
        for template, items in drafts.items():
            ids = [item["lead"].id for item in items]
            rendered = template.with_context(
                crm_agent_nba={item["lead"].id: item["context"].as_dict() for item in items}
            )
            subjects = rendered._render_field("subject", ids)
            bodies = rendered._render_field("body_html", ids)
            for item in items:
                lead_id = item["lead"].id
                proposals.append(
                    item["lead"]._agent_nba_draft(item, subjects[lead_id], bodies[lead_id])
                )
        # the agent's own fields on the lead: what to do next and why (one write per outcome)
        by_vals = defaultdict(list)
        for lead in self:
            option, play = best.get(lead.id, (None, None))
            vals = (
                option.value if option else 0.0,
                play.id if play else False,
                option.reason if option else False,
            )
            by_vals[vals].append(lead.id)
        for (value, play_id, reason), ids in by_vals.items():
            self.browse(ids).sudo().write(  # sudo: agent-owned fields, set by the job
                {
                    "agent_nba_value": value,
                    "agent_nba_play_id": play_id,
                    "agent_nba_reason": reason,
                    "agent_nba_date": now,
                }
            )
        return self.env["crm.agent.action"]._agent_propose(proposals)

    def _agent_nba_drafts_this_week(self):
        """``{partner_id: drafts proposed in the last 7 days}``, in one query."""
        week_ago = fields.Datetime.now() - timedelta(days=7)
        rows = (
            self.env["crm.agent.action"]
            .sudo()  # sudo: every draft counts toward the cap, whoever may read it
            .with_context(active_test=False)
            .search_read(
                [("kind", "=", "send_email"), ("create_date", ">=", week_ago)], ["payload"]
            )
        )
        counts = Counter()
        for row in rows:
            for pid in (row["payload"] or {}).get("partner_ids") or []:
                counts[pid] += 1
        return counts

    def _agent_nba_proposal(self, play, option, facts, extra, cap_counts, max_per_week, aliases):
        self.ensure_one()
        currency = self.company_currency.name if self.company_currency else ""
        explanation = option.explanation(facts.probability, facts.expected_revenue, currency)
        if self.partner_id.agent_best_slot:
            explanation += " " + self.env._(
                "Best time: %(slot)s by %(channel)s (%(evidence)s)",
                slot=self.partner_id.agent_best_slot,
                channel=dict(self.partner_id._fields["agent_best_channel"].selection).get(
                    self.partner_id.agent_best_channel, ""
                ),
                evidence=self.partner_id.agent_best_time_evidence or "",
            )
        if play.action_kind == "schedule_activity":
            return propose(
                "crm.lead",
                self.id,
                "schedule_activity",
                name=self.env._("%(play)s: %(lead)s", play=play.name, lead=self.name),
                explanation=explanation,
                confidence=0.5,
                source="next_best_action",
                payload={
                    "activity_type_xmlid": play.activity_type_id.get_external_id().get(
                        play.activity_type_id.id
                    )
                    or "mail.mail_activity_data_todo",
                    "summary": play.name,
                    "note": option.reason,
                    "user_id": self.user_id.id,
                    "play": play.code,
                },
                # the lead's state (last message, last meeting, overdue count): never ask twice
                # about the same state, ask again once it moved
                key=f"crm.lead:{self.id}:nba:{play.code}:{extra['state_key']}",
            )
        partner = self.partner_id
        reasons = guardrails.refusals(
            guardrails.DraftFacts(
                recipient_email=partner.email,
                recipient_blacklisted=partner.is_blacklisted or self.is_blacklisted,
                drafts_last_week=cap_counts.get(partner.id, 0),
                sender_email=self.user_id.email,
            ),
            max_per_week=max_per_week,
            alias_emails=aliases,
        )
        if not partner:
            reasons.insert(0, "the lead has no contact")
        if reasons:
            _logger.info("CRM agent: no draft for lead %s: %s", self.id, "; ".join(reasons))
            return None
        template = play._agent_template_for(partner.lang)
        if not template:
            _logger.info("CRM agent: play %s has no template; no draft", play.code)
            return None
        context = build_context(
            partner.lang,
            partner.name,
            deal=self.name,
            last_inbound_text=extra["inbound_text"],
            meeting_notes=extra["meeting_notes"],
            is_company=partner.is_company,
        )
        cap_counts[partner.id] += 1
        return {
            "lead": self,
            "play": play,
            "template": template,
            "context": context,
            "explanation": explanation,
            "confidence": partner.agent_best_time_confidence or 0.5,
            "scheduled": partner._agent_next_best_time(),
            "last_message_id": extra["last_message_id"],
        }

    def _agent_nba_draft(self, item, subject, body):
        """The ``send_email`` proposal of a rendered draft."""
        self.ensure_one()
        play, partner, scheduled = item["play"], self.partner_id, item["scheduled"]
        return propose(
            "crm.lead",
            self.id,
            "send_email",
            name=self.env._("Mail to %(contact)s: %(play)s", contact=partner.name, play=play.name),
            explanation=item["explanation"],
            confidence=item["confidence"],
            source="next_best_action",
            payload={
                "subject": subject,
                "body": str(Markup(body)),
                "partner_ids": [partner.id],
                "author_user_id": self.user_id.id,
                "lang": item["context"].language,
                "play": play.code,
                "template_id": item["template"].id,
                "scheduled_at": fields.Datetime.to_string(scheduled) if scheduled else False,
                "thread_last_message_id": item["last_message_id"] or 0,
            },
            key=f"crm.lead:{self.id}:nba:{play.code}:{item['last_message_id']}",
        )

    def action_agent_open_lead(self):
        """Open the lead's own form (from My day's list)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
