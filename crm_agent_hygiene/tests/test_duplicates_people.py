from odoo.tests import tagged

from .common import HygieneCase


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestColleaguesAreNotDuplicates(HygieneCase):
    """Colleagues share their company's switchboard, address, domain and VAT: none of that makes
    two different people one; a true duplicate among them is still found."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.Partner.create(
            {
                "name": "Farnwood Logistics Ltd",
                "is_company": True,
                "phone": "+44 20 7946 0500",
                "street": "12 Mill Road",
                "city": "Leeds",
                "zip": "LS1 4AP",
                "country_id": cls.env.ref("base.uk").id,
                "website": "https://farnwood-logistics.co.uk",
                "vat": "GB123456782",
            }
        )

        def colleague(name, email, phone="020 7946 0500"):
            return cls.Partner.create(
                {"name": name, "email": email, "phone": phone, "parent_id": cls.company.id}
            )

        cls.anna = colleague("Anna Farnwood", "anna.farnwood@farnwood-logistics.co.uk")
        cls.peter = colleague("Peter Farnwood", "peter.farnwood@farnwood-logistics.co.uk")
        cls.karl = colleague("Karl Meyer", "karl.meyer@farnwood-logistics.co.uk")
        cls.info = colleague("Sarah Jones", "info@farnwood-logistics.co.uk")
        cls.desk = colleague("Tom Baker", "info@farnwood-logistics.co.uk")
        # one person twice: an initial, the same mailbox with a +tag, the switchboard
        cls.kevin = colleague("Kevin Ashdown", "kevin.ashdown@farnwood-logistics.co.uk")
        cls.kevin_again = colleague("K. Ashdown", "Kevin.Ashdown+crm@farnwood-logistics.co.uk")
        cls.staff = cls.anna | cls.peter | cls.karl | cls.info | cls.desk
        cls.staff |= cls.kevin | cls.kevin_again

    def test_company_vat_address_and_switchboard_are_copied(self):
        # the premise: Odoo itself copies the company's VAT and address onto its contacts
        self.assertEqual(set(self.staff.mapped("vat")), {"GB123456782"})
        self.assertEqual(set(self.staff.mapped("street")), {"12 Mill Road"})

    def test_colleagues_never_proposed_a_true_duplicate_is(self):
        self.Hygiene._hygiene_process(self.staff)
        proposed = {
            frozenset(action.payload["record_ids"]) for action in self.merge_actions(self.staff)
        }
        self.assertEqual(proposed, {frozenset((self.kevin.id, self.kevin_again.id))})
        action = self.merge_actions(self.kevin)
        self.assertGreaterEqual(action.confidence, 0.9)

    def test_the_engine_says_why_colleagues_differ(self):
        values = (self.anna | self.peter)._hygiene_engine_values()
        # the VAT is passed as the company's, not as the person's own identifier
        self.assertEqual(values[self.anna.id]["vat"], "")
        self.assertEqual(values[self.anna.id]["company_vat"], "GB123456782")


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestLeadRequests(HygieneCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.Partner.create(
            {
                "name": "Northwind Traders",
                "is_company": True,
                "email": "buying@northwind.example.com",
                "phone": "+44 20 7946 0777",
            }
        )

    def opportunity(self, name, kind="opportunity"):
        return self.Lead.create(
            {
                "name": name,
                "type": kind,
                "partner_id": self.customer.id,
                "team_id": self.team.id,
            }
        )

    def test_two_opportunities_of_one_customer_are_not_duplicates(self):
        chairs = self.opportunity("Office chairs for the new floor")
        servers = self.opportunity("Server maintenance contract")
        self.assertEqual(chairs.email_from, servers.email_from)
        self.Hygiene._hygiene_process(chairs | servers)
        self.assertFalse(self.merge_actions(chairs | servers))

    def test_a_lead_and_an_opportunity_for_the_same_request_are(self):
        lead = self.opportunity("Office chairs for the new floor", kind="lead")
        opportunity = self.opportunity("Office chairs - new floor")
        self.Hygiene._hygiene_process(lead | opportunity)
        actions = self.merge_actions(lead | opportunity)
        self.assertEqual(len(actions), 1)
        self.assertEqual(set(actions.payload["record_ids"]), {lead.id, opportunity.id})
