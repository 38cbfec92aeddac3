from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AgentCase


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentAccess(AgentCase):
    def test_users_see_actions_only_on_records_they_can_read(self):
        action = self.propose()
        other_lead = self.env["crm.lead"].create(
            {"name": "Not yours", "user_id": self.other_rep.id}
        )
        hidden = self.propose(record=other_lead)
        visible = self.Action.with_user(self.rep).search([("id", "in", (action | hidden).ids)])
        self.assertEqual(visible, action)
        with self.assertRaises(AccessError):
            hidden.with_user(self.rep).read(["name"])
        self.assertEqual(
            self.Action.with_user(self.other_rep).search([("id", "in", (action | hidden).ids)]),
            hidden,
        )

    def test_smart_button_counts(self):
        self.propose()
        done = self.propose(values={"name": "x"})
        done.with_user(self.approver).action_approve()
        lead = self.lead.with_user(self.rep)
        self.assertEqual(lead.agent_action_count, 2)
        self.assertEqual(lead.agent_pending_count, 1)
        window = lead.action_view_agent_actions()
        self.assertEqual(len(self.Action.with_user(self.rep).search(window["domain"])), 2)

    def test_smart_button_counts_records_an_action_touches_in_one_query(self):
        leads = self.env["crm.lead"].create([{"name": f"Other {i}"} for i in range(4)])
        touched = leads[0]
        self.propose(payload={"values": {"name": "x"}, "record_ids": [touched.id]})
        # a record named in another record's action counts it; a record nobody touched shows 0
        self.assertEqual(touched.agent_action_count, 1)
        self.assertEqual(touched._agent_touching_actions().res_id, self.lead.id)
        self.assertEqual(leads[1].agent_action_count, 0)
        self.assertEqual(self.lead.agent_action_count, 1, "the target itself")

        def queries(records):
            records.invalidate_recordset(["agent_action_count"])
            before = self.env.cr.sql_log_count
            records.mapped("agent_action_count")
            return self.env.cr.sql_log_count - before

        one, many = queries(leads[:1]), queries(leads | self.lead)
        self.assertTrue(one, "the counts are read from the database")
        self.assertEqual(one, many, "no per-record query")

    def test_users_cannot_rewrite_the_audit_trail(self):
        action = self.propose()
        with self.assertRaises(AccessError):
            action.with_user(self.approver).write({"explanation": "changed"})

    def test_multi_company_rule(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        lead = self.env["crm.lead"].create({"name": "Elsewhere", "company_id": other_company.id})
        action = self.propose(record=lead)
        self.assertEqual(action.company_id, other_company)
        self.assertFalse(self.Action.with_user(self.manager).search([("id", "=", action.id)]))
