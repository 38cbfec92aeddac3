from odoo.tests import tagged

from .common import HygieneCase


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestDuplicates(HygieneCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acme = cls.Partner.create(
            {
                "name": "Acme Inc.",
                "is_company": True,
                "phone": "+44 20 7946 0958",
                "website": "https://www.acme.com",
                "street": "1 High Street",
                "city": "London",
            }
        )
        cls.acme_dup = cls.Partner.create(
            {
                "name": "ACME",
                "is_company": True,
                "phone": "020 7946 0958",
                "email": "info@acme.com",
            }
        )
        cls.globex = cls.Partner.create(
            {"name": "Globex", "is_company": True, "website": "https://globex.com"}
        )
        cls.jon = cls.Partner.create(
            {
                "name": "Jon Smith",
                "email": "jon.smith@globex.com",
                "parent_id": cls.globex.id,
                "street": "5 Station Road",
                "city": "Leeds",
                "zip": "LS1 4AP",
            }
        )
        cls.john = cls.Partner.create(
            {
                "name": "John Smith",
                # the same mailbox with a +tag
                "email": "Jon.Smith+crm@globex.com",
                "parent_id": cls.globex.id,
                "street": "5 Station Road",
                "city": "Leeds",
                "zip": "LS1 4AP",
            }
        )
        cls.jane = cls.Partner.create({"name": "Jane Doe", "email": "jane@initech.com"})
        cls.partners = cls.acme | cls.acme_dup | cls.jon | cls.john | cls.jane
        # contacts with different e-mails: only an administrator may merge them, as by hand
        cls.admin = cls.env.ref("base.user_admin")

    def test_duplicates_found_across_formats_and_typos(self):
        self.Hygiene._hygiene_process(self.partners)
        acme = self.merge_actions(self.acme)
        self.assertEqual(len(acme), 1)
        self.assertEqual(set(acme.payload["record_ids"]), {self.acme.id, self.acme_dup.id})
        self.assertIn("same phone +44 20 7946 0958", acme.explanation)
        smiths = self.merge_actions(self.jon)
        self.assertEqual(len(smiths), 1)
        self.assertEqual(set(smiths.payload["record_ids"]), {self.jon.id, self.john.id})
        self.assertFalse(self.merge_actions(self.jane))
        # merges always wait for a person, even under conditional autonomy, on the survivor
        self.assertEqual(acme.state, "waiting")
        self.assertEqual(acme.activity_id.res_id, acme.res_id)
        # the configured approver may not merge contacts in Odoo: someone who may is asked
        self.assertNotEqual(acme.activity_id.user_id, self.approver)
        self.assertFalse(acme._agent_approval_refusal(acme.activity_id.user_id))
        # the activity points to the side by side without copying the other record into it
        self.assertNotIn("o_hygiene_comparison", str(acme.activity_id.note))
        self.assertEqual(acme.res_id, acme.payload["survivor_id"])

    def test_before_image_and_side_by_side(self):
        self.Hygiene._hygiene_process(self.acme_dup)
        action = self.merge_actions(self.acme)
        images = action.before_image["records"]
        self.assertEqual(set(images), {str(self.acme.id), str(self.acme_dup.id)})
        # only the compared fields (and the name): never the whole record
        expected = {*self.Partner._hygiene_compare_fields, "display_name", "id"}
        self.assertEqual(set(images[str(self.acme.id)]), expected)
        self.assertEqual(images[str(self.acme_dup.id)]["phone"], "020 7946 0958")
        html = str(action.hygiene_comparison_html)
        self.assertIn("Acme Inc.", html)
        self.assertIn("ACME", html)
        self.assertIn("same phone", html)
        # the survivor's form lists the pending proposal
        self.assertEqual(self.acme_dup.with_user(self.approver).hygiene_duplicate_count, 1)

    def test_survivor_most_complete(self):
        self.Hygiene._hygiene_process(self.acme_dup)
        self.assertEqual(self.merge_actions(self.acme).payload["survivor_id"], self.acme.id)

    def test_survivor_most_activity(self):
        self.set_param("survivor_rule", "most_activity")
        for body in ("Called them", "Sent the quote", "Meeting booked"):
            self.acme_dup.message_post(body=body, message_type="comment")
        self.Hygiene._hygiene_process(self.acme_dup)
        action = self.merge_actions(self.acme)
        self.assertEqual(action.payload["survivor_id"], self.acme_dup.id)
        self.assertEqual(action.res_id, self.acme_dup.id)
        self.assertIn("rule: Most activity", action.explanation)

    def test_merge_approved_through_activity_moves_references(self):
        lead = self.Lead.create(
            {"name": "Deal with ACME", "partner_id": self.acme_dup.id, "team_id": self.team.id}
        )
        self.Hygiene._hygiene_process(self.acme_dup)
        action = self.merge_actions(self.acme)
        survivor = self.Partner.browse(action.payload["survivor_id"])
        other = (self.acme | self.acme_dup) - survivor
        action.activity_id.with_user(self.admin).action_feedback(feedback="Same company")
        self.assertEqual(action.state, "done", action.error)
        self.assertEqual(action.approved_by_id, self.admin)
        self.assertFalse(other.exists(), "Odoo's merge deletes the merged contact")
        self.assertEqual(lead.partner_id, survivor)
        self.assertEqual(
            survivor.email, "info@acme.com", "empty fields are filled from the merged contact"
        )
        self.assertEqual(action.result_data["merged_ids"], other.ids)

    def test_merge_is_stale_when_the_other_record_changed(self):
        self.Hygiene._hygiene_process(self.acme_dup)
        action = self.merge_actions(self.acme)
        other = self.Partner.browse(set(action.payload["record_ids"]) - {action.res_id})
        typed = other.phone
        other.phone = "+44 20 7946 0000"
        action.with_user(self.admin).action_approve()
        self.assertEqual(action.state, "stale")
        self.assertTrue(other.exists())
        # still the same contact on the next run: a stale proposal comes back (same key)
        other.phone = typed
        self.Hygiene._hygiene_process(self.acme_dup)
        again = self.merge_actions(self.acme) - action
        self.assertEqual(len(again), 1)
        self.assertEqual(again.dedup_key, action.dedup_key)
        self.assertEqual(again.source, "hygiene")
        # and only once: the new proposal is open
        self.Hygiene._hygiene_process(self.acme_dup)
        self.assertEqual(self.merge_actions(self.acme), action | again)

    def test_rejected_pair_never_proposed_again(self):
        self.Hygiene._hygiene_process(self.partners)
        action = self.merge_actions(self.jon)
        action.activity_id.with_user(self.admin).with_context(
            crm_agent_reject_reason="Two brothers"
        ).unlink()
        self.assertEqual(action.state, "rejected")
        remembered = self.env["crm.agent.hygiene.not.duplicate"].search(
            [("action_id", "=", action.id)]
        )
        self.assertEqual(len(remembered), 1)
        self.assertEqual(remembered.left_id, min(self.jon.id, self.john.id))
        # even with the proposal's fingerprint gone, the SQL candidate search leaves the pair out
        action.sudo().dedup_key = False
        self.jon.phone = "+44 113 496 0000"
        self.Hygiene._hygiene_process(self.jon | self.john)
        self.assertEqual(self.merge_actions(self.jon), action)
        self.assertFalse(self.Hygiene._candidate_pairs(self.jon).count((self.jon.id, self.john.id)))

    def test_lead_duplicates_and_merge(self):
        first = self.Lead.create(
            {
                "name": "Quote for 20 standing desks",
                "contact_name": "Robert Brown",
                "email_from": "bob.brown@initrode.com",
                "phone": "+44 20 7946 0111",
                "team_id": self.team.id,
                "type": "opportunity",
            }
        )
        second = self.Lead.create(
            {
                "name": "20 standing desks: quote",
                "contact_name": "BOB BROWN",
                "email_from": "Bob.Brown@INITRODE.com",
                "phone": "020 7946 0111",
                "team_id": self.team.id,
                "type": "lead",
            }
        )
        self.Hygiene._hygiene_process(second)
        action = self.merge_actions(first)
        self.assertEqual(action.kind, "merge_leads")
        self.assertEqual(action.state, "waiting")
        survivor = self.Lead.browse(action.payload["survivor_id"])
        action.activity_id.with_user(self.approver).action_feedback()
        self.assertEqual(action.state, "done", action.error)
        self.assertEqual((first | second).exists(), survivor)


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestHygieneCheckByAPerson(HygieneCase):
    def test_a_rep_checks_only_against_what_they_may_read(self):
        mine = self.Lead.create(
            {
                "name": "Quote for 20 standing desks - Mine",
                "contact_name": "Robert Brown",
                "email_from": "bob.brown@initrode.com",
                "phone": "+44 20 7946 0111",
                "user_id": self.rep.id,
                "type": "opportunity",
            }
        )
        theirs = self.Lead.create(
            {
                "name": "Quote for 20 standing desks - Theirs",
                "contact_name": "BOB BROWN",
                "email_from": "Bob.Brown@INITRODE.com",
                "phone": "020 7946 0111",
                "user_id": self.other_rep.id,
                "type": "opportunity",
            }
        )
        # the rep (own documents only) cannot read the other rep's lead: no crash, no proposal
        mine.with_user(self.rep).action_hygiene_check()
        self.assertFalse(self.merge_actions(mine | theirs))
        # a manager who reads both gets the merge proposal from the same button
        mine.with_user(self.manager).action_hygiene_check()
        self.assertEqual(len(self.merge_actions(mine | theirs)), 1)

    def test_check_is_in_the_actions_menu(self):
        action = self.env.ref("crm_agent_hygiene.action_server_hygiene_check_lead")
        self.assertEqual(action.binding_model_id.model, "crm.lead")
        self.assertIn(self.env.ref("crm_agent.group_agent_user"), action.group_ids)
