from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ScoringCase


@tagged("post_install", "-at_install", "crm_agent_scoring")
class TestScoringSecurity(ScoringCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_history(60, 60, seed=5)
        cls.model = cls.Model._agent_train(cls.company)

    def test_sales_user_reads_but_cannot_train_or_activate(self):
        model = self.model.with_user(self.rep)
        self.assertEqual(model.name, self.model.name)
        self.assertTrue(model.segment_ids)
        with self.assertRaises(AccessError):
            model.with_context(crm_agent_scoring_confirm_below_pls=True).action_activate()
        with self.assertRaises(AccessError):
            model.action_train_now()
        with self.assertRaises(AccessError):
            model.write({"beats_pls": True})

    def test_model_bytes_are_system_only(self):
        for user in (self.rep, self.manager):
            with self.assertRaises(AccessError):
                self.model.with_user(user).read(["model_data"])
            with self.assertRaises(AccessError):
                self.model.with_user(user).write({"model_data": b"eA=="})
        self.assertTrue(self.model.sudo().model_data)

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other scoring company"})
        user = self.rep
        user.write({"company_ids": [(4, other.id)], "company_id": other.id})
        visible = self.Model.with_user(user).with_context(allowed_company_ids=[other.id]).search([])
        self.assertNotIn(self.model, visible)


@tagged("post_install", "-at_install", "crm_agent_scoring")
class TestScoringOwnedFields(ScoringCase):
    """Lifecycle and metrics of a model, and the agent's score on a lead, are the agent's only."""

    LEAD_FIELDS = {
        "agent_probability": 99.0,
        "agent_score_factors": {"raising": [{"text": "forged", "points": 50}]},
        "agent_score_explanation": "forged",
        "agent_score_summary": "forged",
        "agent_scored_date": "2020-01-01 00:00:00",
        "agent_to_rescore": True,
        "agent_scoring_state": "active",
    }
    MODEL_FIELDS = {
        "state": "active", "beats_pls": True, "auc": 0.99, "pls_auc": 0.1, "brier": 0.0,
        "log_loss": 0.0, "lift_top10": 9.0, "trained_by_id": None, "activated_by_id": None,
        "activated_date": "2020-01-01 00:00:00", "verdict_checks": {"auc": True}, "n_won": 1000,
    }  # fmt: skip

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_history(60, 60, seed=5)
        cls.model = cls.Model._agent_train(cls.company)
        cls.other_model = cls.Model._agent_train(cls.company)  # archives the first one
        cls.sales_admin = cls.manager  # Sales / Administrator (implies CRM Agent / Manager)
        cls.lead = cls.Lead.create(
            {"name": "Owned lead", "user_id": cls.rep.id, "team_id": cls.team.id}
        )
        cls.lead.sudo().write(
            {"agent_probability": 12.0, "agent_scoring_model_id": cls.other_model.id}
        )

    def test_lead_score_fields_are_written_by_the_agent_only(self):
        fields_ = dict(self.LEAD_FIELDS, agent_scoring_model_id=self.model.id)
        before = self.lead.read(list(fields_))[0]
        model_state = self.model.state
        for user in (self.rep, self.sales_admin):
            lead = self.lead.with_user(user)
            lead.check_access("write")  # they may change the lead itself
            for fname, value in fields_.items():
                with self.subTest(user=user.login, field=fname), self.assertRaises(AccessError):
                    lead.write({fname: value})
        self.lead.invalidate_recordset()
        self.assertEqual(self.lead.read(list(fields_))[0], before)
        self.assertEqual(self.model.state, model_state)
        # at creation neither, nor through a default in the context
        with self.assertRaises(AccessError):
            self.Lead.with_user(self.rep).create({"name": "Forged", "agent_probability": 99})
        created = (
            self.Lead.with_user(self.rep)
            .with_context(default_agent_probability=99)
            .create({"name": "New"})
        )
        self.assertFalse(created.agent_probability)
        # their own fields still work, and the agent's own writes too
        self.lead.with_user(self.rep).write({"expected_revenue": 5000})
        self.lead.with_user(self.rep).action_agent_rescore()

    def test_model_state_and_metrics_cannot_be_written(self):
        forged = dict(
            self.MODEL_FIELDS,
            trained_by_id=self.sales_admin.id,
            activated_by_id=self.sales_admin.id,
        )
        fnames = [f for f in forged if f != "verdict_checks"]
        before = self.model.read(fnames)[0]
        for user in (self.rep, self.sales_admin):
            model = self.model.with_user(user)
            for fname, value in forged.items():
                with self.subTest(user=user.login, field=fname), self.assertRaises(AccessError):
                    model.write({fname: value})
            with self.assertRaises(AccessError):
                self.Model.with_user(user).create(
                    {"name": "Forged", "state": "active", "beats_pls": True}
                )
            with self.assertRaises(AccessError):
                model.segment_ids[:1].write({"auc": 0.99})
        self.model.invalidate_recordset()
        self.assertEqual(self.model.read(fnames)[0], before)

    def test_feature_codes_are_fixed(self):
        feature = self.env["crm.agent.scoring.feature"].search([], limit=1)
        with self.assertRaises(AccessError):
            feature.with_user(self.sales_admin).write({"code": "forged"})
        feature.with_user(self.sales_admin).write({"description": "Still editable"})

    def test_lifecycle_goes_through_the_buttons_for_the_right_group(self):
        model = self.other_model
        with self.assertRaises(AccessError):
            model.with_user(self.rep).with_context(
                crm_agent_scoring_confirm_below_pls=True
            ).action_activate()
        with self.assertRaises(AccessError):
            model.with_user(self.rep).action_archive_model()
        model.with_user(self.sales_admin).with_context(
            crm_agent_scoring_confirm_below_pls=True
        ).action_activate()
        self.assertEqual(model.state, "active")
        self.assertEqual(model.activated_by_id, self.sales_admin)
        model.with_user(self.sales_admin).action_set_shadow()
        self.assertEqual(model.state, "shadow")
        model.with_user(self.sales_admin).action_archive_model()
        self.assertEqual(model.state, "archived")
        trained = self.Model.with_user(self.sales_admin).action_train_now()
        new = self.Model.browse(trained["res_id"])
        self.assertEqual(new.trained_by_id, self.sales_admin)
        self.assertEqual(new.state, "shadow")

    def test_company_scoring_settings_are_for_administrators(self):
        for user in (self.rep, self.sales_admin):
            with self.assertRaises(AccessError):
                self.company.with_user(user).write({"agent_scoring_drive_probability": True})
        self.assertFalse(self.company.agent_scoring_drive_probability)
        admin = self.env.ref("base.user_admin")
        settings = (
            self.env["res.config.settings"]
            .with_user(admin)
            .create({"agent_scoring_drive_probability": True})
        )
        settings.execute()
        self.assertTrue(self.company.agent_scoring_drive_probability)
