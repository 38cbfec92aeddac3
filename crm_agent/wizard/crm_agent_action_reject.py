from odoo import api, fields, models

from ..engine.proposal import NOT_NOW, WRONG
from ..models.crm_agent_action import REJECTION_KINDS


class CrmAgentActionReject(models.TransientModel):
    """Reject agent proposals: why (optional), and whether they are wrong (never proposed
    again) or only not wanted now (they may come back after the configured period)."""

    _name = "crm.agent.action.reject"
    _description = "Reject agent proposals with a reason"

    action_ids = fields.Many2many("crm.agent.action", required=True)
    rejection_kind = fields.Selection(
        REJECTION_KINDS, "Is it wrong?", required=True, default=NOT_NOW
    )
    reason = fields.Text(help="Optional: the agent keeps it with the proposal.")
    is_merge = fields.Boolean(compute="_compute_help_texts")
    not_now_help = fields.Char(compute="_compute_help_texts")

    @api.depends("action_ids")
    def _compute_help_texts(self):
        days = self.env["crm.agent.action"]._agent_not_now_days()
        for wizard in self:
            wizard.is_merge = any(
                "merge" in (kind or "") for kind in wizard.action_ids.sudo().mapped("kind")
            )  # sudo: only the kinds, to word the choice
            wizard.not_now_help = self.env._(
                "Not now: the agent may propose it again after %s days.", days
            )

    def action_confirm(self):
        self.ensure_one()
        kind = self.rejection_kind if self.rejection_kind in (WRONG, NOT_NOW) else NOT_NOW
        self.action_ids.action_reject(reason=self.reason, rejection_kind=kind)
        return {"type": "ir.actions.act_window_close"}
