from odoo import fields, models


class CrmAgentAction(models.Model):
    _inherit = "crm.agent.action"

    source = fields.Selection(
        selection_add=[("scoring", "Lead scoring")], ondelete={"scoring": "set default"}
    )
