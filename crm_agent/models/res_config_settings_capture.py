from odoo import fields, models

from .crm_agent_capture import PARAM_ENABLED


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    agent_capture_enabled = fields.Boolean(
        "Auto-capture",
        config_parameter=PARAM_ENABLED,
        help="Read incoming mail and meetings to create and enrich contacts, link mail and "
        "meetings to opportunities and turn meeting notes into to-dos.",
    )
    agent_capture_team_ids = fields.Many2many(
        related="company_id.agent_capture_team_ids", readonly=False
    )
    agent_capture_minutes_contact_created = fields.Float(
        "Minutes per contact created",
        config_parameter="crm_agent.capture_minutes_contact_created",
        default=3.0,
    )
    agent_capture_minutes_field_filled = fields.Float(
        "Minutes per field filled",
        config_parameter="crm_agent.capture_minutes_field_filled",
        default=0.5,
    )
    agent_capture_minutes_mail_linked = fields.Float(
        "Minutes per mail linked",
        config_parameter="crm_agent.capture_minutes_mail_linked",
        default=1.0,
    )
    agent_capture_minutes_meeting_logged = fields.Float(
        "Minutes per meeting logged",
        config_parameter="crm_agent.capture_minutes_meeting_logged",
        default=2.0,
    )
    agent_capture_minutes_todo_created = fields.Float(
        "Minutes per to-do created",
        config_parameter="crm_agent.capture_minutes_todo_created",
        default=1.0,
    )
