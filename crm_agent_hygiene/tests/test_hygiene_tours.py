"""The approver's path through a merge in a real browser (issue #11): the activity, the side by
side, the approval and the merged contact with its note; and the reject path with its reason."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestHygieneMergeTours(HttpCase):
    def setUp(self):
        super().setUp()
        self.admin = self.env.ref("base.user_admin")
        self.env.company.agent_autonomy = "assisted"
        self.env.company.agent_approver_user_id = self.admin
        Param = self.env["ir.config_parameter"].sudo()
        Param.set_param("crm_agent_hygiene.survivor_rule", "most_complete")
        Param.set_param("crm_agent_hygiene.match_threshold", "0.9")
        Partner = self.env["res.partner"]
        self.kept = Partner.create(
            {
                "name": "Zorbex Trading Ltd",
                "is_company": True,
                "email": "info@zorbex-trading.co.uk",
                "phone": "+44 20 7946 0123",
                "website": "https://zorbex-trading.co.uk",
                "street": "7 Quay Street",
                "city": "Bristol",
            }
        )
        self.other = Partner.create(
            {
                "name": "ZORBEX TRADING",
                "is_company": True,
                "email": "info@zorbex-trading.co.uk",
                "phone": "+44 20 7946 0123",
            }
        )
        self.env["crm.agent.hygiene"]._hygiene_process(self.kept | self.other)
        self.merge = self.env["crm.agent.action"].search(
            [("kind", "=", "merge_partners"), ("hygiene_partner_ids", "in", self.kept.ids)]
        )
        self.assertEqual(len(self.merge), 1, "the pair is proposed for a merge")
        self.assertEqual(self.merge.res_id, self.kept.id, "the most complete contact is kept")
        self.assertEqual(self.merge.state, "waiting")
        self.assertEqual(self.merge.activity_id.user_id, self.admin)

    def test_approve_a_merge_from_its_activity(self):
        self.start_tour(
            f"/odoo/contacts/{self.kept.id}", "crm_agent_hygiene_approve_merge_tour", login="admin"
        )
        self.assertEqual(self.merge.state, "done")
        self.assertEqual(self.merge.approved_by_id, self.admin)
        self.assertFalse(self.other.exists(), "merged into the contact that is kept")

    def test_reject_a_merge_with_its_reason(self):
        self.start_tour(
            f"/odoo/contacts/{self.kept.id}", "crm_agent_hygiene_reject_merge_tour", login="admin"
        )
        self.assertEqual(self.merge.state, "rejected")
        self.assertEqual(self.merge.rejection_kind, "wrong")
        self.assertEqual(self.merge.rejection_reason, "Two different firms at the same address")
        remembered = self.env["crm.agent.hygiene.not.duplicate"].search(
            [("action_id", "=", self.merge.id)]
        )
        self.assertEqual(len(remembered), 1, "a pair rejected as wrong is never proposed again")
        self.assertTrue(self.other.exists())
