from odoo import fields, models


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
