"""The hygiene agent as an attacker would use it: what a proposal shows, whose logins it merges,
who may approve a merge, and the fields only the agent writes."""

import json
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_agent.engine.proposal import propose

from ..models.crm_agent_action import CrmAgentAction
from .common import HygieneCase


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestMergeProposalLeaks(HygieneCase):
    """A salesperson must not learn about another rep's lead through a merge proposal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls.Lead.create({
            "name": "Quote for 20 standing desks - Mine", "contact_name": "Robert Brown", "email_from": "bob.brown@initrode.com",
            "phone": "+44 20 7946 0111", "user_id": cls.rep.id, "type": "opportunity",
            "description": "<p>my own notes</p>",
        })  # fmt: skip
        cls.theirs = cls.Lead.create({
            "name": "Quote for 20 standing desks - Theirs", "contact_name": "BOB BROWN", "email_from": "Bob.Brown@INITRODE.com",
            "phone": "020 7946 0111", "user_id": cls.other_rep.id, "type": "opportunity",
            "description": "<p>SECRET-NOTES discount up to 40%</p>", "expected_revenue": 987654,
        })  # fmt: skip

    def cron_merge(self):
        self.Hygiene._cron_process_changes()
        action = self.merge_actions(self.mine | self.theirs)
        self.assertEqual(len(action), 1)
        return action

    def test_before_image_holds_only_the_compared_fields(self):
        action = self.cron_merge()
        stored = json.dumps(
            action.sudo().read(["payload", "before_image", "explanation", "name"]), default=str
        )
        self.assertNotIn("SECRET-NOTES", stored, "internal notes are never copied into the action")
        for image in action.before_image["records"].values():
            self.assertEqual(set(image), {*self.Lead._hygiene_compare_fields, "display_name", "id"})
            self.assertNotIn("description", image)

    def test_rep_cannot_read_the_proposal_about_a_lead_they_cannot_read(self):
        action = self.cron_merge()
        self.assertEqual(set(action._agent_touched_records().ids), {self.mine.id, self.theirs.id})
        Action = self.Action.with_user(self.rep)
        self.assertFalse(Action.search([("id", "=", action.id)]))
        self.assertFalse(
            Action.search([("res_model", "=", "crm.lead"), ("kind", "=", "merge_leads")])
        )
        with self.assertRaises(AccessError):
            action.with_user(self.rep).read(["before_image", "hygiene_comparison_html"])
        # nor through the lead form's list of possible duplicates
        self.assertFalse(self.mine.with_user(self.rep).hygiene_duplicate_action_ids)

    def test_side_by_side_is_computed_per_viewer(self):
        action = self.cron_merge()
        html = str(action.with_user(self.manager).hygiene_comparison_html)
        self.assertIn("987", html, "a manager who reads both leads compares them")
        self.assertNotIn("(restricted)", html)
        # computed for the rep (who may read only one of them), the other lead is a blank column
        html = str(action.with_user(self.rep)._hygiene_comparison())
        self.assertIn("(restricted)", html)
        self.assertNotIn("987", html)
        self.assertNotIn("Theirs", html)
        self.assertIn("Mine", html)

    def test_approval_activity_carries_no_other_record_data(self):
        action = self.cron_merge()
        approver = action.approver_id
        self.assertTrue(approver)
        details = str(action.with_user(approver)._agent_approval_details())
        note = str(action.activity_id.note)
        for text in (
            "SECRET-NOTES",
            "987654",
            "987,654",
            "Bob.Brown@INITRODE.com",
            "o_hygiene_comparison",
        ):
            self.assertNotIn(text, details)
            self.assertNotIn(text, note)

    def test_no_approver_who_cannot_read_both(self):
        self.company.agent_approver_user_id = self.rep
        action = self.cron_merge()
        self.assertNotEqual(action.approver_id, self.rep)
        self.assertTrue(action._agent_approval_refusal(self.rep))
        with self.assertRaises(AccessError):
            action.with_user(self.rep).action_approve()
        self.assertTrue((self.mine | self.theirs).exists() == self.mine | self.theirs)


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestContactsWithLogins(HygieneCase):
    """A portal user copies a customer's name, e-mail and phone onto her own account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.Partner.create({
            "name": "Carla Customer", "email": "carla@bigcustomer.com", "phone": "+44 20 7946 0222",
            "street": "1 Customer Road", "city": "London",
        })  # fmt: skip
        cls.portal = new_test_user(
            cls.env, "hyg_portal", groups="base.group_portal", name="Polly Portal"
        )
        cls.admin = cls.env.ref("base.user_admin")

    def impersonate(self, user):
        # the attacker's own step: her account settings (name, e-mail and phone are self-writeable)
        user.with_user(user).write({
            "name": "Carla Customer", "email": "carla@bigcustomer.com", "phone": "+44 20 7946 0222",
        })  # fmt: skip

    def test_portal_contact_is_never_proposed_for_a_merge(self):
        self.impersonate(self.portal)
        self.Hygiene._cron_process_changes()
        self.assertFalse(self.merge_actions(self.portal.partner_id | self.customer))
        pairs = self.Hygiene._candidate_pairs(self.portal.partner_id | self.customer)
        self.assertFalse([pair for pair in pairs if self.portal.partner_id.id in pair])

    def test_portal_user_cannot_start_a_check(self):
        with self.assertRaises(AccessError):
            self.portal.partner_id.with_user(self.portal).action_hygiene_check()
        self.assertFalse(self.hygiene_actions(records=self.portal.partner_id))

    def test_archived_login_counts_too(self):
        self.impersonate(self.portal)
        self.portal.active = False
        self.Hygiene._cron_process_changes()
        self.assertFalse(self.merge_actions(self.portal.partner_id | self.customer))

    def test_portal_contact_is_not_linked_to_a_company_from_her_email(self):
        company = self.Partner.create(
            {"name": "Big Customer", "is_company": True, "website": "https://bigcustomer.com"}
        )
        self.company.agent_autonomy = "conditional"
        self.impersonate(self.portal)
        self.Hygiene._cron_process_changes()
        self.assertNotEqual(self.portal.partner_id.parent_id, company)
        self.assertFalse(
            self.hygiene_actions(records=self.portal.partner_id).filtered(
                lambda a: "parent_id" in ((a.payload or {}).get("values") or {})
            )
        )

    def test_forged_merge_with_a_login_fails_at_execution(self):
        self.impersonate(self.portal)
        action = self.Action._agent_propose(
            propose(
                "res.partner", self.customer.id, "merge_partners",
                name="Merge", explanation="Same person.", confidence=1.0, source="hygiene",
                record_ids=(self.customer.id, self.portal.partner_id.id),
                payload={"survivor_id": self.customer.id},
            )
        )  # fmt: skip
        self.assertTrue(action._agent_approval_refusal(self.admin))
        with self.assertRaises(AccessError):
            action.with_user(self.admin).action_approve()
        # even approved (e.g. before the login was created), execution checks again and fails cleanly
        action.sudo().write({"state": "approved", "approved_by_id": self.admin.id})
        action._agent_execute()
        self.assertIn(action.state, ("failed", "stale"))
        self.assertTrue(self.portal.partner_id.exists())
        self.assertTrue(self.customer.exists())
        self.assertEqual(self.portal.partner_id, self.portal.sudo().partner_id)


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestMergeRights(HygieneCase):
    """Approving a merge needs the rights Odoo asks for the same merge by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.sales_admin = new_test_user(
            cls.env, "hyg_sales_admin", groups="sales_team.group_sale_manager,crm_agent.group_agent_approver",
            name="Sally Salesadmin",
        )  # fmt: skip
        cls.contact_manager = new_test_user(
            cls.env, "hyg_contact_manager",
            groups="sales_team.group_sale_manager,crm_agent.group_agent_approver,base.group_partner_manager",
            name="Connie Contacts",
        )  # fmt: skip
        cls.first = cls.Partner.create(
            {"name": "Dana Different", "email": "dana@example.com", "phone": "+44 20 7946 0333"}
        )
        cls.second = cls.Partner.create(
            {"name": "Dana Different", "email": "dana.d@example.com", "phone": "+44 20 7946 0333"}
        )

    def propose_merge(self, first=None, second=None):
        first, second = first or self.first, second or self.second
        return self.Action._agent_propose(
            propose(
                "res.partner", first.id, "merge_partners",
                name="Merge the two Danas", explanation="Same name and phone.", confidence=0.99,
                source="hygiene", record_ids=(first.id, second.id),
                payload={"survivor_id": first.id},
            )
        )  # fmt: skip

    def test_sales_admin_cannot_merge_contacts_with_different_emails(self):
        action = self.propose_merge()
        with self.assertRaises(AccessError):
            action.with_user(self.sales_admin).action_approve()
        # not even as the approver the activity was assigned to
        action.sudo().approver_id = self.sales_admin
        with self.assertRaises(AccessError):
            action.with_user(self.sales_admin).action_approve()
        self.assertEqual((self.first | self.second).exists(), self.first | self.second)
        # a contact manager who is not an administrator is refused too (Odoo: different e-mails)
        with self.assertRaises(AccessError):
            action.with_user(self.contact_manager).action_approve()
        self.assertEqual((self.first | self.second).exists(), self.first | self.second)
        # an administrator may, as in Odoo's own merge
        action.with_user(self.admin).action_approve()
        self.assertEqual(action.state, "done", action.error)
        self.assertFalse(self.second.exists())

    def test_approved_by_someone_without_the_rights_fails_at_execution(self):
        action = self.propose_merge()
        # forged: the action says it was approved by the sales admin
        action.sudo().write({"state": "approved", "approved_by_id": self.sales_admin.id})
        action._agent_execute()
        self.assertEqual(action.state, "failed")
        self.assertEqual((self.first | self.second).exists(), self.first | self.second)

    def test_executor_keeps_odoo_safety_checks_on(self):
        """Even with our own rights check out of the way, Odoo's merge still refuses a contact
        manager who is not an administrator contacts with different e-mails (extra_checks on)."""
        action = self.propose_merge()
        as_manager = action.with_user(self.contact_manager)
        with patch.object(CrmAgentAction, "_hygiene_merge_refusal", lambda self_, user: None):
            with self.assertRaisesRegex(UserError, "same email"):
                as_manager._agent_execute_merge_partners()
        self.assertEqual((self.first | self.second).exists(), self.first | self.second)

    def test_contact_manager_merges_contacts_with_the_same_email(self):
        self.second.email = "dana@example.com"
        self.second.hygiene_stale = True  # test setup (superuser): Odoo's merge copies plain fields
        action = self.propose_merge()
        action.with_user(self.contact_manager).action_approve()
        self.assertEqual(action.state, "done", action.error)
        self.assertFalse(self.second.exists())
        self.assertTrue(self.first.exists())

    def test_salesperson_made_approver_cannot_merge(self):
        salesperson = new_test_user(
            self.env, "hyg_sales_approver",
            groups="sales_team.group_sale_salesman_all_leads,crm_agent.group_agent_approver", name="Sam Seller",
        )  # fmt: skip
        self.second.email = "dana@example.com"
        self.company.agent_approver_user_id = salesperson
        action = self.propose_merge()
        self.assertNotEqual(action.approver_id, salesperson, "never chosen")
        self.assertTrue(action._agent_approval_refusal(salesperson, assigning=True))
        action.sudo().approver_id = salesperson
        with self.assertRaises(AccessError):
            action.with_user(salesperson).action_approve()
        if action.activity_id:
            with self.assertRaises(AccessError):
                action.activity_id.with_user(salesperson).action_feedback()
        self.assertEqual((self.first | self.second).exists(), self.first | self.second)


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestAgentOwnedFields(HygieneCase):
    FIELDS = {
        "hygiene_name_key": "forged", "hygiene_domain": "evil.com", "hygiene_phone_invalid": True,
        "hygiene_phone_issue": "forged", "hygiene_email_bounced": True, "hygiene_stale": True,
        "hygiene_last_activity": "2020-01-01 00:00:00",
    }  # fmt: skip

    def test_users_never_write_the_agents_fields(self):
        partner_manager = new_test_user(
            self.env, "hyg_pm", groups="sales_team.group_sale_manager,base.group_partner_manager"
        )
        partner = self.Partner.create({"name": "Flag Frank", "email": "frank@example.com"})
        lead = self.Lead.create(
            {"name": "Flag lead", "user_id": self.rep.id, "email_from": "f@example.com"}
        )
        for record, users in ((lead, (self.rep, self.manager)), (partner, (partner_manager,))):
            before = record.read(list(self.FIELDS))[0]
            for user in users:
                for fname, value in self.FIELDS.items():
                    with (
                        self.subTest(model=record._name, user=user.login, field=fname),
                        self.assertRaises(AccessError),
                    ):
                        record.with_user(user).write({fname: value})
            record.invalidate_recordset()
            self.assertEqual(record.read(list(self.FIELDS))[0], before)
        # nor at creation, nor through a default in the context
        with self.assertRaises(AccessError):
            self.Lead.with_user(self.rep).create({"name": "New", "hygiene_stale": True})
        lead = (
            self.Lead.with_user(self.rep)
            .with_context(default_hygiene_stale=True)
            .create({"name": "New"})
        )
        self.assertFalse(lead.hygiene_stale)
        # the user's own fields still work, and the agent's keys follow
        partner.with_user(partner_manager).write({"email": "frank@evil.com"})
        self.assertEqual(partner.hygiene_domain, "evil.com")
