"""The approval flow is never a way around Odoo's access rights.

Each test plays one scenario of the security audit as the attacker would, through the ORM as RPC
does (a plain user environment, no sudo in the attacker's steps)."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AgentCase


@tagged("post_install", "-at_install", "crm_agent", "crm_agent_security")
class TestAgentSecurity(AgentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.agent_user = cls.env.ref("crm_agent.user_agent", raise_if_not_found=False)
        cls.system_group = cls.env.ref("base.group_system")
        cls.other_lead = cls.env["crm.lead"].create(
            {
                "name": "Other rep's deal",
                "type": "opportunity",
                "user_id": cls.other_rep.id,
                "description": "<p>Internal: they will sign at 80k</p>",
                "expected_revenue": 80000,
            }
        )

    # 1. a salesperson forges an action and an approval activity for the admin
    def test_1_salesperson_cannot_forge_an_action_or_its_activity(self):
        Action = self.Action.with_user(self.rep)
        forged = {
            "name": "Give me the keys",
            "kind": "update_fields",
            "res_model": "res.users",
            "res_id": self.rep.id,
            "explanation": "Looks fine.",
            "confidence": 1.0,
            "approver_id": self.admin.id,
            "payload": {"values": {"group_ids": [self.system_group.id]}},
        }
        with self.assertRaises(AccessError):
            Action.create(dict(forged))
        # even the agent's own (private, not RPC-callable) path refuses users and access models
        with self.assertRaises(ValidationError):
            Action._agent_propose(dict(forged))
        partner_forged = dict(
            forged,
            res_model="res.partner",
            res_id=self.rep.partner_id.id,
            payload={"values": {"user_ids": [Command.link(self.admin.id)]}},
        )
        with self.assertRaises(ValidationError):
            Action._agent_propose(partner_forged)

        # a real proposal exists, waiting for the approver in its activity
        action = self.propose()
        Activity = self.env["mail.activity"].with_user(self.rep)
        with self.assertRaises(AccessError):
            Activity.create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": self.lead.id,
                    "activity_type_id": self.approval_type.id,
                    "user_id": self.admin.id,
                    "summary": "Agent: please approve",
                    "agent_action_id": action.id,
                }
            )
        ordinary = self.lead.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.admin.id, summary="Call Ann"
        )
        with self.assertRaises(AccessError):
            ordinary.with_user(self.rep).write({"agent_action_id": action.id})

        # had such a link been made anyhow, an activity approves only the action that created it
        ordinary.sudo().agent_action_id = action
        ordinary.with_user(self.admin).action_feedback(feedback="done")
        self.assertEqual(action.state, "waiting", "marking another activity done approves nothing")
        self.assertEqual(self.lead.phone, "020 7946 0958")
        self.assertFalse(self.rep.has_group("base.group_system"))

    # 2. a sales administrator approves as the superuser
    def test_2_manager_cannot_write_state_or_approver(self):
        action = self.propose()
        with self.assertRaises(AccessError):
            action.with_user(self.manager).write(
                {"state": "approved", "approved_by_id": self.env.ref("base.user_root").id}
            )
        self.assertEqual(action.state, "waiting")
        self.Action._cron_execute_actions()
        self.assertEqual(self.lead.phone, "020 7946 0958")

    @mute_logger("odoo.addons.crm_agent.models.crm_agent_action")
    def test_2_stored_superuser_approver_never_executes(self):
        # however a row came to say "approved by the superuser", execution refuses it
        action = self.propose()
        action.sudo().write(
            {"state": "approved", "approved_by_id": self.env.ref("base.user_root").id}
        )
        self.Action._cron_execute_actions()
        self.assertEqual(action.state, "failed")
        self.assertEqual(self.lead.phone, "020 7946 0958")

    # 3. self-approval
    def test_3_nobody_approves_what_they_proposed(self):
        # the rep is an approver too, and the configured one; she runs a check herself
        self.rep.group_ids |= self.env.ref("crm_agent.group_agent_approver")
        self.company.agent_approver_user_id = self.rep
        action = self.Action.with_user(self.rep)._agent_propose(
            {
                "name": "Standardise the phone",
                "kind": "update_fields",
                "res_model": "crm.lead",
                "res_id": self.lead.id,
                "explanation": "The phone is not in E.164 format.",
                "confidence": 0.99,
                "payload": {"values": {"phone": "+442079460958"}},
            }
        )
        self.assertNotEqual(action.approver_id, self.rep, "the proposer is never the approver")
        with self.assertRaises(AccessError):
            action.with_user(self.rep).action_approve()
        self.assertEqual(self.lead.phone, "020 7946 0958")

    def test_3_nobody_decides_on_their_own_contact(self):
        self.approver.partner_id.phone = "020 7946 0958"
        action = self.propose(record=self.approver.partner_id)
        self.assertNotEqual(action.approver_id, self.approver)
        with self.assertRaises(AccessError):
            action.with_user(self.approver).action_approve()

    # 4. forged before-image
    def test_4_before_image_and_undo_hold_only_the_changed_fields(self):
        action = self.propose(before_image={"phone": "020 7946 0958", "user_id": self.admin.id})
        self.assertEqual(action.before_image, {"phone": "020 7946 0958"})
        action.with_user(self.approver).action_approve()
        self.assertEqual(action.state, "done")
        # a before-image holding more than the action changed is never restored beyond it
        action.sudo().before_image = {"phone": "020 7946 0958", "user_id": self.admin.id}
        action.with_user(self.manager).action_undo()
        self.assertEqual(self.lead.phone, "020 7946 0958")
        self.assertEqual(self.lead.user_id, self.rep)

    # 5 (core part). what an action shows is limited to readers of every record it touches
    def test_5_multi_record_actions_are_hidden_from_who_cannot_read_them_all(self):
        action = self.propose(
            payload={"values": {"phone": "+442079460958"}, "record_ids": [self.other_lead.id]},
        )
        self.assertEqual(action.approver_id, self.approver, "the approver reads both leads")
        self.assertFalse(self.Action.with_user(self.rep).search([("id", "=", action.id)]))
        with self.assertRaises(AccessError):
            action.with_user(self.rep).read(["name", "payload"])
        self.assertTrue(self.Action.with_user(self.approver).search([("id", "=", action.id)]))

    # 10. pagination applies after the visibility filter
    def test_10_pagination_keeps_the_users_own_proposals(self):
        Action = self.Action.with_user(self.rep)
        mine = self.env["crm.agent.action"]
        for index in range(3):
            self.propose(record=self.other_lead, values={"name": f"hidden {index}"})
            mine |= self.propose(values={"name": f"mine {index}"})
        for index in range(3):
            self.propose(record=self.other_lead, values={"name": f"hidden late {index}"})
        domain = [("id", "in", self.Action.search([]).ids)]
        self.assertEqual(Action.search_count(domain), 3)
        self.assertEqual(Action.search(domain, limit=2) | Action.search(domain, offset=2), mine)
        self.assertEqual(len(Action.search(domain, limit=3)), 3)
        self.assertEqual(len(Action.search_read(domain, ["name"], limit=3)), 3)

    # 11. a client-supplied context key never lets a non-approver remove an approval
    def test_11_context_keys_do_not_skip_the_approval_check(self):
        action = self.propose()
        activity = action.activity_id
        for key in ("crm_agent_closing", "crm_agent_activity_unlinking"):
            with self.assertRaises(AccessError):
                activity.with_user(self.rep).with_context(**{key: True}).unlink()
        with self.assertRaises(AccessError):
            action.with_user(self.rep).with_context(
                crm_agent_activity_unlinking=True
            ).action_reject()
        self.assertTrue(activity.exists())
        self.assertEqual(action.state, "waiting")

    # 12. a queued auto-run of a deleted user never runs as the superuser
    def test_12_auto_runs_execute_as_the_agents_user(self):
        self.company.agent_autonomy = "conditional"
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", "True")
        proposer = new_test_user(
            self.env, "agent_short_lived", groups="sales_team.group_sale_salesman_all_leads"
        )
        action = self.Action.with_user(proposer)._agent_propose(
            {
                "name": "Standardise the phone",
                "kind": "update_fields",
                "res_model": "crm.lead",
                "res_id": self.lead.id,
                "explanation": "The phone is not in E.164 format.",
                "confidence": 0.99,
                "payload": {"values": {"phone": "+442079460958"}},
            }
        )
        self.assertEqual((action.state, action.auto_run), ("proposed", True))
        proposer.unlink()
        action = self.Action.browse(action.id)
        self.assertFalse(action.create_uid)
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", False)
        self.Action._cron_execute_actions()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.executed_by_id, self.agent_user)
        self.assertFalse(self.agent_user._is_superuser())
        self.assertFalse(self.agent_user.has_group("base.group_system"))
        self.assertEqual(self.lead.phone, "+442079460958")

    def test_12_agent_user_executes_only_what_a_person_may(self):
        # a rule no user escapes (only the superuser would): locked leads are never written
        self.env["ir.rule"].create(
            {
                "name": "Locked leads are read-only",
                "model_id": self.env["ir.model"]._get_id("crm.lead"),
                "domain_force": "[('name', 'not ilike', 'Locked')]",
                "perm_read": False,
                "perm_create": False,
                "perm_unlink": False,
            }
        )
        self.company.agent_autonomy = "conditional"
        locked = self.env["crm.lead"].create({"name": "Locked deal", "phone": "020 7946 0958"})
        action = self.propose(record=locked)
        self.assertEqual(action.state, "failed")
        self.assertEqual(locked.phone, "020 7946 0958")

    # follow-up 1. context defaults never approve a new action
    def test_f1_context_defaults_do_not_reach_a_new_action(self):
        forged_context = {
            "default_state": "approved",
            "default_approved_by_id": self.admin.id,
            "default_auto_run": True,
            "default_approver_id": self.rep.id,
            "default_executed_by_id": self.admin.id,
        }
        with self.assertRaises(AccessError):
            self.Action.with_user(self.rep).with_context(**forged_context).create(
                {
                    "name": "x",
                    "kind": "update_fields",
                    "res_model": "crm.lead",
                    "res_id": self.lead.id,
                    "explanation": "x",
                }
            )
        action = (
            self.Action.with_user(self.rep)
            .with_context(**forged_context)
            ._agent_propose(
                {
                    "name": "Standardise the phone",
                    "kind": "update_fields",
                    "res_model": "crm.lead",
                    "res_id": self.lead.id,
                    "explanation": "The phone is not in E.164 format.",
                    "confidence": 0.99,
                    "payload": {"values": {"phone": "+442079460958"}},
                }
            )
        )
        self.assertEqual(action.state, "waiting")
        self.assertFalse(action.approved_by_id)
        self.assertFalse(action.auto_run)
        self.assertEqual(action.approver_id, self.approver)
        self.Action._cron_execute_actions()
        self.assertEqual(self.lead.phone, "020 7946 0958")

    # follow-up 2. nothing of an action changes after its proposal, except by the agent
    def test_f2_managers_cannot_rewrite_any_field_of_an_action(self):
        action = self.propose()
        forged = {
            "kind": "schedule_activity",
            "res_model": "res.partner",
            "res_id": self.rep.partner_id.id,
            "freshness_snapshot": {},
            "auto_run": True,
            "risk": "low",
            "irreversible": False,
            "payload": {"values": {"name": "x"}},
            "before_image": {"group_ids": []},
            "state": "approved",
            "approver_id": self.manager.id,
            "explanation": "other",
            "confidence": 1.0,
            "expires_at": "2099-01-01 00:00:00",
            "company_id": self.company.id,
        }
        before = action.read(list(forged))[0]
        for fname, value in forged.items():
            with self.subTest(field=fname), self.assertRaises(AccessError):
                action.with_user(self.manager).write({fname: value})
        self.assertEqual(action.read(list(forged))[0], before)
        # archiving the audit row stays a manager's right
        action.with_user(self.manager).action_archive()
        self.assertFalse(action.active)
        with self.assertRaises(AccessError):
            action.with_user(self.approver).write({"active": True})

    def test_approval_checks_read_access_at_execution(self):
        action = self.propose()
        # the approver loses the right to approve after approving, before the cron ran
        action.sudo().write({"state": "approved", "approved_by_id": self.rep.id})
        self.Action._cron_execute_actions()
        self.assertEqual(action.state, "failed")
        self.assertIn("Remy Rep", action.error)
        self.assertEqual(self.lead.phone, "020 7946 0958")

    def test_decided_actions_cannot_be_decided_again(self):
        action = self.propose()
        action.with_user(self.approver).action_reject(reason="no")
        with self.assertRaises(UserError):
            action.with_user(self.approver).action_approve()
        self.assertEqual(self.lead.phone, "020 7946 0958")
