from odoo import api, fields, models

OPEN_STATES = ("proposed", "waiting")


class MailActivity(models.Model):
    _name = "mail.activity"
    _inherit = ["mail.activity", "crm.agent.owned.mixin"]

    agent_action_id = fields.Many2one(
        "crm.agent.action",
        string="Agent action",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="Set by the agent on the approval activity it schedules; never by a person.",
    )

    @api.model
    def _agent_owned_fields(self):
        """Only the agent links an activity to its proposals."""
        return super()._agent_owned_fields() | {"agent_action_id"}

    def _agent_open_actions(self):
        """The open proposals whose approval activity is one of these: an activity decides only
        the action that created it (the link is checked from the action's side too)."""
        actions = self.sudo().agent_action_id  # the agent's rows behind the user's activities
        return actions.filtered(
            lambda a: a.state in OPEN_STATES and a.activity_id and a.activity_id in self
        ).with_env(self.env)

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking an agent approval done approves and executes it, as the user who marks it."""
        actions = self._agent_open_actions()
        if actions:
            # check before anything is posted or archived: a non-approver changes nothing
            actions._agent_check_approver()
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if actions:
            actions.action_approve(comment=feedback or None)
        return result

    def unlink(self):
        """Cancelling an agent approval rejects it; the reason is kept on the action. Activities
        of decided actions are closed by the agent (they are no longer open)."""
        actions = self._agent_open_actions()
        if actions and self.env.su:
            # removed by the system (e.g. the record itself is deleted): nobody decided
            actions.sudo().write(
                {"state": "expired", "error": self.env._("Approval activity removed.")}
            )
        elif actions:
            reason = self.env.context.get("crm_agent_reject_reason") or self.env._(
                "Approval activity cancelled by %s", self.env.user.name
            )
            actions._agent_reject(reason=str(reason)[:2000], close_activities=False)
        if actions:
            actions.sudo().write(
                {"activity_id": False}
            )  # sudo: unlink the agent's own link to the activity being removed
        return super().unlink()
