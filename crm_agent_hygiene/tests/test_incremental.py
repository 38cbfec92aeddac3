from unittest.mock import patch

from odoo.tests import tagged

from ..models.crm_agent_hygiene import CrmAgentHygiene
from .common import HygieneCase


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestIncremental(HygieneCase):
    def run_cron(self):
        """Run the changes pass and return the ids it processed, per model."""
        seen = {}
        original = CrmAgentHygiene._hygiene_process

        def spy(self_, records):
            seen.setdefault(records._name, set()).update(records.ids)
            return original(self_, records)

        with patch.object(CrmAgentHygiene, "_hygiene_process", spy):
            self.Hygiene._cron_process_changes(batch_size=2)
        return seen

    def test_only_changed_records_are_processed(self):
        partners = self.Partner.create([{"name": f"Person {i}"} for i in range(5)])
        self.assertEqual(self.run_cron().get("res.partner"), set(partners.ids))
        self.assertEqual(self.run_cron(), {})
        self.touch(partners[2])
        self.assertEqual(self.run_cron(), {"res.partner": {partners[2].id}})

    def test_full_scan_resets_the_watermark(self):
        settings = self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")).create({})
        settings.action_hygiene_full_scan()
        self.assertFalse(self.env["ir.config_parameter"].sudo().get_param("crm_agent_hygiene.watermark.res.partner"))

    def test_paused_agent_does_nothing(self):
        self.Partner.create({"name": "Paused Person"})
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", "1")
        before = self.Hygiene._watermark_get("res.partner")
        self.assertEqual(self.run_cron(), {})
        self.assertEqual(self.Hygiene._watermark_get("res.partner"), before)
        self.Hygiene._cron_flag_stale()

    def test_queries_per_batch_do_not_grow_with_its_size(self):
        # nothing to propose: what is measured is the search itself
        warm_up = self.Partner.create([{"name": f"Warm {i}"} for i in range(3)])
        small = self.Partner.create([{"name": f"Small {i}"} for i in range(3)])
        large = self.Partner.create([{"name": f"Large {i}"} for i in range(30)])
        counts = []
        self.Hygiene._hygiene_process(warm_up)
        for batch in (small, large):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.Hygiene._hygiene_process(batch)
            counts.append(self.env.cr.sql_log_count - start)
        self.assertEqual(counts[0], counts[1])

    def test_stale_flags_and_owner_activity(self):
        self.set_param("stale_activity", "1")
        old = self.Partner.create({"name": "Old Friend", "user_id": self.rep.id})
        fresh = self.Partner.create({"name": "New Friend"})
        lead = self.Lead.create({"name": "Forgotten", "user_id": self.rep.id, "team_id": self.team.id})
        old.flush_recordset()
        lead.flush_recordset()
        self.env.cr.execute("UPDATE res_partner SET create_date = now() - interval '2 years' WHERE id = %s", [old.id])
        self.env.cr.execute("UPDATE crm_lead SET write_date = now() - interval '60 days' WHERE id = %s", [lead.id])
        self.env.invalidate_all()
        self.Hygiene._cron_flag_stale()
        self.assertTrue(old.hygiene_stale)
        self.assertFalse(fresh.hygiene_stale)
        self.assertTrue(lead.hygiene_stale)
        self.assertIn(lead, self.Lead.search([("hygiene_stale", "=", True)]))
        asks = self.hygiene_actions("schedule_activity", old) | self.hygiene_actions("schedule_activity", lead)
        self.assertEqual(len(asks), 2)
        # a message is activity: the flag goes away; the next run proposes nothing new
        old.message_post(body="Met at the fair", message_type="comment")
        self.Hygiene._cron_flag_stale()
        self.assertFalse(old.hygiene_stale)
        self.assertEqual(len(self.hygiene_actions("schedule_activity").filtered(lambda a: a.res_id in (old.id, lead.id))), 2)
