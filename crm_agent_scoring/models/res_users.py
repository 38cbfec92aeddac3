from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    agent_my_day_seen_date = fields.Datetime("My day last opened", readonly=True, copy=False)
