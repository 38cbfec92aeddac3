from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if self.env.context.get("crm_agent_capture_skip"):
            return result
        if message.message_type == "email":
            self.env["crm.agent.capture"]._capture_mail_safe(self, message)
        elif message.message_type == "comment" and message.subtype_id.internal and message.body:
            # a note written after a meeting holds its minutes
            self.env["calendar.event"]._capture_notes_from_lead_note(self, message)
        return result
