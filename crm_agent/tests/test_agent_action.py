from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.crm_agent.engine.policy import KindSpec
from odoo.addons.crm_agent.engine.proposal import propose

from .common import AgentCase


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentApproval(AgentCase):
    def test_round_trip_through_the_activity(self):
        action = self.propose()
        self.assertEqual(action.state, "waiting")
        self.assertEqual(action.approver_id, self.approver)
        activity = action.activity_id
        self.assertTrue(activity)
        self.assertEqual(activity.activity_type_id, self.approval_type)
        self.assertEqual((activity.res_model, activity.res_id), ("crm.lead", self.lead.id))
        self.assertEqual(activity.user_id, self.approver)
        self.assertIn("E.164", str(activity.note))
        self.assertIn("+442079460958", str(activity.note), "the change is shown in the activity")
        self.assertEqual(self.lead.phone, "020 7946 0958", "nothing runs before the approval")

        activity.with_user(self.approver).action_feedback(feedback="fine")

        self.assertEqual(action.state, "done")
        self.assertEqual(action.approved_by_id, self.approver)
        self.assertEqual(action.executed_by_id, self.approver)
        self.assertEqual(self.lead.phone, "+442079460958")
        self.assertEqual(action.before_image, {"phone": "020 7946 0958"})
        bodies = " ".join(self.agent_notes().mapped("body"))
        for step in ("Proposed", "Approved by Ada Approver", "Done"):
            self.assertIn(step, bodies)

    def test_rejection_by_cancelling_the_activity_keeps_the_reason(self):
        action = self.propose()
        action.activity_id.with_user(self.approver).with_context(
            crm_agent_reject_reason="This number belongs to the switchboard"
        ).unlink()
        self.assertEqual(action.state, "rejected")
        self.assertEqual(action.rejected_by_id, self.approver)
        self.assertEqual(action.rejection_reason, "This number belongs to the switchboard")
        self.assertEqual(self.lead.phone, "020 7946 0958")
        self.assertIn("switchboard", " ".join(self.agent_notes().mapped("body")))

    def test_rejection_from_the_action_form_wizard(self):
        action = self.propose()
        wizard = (
            self.env["crm.agent.action.reject"]
            .with_user(self.approver)
            .create({"action_ids": [(6, 0, action.ids)], "reason": "Wrong country"})
        )
        wizard.action_confirm()
        self.assertEqual(action.state, "rejected")
        self.assertEqual(action.rejection_reason, "Wrong country")
        self.assertFalse(action.activity_id.exists(), "the approval activity is closed")

    def test_deleting_the_record_expires_its_pending_approval(self):
        lead = self.env["crm.lead"].create({"name": "Short-lived", "phone": "020 7946 0000"})
        action = self.propose(record=lead)
        self.assertEqual(action.state, "waiting")
        lead.unlink()  # mail.thread removes its activities as the system: nobody decided
        self.assertEqual(action.state, "expired")
        self.assertFalse(action.activity_id)

    def test_non_approver_cannot_approve(self):
        action = self.propose()
        activity = action.activity_id
        with self.assertRaises(AccessError):
            activity.with_user(self.rep).action_feedback(feedback="let me")
        with self.assertRaises(AccessError):
            action.with_user(self.rep).action_approve()
        with self.assertRaises(AccessError):
            action.with_user(self.rep).action_reject(reason="no")
        self.assertEqual(action.state, "waiting")
        self.assertTrue(activity.active)
        self.assertEqual(self.lead.phone, "020 7946 0958")

    def test_assigned_user_may_approve_without_the_group(self):
        self.company.agent_approver_user_id = self.other_rep
        self.lead.user_id = self.other_rep  # so that the rep can read and write the lead
        action = self.propose()
        self.assertEqual(action.approver_id, self.other_rep)
        action.with_user(self.other_rep).action_approve()
        self.assertEqual(action.state, "done")

    def test_an_approver_who_cannot_read_the_record_is_never_asked(self):
        self.company.agent_approver_user_id = self.other_rep  # cannot read the rep's lead
        action = self.propose()
        self.assertEqual(action.approver_id, self.manager, "the team leader, who can read it")
        with self.assertRaises(AccessError):
            action.with_user(self.other_rep).action_approve()

    def test_team_leader_is_the_fallback_approver(self):
        self.company.agent_approver_user_id = False
        action = self.propose()
        self.assertEqual(action.approver_id, self.manager)

    def test_execution_runs_with_the_approvers_rights(self):
        # an approver who may read contacts but not write them (no sales rights)
        reader = new_test_user(
            self.env, "agent_reader", groups="base.group_user,crm_agent.group_agent_approver"
        )
        self.company.agent_approver_user_id = reader
        partner = self.env["res.partner"].create({"name": "Read Only", "phone": "020 7946 0958"})
        action = self.propose(record=partner)
        self.assertEqual(action.approver_id, reader)
        action.activity_id.with_user(reader).action_feedback()
        self.assertEqual(action.state, "failed")
        self.assertTrue(action.error)
        self.assertEqual(partner.phone, "020 7946 0958")


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentPolicy(AgentCase):
    def test_conditional_runs_low_risk_alone(self):
        self.company.agent_autonomy = "conditional"
        action = self.propose()
        self.assertEqual(action.state, "done")
        self.assertTrue(action.auto_run)
        self.assertFalse(action.activity_id)
        self.assertEqual(self.lead.phone, "+442079460958")

    def test_conditional_routes_high_risk_to_a_person(self):
        self.company.agent_autonomy = "conditional"
        self.env["crm.agent.kind.policy"].create({"kind": "update_fields", "risk": "high"})
        action = self.propose()
        self.assertEqual(action.state, "waiting")
        self.assertIn("High", action.policy_reason, "the risk's label")

    def test_conditional_below_threshold_asks(self):
        self.company.agent_autonomy = "conditional"
        action = self.propose(confidence=0.5)
        self.assertEqual(action.state, "waiting")

    def test_assisted_runs_nothing(self):
        action = self.propose()
        self.assertEqual(action.state, "waiting")
        self.assertFalse(action.auto_run)

    def test_hard_rules_hold_under_every_setting(self):
        self.company.agent_autonomy = "conditional"
        self.env["crm.agent.kind.policy"].create(
            {"kind": "update_fields", "risk": "low", "threshold": 0.0}
        )
        for flag in ("irreversible", "contacts_customer", "moves_money"):
            action = self.propose(**{flag: True})
            self.assertEqual(action.state, "waiting", flag)
            self.assertIn("Always asks a person", action.policy_reason)

    def test_no_explanation_never_exists(self):
        for explanation in (False, "", "   "):
            with self.assertRaises(ValidationError):
                self.propose(explanation=explanation)

    def test_users_cannot_create_actions(self):
        for user in (self.rep, self.approver, self.manager):
            with self.assertRaises(AccessError):
                self.Action.with_user(user).create(
                    {
                        "name": "sneaky",
                        "kind": "update_fields",
                        "res_model": "crm.lead",
                        "res_id": self.lead.id,
                        "explanation": "x",
                        "state": "approved",
                        "approved_by_id": self.approver.id,
                        "auto_run": True,
                    }
                )


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentExecution(AgentCase):
    def test_stale_target_stops_execution(self):
        action = self.propose()
        self.lead.phone = "+44 20 7946 0000"  # a person changed it meanwhile
        action.with_user(self.approver).action_approve()
        self.assertEqual(action.state, "stale")
        self.assertEqual(self.lead.phone, "+44 20 7946 0000")

    def test_unrelated_change_is_not_stale(self):
        action = self.propose()
        self.lead.description = "<p>called them</p>"
        action.with_user(self.approver).action_approve()
        self.assertEqual(action.state, "done")

    @mute_logger("odoo.sql_db")
    def test_failing_execution_leaves_the_target_untouched(self):
        action = self.propose(values={"name": "Renamed by the agent", "probability": 150})
        action.with_user(self.approver).action_approve()
        self.assertEqual(action.state, "failed")
        self.assertTrue(action.error)
        self.assertEqual(self.lead.name, "Agent lead")
        self.assertIn("Failed", " ".join(self.agent_notes().mapped("body")))

    def test_undo_restores_the_before_image(self):
        action = self.propose(values={"phone": "+442079460958", "tag_ids": []})
        action.with_user(self.approver).action_approve()
        self.assertEqual(self.lead.phone, "+442079460958")
        with self.assertRaises(AccessError):
            action.with_user(self.approver).action_undo()
        action.with_user(self.manager).action_undo()
        self.assertEqual(action.state, "undone")
        self.assertEqual(action.undone_by_id, self.manager)
        self.assertEqual(self.lead.phone, "020 7946 0958")

    def test_undo_refuses_to_overwrite_a_later_edit(self):
        action = self.propose()
        action.with_user(self.approver).action_approve()
        self.lead.phone = "+44 20 7946 1111"
        with self.assertRaises(UserError):
            action.with_user(self.manager).action_undo()
        self.assertEqual(self.lead.phone, "+44 20 7946 1111")

    def test_schedule_activity_kind_and_its_undo(self):
        action = self.Action._agent_propose(
            {
                "name": "Call back",
                "kind": "schedule_activity",
                "res_model": "crm.lead",
                "res_id": self.lead.id,
                "explanation": "The customer asked to be called on Monday.",
                "confidence": 0.95,
                "payload": {
                    "summary": "Call back Ann",
                    "activity_type_xmlid": "mail.mail_activity_data_call",
                    "delay_days": 3,
                    "user_id": self.rep.id,
                },
            }
        )
        action.with_user(self.approver).action_approve()
        self.assertEqual(action.state, "done")
        created = self.env["mail.activity"].browse(action.result_data["activity_ids"])
        self.assertEqual(created.summary, "Call back Ann")
        self.assertEqual(created.user_id, self.rep)
        action.with_user(self.manager).action_undo()
        self.assertFalse(created.exists())

    def test_actions_are_never_deleted_by_users(self):
        action = self.propose()
        with self.assertRaises(UserError):
            action.with_user(self.manager).unlink()
        action.with_user(self.manager).action_archive()
        self.assertFalse(action.active)


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentKillSwitch(AgentCase):
    def test_pause_stops_automatic_execution_and_crons(self):
        self.company.agent_autonomy = "conditional"
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", "True")
        action = self.propose()
        self.assertEqual(action.state, "proposed", "queued, not executed")
        self.assertEqual(self.lead.phone, "020 7946 0958")
        self.Action._cron_execute_actions()
        self.assertEqual(action.state, "proposed")

        waiting = self.propose(confidence=0.1, values={"name": "Renamed"})
        self.assertEqual(waiting.state, "waiting", "pending approvals are still created")
        waiting.with_user(self.approver).action_approve()
        self.assertEqual(waiting.state, "done", "and can still be answered")

        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", False)
        self.Action._cron_execute_actions()
        self.assertEqual(action.state, "done")
        self.assertEqual(self.lead.phone, "+442079460958")

    def test_expiry_cron(self):
        action = self.propose()
        action.sudo().expires_at = "2000-01-01 00:00:00"
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", "True")
        self.Action._cron_expire_actions()
        self.assertEqual(action.state, "waiting", "paused: the cron does nothing")
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", False)
        activity = action.activity_id
        self.Action._cron_expire_actions()
        self.assertEqual(action.state, "expired")
        self.assertFalse(activity.exists())

    def test_settings_expose_the_kill_switch(self):
        self.manager.group_ids |= self.env.ref("base.group_system")
        settings = self.env["res.config.settings"].with_user(self.manager).create({})
        settings.agent_paused = True
        settings.execute()
        self.assertTrue(self.Action._agent_is_paused())


class _Missing:
    """A method that is not there: reading it raises AttributeError."""

    def __get__(self, obj, objtype=None):
        raise AttributeError("no executor for this kind")


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentBatchRobustness(AgentCase):
    def test_a_missing_executor_fails_one_action_not_the_batch(self):
        self.company.agent_autonomy = "conditional"
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", "True")
        first = self.propose(values={"phone": "+442079460958"})
        activity = self.Action._agent_propose(
            {
                "name": "Call back",
                "kind": "schedule_activity",
                "res_model": "crm.lead",
                "res_id": self.lead.id,
                "explanation": "The customer asked to be called.",
                "confidence": 0.99,
                "payload": {"summary": "Call back"},
            }
        )
        other = self.env["crm.lead"].create({"name": "Second", "phone": "020 7946 0001"})
        last = self.propose(record=other, values={"phone": "+442079460001"})
        self.assertEqual((first | activity | last).mapped("state"), ["proposed"] * 3)
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", False)
        with patch.object(type(self.Action), "_agent_execute_schedule_activity", _Missing()):
            self.Action._cron_execute_actions()
        self.assertEqual(activity.state, "failed")
        self.assertEqual((first | last).mapped("state"), ["done", "done"])

    def test_approval_buttons_only_for_who_may_decide(self):
        action = self.propose()
        self.assertTrue(action.with_user(self.approver).can_decide)
        self.assertFalse(action.with_user(self.rep).can_decide)
        action.with_user(self.approver).action_approve()
        self.assertFalse(action.with_user(self.approver).can_decide)

    def test_every_kind_is_declared_with_its_methods(self):
        self.assertEqual(self.Action._agent_kind_problems(), [])
        specs = self.Action._agent_kind_specs()
        broken = dict(specs)
        del broken["schedule_activity"]
        broken["update_fields"] = KindSpec("update_fields", execute="_agent_execute_nowhere")
        with patch.object(type(self.Action), "_agent_kind_specs", lambda _self: broken):
            problems = self.Action._agent_kind_problems()
        self.assertTrue(any("'schedule_activity' has no declaration" in p for p in problems))
        self.assertTrue(any("_agent_execute_nowhere does not exist" in p for p in problems))


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentNeverAskTwice(AgentCase):
    def _keyed(self, key="phone:lead", **extra):
        return self.Action._agent_propose(
            propose(
                "crm.lead", self.lead.id, "update_fields", "Standardise the phone",
                "The phone is not in E.164 format.", 0.99, "agent",
                values={"phone": "+442079460958"}, key=key, **extra,
            )
        )  # fmt: skip

    def test_open_done_and_recent_rejections_are_not_asked_again(self):
        first = self._keyed()
        self.assertEqual(first.state, "waiting")
        self.assertFalse(self._keyed(), "still open")
        first.with_user(self.approver).action_reject(reason="no", rejection_kind="not_now")
        self.assertFalse(self._keyed(), "rejected recently")
        first.sudo().rejected_date = "2000-01-01 00:00:00"
        again = self._keyed()
        self.assertEqual(again.state, "waiting", "a 'not now' long ago is forgotten")
        again.with_user(self.approver).action_approve()
        self.assertFalse(self._keyed(), "done")

    def test_stale_expired_and_failed_proposals_come_back(self):
        for state in ("stale", "expired", "failed"):
            action = self._keyed(key=f"k-{state}")
            action.sudo().write({"state": state})
            self.assertTrue(self._keyed(key=f"k-{state}"), state)

    def test_one_key_is_proposed_once_per_call(self):
        proposal = propose(
            "crm.lead", self.lead.id, "update_fields", "Standardise the phone",
            "The phone is not in E.164 format.", 0.99, "agent",
            values={"phone": "+442079460958"}, key="same",
        )  # fmt: skip
        self.assertEqual(len(self.Action._agent_propose([proposal, proposal])), 1)
