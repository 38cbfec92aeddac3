from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    agent_action_id = fields.Many2one(
        "crm.agent.action", string="Agent action", index="btree_not_null", ondelete="set null"
    )

    def _agent_open_actions(self):
        return self.sudo().agent_action_id.filtered(lambda a: a.state in ("proposed", "waiting"))

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking an agent approval done approves and executes it, as the user who marks it."""
        actions = self._agent_open_actions()
        if actions:
            # check before anything is posted or archived: a non-approver changes nothing
            actions.with_env(self.env)._agent_check_approver()
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if actions:
            actions.with_env(self.env).action_approve(comment=feedback or None)
        return result

    def unlink(self):
        """Cancelling an agent approval rejects it; the reason is kept on the action."""
        if self.env.context.get("crm_agent_closing"):
            return super().unlink()
        actions = self._agent_open_actions()
        if actions and self.env.su:
            # removed by the system (e.g. the record itself is deleted): nobody decided
            actions.write({"state": "expired", "error": self.env._("Approval activity removed.")})
        elif actions:
            reason = self.env.context.get("crm_agent_reject_reason") or self.env._(
                "Approval activity cancelled by %s", self.env.user.name
            )
            actions.with_env(self.env).with_context(
                crm_agent_activity_unlinking=True
            ).action_reject(reason=reason)
        return super().unlink()
