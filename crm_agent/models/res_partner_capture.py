from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    agent_capture_opt_out = fields.Boolean(
        "No auto-capture",
        help="The agent never reads this contact's mails and meetings to create or enrich records.",
    )

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if message.message_type == "email" and not self.env.context.get("crm_agent_capture_skip"):
            self.env["crm.agent.capture"]._capture_mail_safe(self, message)
        return result
