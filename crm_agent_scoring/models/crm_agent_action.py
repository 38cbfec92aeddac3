from odoo import fields, models


class CrmAgentAction(models.Model):
    _inherit = "crm.agent.action"

    source = fields.Selection(
        selection_add=[("scoring", "Lead scoring"), ("next_best_action", "Next-best action")],
        ondelete={"scoring": "set default", "next_best_action": "set default"},
    )
