"""What an approver saw on the first day on a real database (issue 11), the hygiene side: merges
that went stale through the agent's own standardisation, company links from the wrong domains,
unreadable phones, closed leads rewritten, and addresses changed by Odoo's sync without a note."""

from odoo.tests import tagged

from .common import HygieneCase


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestMergeAfterStandardise(HygieneCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")

    def pair(self):
        return self.Partner.create([
            {"name": "Ann Lee", "email": "ann.lee@lee-consulting.co.uk", "phone": "020 7946 0958",
             "city": "London"},
            {"name": "Ann Lee", "email": "Ann.Lee@Lee-Consulting.co.uk", "phone": "+442079460958",
             "city": "London"},
        ])  # fmt: skip

    def test_merge_proposed_with_an_auto_run_standardisation_executes_on_approval(self):
        self.company.agent_autonomy = "conditional"
        pair = self.pair()
        self.Hygiene._hygiene_process(pair)
        tidy = self.hygiene_actions("standardise_fields", pair)
        self.assertEqual(set(tidy.mapped("state")), {"done"}, tidy.mapped("policy_reason"))
        self.assertEqual(set(pair.mapped("phone")), {"+44 20 7946 0958"})
        merge = self.merge_actions(pair)
        self.assertEqual(len(merge), 1)
        merge.with_user(self.admin).action_approve()
        self.assertEqual(merge.state, "done", merge.error)
        self.assertEqual(len(pair.exists()), 1)

    def test_merge_stays_fresh_when_a_pending_standardisation_is_approved_first(self):
        pair = self.pair()
        self.Hygiene._hygiene_process(pair)
        tidy = self.hygiene_actions("standardise_fields", pair)
        merge = self.merge_actions(pair)
        self.assertTrue(tidy)
        self.assertEqual(merge.state, "waiting")
        for action in tidy:
            action.with_user(self.admin).action_approve()
        self.assertEqual(set(tidy.mapped("state")), {"done"})
        merge.with_user(self.admin).action_approve()
        self.assertEqual(merge.state, "done", merge.error)

    def test_a_real_change_still_makes_the_merge_stale(self):
        pair = self.pair()
        self.Hygiene._hygiene_process(pair)
        merge = self.merge_actions(pair)
        pair[1].phone = "+44 161 496 0000"
        merge.with_user(self.admin).action_approve()
        self.assertEqual(merge.state, "stale")
        self.assertEqual(len(pair.exists()), 2)

    def test_a_stale_merge_comes_back_on_the_next_scheduled_run(self):
        pair = self.pair()
        self.Hygiene._cron_process_changes()
        merge = self.merge_actions(pair)
        self.assertEqual(merge.state, "waiting")
        # a person edits one of them while the proposal waits; the next run reads it again but
        # the open proposal keeps it silent
        pair[1].street = "1 Fleet Street"
        self.touch(pair[1])
        self.Hygiene._cron_process_changes()
        self.assertEqual(self.merge_actions(pair), merge)
        merge.with_user(self.admin).action_approve()
        self.assertEqual(merge.state, "stale")
        # nothing changes any more; the next scheduled run is long after the last one
        self.settle_watermark("res.partner")
        self.Hygiene._cron_process_changes()
        again = self.merge_actions(pair) - merge
        self.assertEqual(len(again), 1, "the pair still matches: proposed again")
        self.assertEqual(again.state, "waiting")
        again.with_user(self.admin).action_approve()
        self.assertEqual(again.state, "done", again.error)
        # and only once
        self.settle_watermark("res.partner")
        self.Hygiene._cron_process_changes()
        self.assertEqual(self.merge_actions(pair.exists()), merge | again)


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestCompanyLinkDomains(HygieneCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.agent_autonomy = "conditional"
        cls.globex = cls.Partner.create(
            {"name": "Globex", "is_company": True, "website": "https://globex.com"}
        )

    def links(self, partners):
        return self.hygiene_actions(records=partners).filtered(
            lambda a: a.kind in ("link_company", "overwrite_fields", "create_company")
        )

    def test_an_internal_user_is_never_linked_to_a_customer_company(self):
        self.rep.partner_id.email = "remy@globex.com"
        archived = self.rep.copy({"login": "former_rep", "name": "Former Rep"})
        archived.partner_id.email = "former@globex.com"
        archived.active = False
        people = self.rep.partner_id | archived.partner_id
        self.Hygiene._hygiene_process(people)
        self.assertFalse(self.links(people))
        self.assertFalse(people.parent_id)

    def test_free_mail_is_never_a_company(self):
        people = self.Partner.create([
            {"name": "Yan Yahoo", "email": "yan@yahoo.co.uk"},
            {"name": "Hugo Hotmail", "email": "hugo@hotmail.fr"},
            {"name": "Gina Gmx", "email": "gina@gmx.at"},
        ])  # fmt: skip
        self.Hygiene._hygiene_process(people)
        self.assertFalse(self.links(people))

    def test_our_own_domains_are_never_a_customer_company(self):
        self.company.partner_id.write(
            {"email": "info@our-own.example", "website": "https://www.our-web.example"}
        )
        alias_domain = self.env["mail.alias.domain"].create({"name": "our-alias.example"})
        self.rep.partner_id.email = "remy@our-staff.example"
        people = self.Partner.create([
            {"name": "Own Mail", "email": "someone@our-own.example"},
            {"name": "Own Web", "email": "someone@our-web.example"},
            {"name": "Own Alias", "email": "someone@our-alias.example"},
            {"name": "Own Staff", "email": "former.colleague@our-staff.example"},
        ])  # fmt: skip
        self.Hygiene._hygiene_process(people)
        self.assertFalse(self.links(people))
        self.assertTrue(alias_domain)

    def test_a_domain_one_of_our_users_writes_from_is_never_attributed(self):
        """Even when a customer company uses it too (a contractor with a customer's address,
        demo data's Azure Interior writing from yourcompany.example.com): never a wrong link."""
        self.rep.partner_id.email = "remy@globex.com"
        person = self.Partner.create({"name": "Hank Scorpio", "email": "hank@globex.com"})
        self.Hygiene._hygiene_process(person)
        self.assertFalse(self.links(person))
        self.assertFalse(person.parent_id)
        self.assertFalse(self.rep.partner_id.parent_id)

    def test_a_domain_several_companies_use_is_attributed_to_none(self):
        companies = self.Partner.create([
            {"name": "Shop One", "is_company": True, "email": "one@shared-host.example"},
            {"name": "Shop Two", "is_company": True, "email": "two@shared-host.example"},
        ])  # fmt: skip
        person = self.Partner.create({"name": "Sam Shared", "email": "sam@shared-host.example"})
        self.Hygiene._hygiene_process(companies | person)
        self.assertFalse(self.links(person))
        self.assertFalse(person.parent_id)
        self.assertEqual(companies.mapped("website"), [False, False], "no website from it either")

    def test_a_domain_used_by_one_company_still_links(self):
        person = self.Partner.create({"name": "Hank Scorpio", "email": "hank@globex.com"})
        self.Hygiene._hygiene_process(person)
        self.assertEqual(person.parent_id, self.globex)

    def test_field_changes_of_one_record_are_one_proposal(self):
        initech = self.Partner.create(
            {"name": "Initech", "is_company": True, "email": "info@initech.com",
             "phone": "020 7946 0958"}
        )  # fmt: skip
        self.Hygiene._hygiene_process(initech)
        actions = self.hygiene_actions(records=initech)
        self.assertEqual(len(actions), 1, actions.mapped("name"))
        self.assertEqual(
            actions.payload["values"],
            {"phone": "+44 20 7946 0958", "website": "https://initech.com"},
        )
        self.assertNotIn("website", actions.name, "labels, not field names")
        self.assertIn("Website", actions.name)


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestReadablePhones(HygieneCase):
    def test_phones_are_readable_international_and_keep_their_extension(self):
        self.company.agent_autonomy = "conditional"
        partners = self.Partner.create([
            {"name": "National Nora", "phone": "020 7946 0958"},
            {"name": "Digits Dan", "phone": "+442079460958"},
            {"name": "Durchwahl Dirk", "phone": "030 1234567 Durchwahl 12",
             "country_id": self.env.ref("base.de").id},
            {"name": "Poste Paul", "phone": "01 23 45 67 89 poste 204",
             "country_id": self.env.ref("base.fr").id},
            {"name": "Readable Rita", "phone": "+44 20 7946 0959"},
        ])  # fmt: skip
        self.Hygiene._hygiene_process(partners)
        self.assertEqual(
            partners.mapped("phone"),
            [
                "+44 20 7946 0958",
                "+44 20 7946 0958",
                "+49 30 1234567 ext. 12",
                "+33 1 23 45 67 89 ext. 204",
                "+44 20 7946 0959",
            ],
        )
        self.assertEqual(
            partners.mapped("phone_sanitized"),
            ["+442079460958", "+442079460958", "+49301234567", "+33123456789", "+442079460959"],
        )
        self.assertFalse(
            self.hygiene_actions("standardise_fields", partners[4]),
            "a readable international number is left as typed",
        )

    def test_a_users_own_contact_is_left_to_its_user(self):
        self.company.agent_autonomy = "conditional"
        self.rep.partner_id.phone = "020 7946 0999"
        self.Hygiene._hygiene_process(self.rep.partner_id)
        self.assertFalse(self.hygiene_actions(records=self.rep.partner_id))
        self.assertEqual(self.rep.partner_id.phone, "020 7946 0999")

    def test_closed_leads_are_left_alone(self):
        self.company.agent_autonomy = "conditional"
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        open_lead, won, lost = self.Lead.create([
            {"name": "Open", "phone": "020 7946 0958", "type": "opportunity"},
            {"name": "Won", "phone": "020 7946 0958", "type": "opportunity",
             "stage_id": won_stage.id},
            {"name": "Lost", "phone": "020 7946 0958", "type": "opportunity"},
        ])  # fmt: skip
        lost.action_set_lost()
        self.assertEqual(won.won_status, "won")
        self.assertFalse(lost.active)
        self.Hygiene._hygiene_process(open_lead | won | lost)
        self.assertEqual(open_lead.phone, "+44 20 7946 0958")
        self.assertEqual(won.phone, "020 7946 0958")
        self.assertEqual(lost.phone, "020 7946 0958")
        self.assertFalse(self.hygiene_actions(records=won | lost))

    def test_a_lead_with_its_contacts_phone_is_asked_once(self):
        """Odoo copies the contact's phone onto the lead whenever it changes: asked on the
        contact only (a proposal on the lead would go stale when the contact's is tidied)."""
        partner = self.Partner.create({"name": "Carl Contact", "phone": "020 7946 0958"})
        lead = self.Lead.create({"name": "Carl's need", "partner_id": partner.id})
        self.assertEqual(lead.phone, "020 7946 0958")
        self.Hygiene._hygiene_process(partner)
        self.Hygiene._hygiene_process(lead)
        self.assertTrue(self.hygiene_actions("standardise_fields", partner))
        self.assertFalse(self.hygiene_actions("standardise_fields", lead))


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestAddressSyncNotes(HygieneCase):
    def test_contacts_updated_by_odoos_address_sync_get_a_note(self):
        self.company.agent_autonomy = "conditional"
        company = self.Partner.create(
            {"name": "Synco", "is_company": True, "city": "Leeds", "street": "1 Old Road"}
        )
        contacts = self.Partner.create([
            {"name": "Sid Sync", "parent_id": company.id},
            {"name": "Sue Sync", "parent_id": company.id},
        ])  # fmt: skip
        self.assertEqual(contacts.mapped("city"), ["Leeds", "Leeds"])
        action = self.propose(company, values={"city": "York", "street": "2 New Road"})
        self.assertEqual(action.state, "done", action.policy_reason or action.error)
        self.assertEqual(contacts.mapped("city"), ["York", "York"], "Odoo's own sync")
        for contact in contacts:
            notes = self.agent_notes(contact)
            self.assertEqual(len(notes), 1)
            self.assertIn("address sync", notes.body)
            self.assertIn("Leeds", notes.body, "what the address was")
        company_notes = "".join(self.agent_notes(company).mapped("body"))
        self.assertIn("Sid Sync", company_notes)
        self.assertIn("Sue Sync", company_notes)

    def test_an_address_written_on_a_contact_is_noted_on_its_company(self):
        self.company.agent_autonomy = "conditional"
        company = self.Partner.create({"name": "Upco", "is_company": True, "city": "Leeds"})
        sid, sue = self.Partner.create([
            {"name": "Sid Up", "parent_id": company.id},
            {"name": "Sue Up", "parent_id": company.id},
        ])  # fmt: skip
        action = self.propose(sid, values={"city": "York"})
        self.assertEqual(action.state, "done", action.policy_reason or action.error)
        self.assertEqual(company.city, "York", "Odoo writes a contact's address to its company")
        company_note = self.agent_notes(company)
        self.assertEqual(len(company_note), 1)
        self.assertIn("Sue Up", company_note.body)
        self.assertIn("Leeds", self.agent_notes(sue).body)
