from odoo.tests import tagged

from .common import HygieneCase


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestStandardise(HygieneCase):
    def test_conditional_runs_alone_with_before_image_and_undo(self):
        self.company.agent_autonomy = "conditional"
        partner = self.Partner.create(
            {"name": "Ann Lee", "phone": "020 7946 0958", "email": "Ann.Lee@Example.COM "}
        )
        self.Hygiene._hygiene_process(partner)
        action = self.hygiene_actions("standardise_fields", partner)
        self.assertEqual(action.state, "done", action.policy_reason)
        self.assertTrue(action.auto_run)
        labels = self.env["crm.agent.action"]._agent_fields_label("res.partner", ["email", "phone"])
        self.assertIn(labels, action.name, "field labels, never technical names")
        # Odoo's convention: readable international format, E.164 in phone_sanitized
        self.assertEqual(partner.phone, "+44 20 7946 0958")
        self.assertEqual(partner.phone_sanitized, "+442079460958")
        self.assertEqual(partner.email, "Ann.Lee@example.com", "the local part keeps its case")
        self.assertEqual(
            action.before_image, {"phone": "020 7946 0958", "email": "Ann.Lee@Example.COM "}
        )
        action.with_user(self.manager).action_undo()
        self.assertEqual(action.state, "undone")
        self.assertEqual(partner.phone, "020 7946 0958")
        # an undone standardisation is not proposed again
        self.touch(partner)
        self.Hygiene._hygiene_process(partner)
        self.assertEqual(self.hygiene_actions("standardise_fields", partner), action)

    def test_assisted_proposes(self):
        lead = self.Lead.create(
            {"name": "Lead", "phone": "020 7946 0958", "website": "HTTPS://WWW.Acme.COM/"}
        )
        self.Hygiene._hygiene_process(lead)
        action = self.hygiene_actions("standardise_fields", lead)
        self.assertEqual(action.state, "waiting")
        self.assertEqual(
            action.payload["values"],
            {"phone": "+44 20 7946 0958", "website": "https://www.acme.com"},
        )
        self.assertEqual(lead.phone, "020 7946 0958")

    def test_invalid_phone_flagged_and_left_as_typed(self):
        self.company.agent_autonomy = "conditional"
        partner = self.Partner.create({"name": "Bad Number", "phone": "020 7946"})
        lead = self.Lead.create({"name": "Bad lead", "phone": "call me maybe"})
        self.assertTrue(partner.hygiene_phone_invalid)
        self.assertIn("not a valid number", partner.hygiene_phone_issue)
        self.assertTrue(lead.hygiene_phone_invalid)
        self.Hygiene._hygiene_process(partner)
        self.Hygiene._hygiene_process(lead)
        self.assertFalse(self.hygiene_actions("standardise_fields", partner))
        self.assertFalse(self.hygiene_actions("standardise_fields", lead))
        self.assertEqual(partner.phone, "020 7946")
        self.assertIn(partner, self.Partner.search([("hygiene_phone_invalid", "=", True)]))
        partner.phone = "+44 20 7946 0958"
        self.assertFalse(partner.hygiene_phone_invalid)

    def test_bounced_email_flag(self):
        partner = self.Partner.create({"name": "Bouncy", "email": "gone@example.com"})
        self.assertFalse(partner.hygiene_email_bounced)
        partner.message_bounce = 1
        self.assertIn(partner, self.Partner.search([("hygiene_email_bounced", "=", True)]))


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestEnrichment(HygieneCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.agent_autonomy = "conditional"
        cls.globex = cls.Partner.create(
            {"name": "Globex", "is_company": True, "website": "https://globex.com"}
        )

    def test_company_from_email_domain_fills_empty_parent(self):
        person = self.Partner.create({"name": "Hank Scorpio", "email": "hank@globex.com"})
        self.Hygiene._hygiene_process(person)
        action = self.hygiene_actions("link_company", person)
        self.assertEqual(action.state, "done", action.policy_reason)
        self.assertEqual(person.parent_id, self.globex)

    def test_contact_of_another_company_is_left_alone(self):
        """Moving a contact between companies is a person's decision: nothing is proposed."""
        other = self.Partner.create({"name": "Other Ltd", "is_company": True})
        person = self.Partner.create(
            {"name": "Homer", "email": "homer@globex.com", "parent_id": other.id}
        )
        self.Hygiene._hygiene_process(person)
        self.assertEqual(person.parent_id, other)
        self.assertFalse(
            self.hygiene_actions(records=person).filtered(lambda a: a.kind != "standardise_fields")
        )

    def test_free_mail_never_enriches(self):
        person = self.Partner.create({"name": "Marge", "email": "marge@gmail.com"})
        company = self.Partner.create(
            {"name": "Springfield Nuclear", "is_company": True, "email": "info@hotmail.co.uk"}
        )
        self.Hygiene._hygiene_process(person | company)
        self.assertFalse(
            self.hygiene_actions(records=person | company).filtered(
                lambda a: a.kind != "standardise_fields"
            )
        )
        self.assertFalse(company.website)

    def test_website_from_company_domain_and_new_company_proposed(self):
        initech = self.Partner.create(
            {"name": "Initech", "is_company": True, "email": "info@initech.com"}
        )
        peter = self.Partner.create({"name": "Peter Gibbons", "email": "peter@initrode.com"})
        self.Hygiene._hygiene_process(initech | peter)
        self.assertEqual(initech.website, "https://initech.com")
        create = self.hygiene_actions("link_company", peter)
        self.assertEqual(create.state, "waiting", "creating a company waits for a person")
        create.with_user(self.approver).action_approve()
        self.assertEqual(create.state, "done", create.error)
        self.assertEqual(peter.parent_id.website, "https://initrode.com")
        create.with_user(self.manager).action_undo()
        self.assertFalse(peter.parent_id)


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestStandardiseKeepsWhatWasTyped(HygieneCase):
    def test_phone_extension_is_kept_or_the_phone_left_as_typed(self):
        self.company.agent_autonomy = "conditional"
        with_ext = self.Partner.create({"name": "Extension Ed", "phone": "020 7946 0958 ext. 12"})
        poste = self.Lead.create({"name": "Poste lead", "phone": "020 7946 0958 poste 12"})
        dashed = self.Partner.create({"name": "Dashed Dora", "phone": "020 7946 0958-12"})
        self.Hygiene._hygiene_process(with_ext | dashed)
        self.Hygiene._hygiene_process(poste)
        self.assertEqual(with_ext.phone, "+44 20 7946 0958 ext. 12")
        self.assertEqual(with_ext.phone_sanitized, "+442079460958")
        self.assertEqual(poste.phone, "+44 20 7946 0958 ext. 12")
        self.assertEqual(dashed.phone, "020 7946 0958-12")
        self.assertFalse(self.hygiene_actions("standardise_fields", dashed))
        # standard already: nothing proposed again
        self.touch(with_ext)
        self.Hygiene._hygiene_process(with_ext)
        self.assertEqual(len(self.hygiene_actions("standardise_fields", with_ext)), 1)

    def test_standardised_values_carry_no_bidi_characters(self):
        lead = self.Lead.create({"name": "Bidi", "website": "HTTPS://Acme.COM/\u202etxt.exe"})
        self.Hygiene._hygiene_process(lead)
        action = self.hygiene_actions("standardise_fields", lead)
        self.assertEqual(action.payload["values"], {"website": "https://acme.com/txt.exe"})
        self.assertNotIn("\u202e", action.name + action.explanation)


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestOneCompanyLink(HygieneCase):
    """Capture and the hygiene pass link a contact to its company with one kind and one key."""

    def test_capture_and_hygiene_ask_once_about_the_same_contact(self):
        globex = self.Partner.create(
            {"name": "Globex", "is_company": True, "website": "https://globex.com"}
        )
        person = self.Partner.create({"name": "Hank Scorpio", "email": "hank@globex.com"})
        self.Hygiene._hygiene_process(person)
        link = self.hygiene_actions("link_company", person)
        self.assertEqual(len(link), 1)
        self.assertEqual(link.state, "waiting", "assisted: a person decides")
        plan, confidence, reason = self.env["crm.agent.capture"]._capture_company_plan(
            "hank@globex.com", None, set(), self.company
        )
        self.assertEqual(plan["company_id"], globex.id)
        proposal = person._agent_company_link_proposal(
            plan, confidence, reason, "capture", "the signature of a mail"
        )
        self.assertEqual(proposal.kind, "link_company")
        self.assertEqual(proposal.key, link.dedup_key, "the same fingerprint whoever proposes")
        self.assertFalse(self.Action._agent_propose([proposal]), "never asked twice")

    def test_link_keeps_the_company_address_and_undo_restores_the_contact_one(self):
        """Odoo's rule: a company's contact shares its address. The link gives the contact the
        company's address (never the contact's to the company and its other contacts), says so,
        and undo restores the contact's own."""
        self.company.agent_autonomy = "conditional"
        globex = self.Partner.create(
            {
                "name": "Globex",
                "is_company": True,
                "website": "https://globex.com",
                "city": "Cypress Creek",
            }
        )
        person = self.Partner.create(
            {"name": "Hank Scorpio", "email": "hank@globex.com", "city": "Springfield"}
        )
        self.Hygiene._hygiene_process(person)
        link = self.hygiene_actions("link_company", person)
        self.assertEqual(link.state, "done", link.policy_reason or link.error)
        self.assertEqual(person.parent_id, globex)
        self.assertEqual(globex.city, "Cypress Creek", "the company keeps its address")
        self.assertEqual(person.city, "Cypress Creek")
        self.assertIn("Springfield", link.result, "the former address is told")
        link.with_user(self.manager).action_undo()
        self.assertFalse(person.parent_id)
        self.assertEqual(person.city, "Springfield")
