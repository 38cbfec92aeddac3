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
