from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .common import ScoringCase


@tagged("post_install", "-at_install", "crm_agent_scoring")
class TestScoringLeads(ScoringCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_history(200, 200, seed=11)
        cls.model = cls.Model._agent_train(cls.company)
        cls.hot = cls.make_open_leads(3, 0, seed=2)
        cls.cold = cls.make_open_leads(0, 3, seed=3)
        cls.leads = cls.hot | cls.cold

    def activate(self, drive=True):
        self.company.agent_scoring_drive_probability = drive
        self.model.with_context(crm_agent_scoring_confirm_below_pls=True).action_activate()

    def test_shadow_scores_and_explains(self):
        self.assertEqual(self.model.state, "shadow")
        self.assertTrue(all(self.leads.mapped("agent_to_rescore")))
        self.company.agent_scoring_drive_probability = True  # never applies in shadow mode
        probabilities = self.leads.mapped("probability")
        self.Lead._cron_score_leads()
        for lead in self.leads:
            self.assertEqual(lead.agent_scoring_model_id, self.model)
            self.assertEqual(lead.agent_scoring_state, "shadow")
            self.assertFalse(lead.agent_to_rescore)
            self.assertTrue(lead.agent_score_explanation.startswith("Win probability"))
            self.assertTrue(lead.agent_score_summary.startswith("Agent score"))
        self.assertGreater(
            min(self.hot.mapped("agent_probability")), max(self.cold.mapped("agent_probability"))
        )
        hot = self.hot[0]
        self.assertIn("Source is Scoring Referral", hot.agent_score_explanation)
        self.assertIn("+", hot.agent_score_explanation.split("Source is Scoring Referral")[0][-5:])
        raising = hot.agent_score_factors["raising"]
        self.assertTrue(raising and all(f["points"] > 0 for f in raising))
        self.assertIn("A typical lead in your history wins", hot.agent_score_html)
        self.assertTrue(self.cold[0].agent_score_factors["lowering"])
        # shadow: nothing else happens
        self.assertEqual(self.leads.mapped("probability"), probabilities)
        self.assertFalse(self.scoring_actions())

    def test_active_model_drives_probability_and_proposes(self):
        manual = self.hot[2]
        manual.probability = 33.0
        self.activate(drive=True)
        self.Lead._cron_score_leads()
        for lead in self.hot[:2] | self.cold:
            self.assertAlmostEqual(lead.probability, lead.agent_probability, places=2)
        self.assertEqual(manual.probability, 33.0, "a probability typed by hand is kept")
        self.assertNotAlmostEqual(manual.agent_probability, 33.0, places=2)
        actions = self.scoring_actions()
        self.assertTrue(actions)
        self.assertEqual(set(actions.mapped("res_id")) - set(self.hot.ids), set())
        for action in actions:
            self.assertEqual(action.kind, "update_fields")
            self.assertIn(action.payload["values"]["priority"], ("2", "3"))
            self.assertIn("Source is Scoring Referral", action.explanation)
            self.assertEqual(action.state, "waiting")
        # rescoring does not propose the same thing twice
        self.leads.write({"agent_to_rescore": True})
        self.Lead._cron_score_leads()
        self.assertEqual(self.scoring_actions(), actions)

    def test_active_model_hands_cold_leads_back_to_the_team(self):
        self.company.agent_scoring_cold_threshold = 50
        self.company.agent_scoring_cold_days = 30
        self.cold.write({"user_id": self.rep.id})
        stuck, busy, fresh = self.cold
        (stuck | busy).write({"date_last_stage_update": fields.Datetime.now() - timedelta(days=60)})
        busy.activity_schedule("mail.mail_activity_data_call", user_id=self.rep.id)
        self.activate(drive=False)
        self.Lead._cron_score_leads()
        self.assertLess(stuck.agent_probability, 50)
        cold_actions = self.scoring_actions().filtered(lambda a: a.kind == "overwrite_fields")
        self.assertEqual(
            cold_actions.mapped("res_id"), stuck.ids, "only the untouched, unplanned lead"
        )
        action = cold_actions
        self.assertEqual(action.payload["values"], {"user_id": False})
        self.assertIn("What lowers the chance", action.explanation)
        self.assertIn("Source is Scoring Cold call", action.explanation)
        self.assertEqual(action.state, "waiting", "changing the salesperson always asks")
        self.company.agent_autonomy = "conditional"
        self.assertFalse(action._agent_decide().run_alone)
        action.with_user(self.manager).action_approve()
        self.assertEqual(action.state, "done", action.error)
        self.assertFalse(stuck.user_id)
        self.assertEqual(busy.user_id, self.rep)

    def test_active_model_beside_odoo_probability(self):
        self.activate(drive=False)
        probabilities = self.leads.mapped("probability")
        self.Lead._cron_score_leads()
        self.assertEqual(self.leads.mapped("probability"), probabilities)
        self.assertTrue(all(self.leads.mapped("agent_probability")))

    def test_back_to_shadow_gives_the_probability_back(self):
        self.activate(drive=True)
        self.Lead._cron_score_leads()
        lead = self.hot[0]
        self.assertAlmostEqual(lead.probability, lead.agent_probability, places=2)
        self.model.action_set_shadow()
        self.assertEqual(lead.probability, lead.automated_probability)

    def test_no_action_without_explanation(self):
        self.activate(drive=False)
        original = type(self.Lead)._agent_scoring_explain

        def no_reasons(leads, scorer, snapshots):
            results = original(leads, scorer, snapshots)
            for result in results:
                result["probability"], result["score"] = 0.95, 95.0
                result["raising"], result["display"]["raising"], result["top"] = [], [], None
            return results

        with patch.object(type(self.Lead), "_agent_scoring_explain", no_reasons):
            self.Lead._cron_score_leads()
        self.assertEqual(set(self.leads.mapped("agent_probability")), {95.0})
        self.assertFalse(self.scoring_actions())

    def test_changes_mark_leads_to_rescore(self):
        self.Lead._cron_score_leads()
        lead = self.hot[0]
        self.assertFalse(lead.agent_to_rescore)
        lead.description = "<p>Not a feature</p>"
        self.assertFalse(lead.agent_to_rescore)
        lead.source_id = self.cold_call
        self.assertTrue(lead.agent_to_rescore)
        triggers = self.env["ir.cron.trigger"].search_count([
            ("cron_id", "=", self.env.ref("crm_agent_scoring.ir_cron_score_leads").id)
        ])  # fmt: skip
        self.env.flush_all()
        self.env.cr.flush()
        triggers_after = self.env["ir.cron.trigger"].search_count([
            ("cron_id", "=", self.env.ref("crm_agent_scoring.ir_cron_score_leads").id)
        ])  # fmt: skip
        self.assertEqual(triggers_after, triggers + 1)
        self.Lead._cron_score_leads()
        self.assertFalse(lead.agent_to_rescore)
        lead.message_post(body="Any news?", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertTrue(lead.agent_to_rescore)

    def test_cron_scores_in_batches_and_reports_progress(self):
        IrCron = type(self.env["ir.cron"])
        with patch.object(IrCron, "_commit_progress", return_value=60.0) as progress:
            scored = self.Lead.with_context(cron_id=1)._cron_score_leads(batch_size=4)
        self.assertEqual(scored, len(self.leads))
        self.assertEqual(
            [call.kwargs["remaining"] for call in progress.call_args_list], [len(self.leads) - 4, 0]
        )
        # out of time after the first batch: the rest waits for the next run
        self.leads.write({"agent_to_rescore": True})
        with patch.object(IrCron, "_commit_progress", return_value=0.0):
            self.assertEqual(self.Lead.with_context(cron_id=1)._cron_score_leads(batch_size=4), 4)
        self.assertEqual(len(self.leads.filtered("agent_to_rescore")), len(self.leads) - 4)

    def test_paused_agent_does_not_score(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", "1")
        self.assertEqual(self.Lead._cron_score_leads(), 0)
        self.assertFalse(any(self.leads.mapped("agent_probability")))
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", False)
        self.assertEqual(self.Lead._cron_score_leads(), len(self.leads))

    def test_snapshots_stop_at_the_outcome(self):
        won = self.Lead.with_context(active_test=False).search(
            [("won_status", "=", "won"), ("company_id", "in", [self.company.id, False])], limit=1
        )
        cutoff = won.date_closed
        customer = self.env["res.partner"].create({"name": "Customer", "email": "c@example.com"})
        messages = self.env["mail.message"].create([
            {"model": "crm.lead", "res_id": won.id, "message_type": "email", "author_id": customer.id,
             "body": "before", "date": cutoff - timedelta(days=2)},
            {"model": "crm.lead", "res_id": won.id, "message_type": "email", "author_id": customer.id,
             "body": "after", "date": cutoff + timedelta(days=2)},
            {"model": "crm.lead", "res_id": won.id, "message_type": "comment",
             "author_id": self.env.user.partner_id.id, "body": "reply",
             "subtype_id": self.env.ref("mail.mt_comment").id, "date": cutoff - timedelta(days=1)},
        ])  # fmt: skip
        self.env["calendar.event"].create(
            {
                "name": "Meeting",
                "opportunity_id": won.id,
                "start": cutoff,
                "stop": cutoff + timedelta(hours=1),
            }
        )  # fmt: skip  (created now, after the outcome: not known before it)
        snapshot = won._agent_scoring_snapshots()[0][0]
        self.assertEqual(snapshot["messages_in"], 1)
        self.assertEqual(snapshot["messages_out"], 1)
        self.assertEqual(snapshot["meetings"], 0)
        for outcome_field in ("stage", "probability", "won_status", "date_closed", "active"):
            self.assertNotIn(outcome_field, snapshot)
        self.assertTrue(messages)

    def test_scoring_queries_do_not_grow_with_the_batch(self):
        self.Lead._cron_score_leads()
        counts = []
        for size in (3, 20):
            leads = self.make_open_leads(size, 0, seed=size)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            leads._agent_score()
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], counts)

    def test_write_marks_without_extra_queries(self):
        self.Lead._cron_score_leads()
        leads = self.hot
        leads.write({"expected_revenue": 11111})  # warm the caches (config parameter included)
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        leads.write({"expected_revenue": 12345})
        self.env.flush_all()
        with_flag = self.env.cr.sql_log_count - before
        before = self.env.cr.sql_log_count
        leads.write({"expected_revenue": 23456, "agent_to_rescore": False})
        self.env.flush_all()
        self.assertEqual(with_flag, self.env.cr.sql_log_count - before)

    def test_new_leads_are_marked(self):
        lead = self.Lead.create(
            {"name": "New", "type": "opportunity", "stage_id": self.open_stage.id}
        )
        self.assertTrue(lead.agent_to_rescore)
        self.assertEqual(fields.Datetime.now().year, lead.create_date.year)
