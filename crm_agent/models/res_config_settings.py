from odoo import fields, models

from ..engine.guardrails import DEFAULT_MAX_PER_WEEK


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    agent_autonomy = fields.Selection(related="company_id.agent_autonomy", readonly=False)
    agent_approver_user_id = fields.Many2one(
        related="company_id.agent_approver_user_id", readonly=False
    )
    agent_approver_group_id = fields.Many2one(
        related="company_id.agent_approver_group_id", readonly=False
    )
    agent_paused = fields.Boolean(
        "Pause the agent",
        config_parameter="crm_agent.paused",
        help="Kill switch: stops every agent cron and all automatic execution at once. "
        "Pending approvals stay and can still be answered.",
    )
    agent_proposal_validity_days = fields.Integer(
        "Proposal validity (days)",
        config_parameter="crm_agent.proposal_validity_days",
        default=14,
    )
    agent_not_now_days = fields.Integer(
        "Dismissed proposals come back after (days)",
        config_parameter="crm_agent.not_now_days",
        default=30,
        help="A proposal dismissed as 'not now' may be proposed again after this many days.",
    )
    agent_approver_queue_size = fields.Integer(
        "Proposals per approver",
        config_parameter="crm_agent.approver_queue_size",
        default=20,
        help="At most this many proposals wait in one approver's activities at once. 0: no limit.",
    )
    agent_max_drafts_per_week = fields.Integer(
        "Drafts per contact per week",
        config_parameter="crm_agent.max_drafts_per_contact_week",
        default=DEFAULT_MAX_PER_WEEK,
        help="The agent never drafts more mails than this to one contact over 7 days.",
    )

    def action_open_agent_kind_policies(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_agent.crm_agent_kind_policy_action"
        )
