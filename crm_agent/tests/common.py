from odoo.tests import TransactionCase, new_test_user


class AgentCase(TransactionCase):
    """Users, a sales team and leads shared by the agent's tests, and a helper to propose."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.company = cls.env.company
        cls.manager = new_test_user(
            cls.env, "agent_manager", groups="sales_team.group_sale_manager", name="Mia Manager"
        )
        cls.approver = new_test_user(
            cls.env,
            "agent_approver",
            groups="sales_team.group_sale_salesman_all_leads,crm_agent.group_agent_approver",
            name="Ada Approver",
        )
        cls.rep = new_test_user(
            cls.env, "agent_rep", groups="sales_team.group_sale_salesman", name="Remy Rep"
        )
        cls.other_rep = new_test_user(
            cls.env, "agent_other_rep", groups="sales_team.group_sale_salesman", name="Olga Other"
        )
        cls.team = cls.env["crm.team"].create({"name": "Agent team", "user_id": cls.manager.id})
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Agent lead",
                "type": "opportunity",
                "team_id": cls.team.id,
                "user_id": cls.rep.id,
                "phone": "020 7946 0958",
                "email_from": "ann@example.com",
            }
        )
        cls.company.agent_approver_user_id = cls.approver
        cls.company.agent_autonomy = "assisted"
        cls.Action = cls.env["crm.agent.action"]
        cls.approval_type = cls.env.ref("crm_agent.mail_activity_type_agent_approval")

    def propose(self, record=None, values=None, **extra):
        record = record or self.lead
        vals = {
            "name": "Standardise the phone",
            "kind": "update_fields",
            "source": "agent",
            "res_model": record._name,
            "res_id": record.id,
            "explanation": "The phone is not in E.164 format.",
            "confidence": 0.99,
            "payload": {"values": values or {"phone": "+442079460958"}},
        }
        vals.update(extra)
        return self.Action._agent_propose(vals)

    def agent_notes(self, record=None):
        record = record or self.lead
        return record.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note") and "Agent" in (m.body or "")
        )
