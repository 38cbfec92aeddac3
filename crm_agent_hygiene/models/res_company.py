from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    agent_capture_team_ids = fields.Many2many(
        "crm.team",
        "res_company_crm_agent_capture_team_rel",
        "company_id",
        "team_id",
        string="Capture for teams",
        help="Auto-capture reads only the mail and meetings of these sales teams (and their mail "
        "aliases). Empty: all teams.",
    )
