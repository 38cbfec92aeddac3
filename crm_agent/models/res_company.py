from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    agent_autonomy = fields.Selection(
        [("assisted", "Assisted"), ("conditional", "Conditional")],
        string="Agent autonomy",
        default="assisted",
        required=True,
        help="Assisted: the agent only proposes. Conditional: low-risk actions above their "
        "confidence threshold run on their own; the rest wait for an approver.",
    )
    agent_approver_user_id = fields.Many2one(
        "res.users", string="Agent approver", help="Who approves the agent's proposals."
    )
    agent_approver_group_id = fields.Many2one(
        "res.groups",
        string="Agent approver group",
        help="Members of this group may approve; used when no approver user is set and the "
        "record has no sales team leader.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._agent_user_sync_companies()
        return companies

    @api.model
    def _agent_user_sync_companies(self):
        """The agent's own user works in every company (each action runs in its own)."""
        agent = self.env.ref("crm_agent.user_agent", raise_if_not_found=False)
        if agent:
            # the agent's user is not the current user's to edit: only its companies change
            companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
            agent.sudo().company_ids |= companies
