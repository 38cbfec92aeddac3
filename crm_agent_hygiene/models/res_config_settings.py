from odoo import fields, models
from odoo.exceptions import AccessError

from .crm_agent_capture import PARAM_ENABLED
from .crm_agent_hygiene import SURVIVOR_RULES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    hygiene_survivor_rule = fields.Selection(
        SURVIVOR_RULES,
        string="Record kept in a merge",
        config_parameter="crm_agent_hygiene.survivor_rule",
        default="most_complete",
    )
    hygiene_match_threshold = fields.Float(
        "Duplicate threshold",
        config_parameter="crm_agent_hygiene.match_threshold",
        default=0.9,
        help="Match probability from which two records are proposed as duplicates (0-1).",
    )
    hygiene_inactive_months = fields.Integer(
        "Contacts stale after (months)",
        config_parameter="crm_agent_hygiene.inactive_months",
        default=12,
    )
    hygiene_lead_untouched_days = fields.Integer(
        "Leads stale after (days)",
        config_parameter="crm_agent_hygiene.lead_untouched_days",
        default=30,
    )
    hygiene_stale_activity = fields.Boolean(
        "Ask the owner to review stale records", config_parameter="crm_agent_hygiene.stale_activity"
    )

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

    def action_hygiene_full_scan(self):
        """Forget what was checked and check every contact and lead again, in the background."""
        if not self.env.user.has_group("crm_agent.group_agent_manager"):
            raise AccessError(self.env._("Only agent managers can start a full hygiene scan."))
        self.env["crm.agent.hygiene"]._hygiene_reset_watermarks()
        self.env.ref(
            "crm_agent_hygiene.ir_cron_hygiene_changes"
        ).sudo()._trigger()  # sudo: wake the job (manager checked above)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._("The hygiene agent will check every contact and lead again."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
