"""The rep's day: one screen of what to do now, built from Odoo views on a transient record.

Every list is a search run as the rep (record rules and the agent's visibility rule apply), with
a limit, so what the screen costs does not grow with the rep's pipeline.
"""

from datetime import timedelta

from odoo import api, fields, models

LEADS_SHOWN = 20
ACTIONS_SHOWN = 40


class CrmAgentMyDay(models.TransientModel):
    _name = "crm.agent.my.day"
    _description = "My day with the agent"

    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    since = fields.Datetime(readonly=True, help="The rep's previous visit.")
    lead_ids = fields.Many2many("crm.lead", string="Worth calling now", compute="_compute_my_day")
    draft_ids = fields.Many2many(
        "crm.agent.action", string="Drafts to review", compute="_compute_my_day"
    )
    approval_ids = fields.Many2many(
        "crm.agent.action", string="Waiting for my approval", compute="_compute_my_day"
    )
    logged_ids = fields.Many2many(
        "crm.agent.action",
        string="Done by the agent since my last visit",
        compute="_compute_my_day",
    )
    logged_count = fields.Integer(compute="_compute_my_day")
    minutes_saved = fields.Float("Minutes saved", compute="_compute_my_day")

    @api.depends("user_id", "since")
    def _compute_my_day(self):
        Lead = self.env["crm.lead"]
        Action = self.env["crm.agent.action"]
        specs = Action._agent_kind_specs()
        for day in self:
            user = day.user_id or self.env.user
            since = day.since or fields.Datetime.now() - timedelta(days=1)
            day.lead_ids = Lead.search(
                [
                    ("user_id", "=", user.id),
                    ("type", "=", "opportunity"),
                    ("won_status", "=", "pending"),
                    ("agent_nba_play_id", "!=", False),
                ],
                order="agent_nba_value desc, probability desc, id",
                limit=LEADS_SHOWN,
            )
            open_states = ("proposed", "waiting")
            my_leads = Lead.with_context(active_test=False)._search([("user_id", "=", user.id)])
            day.draft_ids = Action.search(
                [
                    ("kind", "=", "send_email"),
                    ("state", "in", open_states),
                    "|",
                    ("approver_id", "=", user.id),
                    "&",
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", my_leads),
                ],
                limit=ACTIONS_SHOWN,
            )
            day.approval_ids = Action.search(
                [
                    ("kind", "!=", "send_email"),
                    ("state", "in", open_states),
                    ("approver_id", "=", user.id),
                ],
                limit=ACTIONS_SHOWN,
            )
            logged_domain = [("state", "=", "done"), ("executed_date", ">=", since)]
            day.logged_ids = Action.search(logged_domain, limit=ACTIONS_SHOWN)
            done = Action._read_group(logged_domain, ["kind"], ["__count"])
            day.logged_count = sum(count for _kind, count in done)
            day.minutes_saved = sum(
                count * (specs[kind].minutes_saved if kind in specs else 0.0)
                for kind, count in done
            )

    @api.model
    def action_open_my_day(self):
        """A fresh screen for the current user, remembering this visit for the next one."""
        user = self.env.user
        day = self.create({"since": user.agent_my_day_seen_date})
        user.sudo().agent_my_day_seen_date = (
            fields.Datetime.now()
        )  # sudo: the user's own visit date
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": day.id,
            "view_mode": "form",
            "views": [(self.env.ref("crm_agent_scoring.crm_agent_my_day_view_form").id, "form")],
            "target": "current",
            "name": self.env._("My day"),
        }

    def action_refresh(self):
        return self.action_open_my_day()

    def action_make_my_home(self):
        """Opt in: My day becomes the page the rep lands on (their own home action)."""
        self.env.user.action_id = self.env.ref("crm_agent_scoring.crm_agent_my_day_action").id
        return self.action_open_my_day()
