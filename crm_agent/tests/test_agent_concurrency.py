"""Two transactions on the same action: it executes once.

These tests need real, separately committed transactions, so they open their own cursors on the
test database and clean up what they committed."""

from odoo import api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentConcurrency(BaseCase):
    def _setup_action(self, autonomy="assisted", paused=False):
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env.company.agent_autonomy = autonomy
            env["ir.config_parameter"].set_param("crm_agent.paused", paused)
            approver = env["res.users"].create(
                {
                    "name": "Concurrent Approver",
                    "login": "agent_concurrent_approver",
                    "group_ids": [
                        (4, env.ref("sales_team.group_sale_salesman_all_leads").id),
                        (4, env.ref("crm_agent.group_agent_approver").id),
                    ],
                }
            )
            env.company.agent_approver_user_id = approver
            lead = env["crm.lead"].create({"name": "Race lead", "phone": "020 7946 0958"})
            action = env["crm.agent.action"]._agent_propose(
                {
                    "name": "Standardise the phone",
                    "kind": "update_fields",
                    "res_model": "crm.lead",
                    "res_id": lead.id,
                    "explanation": "The phone is not in E.164 format.",
                    "confidence": 0.99,
                    "payload": {"values": {"phone": "+442079460958"}},
                }
            )
            self.ids = {"approver": approver.id, "lead": lead.id, "action": action.id}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env.company.agent_approver_user_id = False
            env.company.agent_autonomy = "assisted"
            env["ir.config_parameter"].set_param("crm_agent.paused", False)
            env["crm.agent.action"].browse(self.ids["action"]).unlink()
            env["crm.lead"].browse(self.ids["lead"]).unlink()
            env["res.users"].browse(self.ids["approver"]).unlink()

    def _env(self, cr, uid):
        return api.Environment(cr, uid, {})

    def _done_notes(self, env):
        lead = env["crm.lead"].browse(self.ids["lead"])
        return lead.message_ids.filtered(
            lambda m: "Done" in (m.body or "") and "Agent" in (m.body or "")
        )

    def test_two_approvals_execute_once(self):
        self._setup_action()
        uid = self.ids["approver"]
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            action1 = self._env(cr1, uid)["crm.agent.action"].browse(self.ids["action"])
            action2 = self._env(cr2, uid)["crm.agent.action"].browse(self.ids["action"])
            action1.action_approve()  # executes, holds the row lock, not committed yet
            with self.assertRaises(UserError):
                action2.action_approve()  # the other approver is told to try again
            cr2.rollback()
            cr1.commit()
            with self.assertRaises(UserError):
                action2.action_approve()  # now it is done: nothing left to approve
            cr2.rollback()
        with self.registry.cursor() as cr:
            env = self._env(cr, api.SUPERUSER_ID)
            action = env["crm.agent.action"].browse(self.ids["action"])
            self.assertEqual(action.state, "done")
            self.assertEqual(len(self._done_notes(env)), 1)

    def test_two_crons_execute_once(self):
        # queued while paused, then resumed: two cron workers pick up the same queue
        self._setup_action(autonomy="conditional", paused=True)
        with self.registry.cursor() as cr:
            self._env(cr, api.SUPERUSER_ID)["ir.config_parameter"].set_param(
                "crm_agent.paused", False
            )
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            first = self._env(cr1, api.SUPERUSER_ID)[
                "crm.agent.action"
            ]._agent_execute_pending_batch()
            self.assertIn(self.ids["action"], first.ids)
            second = self._env(cr2, api.SUPERUSER_ID)[
                "crm.agent.action"
            ]._agent_execute_pending_batch()
            self.assertNotIn(self.ids["action"], second.ids, "the locked row is skipped")
            cr2.rollback()
            cr1.commit()
        with self.registry.cursor() as cr:
            env = self._env(cr, api.SUPERUSER_ID)
            self.assertEqual(env["crm.agent.action"].browse(self.ids["action"]).state, "done")
            self.assertEqual(env["crm.lead"].browse(self.ids["lead"]).phone, "+442079460958")
            self.assertEqual(len(self._done_notes(env)), 1)
