from datetime import timedelta
from unittest.mock import patch

from odoo.tests import tagged

from ..models.crm_agent_hygiene import WATERMARK_OVERLAP, CrmAgentHygiene
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
        self.settle_watermark("res.partner")  # the next pass runs long after this one
        self.assertEqual(self.run_cron(), {})
        self.touch(partners[2])
        self.assertEqual(self.run_cron(), {"res.partner": {partners[2].id}})

    def test_record_committed_late_within_the_overlap_is_processed(self):
        """A transaction that began before a pass commits a record dated before the watermark
        after the pass: the next pass still reads it; one dated before the window is not reread."""
        self.Partner.create([{"name": f"Early {i}"} for i in range(3)])
        self.run_cron()
        watermark_date, _last_id = self.Hygiene._watermark_get("res.partner")
        late = self.Partner.create({"name": "Late Larry"})
        older = self.Partner.create({"name": "Old Olive"})
        late.flush_recordset()
        self.env.cr.execute(
            "UPDATE res_partner SET write_date = %s WHERE id = %s",
            [watermark_date - timedelta(minutes=5), late.id],
        )
        self.env.cr.execute(
            "UPDATE res_partner SET write_date = %s WHERE id = %s",
            [watermark_date - WATERMARK_OVERLAP - timedelta(hours=1), older.id],
        )
        self.env.invalidate_all()
        seen = self.run_cron().get("res.partner", set())
        self.assertIn(late.id, seen)
        self.assertNotIn(older.id, seen)

    def test_rereading_the_overlap_never_proposes_twice(self):
        pair = self.Partner.create([
            {"name": "Acme Ltd", "is_company": True, "phone": "+44 20 7946 0958"},
            {"name": "ACME", "is_company": True, "phone": "020 7946 0958"},
        ])  # fmt: skip
        self.run_cron()
        first = self.hygiene_actions(records=pair) | self.merge_actions(pair)
        self.assertTrue(first.filtered(lambda a: a.kind == "merge_partners"))
        self.assertLessEqual(
            set(pair.ids), self.run_cron().get("res.partner"), "the overlap is read again"
        )
        self.assertEqual(self.hygiene_actions(records=pair) | self.merge_actions(pair), first)

    def test_a_failing_record_is_logged_and_skipped(self):
        partners = self.Partner.create([
            {"name": f"Phone Person {i}", "phone": f"020 7946 011{i}"} for i in range(5)
        ])  # fmt: skip
        bad = partners[2]
        original = CrmAgentHygiene._hygiene_process

        def failing(self_, records):
            if bad in records:
                raise ValueError("unreadable record")
            return original(self_, records)

        logger = "odoo.addons.crm_agent_hygiene.models.crm_agent_hygiene"
        with (
            patch.object(CrmAgentHygiene, "_hygiene_process", failing),
            self.assertLogs(logger, "ERROR") as logs,
        ):
            self.Hygiene._cron_process_changes(batch_size=2)
        self.assertTrue(any(f"res.partner {bad.id} skipped" in line for line in logs.output))
        # the rest of its batch and the next batches were checked; the watermark moved past it
        proposed = self.hygiene_actions("standardise_fields", partners)
        self.assertEqual(set(proposed.mapped("res_id")), set((partners - bad).ids))
        write_date, last_id = self.Hygiene._watermark_get("res.partner")
        self.assertEqual(last_id, partners[-1].id)
        self.assertEqual(write_date, partners[-1].write_date.replace(microsecond=0))

    def test_full_scan_resets_the_watermark(self):
        settings = (
            self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")).create({})
        )
        settings.action_hygiene_full_scan()
        self.assertFalse(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_agent_hygiene.watermark.res.partner")
        )

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
        lead = self.Lead.create(
            {"name": "Forgotten", "user_id": self.rep.id, "team_id": self.team.id}
        )
        old.flush_recordset()
        lead.flush_recordset()
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = now() - interval '2 years' WHERE id = %s",
            [old.id],
        )
        self.env.cr.execute(
            "UPDATE crm_lead SET write_date = now() - interval '60 days' WHERE id = %s", [lead.id]
        )
        self.env.invalidate_all()
        self.Hygiene._cron_flag_stale()
        self.assertTrue(old.hygiene_stale)
        self.assertFalse(fresh.hygiene_stale)
        self.assertTrue(lead.hygiene_stale)
        self.assertIn(lead, self.Lead.search([("hygiene_stale", "=", True)]))
        asks = self.hygiene_actions("schedule_activity", old) | self.hygiene_actions(
            "schedule_activity", lead
        )
        self.assertEqual(len(asks), 2)
        # a message is activity: the flag goes away; the next run proposes nothing new
        old.message_post(body="Met at the fair", message_type="comment")
        self.Hygiene._cron_flag_stale()
        self.assertFalse(old.hygiene_stale)
        self.assertEqual(
            len(
                self.hygiene_actions("schedule_activity").filtered(
                    lambda a: a.res_id in (old.id, lead.id)
                )
            ),
            2,
        )
