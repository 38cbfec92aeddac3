"""Lead side of the scoring: what the model reads (snapshots as of a cutoff date), the agent's score and
its reasons on the lead, cheap "to rescore" marking on changes, and the batch scoring cron."""

import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from odoo.addons.crm_agent.engine.proposal import propose

from ..engine.explain import explain, format_percent, format_points
from ..engine.features import FeatureSpec
from .crm_agent_scoring_model import LIVE_PARAM

_logger = logging.getLogger(__name__)

CATEGORICAL = (
    "country", "state", "lang", "source", "medium", "campaign", "team", "user", "email_quality",
    "phone_quality",
)  # fmt: skip
NUMERIC = (
    "expected_revenue",
    "messages_in",
    "messages_out",
    "activities_done",
    "meetings",
)
# Counts that grow with a lead's time in the pipeline: read per month of its age (engine/features.py).
# The age itself is not a feature: a closed lead's age is its time to decision, an open lead's its time
# so far.
PER_MONTH = ("messages_in", "messages_out", "activities_done", "meetings")
# Lead fields whose change may move the score: writing one marks the lead "to rescore".
RESCORE_FIELDS = frozenset({
    "country_id", "state_id", "lang_id", "source_id", "medium_id", "campaign_id", "team_id", "user_id",
    "tag_ids", "expected_revenue", "email_from", "phone", "partner_id",
})  # fmt: skip
SCORE_BATCH = 500
TOP_FACTORS = 3
TRIGGER_KEY = "crm_agent_scoring.trigger_scoring"
# The agent's score and its bookkeeping: users read them, only the agent (superuser mode) writes.
AGENT_OWNED_FIELDS = frozenset({
    "agent_probability", "agent_score_factors", "agent_score_explanation", "agent_score_summary",
    "agent_scoring_model_id", "agent_scoring_state", "agent_scored_date", "agent_to_rescore",
    "agent_score_html",
})  # fmt: skip
PRIORITY_LABELS = {"2": "High", "3": "Very high"}


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.agent.owned.mixin"]

    agent_probability = fields.Float(
        "Agent probability",
        readonly=True,
        copy=False,
        aggregator="avg",
        digits=(16, 2),
        help="Chance to win (%) according to the agent's scoring model.",
    )
    agent_score_factors = fields.Json(readonly=True, copy=False)
    agent_score_explanation = fields.Text(
        "Score explanation",
        readonly=True,
        copy=False,
        help="What raises and lowers the agent's score.",
    )
    agent_score_summary = fields.Char("Top reason", readonly=True, copy=False)
    agent_scoring_model_id = fields.Many2one(
        "crm.agent.scoring.model",
        "Scoring model",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    agent_scoring_state = fields.Selection(
        related="agent_scoring_model_id.state", string="Scoring mode"
    )
    agent_scored_date = fields.Datetime("Scored on", readonly=True, copy=False)
    agent_to_rescore = fields.Boolean(readonly=True, copy=False)
    agent_score_html = fields.Html(
        "Why this score", compute="_compute_agent_score_html", sanitize=False
    )
    agent_probability_display = fields.Char(
        "Agent score",
        compute="_compute_agent_probability_display",
        help="The agent's chance to win, on open leads only (a won or lost lead shows nothing: "
        "Odoo's probability says 100 or 0).",
    )
    agent_probability_role = fields.Char(
        "What the agent's score drives", compute="_compute_agent_probability_display"
    )

    _agent_to_rescore_idx = models.Index("(id) WHERE agent_to_rescore IS TRUE")

    # ------------------------------------------------------------------
    # Display
    # ------------------------------------------------------------------

    @api.depends(
        "agent_probability", "agent_scoring_model_id", "won_status", "probability",
        "automated_probability",
    )  # fmt: skip
    def _compute_agent_probability_display(self):
        _t = self.env._
        for lead in self:
            model = lead.agent_scoring_model_id
            if not model or lead.won_status != "pending":
                lead.agent_probability_display = False
                lead.agent_probability_role = False
                continue
            lead.agent_probability_display = format_percent(lead.agent_probability)
            drives = (
                model.state == "active"
                and model.company_id.agent_scoring_drive_probability
                and float_compare(lead.probability, lead.agent_probability, 2) == 0
            )
            if drives:
                lead.agent_probability_role = _t(
                    "drives the probability above (and so the forecast)"
                )
            elif model.state == "active":
                lead.agent_probability_role = _t(
                    "proposes priorities; the probability above is Odoo's or typed"
                )
            else:
                lead.agent_probability_role = _t("shown only (shadow mode); it changes nothing")

    @api.model
    def _agent_score_lines(self, factors):
        """``[(points, text, css class)]``: the lines of an explanation, from the baseline to the score;
        the points add up to the score exactly."""
        _t = self.env._
        lines = [
            (
                None,
                _t("A typical lead in your history wins %s", format_percent(factors["base_score"])),
                "",
            )
        ]
        if factors.get("adjustment"):
            lines.append((
                factors["adjustment"],
                _t("Recent results (the model is tuned to your latest closed leads)"),
                "text-muted",
            ))  # fmt: skip
        for key, css in (("raising", "text-success"), ("lowering", "text-danger")):
            lines += [(f["points"], f["text"], css) for f in factors.get(key) or []]
        if factors.get("other"):
            lines.append((factors["other"], _t("Other factors together"), "text-muted"))
        lines.append((None, _t("This lead: %s", format_percent(factors["score"])), "fw-bold"))
        return lines

    @api.depends("agent_score_factors")
    def _compute_agent_score_html(self):
        _t = self.env._
        for lead in self:
            factors = lead.agent_score_factors or {}
            if "score" not in factors:
                lead.agent_score_html = False
                continue
            rows = Markup().join(
                Markup('<tr class="%s"><td class="text-end fw-bold pe-2">%s</td><td>%s</td></tr>')
                % (css, "" if points is None else format_points(points), text)
                for points, text, css in lead._agent_score_lines(factors)
            )
            note = _t(
                "Points are percentage points from a typical lead of your history to this lead; "
                "they add up to its score. Probability (above) is what the pipeline forecast uses: "
                "it follows Odoo's predictive scoring (its automated probability) unless someone "
                "types a value or an active agent model is set to drive it. The agent's score is "
                "explained here."
            )
            lead.agent_score_html = Markup(
                '<table class="table table-sm w-auto"><tbody>%s</tbody></table>'
                '<p class="text-muted small">%s</p>'
            ) % (rows, note)

    # ------------------------------------------------------------------
    # Rescoring on change: a flag in the same write, and one cron trigger per transaction
    # ------------------------------------------------------------------

    @api.model
    def _agent_scoring_is_live(self):
        return bool(self.env["ir.config_parameter"].sudo().get_param(LIVE_PARAM))  # sudo: a setting

    @api.model
    def _agent_scoring_schedule(self):
        """Wake the scoring cron once, when the transaction commits (not once per lead)."""
        data = self.env.cr.precommit.data
        if data.get(TRIGGER_KEY):
            return
        data[TRIGGER_KEY] = True
        self.env.cr.precommit.add(self._agent_scoring_trigger_cron)

    @api.model
    def _agent_scoring_trigger_cron(self):
        cron = self.env.ref("crm_agent_scoring.ir_cron_score_leads", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()  # sudo: wake the scoring job

    @api.model
    def _agent_owned_fields(self):
        return super()._agent_owned_fields() | AGENT_OWNED_FIELDS

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        if self._agent_scoring_is_live():
            # the agent's flag, set by the agent (a user may not write it)
            leads.sudo().write({"agent_to_rescore": True})
            self._agent_scoring_schedule()
        return leads

    def write(self, vals):
        result = super().write(vals)
        if (
            "agent_to_rescore" not in vals
            and not RESCORE_FIELDS.isdisjoint(vals)
            and self._agent_scoring_is_live()
        ):
            # the agent's flag, set by the agent (a user may not write it)
            self.sudo().write({"agent_to_rescore": True})
            self._agent_scoring_schedule()
        return result

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if self._agent_scoring_is_live() and message.message_type in (
            "email",
            "comment",
            "email_outgoing",
        ):
            to_flag = self.filtered(lambda lead: not lead.agent_to_rescore and lead.active)
            if to_flag:
                to_flag.sudo().write({"agent_to_rescore": True})  # sudo: the agent's own flag
                self._agent_scoring_schedule()
        return result

    # ------------------------------------------------------------------
    # Snapshots: the lead as it was known at a cutoff date
    # ------------------------------------------------------------------

    @api.model
    def _agent_scoring_spec(self, excluded=()):
        return FeatureSpec(
            categorical=CATEGORICAL,
            numeric=NUMERIC,
            use_tags=True,
            excluded=frozenset(excluded),
            per_month=PER_MONTH,
        )

    def _agent_pls_leads(self):
        """Odoo PLS's view of ``self``, one engine/pls.py dict per lead in ``self``'s order, read by
        Odoo's own ``_pls_get_lead_pls_values`` (the fields of ``crm.pls_fields``); ``outcome`` as
        Odoo's rebuild counts it (probability 100: won, 0: lost)."""
        if not self:
            return []
        values = self._pls_get_lead_pls_values(domain=[("id", "in", self.ids)])
        out = []
        for lead in self:
            row = values.get(lead.id, {"values": [], "team_id": 0})
            pls = {"team_id": row["team_id"] or 0, "stage_id": None, "values": {}, "tags": []}
            probability = None
            for name, value in row["values"]:
                if name == "stage_id":
                    pls["stage_id"] = value
                elif name == "tag_id":
                    pls["tags"].append(value)
                elif name == "probability":
                    probability = value
                else:
                    pls["values"][name] = value
            pls["outcome"] = {100: "won", 0: "lost"}.get(probability)
            out.append(pls)
        return out

    @api.model
    def _agent_scoring_feature_labels(self):
        _t = self.env._
        return {
            "country": _t("Country"), "state": _t("State"), "lang": _t("Language"),
            "source": _t("Source"), "medium": _t("Medium"), "campaign": _t("Campaign"),
            "team": _t("Sales team"), "user": _t("Salesperson"), "email_quality": _t("Email"),
            "phone_quality": _t("Phone"), "expected_revenue": _t("Expected revenue"),
            "messages_in": _t("Emails received per month"),
            "messages_out": _t("Messages sent per month"),
            "activities_done": _t("Activities done per month"), "meetings": _t("Meetings per month"),
            "age_days": _t("Age (days)"),
        }  # fmt: skip

    def _agent_scoring_cutoffs(self):
        """Decided leads: what was known before the outcome (closing date, else last write).
        Open leads: now."""
        now = fields.Datetime.now()
        return [
            now if lead.won_status == "pending" else (lead.date_closed or lead.write_date or now)
            for lead in self
        ]

    def _agent_scoring_snapshots(self):
        """``(snapshots, cutoffs)``, one plain dict per lead in ``self``'s order, for the engine.

        A constant number of queries per batch: the lead fields (plus one per related model for the
        names), one grouped query on mail.message and one on calendar.event, both cut at each lead's
        cutoff so nothing after the outcome (stage, probability, later messages) reaches the model.
        """
        cutoffs = self._agent_scoring_cutoffs()
        counts = self._agent_scoring_activity_counts(cutoffs)
        snapshots = []
        for lead, cutoff in zip(self, cutoffs, strict=True):
            activity = counts.get(lead.id, {})
            created = lead.create_date or cutoff
            snapshots.append({
                "country": lead.country_id.name or None,
                "state": lead.state_id.name or None,
                "lang": lead.lang_id.name or None,
                "source": lead.source_id.name or None,
                "medium": lead.medium_id.name or None,
                "campaign": lead.campaign_id.name or None,
                "team": lead.team_id.name or None,
                "user": lead.user_id.name or None,
                "email_quality": lead.email_state or "none",
                "phone_quality": lead.phone_state or "none",
                "tags": lead.tag_ids.mapped("name"),
                "expected_revenue": lead.expected_revenue or 0.0,
                "messages_in": activity.get("messages_in", 0),
                "messages_out": activity.get("messages_out", 0),
                "activities_done": activity.get("activities_done", 0),
                "meetings": activity.get("meetings", 0),
                "age_days": max((cutoff - created).total_seconds() / 86400.0, 0.0),
            })  # fmt: skip
        return snapshots, cutoffs

    def _agent_scoring_activity_counts(self, cutoffs):
        """``{lead_id: {messages_in, messages_out, activities_done, meetings}}`` before each cutoff."""
        if not self:
            return {}
        self.env["mail.message"].flush_model(
            [
                "model",
                "res_id",
                "date",
                "message_type",
                "author_id",
                "subtype_id",
                "mail_activity_type_id",
            ]
        )
        self.env["calendar.event"].flush_model(["opportunity_id", "create_date", "active"])
        ids, dates = list(self.ids), list(cutoffs)
        counts = defaultdict(dict)
        rows = self.env.execute_query(SQL(
            """
            SELECT c.lead_id,
                   COUNT(m.id) FILTER (WHERE m.message_type = 'email' AND author.id IS NULL),
                   COUNT(m.id) FILTER (
                       WHERE m.message_type IN ('comment', 'email', 'email_outgoing')
                         AND author.id IS NOT NULL
                         AND m.mail_activity_type_id IS NULL
                         AND st.internal IS NOT TRUE),
                   COUNT(m.id) FILTER (WHERE m.mail_activity_type_id IS NOT NULL)
              FROM unnest(%s::int[], %s::timestamp[]) AS c(lead_id, cutoff)
              JOIN mail_message m
                ON m.model = 'crm.lead' AND m.res_id = c.lead_id AND m.date < c.cutoff
         LEFT JOIN mail_message_subtype st ON st.id = m.subtype_id
         LEFT JOIN LATERAL (
                   SELECT u.id FROM res_users u
                    WHERE u.partner_id = m.author_id AND u.share IS NOT TRUE
                    LIMIT 1
                   ) author ON TRUE
          GROUP BY c.lead_id
            """,
            ids, dates,
        ))  # fmt: skip
        for lead_id, messages_in, messages_out, activities_done in rows:
            counts[lead_id].update(
                messages_in=messages_in, messages_out=messages_out, activities_done=activities_done
            )
        rows = self.env.execute_query(SQL(
            """
            SELECT c.lead_id, COUNT(e.id)
              FROM unnest(%s::int[], %s::timestamp[]) AS c(lead_id, cutoff)
              JOIN calendar_event e
                ON e.opportunity_id = c.lead_id AND e.create_date < c.cutoff AND e.active IS TRUE
          GROUP BY c.lead_id
            """,
            ids, dates,
        ))  # fmt: skip
        for lead_id, meetings in rows:
            counts[lead_id]["meetings"] = meetings
        return counts

    # ------------------------------------------------------------------
    # Scoring
    # ------------------------------------------------------------------

    @api.model
    def _cron_score_leads(self, batch_size=SCORE_BATCH):
        """Score the open leads marked "to rescore", batch by batch; stops when the agent is paused.
        From the cron, each batch is committed and reported as progress."""
        Action = self.env["crm.agent.action"]
        Lead = self.sudo()
        in_cron = bool(self.env.context.get("cron_id"))
        # decided or archived leads are not scored: drop their flag in one query
        Lead.with_context(active_test=False).search([
            ("agent_to_rescore", "=", True), "|", ("active", "=", False), ("won_status", "!=", "pending")
        ]).write({"agent_to_rescore": False})  # fmt: skip
        domain = [("agent_to_rescore", "=", True), ("won_status", "=", "pending")]
        remaining = Lead.search_count(domain)
        scored = 0
        while remaining:
            if Action._agent_is_paused():
                _logger.info("Lead scoring: the agent is paused, scoring stopped")
                break
            leads = Lead.search(domain, limit=batch_size, order="id")
            if not leads:
                break
            leads._agent_score()
            scored += len(leads)
            remaining = max(remaining - len(leads), 0)
            if in_cron and not self.env["ir.cron"]._commit_progress(
                len(leads), remaining=remaining
            ):
                break  # out of time: the cron comes back for the rest
        _logger.info("Lead scoring: %d leads scored, %d left", scored, remaining)
        return scored

    def _agent_scoring_explain(self, scorer, snapshots):
        """Engine scores and reasons for ``snapshots`` (one dict per lead)."""
        return explain(scorer, snapshots, top_n=TOP_FACTORS)

    def _agent_score(self):
        """Score ``self`` with each company's live model and store score, reasons and version.
        An active model may also drive the probability (setting) and propose actions."""
        live = self.env["crm.agent.scoring.model"]._agent_live_models()
        by_model = defaultdict(lambda: self.browse())
        no_model = self.browse()
        for lead in self:
            model = live.get((lead.company_id or self.env.company).id)
            if model:
                by_model[model] |= lead
            else:
                no_model |= lead
        no_model.write({"agent_to_rescore": False})
        if not by_model:
            return
        snapshots = dict(zip(self.ids, self._agent_scoring_snapshots()[0], strict=True))
        now = fields.Datetime.now()
        for model, leads in by_model.items():
            try:
                scorer = model._agent_load_scorer()
            except UserError as error:
                _logger.error("Lead scoring: %s", error)
                leads.write({"agent_to_rescore": False})
                continue
            results = leads._agent_scoring_explain(scorer, [snapshots[lead.id] for lead in leads])
            drive = model.state == "active" and model.company_id.agent_scoring_drive_probability
            for lead, result in zip(leads, results, strict=True):
                vals = lead._agent_score_values(model, result, now)
                if drive and lead._agent_probability_is_ours():
                    vals["probability"] = vals["agent_probability"]
                # the ORM flushes these writes as one UPDATE per batch
                lead.write(vals)
            if model.state == "active":
                leads._agent_scoring_propose(model)

    def _agent_probability_is_ours(self):
        """The probability follows an automated score (Odoo's or ours), not a value typed by a person."""
        self.ensure_one()
        return (
            not self.probability
            or float_compare(self.probability, self.automated_probability, 2) == 0
            or (
                self.agent_probability
                and float_compare(self.probability, self.agent_probability, 2) == 0
            )
        )

    def _agent_factor_text(self, factor, labels):
        feature, value = factor["feature"], factor["value"]
        if feature.startswith("tag:"):
            tag = feature[4:]
            text = (
                self.env._("Tagged %s", tag) if value == "yes" else self.env._("Not tagged %s", tag)
            )
        elif feature in NUMERIC:
            text = f"{labels.get(feature, feature)}: {value}"
        else:
            text = self.env._(
                "%(field)s is %(value)s", field=labels.get(feature, feature), value=value
            )
        return text

    def _agent_score_values(self, model, result, now):
        """Stored score, reasons (whole points that add up to the score) and summary."""
        labels = self._agent_scoring_feature_labels()
        display = result["display"]
        # the stored probability keeps 2 decimals: the shown score is that value rounded (the one
        # format), and the other-factors line keeps the sum exact
        probability = round(result["score"], 2)
        shown_score = round(probability)
        factors = {
            "score": shown_score,
            "base_score": display["base"],
            "adjustment": display["adjustment"],
            "other": display["other"] + shown_score - display["score"],
        }
        for key in ("raising", "lowering"):
            factors[key] = [
                {"feature": f["feature"], "text": self._agent_factor_text(f, labels), "points": pts}
                for f, pts in zip(result[key], display[key], strict=True)
            ]
        lines = [self.env._(
            "Win probability %(score)s (%(model)s).", score=format_percent(shown_score),
            model=model.name,
        )]  # fmt: skip
        lines += [
            text if points is None else f"{format_points(points)} {text}"
            for points, text, _css in self._agent_score_lines(factors)
        ]
        summary = self.env._("Agent score %s", format_percent(shown_score))
        top = result["top"]
        if top:
            side = "raising" if top["points"] > 0 else "lowering"
            index = result[side].index(top)
            shown = factors[side][index]
            summary += f" - {shown['text']} ({format_points(shown['points'])})"
        return {
            "agent_probability": probability,
            "agent_score_factors": factors,
            "agent_score_explanation": "\n".join(lines),
            "agent_score_summary": summary,
            "agent_scoring_model_id": model.id,
            "agent_scored_date": now,
            "agent_to_rescore": False,
        }

    # ------------------------------------------------------------------
    # Agent actions (active model only)
    # ------------------------------------------------------------------

    def _agent_scoring_propose(self, model):
        """Propose, from an active model only: raising the priority of leads likely to win, and
        handing cold leads back to their team. Each proposal carries the reasons of the score; a
        lead without reasons gets no proposal. The core's "never ask twice" rule, on the keys of
        ``_agent_scoring_priority_proposal`` and ``_agent_scoring_cold_proposal``, keeps a lead
        from being asked the same thing twice."""
        if model.state != "active" or not self:
            return self.env["crm.agent.action"]
        company = model.company_id
        threshold = company.agent_scoring_priority_threshold or 70
        very_high = (100 + threshold) / 2
        cold_threshold = company.agent_scoring_cold_threshold
        cold_before = fields.Datetime.now() - timedelta(days=company.agent_scoring_cold_days or 30)
        proposals = []
        for lead in self:
            if lead.agent_probability >= threshold:
                proposals.append(lead._agent_scoring_priority_proposal(model, very_high))
            if (
                lead.user_id
                and lead.agent_probability < cold_threshold
                and (lead.date_last_stage_update or lead.create_date) < cold_before
                and not lead.activity_ids
            ):
                proposals.append(
                    lead._agent_scoring_cold_proposal(model, company.agent_scoring_cold_days)
                )
        proposals = [proposal for proposal in proposals if proposal]
        if not proposals:
            return self.env["crm.agent.action"]
        return (
            self.env["crm.agent.action"].sudo()._agent_propose(proposals)
        )  # sudo: the caller scores leads it may write (action_agent_rescore checks) or is the job

    def _agent_scoring_reasons(self, key):
        factors = (self.agent_score_factors or {}).get(key) or []
        return "\n".join(f"- {f['text']} ({format_points(f['points'])} points)" for f in factors)

    def _agent_scoring_priority_proposal(self, model, very_high):
        target = "3" if self.agent_probability >= very_high else "2"
        reasons = self._agent_scoring_reasons("raising")
        if (self.priority or "0") >= target or not reasons.strip():
            return None
        return propose(
            self._name, self.id, "update_fields",
            name=self.env._(
                "Raise the priority to %(priority)s: %(score)s chance to win",
                priority=PRIORITY_LABELS[target], score=format_percent(self.agent_probability),
            ),
            explanation=self.env._(
                "%(model)s gives this lead %(score)s chance to win, because:\n%(reasons)s",
                model=model.name, score=format_percent(self.agent_probability), reasons=reasons,
            ),
            confidence=self.agent_probability / 100.0,
            source="scoring",
            values={"priority": target},
            # raising from this priority, once: a second raise (High, then Very high) is a new one
            key=f"{self._name}:{self.id}:scoring:priority_from:{self.priority or '0'}",
        )  # fmt: skip

    def _agent_scoring_cold_proposal(self, model, days):
        """Hand a cold lead back to its team (salesperson emptied, so the team's assignment rules
        or its leader give it to someone with time for it). Changing the salesperson changes what
        a person chose: it always waits for an approver."""
        reasons = self._agent_scoring_reasons("lowering")
        if not reasons.strip():
            return None
        return propose(
            self._name, self.id, "overwrite_fields",
            name=self.env._(
                "Hand the cold lead back to the team: %(score)s chance to win, untouched for %(days)s days",
                score=format_percent(self.agent_probability), days=days,
            ),
            explanation=self.env._(
                "%(model)s gives this lead %(score)s chance to win; its stage has not moved for "
                "%(days)s days and no activity is planned. %(user)s may have better leads to work on.\n"
                "What lowers the chance:\n%(reasons)s",
                model=model.name, score=format_percent(self.agent_probability), days=days,
                user=self.user_id.name, reasons=reasons,
            ),
            confidence=1 - self.agent_probability / 100.0,
            source="scoring",
            values={"user_id": False},
            depends_on=("user_id", "stage_id"),
            # handing back from this salesperson, once: a later owner's cold lead is a new question
            key=f"{self._name}:{self.id}:scoring:hand_back:{self.user_id.id}",
        )  # fmt: skip

    def action_agent_rescore(self):
        """Button: score these leads now."""
        self.check_access("write")
        self.sudo()._agent_score()
        return True
