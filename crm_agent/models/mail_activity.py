from odoo import api, fields, models

from ..engine.proposal import NOT_NOW, WRONG

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
    # the proposals one approval activity asks about (one activity per record and approver)
    agent_action_ids = fields.One2many("crm.agent.action", "activity_id", readonly=True)
    # for the chatter: Cancel on an agent approval opens the reject dialog
    agent_is_approval = fields.Boolean(compute="_compute_agent_approval_info")
    agent_approval_info = fields.Char(
        compute="_compute_agent_approval_info",
        help="Who decides on an agent approval, for the users who may not decide themselves.",
    )

    @api.model
    def _agent_owned_fields(self):
        """Only the agent links an activity to its proposals."""
        return super()._agent_owned_fields() | {"agent_action_id"}

    def _agent_open_actions(self):
        """The open proposals whose approval activity is one of these: an activity decides only
        the actions it asks about (the link is checked from the action's side)."""
        actions = (
            self.sudo().agent_action_ids | self.sudo().agent_action_id
        )  # sudo: the agent's rows behind the user's activities
        return actions.filtered(
            lambda a: a.state in OPEN_STATES and a.activity_id and a.activity_id in self
        ).with_env(self.env)

    def _agent_refusal(self):
        """Why the current user may not decide the open proposals of this activity, or None."""
        self.ensure_one()
        for action in self._agent_open_actions():
            refusal = action._agent_approval_refusal()
            if refusal:
                return refusal
        return None

    @api.depends("res_model", "res_id", "user_id")
    @api.depends_context("uid")
    def _compute_can_write(self):
        """Mark done, Edit and Cancel of an agent approval are offered only to who may decide."""
        result = super()._compute_can_write()
        for activity in self.filtered("agent_action_id"):
            if activity.can_write and activity._agent_refusal():
                activity.can_write = False
        return result

    @api.depends("agent_action_id", "user_id")
    @api.depends_context("uid")
    def _compute_agent_approval_info(self):
        for activity in self:
            activity.agent_is_approval = bool(activity.agent_action_id)
            activity.agent_approval_info = (
                self.env._(
                    "Waiting for %s: only an approver of the agent decides on it.",
                    activity.user_id.name or self.env._("an approver"),
                )
                if activity.agent_action_id and activity._agent_refusal()
                else False
            )

    def _to_store_defaults(self, target):
        return [*super()._to_store_defaults(target), "agent_approval_info", "agent_is_approval"]

    def action_agent_open_reject_dialog(self):
        """The reject dialog for the open proposals of this approval activity."""
        self.ensure_one()
        actions = self._agent_open_actions()
        if not actions:
            return False
        return actions.action_open_reject_wizard()

    def _agent_refresh_note(self):
        """Rewrite the note and summary of approval activities after their proposals changed."""
        # sudo: the agent's own activities and rows
        for activity in self.sudo():
            actions = activity.agent_action_ids.filtered(lambda a: a.state in OPEN_STATES)
            if not actions:
                continue
            actions = actions.sorted("id")
            summary = (
                self.env._("Agent: %s", actions.name)
                if len(actions) == 1
                else self.env._(
                    "Agent: %(count)s proposals on %(record)s",
                    count=len(actions),
                    record=actions[0].target_display_name,
                )
            )
            activity.write(
                {
                    "note": actions._agent_activity_note(activity.user_id),
                    "summary": summary[:200],
                    "agent_action_id": actions[0].id,
                }
            )

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
        """Cancelling an agent approval rejects it. Through the reject dialog the person says
        why and whether it is wrong or only not wanted now; a bare Cancel records a neutral
        "dismissed without a reason" that counts as "not now". Activities of decided actions
        are closed by the agent (they are no longer open)."""
        actions = self._agent_open_actions()
        if actions and self.env.su:
            # removed by the system (e.g. the record itself is deleted or merged): nobody decided
            actions.sudo().write(
                {
                    "state": "expired",
                    "error": self.env._(
                        "Closed without a decision: its approval activity was removed with its "
                        "record (deleted, or merged into another)."
                    ),
                }
            )
        elif actions:
            reason = self.env.context.get("crm_agent_reject_reason")
            kind = self.env.context.get("crm_agent_reject_kind") or (WRONG if reason else NOT_NOW)
            actions._agent_reject(
                reason=str(reason)[:2000] if reason else None,
                close_activities=False,
                rejection_kind=kind,
            )
        if actions:
            actions.sudo().write(
                {"activity_id": False}
            )  # sudo: unlink the agent's own link to the activity being removed
        return super().unlink()
