from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    agent_scoring_drive_probability = fields.Boolean(
        related="company_id.agent_scoring_drive_probability", readonly=False
    )
    agent_scoring_excluded_feature_ids = fields.Many2many(
        related="company_id.agent_scoring_excluded_feature_ids", readonly=False
    )
    agent_scoring_priority_threshold = fields.Integer(
        related="company_id.agent_scoring_priority_threshold", readonly=False
    )

    def action_open_agent_scoring_models(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_agent_scoring.crm_agent_scoring_model_action"
        )

    agent_scoring_cold_threshold = fields.Integer(
        related="company_id.agent_scoring_cold_threshold", readonly=False
    )
    agent_scoring_cold_days = fields.Integer(
        related="company_id.agent_scoring_cold_days", readonly=False
    )
