from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "crm_agent_nba")
class TestMyDayTour(HttpCase):
    def test_rep_reviews_edits_and_sends_a_draft_from_my_day(self):
        company = self.env.company
        rep = new_test_user(
            self.env,
            "nba_tour_rep",
            groups="sales_team.group_sale_salesman,crm_agent.group_agent_approver",
            name="Tara Tour",
            email="tara.tour@example.com",
        )
        company.agent_approver_user_id = rep
        company.agent_autonomy = "assisted"
        contact = self.env["res.partner"].create(
            {"name": "Nina Tour", "email": "nina@tour.example", "lang": "en_US"}
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "NBA tour deal",
                "type": "opportunity",
                "partner_id": contact.id,
                "user_id": rep.id,
                "expected_revenue": 50000,
                "probability": 60,
            }
        )
        message = lead.message_post(
            body="Could you send the price for 20 seats?",
            author_id=contact.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        message.date = fields.Datetime.now() - timedelta(days=2)
        plays = self.env["crm.agent.play"].search([("code", "=", "reply_inbound")])
        action = lead._agent_nba_run(plays, {})
        self.assertEqual(action.state, "waiting")
        self.start_tour(
            "/odoo/action-crm_agent_scoring.crm_agent_my_day_action",
            "crm_agent_my_day_tour",
            login="nba_tour_rep",
        )
        self.assertEqual(action.state, "done")
        self.assertTrue(action.result_data["edit"]["edited"])
        sent = self.env["mail.message"].browse(action.result_data["message_id"])
        self.assertIn("Can we talk on Thursday at 10:00?", str(sent.body))
