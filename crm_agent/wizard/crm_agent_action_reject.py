from odoo import fields, models


class CrmAgentActionReject(models.TransientModel):
    _name = "crm.agent.action.reject"
    _description = "Reject agent proposals with a reason"

    action_ids = fields.Many2many("crm.agent.action", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.action_ids.action_reject(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
