from odoo import models


class MailComposeMessage(models.TransientModel):
    """A drafted mail of the agent, reviewed in the composer: sending (or scheduling) it
    approves the ``send_email`` action with what the approver wrote, and the core posts it."""

    _inherit = "mail.compose.message"

    def _agent_draft_action(self):
        action_id = self.env.context.get("crm_agent_send_email_action_id")
        if not action_id or len(self) != 1:
            return self.env["crm.agent.action"]
        action = self.env["crm.agent.action"].browse(int(action_id)).exists()
        # the composer must be about the action's own target, nothing else
        if (
            not action
            or action.kind != "send_email"
            or self.model != action.res_model
            or self._evaluate_res_ids() != [action.res_id]
        ):
            return self.env["crm.agent.action"]
        return action

    def _agent_send_draft(self, scheduled_date=False):
        action = self._agent_draft_action()
        action._agent_send_email_from_composer(self.subject, self.body, scheduled_date)
        return {"type": "ir.actions.act_window_close"}

    def action_send_mail(self):
        if self._agent_draft_action():
            return self._agent_send_draft()
        return super().action_send_mail()

    def action_schedule_message(self):
        if self._agent_draft_action():
            return self._agent_send_draft(self.scheduled_date)
        return super().action_schedule_message()
