"""The demo database built by ``tools/demo.py`` (run on it by ``tools/run_tests.py``): what its
first screen promises, and the approver's first five minutes in a browser. Skipped on any
database the demo did not build."""

from unittest import SkipTest

from odoo.tests import HttpCase, TransactionCase, tagged

DEMO_DONE = "crm_agent_demo.step.agent_run"


def _skip_unless_demo(env):
    if not env["ir.config_parameter"].sudo().get_param(DEMO_DONE):
        raise SkipTest("not a database built by tools/demo.py")


@tagged("post_install", "-at_install", "crm_agent_demo")
class TestDemoFirstScreen(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _skip_unless_demo(cls.env)
        cls.Action = cls.env["crm.agent.action"].with_context(active_test=False)
        cls.approver = cls.env["res.users"].search([("login", "=", "approver")])

    def test_open_leads_have_scores_with_reasons(self):
        Lead = self.env["crm.lead"]
        self.assertIn("agent_probability", Lead._fields, "crm_agent_scoring is installed")
        scored = Lead.search([("won_status", "=", "pending"), ("agent_scored_date", "!=", False)])
        self.assertTrue(scored, "open leads are scored")
        with_reasons = scored.filtered(
            lambda lead: lead.agent_score_summary and lead.agent_score_factors
        )
        self.assertGreater(len(with_reasons), len(scored) // 2, "most scores carry their reasons")
        model = self.env["crm.agent.scoring.model"].search([("state", "=", "active")])
        self.assertEqual(len(model), 1, "one scoring model is in charge")
        self.assertTrue(model.beats_pls, f"the demo never shows a model that lost: {model.message}")
        self.assertGreater(model.auc, model.pls_auc)

    def test_merge_approvals_wait_in_the_approvers_activities(self):
        merges = self.Action.search([("kind", "=", "merge_partners"), ("state", "=", "waiting")])
        self.assertTrue(merges, "duplicate contacts wait for a decision")
        activities = self.env["mail.activity"].search([
            ("agent_action_id", "in", merges.ids), ("user_id", "=", self.approver.id)
        ])  # fmt: skip
        self.assertTrue(activities, "the approver has merge approvals among his activities")
        self.assertEqual(activities.res_model_id.model, "res.partner")

    def test_capture_created_contacts_logged_meetings_and_to_dos(self):
        created = self.Action.search(
            [("kind", "=", "capture_create_contact"), ("state", "=", "done")]
        )
        self.assertTrue(created, "contacts captured from the signatures of inbound mail")
        todos = self.Action.search([
            ("kind", "=", "schedule_activity"), ("source", "=", "capture"), ("state", "in", ("done", "waiting"))
        ])  # fmt: skip
        self.assertTrue(todos.filtered(lambda a: a.state == "done"), "to-dos from meeting notes")
        logged = self.Action.search([("kind", "=", "capture_link_meeting"), ("state", "=", "done")])
        self.assertTrue(logged, "meetings logged on their opportunity by auto-capture")
        events = self.env["calendar.event"].browse([a.payload["event_id"] for a in logged])
        self.assertTrue(all(events.mapped("opportunity_id")))

    def test_phones_standardised_with_undo(self):
        done = self.Action.search(
            [("kind", "=", "standardise_fields"), ("state", "=", "done")], limit=20
        )
        self.assertTrue(done, "phones were standardised")
        admin = self.env.ref("base.user_admin")
        self.assertTrue(
            any(done.with_user(admin).mapped("can_undo")), "an administrator may undo them"
        )


@tagged("post_install", "-at_install", "crm_agent_demo")
class TestDemoTour(HttpCase):
    def test_approver_merges_duplicates_from_the_activity(self):
        """Log in as the approver, open the merge approval from the activity menu, approve it, and
        see the merged contact and the agent's note on its chatter."""
        _skip_unless_demo(self.env)
        approver = self.env["res.users"].search([("login", "=", "approver")])
        activities = self.env["mail.activity"].search([
            ("user_id", "=", approver.id), ("res_model", "=", "res.partner")
        ])  # fmt: skip
        merge = activities.filtered(
            lambda a: a.agent_action_id.kind == "merge_partners"
            and a.agent_action_id.state == "waiting"
        )[:1]
        self.assertTrue(merge, "a merge approval waits for the approver")
        action = merge.agent_action_id
        merged_away = self.env["res.partner"].browse(
            [pid for pid in action.payload["record_ids"] if pid != action.res_id]
        )
        # the tour opens the first contact of the activity menu: keep only this one there
        (activities - merge).sudo().write({"user_id": self.env.ref("base.user_admin").id})
        self.start_tour("/odoo", "crm_agent_demo_first_minutes", login="approver")
        self.assertEqual(action.state, "done", action.error)
        self.assertFalse(merged_away.exists(), "the duplicate was merged into the survivor")
