from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentUi(HttpCase):
    def test_approve_from_the_lead_form(self):
        admin = self.env.ref("base.user_admin")
        self.env.company.agent_autonomy = "assisted"
        self.env.company.agent_approver_user_id = admin
        lead = self.env["crm.lead"].create(
            {
                "name": "Agent tour lead",
                "type": "opportunity",
                "user_id": admin.id,
                "phone": "020 7946 0958",
            }
        )
        action = self.env["crm.agent.action"]._agent_propose(
            {
                "name": "Standardise the phone",
                "kind": "update_fields",
                "source": "agent",
                "res_model": "crm.lead",
                "res_id": lead.id,
                "explanation": "The phone is not in E.164 format.",
                "confidence": 0.99,
                "payload": {"values": {"phone": "+442079460958"}},
            }
        )
        self.assertEqual(action.state, "waiting")
        self.start_tour("/odoo/crm", "crm_agent_approval_tour", login="admin")
        self.assertEqual(action.state, "done")
        self.assertEqual(lead.phone, "+442079460958")
