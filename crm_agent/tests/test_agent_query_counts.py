"""What our addons cost on the CRM's busiest paths: queries of lead create and write.

Ceilings measured with the three addons installed (fewer addons, fewer queries), warm caches,
as admin; a regression that adds a query per lead shows up in the batch of 20."""

from odoo.tests import TransactionCase, tagged, users, warmup

BATCH = 20


@tagged("post_install", "-at_install", "crm_agent", "crm_agent_query_counts")
class TestAgentQueryCounts(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Query team"})
        cls.user_admin = cls.env.ref("base.user_admin")

    def _vals(self, index):
        return {
            "name": f"Lead {index}",
            "email_from": f"person{index}@example.com",
            "phone": f"+32 456 00 00 {index:02d}",
            "team_id": self.team.id,
            "user_id": self.user_admin.id,
        }

    @users("admin")
    @warmup
    def test_lead_create(self):
        Lead = self.env["crm.lead"]
        with self.assertQueryCount(admin=QUERIES["create 1"]):
            Lead.create(self._vals(1))
        with self.assertQueryCount(admin=QUERIES["create batch"]):
            Lead.create([self._vals(i) for i in range(BATCH)])

    @users("admin")
    @warmup
    def test_lead_write(self):
        leads = self.env["crm.lead"].create([self._vals(i) for i in range(BATCH)])
        self.env.flush_all()
        with self.assertQueryCount(admin=QUERIES["write 1"]):
            leads[:1].write({"phone": "+32 456 22 22 22", "name": "W1"})
        with self.assertQueryCount(admin=QUERIES["write batch"]):
            leads.write({"phone": "+32 456 33 33 33", "priority": "2"})


# measured on Odoo 19.0 with crm, crm_agent, crm_agent_hygiene and crm_agent_scoring installed
# (demo data); most of it is the CRM's own (followers, tracking, PLS); see bench/crm_query_counts.py
# for the difference with `crm` alone (+0 as installed)
QUERIES = {"create 1": 30, "create batch": 191, "write 1": 8, "write batch": 46}
