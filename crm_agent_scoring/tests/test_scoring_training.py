from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..engine.model import MIN_LOST, MIN_WON
from .common import ScoringCase


@tagged("post_install", "-at_install", "crm_agent_scoring")
class TestScoringMinimumHistory(ScoringCase):
    def test_refuses_below_minimum_history(self):
        self.make_history(MIN_WON - 20, MIN_LOST + 10)
        leads = self.make_open_leads(2, 2)
        model = self.Model._agent_train(self.company)
        self.assertEqual(model.state, "draft")
        self.assertIn("Not trained", model.message)
        self.assertIn("predictive lead scoring stays in charge", model.message)
        self.assertFalse(model.sudo().model_data)
        self.assertFalse(self.Lead._agent_scoring_is_live())
        self.Lead._cron_score_leads()
        self.assertFalse(any(leads.mapped("agent_scoring_model_id")))
        self.assertFalse(any(leads.mapped("agent_probability")))


@tagged("post_install", "-at_install", "crm_agent_scoring")
class TestScoringDemoSized(ScoringCase):
    def test_trains_on_a_demo_sized_history(self):
        # just above the minimum, like a small company's first months
        self.make_history(MIN_WON + 5, MIN_LOST + 15, seed=3)
        model = self.Model._agent_train(self.company)
        self.assertEqual(model.state, "shadow", model.message)
        self.assertEqual((model.n_won, model.n_lost), (MIN_WON + 5, MIN_LOST + 15))
        self.assertEqual(model.n_train + model.n_holdout, model.n_won + model.n_lost)
        self.assertTrue(0 <= model.auc <= 1 and 0 <= model.pls_auc <= 1)
        self.assertTrue(model.sudo().model_sha256)
        self.assertTrue(self.Lead._agent_scoring_is_live())


@tagged("post_install", "-at_install", "crm_agent_scoring")
class TestScoringTraining(ScoringCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.won, cls.lost = cls.make_history(250, 250, seed=7)
        cls.model = cls.Model._agent_train(cls.company)

    def test_validation_record_has_both_models(self):
        model = self.model
        self.assertEqual(model.state, "shadow", model.message)
        self.assertEqual((model.n_won, model.n_lost), (250, 250))
        self.assertEqual(model.n_holdout, 150)
        self.assertLess(model.date_from, model.holdout_date_from)
        self.assertLessEqual(model.holdout_date_from, model.date_to)
        # the synthetic history carries a real signal: both models find it
        self.assertGreater(model.auc, 0.75)
        self.assertGreater(model.pls_auc, 0.6)
        for fname in (
            "brier",
            "pls_brier",
            "log_loss",
            "pls_log_loss",
            "lift_top10",
            "pls_lift_top10",
        ):
            self.assertGreater(model[fname], 0, fname)
        self.assertEqual(len(model.calibration["ours"]), 10)
        self.assertEqual(len(model.calibration["pls"]), 10)
        self.assertEqual(set(model.verdict_checks), {"auc", "brier", "log_loss"})
        self.assertEqual(set(model.segment_ids.mapped("dimension")), {"country", "team"})
        self.assertIn("Belgium", model.segment_ids.mapped("segment"))
        self.assertEqual(
            sum(model.segment_ids.filtered(lambda s: s.dimension == "team").mapped("n")), 150
        )
        self.assertIn("Odoo PLS", model.validation_html)
        self.assertIn("Calibration", model.validation_html)
        self.assertIn("source", model.feature_ids.mapped("code"))
        self.assertIn("tag:Scoring Hot", model.feature_names)
        top_features = [name for name, _value in model.feature_importance[:3]]
        self.assertTrue({"source", "tag:Scoring Hot"} & set(top_features), top_features)
        self.assertIn("held-out validation", model.training_log)

    def test_retraining_archives_the_previous_shadow_model(self):
        second = self.Model._agent_train(self.company)
        self.assertEqual(second.version, self.model.version + 1)
        self.assertEqual(self.model.state, "archived")
        self.assertEqual(second.state, "shadow")

    def test_excluded_features_are_never_used(self):
        self.company.agent_scoring_excluded_feature_ids = self.env.ref(
            "crm_agent_scoring.feature_country"
        ) | self.env.ref("crm_agent_scoring.feature_lang")
        model = self.Model._agent_train(self.company)
        self.assertEqual(model.state, "shadow")
        self.assertEqual(set(model.excluded_feature_ids.mapped("code")), {"country", "lang"})
        self.assertNotIn("country", model.feature_ids.mapped("code"))
        scorer = model._agent_load_scorer()
        self.assertNotIn("country", list(scorer.feature_names_in_))
        self.assertNotIn("lang", list(scorer.feature_names_in_))
        self.assertNotIn("country", model.feature_names.split(", "))
        # the fairness report per country is still there
        self.assertIn("country", model.segment_ids.mapped("dimension"))

    @mute_logger("odoo.addons.crm_agent_scoring.models.crm_agent_scoring_model")
    def test_tampered_model_is_refused(self):
        model = self.model.sudo()
        self.assertTrue(model._agent_load_scorer())
        data = bytearray(model.model_data)
        data[-8:] = b"AAAAAAAA" if data[-8:] != b"AAAAAAAA" else b"BBBBBBBB"
        model.model_data = bytes(data)
        with patch("odoo.addons.crm_agent_scoring.engine.storage.pickle.loads") as loads:
            with self.assertRaisesRegex(UserError, "integrity check"):
                model._agent_load_scorer()
            loads.assert_not_called()

    @mute_logger("odoo.addons.crm_agent_scoring.models.crm_agent_scoring_model")
    def test_forged_bytes_and_hash_are_refused(self):
        """Someone able to rewrite both the bytes and their sha256 still fails the signature."""
        import base64
        import hashlib

        from ..engine import storage

        model = self.model.sudo()
        forged, sha256 = storage.dumps({"not": "a scorer"})
        model.write({"model_data": base64.b64encode(forged), "model_sha256": sha256})
        self.assertEqual(hashlib.sha256(forged).hexdigest(), model.model_sha256)
        with patch("odoo.addons.crm_agent_scoring.engine.storage.pickle.loads") as loads:
            with self.assertRaisesRegex(UserError, "integrity check"):
                model._agent_load_scorer()
            loads.assert_not_called()

    @mute_logger(
        "odoo.addons.crm_agent_scoring.models.crm_agent_scoring_model",
        "odoo.addons.crm_agent_scoring.models.crm_lead",
    )
    def test_scoring_skips_a_tampered_model(self):
        leads = self.make_open_leads(2, 2)
        self.model.sudo().model_data = b"dGFtcGVyZWQ="
        self.Lead._cron_score_leads()
        self.assertFalse(any(leads.mapped("agent_probability")))
        self.assertFalse(any(leads.mapped("agent_to_rescore")))

    def test_activation_below_pls_needs_confirmation(self):
        model = self.model
        model.sudo().beats_pls = False
        with self.assertRaisesRegex(UserError, "does not beat"):
            model.with_user(self.manager).action_activate()
        self.assertEqual(model.state, "shadow")
        model.with_user(self.manager).with_context(
            crm_agent_scoring_confirm_below_pls=True
        ).action_activate()
        self.assertEqual(model.state, "active")
        self.assertEqual(model.activated_by_id, self.manager)

    def test_activation_keeps_one_active_model(self):
        self.model.sudo().beats_pls = True
        self.model.action_activate()
        second = self.Model._agent_train(self.company)
        self.assertEqual(
            self.model.state, "active", "retraining never replaces an active model alone"
        )
        self.assertEqual(self.Model._agent_live_models()[self.company.id], self.model)
        second.with_context(crm_agent_scoring_confirm_below_pls=True).action_activate()
        self.assertEqual(self.model.state, "archived")
        self.assertEqual(self.Model._agent_live_models()[self.company.id], second)
