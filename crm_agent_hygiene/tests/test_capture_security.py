"""Auto-capture security rules, each tested the way an attacker would go: a plain user's
environment (``with_user``) for their steps, and the real entry points (the mail gateway, the
meeting-notes job) for what capture then does."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CaptureCase
from .test_capture_calendar import NOTES
from .test_capture_mail import STRANGER_BODY

IMPOSTOR_BODY = """Hello,

Please call me back about the order.

Best regards,
Eve Mallory
Head of Sales
{company}
Phone: +44 20 7946 0111
"""

MUTED = ("odoo.addons.mail.models.mail_thread", "odoo.addons.crm_agent.models.crm_agent_capture")


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestCaptureSecurity(CaptureCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(
            cls.env, "capture_employee", groups="base.group_user", name="Emma Employee"
        )
        cls.Partner = cls.env["res.partner"]
        cls.Event = cls.env["calendar.event"]

    def companies_linked_from(self, email):
        return self.Partner.search([("email", "=", email)]).parent_id

    # ------------------------------------------------------------------
    # (7) companies from signatures, wildcards, look-alikes of our domain
    # ------------------------------------------------------------------

    @mute_logger(*MUTED)
    def test_signature_company_name_never_links_an_existing_company(self):
        self.company.agent_autonomy = "conditional"
        globex = self.Partner.create(
            {"name": "Globex Corporation", "is_company": True, "website": "https://globex.example"}
        )
        for label, company in (("exact", "Globex Corporation"), ("wildcard", "G_obex%Corporation")):
            with self.subTest(signature=label):
                email = f"eve.{label}@evil-traders.example"
                self.process(
                    f"Eve Mallory <{email}>",
                    IMPOSTOR_BODY.format(company=company),
                    f"Order {label}",
                )
                contact = self.Partner.search([("email", "=", email)])
                self.assertTrue(contact, "the sender's contact is still created")
                self.assertNotEqual(contact.parent_id, globex)
                self.assertFalse(
                    self.capture_actions().filtered(
                        lambda action: (action.payload.get("company") or {}).get("company_id")
                        == globex.id
                    ),
                    "no proposal names the existing company",
                )
        self.assertFalse(globex.child_ids)

    @mute_logger(*MUTED)
    def test_existing_company_is_found_by_the_sender_domain(self):
        self.company.agent_autonomy = "conditional"
        acme = self.Partner.create(
            {
                "name": "ACME Robotics",
                "is_company": True,
                "website": "https://acme-robotics.example",
            }
        )
        lead = self.process(
            "Ann Smith <ann.smith@acme-robotics.example>", STRANGER_BODY, "Quote from Acme"
        )
        self.assertEqual(lead.partner_id.parent_id, acme, "same domain: the existing company")

    @mute_logger(*MUTED)
    def test_lookalike_of_our_domain_is_never_attached_to_any_company(self):
        self.company.agent_autonomy = "conditional"
        self.company.name = "Capture Test Ltd"
        ours = self.company.partner_id
        our_people = ours.child_ids
        body = IMPOSTOR_BODY.format(company="Capture Test Ltd")
        for label, address in (
            ("punycode", "ceo@xn--cpture-3nf.test"),  # Cyrillic 'а' in capture.test
            ("subdomain", "ceo@mail.xn--cpture-3nf.test"),
            ("digit", "ceo@capture.te5t.test"),  # not a look-alike: a stranger, for contrast
        ):
            with self.subTest(sender=label):
                self.process(f"Eve Mallory <{address}>", body, f"Urgent {label}")
        self.assertFalse(
            self.Partner.search([("email", "in", ["ceo@xn--cpture-3nf.test"])]),
            "a sender imitating our domain is not captured at all",
        )
        self.assertFalse(self.companies_linked_from("ceo@mail.xn--cpture-3nf.test"))
        self.assertEqual(ours.child_ids, our_people, "nobody becomes a child of our own company")
        self.assertFalse(
            self.capture_actions().filtered(
                lambda action: (action.payload.get("company") or {}).get("company_id") == ours.id
            )
        )
        stranger = self.Partner.search([("email", "=", "ceo@capture.te5t.test")])
        self.assertTrue(stranger, "a domain that only resembles ours is an ordinary stranger")
        self.assertNotEqual(stranger.parent_id, ours)

    # ------------------------------------------------------------------
    # (8) companies and ownership
    # ------------------------------------------------------------------

    @mute_logger(*MUTED)
    def test_mail_of_one_company_is_never_linked_into_another(self):
        self.company.agent_autonomy = "conditional"
        company_b = self.env["res.company"].create({"name": "Company B"})
        dora = self.Partner.create({"name": "Dora Lee", "email": "dora@umbrella.example"})
        opportunity_b = self.env["crm.lead"].create(
            {
                "name": "Umbrella deal in B",
                "type": "opportunity",
                "partner_id": dora.id,
                "company_id": company_b.id,
            }
        )
        bob_b = self.Partner.create(
            {"name": "Bob Stone", "email": "bob@globex.example", "company_id": company_b.id}
        )
        lead = self.process(
            "Dora Lee <dora@umbrella.example>", "Hello,\n\nAny news?\n", "Umbrella in A"
        )
        self.assertEqual(lead.company_id, self.company)
        self.assertFalse(
            self.capture_actions(kind="capture_link_mail", res_id=opportunity_b.id),
            "company B's opportunity is not proposed for company A's mail",
        )
        self.assertFalse(
            opportunity_b.message_ids.filtered(lambda m: "Any news?" in (m.body or ""))
        )
        self.process(
            "Bob Stone <bob@globex.example>",
            "Hi,\n\nCall me.\n\nBob Stone\nPurchasing Director\nGlobex GmbH\nTel: +49 30 1234567\n",
            "Globex in A",
        )
        self.assertFalse(
            self.capture_actions(res_model="res.partner", res_id=bob_b.id),
            "company B's contact is neither enriched nor linked from company A's mail",
        )
        self.assertFalse(bob_b.phone)
        self.assertFalse(bob_b.parent_id)

    def test_meeting_is_never_linked_to_another_company_opportunity(self):
        """Saved by a job or a sync (superuser), a meeting is captured as its organiser, within
        the organiser's company, even when the organiser may also work in the other company."""
        self.company.agent_autonomy = "conditional"
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.manager.company_ids |= company_b
        dora = self.Partner.create({"name": "Dora Lee", "email": "dora@umbrella.example"})
        opportunity_b = self.env["crm.lead"].create(
            {
                "name": "Umbrella deal in B",
                "type": "opportunity",
                "partner_id": dora.id,
                "company_id": company_b.id,
            }
        )
        start = fields.Datetime.now() - timedelta(hours=2)
        event = self.Event.create(
            {
                "name": "Umbrella review",
                "start": start,
                "stop": start + timedelta(hours=1),
                "user_id": self.manager.id,
                "partner_ids": [(6, 0, (dora | self.manager.partner_id).ids)],
            }
        )
        self.assertFalse(event.opportunity_id)
        self.assertFalse(self.capture_actions(kind="capture_link_meeting", res_id=opportunity_b.id))
        proposal = self.capture_actions(kind="capture_create_lead")
        self.assertEqual(proposal.create_uid, self.manager, "proposed as the organiser")
        self.assertEqual(proposal.company_id, self.company)

    def make_meeting(self, user, **vals):
        start = fields.Datetime.now() - timedelta(hours=3)
        return self.Event.with_user(user).create(
            dict(
                {
                    "name": "Catch-up",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "user_id": user.id,
                    "partner_ids": [(6, 0, user.partner_id.ids)],
                },
                **vals,
            )
        )

    def assert_nothing_captured_on(self, lead):
        self.assertFalse(self.capture_actions(kind="schedule_activity"))
        self.assertFalse(lead.activity_ids)
        self.assertFalse(lead.message_ids.filtered(lambda m: "meeting notes" in (m.body or "")))
        self.assertFalse(
            lead.message_ids.filtered(lambda m: "budget is approved" in (m.body or ""))
        )

    def test_private_meeting_notes_are_never_read(self):
        self.company.agent_autonomy = "conditional"
        victim = self.env["crm.lead"].create(
            {
                "name": "Other rep's deal",
                "type": "opportunity",
                "user_id": self.other_rep.id,
                "team_id": self.team.id,
            }
        )
        event = self.make_meeting(self.employee, privacy="private", description=NOTES)
        event.with_user(self.employee).write({"opportunity_id": victim.id})
        self.Event._cron_capture_meeting_notes()  # the job, as the scheduler runs it
        self.assert_nothing_captured_on(victim)
        # a salesperson's private meeting on a lead of his own is not read either
        own = self.env["crm.lead"].create(
            {"name": "Own deal", "type": "opportunity", "user_id": self.rep.id}
        )
        mine = self.make_meeting(self.rep, privacy="private", description=NOTES)
        mine.with_user(self.rep).write({"opportunity_id": own.id})
        self.Event._cron_capture_meeting_notes()
        self.assert_nothing_captured_on(own)
        # private by the organiser's calendar default, without a privacy on the meeting
        self.rep.with_user(self.rep).calendar_default_privacy = "private"
        default_private = self.make_meeting(self.rep, description=NOTES)
        default_private.with_user(self.rep).write({"opportunity_id": own.id})
        self.assertEqual(default_private.sudo().effective_privacy, "private")
        self.Event._cron_capture_meeting_notes()
        self.assert_nothing_captured_on(own)

    def test_meeting_notes_act_only_on_an_opportunity_the_organiser_may_write(self):
        self.company.agent_autonomy = "conditional"
        victim = self.env["crm.lead"].create(
            {
                "name": "Other rep's deal",
                "type": "opportunity",
                "user_id": self.other_rep.id,
                "team_id": self.team.id,
            }
        )
        for user in (self.employee, self.rep):  # no CRM rights; a salesperson of his own leads
            with self.subTest(organiser=user.login):
                self.assertFalse(victim.with_user(user).has_access("write"))
                event = self.make_meeting(user, privacy="public", description=NOTES)
                event.with_user(user).write({"opportunity_id": victim.id})
                self.Event._cron_capture_meeting_notes()
                self.assert_nothing_captured_on(victim)
        # a note posted on the meeting by its (salesperson) organiser is refused the same way
        event = self.make_meeting(self.rep, privacy="public")
        event.with_user(self.rep).write({"opportunity_id": victim.id})
        event.with_user(self.rep).message_post(
            body=NOTES, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assert_nothing_captured_on(victim)

    def test_meeting_notes_still_captured_for_the_organiser_own_opportunity(self):
        """The good path, run by the job: it acts as the organiser, not as superuser."""
        self.company.agent_autonomy = "conditional"
        own = self.env["crm.lead"].create(
            {"name": "Own deal", "type": "opportunity", "user_id": self.rep.id}
        )
        event = self.make_meeting(self.rep, privacy="public", description=NOTES)
        event.with_user(self.rep).write({"opportunity_id": own.id})
        self.Event._cron_capture_meeting_notes()
        self.assertTrue(event.agent_notes_captured)
        todos = self.capture_actions(kind="schedule_activity")
        self.assertEqual(len(todos), 3)
        self.assertEqual(set(todos.mapped("create_uid")), {self.rep}, "proposed as the organiser")
        self.assertTrue(own.message_ids.filtered(lambda m: "meeting notes" in (m.body or "")))
        self.assertTrue(own.activity_ids, "confident to-dos are created")

    # ------------------------------------------------------------------
    # (item 5 of the follow-up) fields the agent keeps on meetings
    # ------------------------------------------------------------------

    def test_agent_fields_of_meetings_are_written_by_the_agent_only(self):
        for user in (self.employee, self.rep):
            with self.subTest(user=user.login):
                event = self.make_meeting(user, description=NOTES)
                with self.assertRaises(AccessError):
                    event.with_user(user).write({"agent_notes_captured": True})
                with self.assertRaises(AccessError):
                    self.make_meeting(user, agent_notes_captured=True)
                self.assertFalse(event.agent_notes_captured)
                # editing the meeting itself stays possible
                event.with_user(user).write({"description": "<p>Edited</p>"})
        field = self.Event._fields["agent_notes_captured"]
        self.assertTrue(field.readonly)
        # the agent (the job) still sets it; meetings it may not read keep the reason instead
        rep_event = self.make_meeting(self.rep, description=NOTES)
        events = self.Event._cron_capture_meeting_notes()
        self.assertTrue(rep_event in events and rep_event.agent_notes_captured)
        self.assertTrue(all(e.agent_notes_captured != bool(e.agent_notes_skipped) for e in events))

    # ------------------------------------------------------------------
    # (9) undo of a captured contact
    # ------------------------------------------------------------------

    @mute_logger(*MUTED)
    def test_undo_refuses_once_another_contact_was_merged_into_the_captured_one(self):
        self.company.agent_autonomy = "conditional"
        lead = self.process(
            "Ann Smith <ann.smith@acme-robotics.example>", STRANGER_BODY, "Quote to merge"
        )
        ann = lead.partner_id
        action = self.capture_actions(kind="capture_create_contact")
        self.assertEqual(action.state, "done")
        older = self.Partner.create(
            {"name": "A. Smith", "email": "ann.smith@acme-robotics.example"}
        )
        admin = self.env.ref("base.user_admin")
        self.env["base.partner.merge.automatic.wizard"].with_user(admin)._merge(
            (older | ann).ids, ann
        )
        self.assertFalse(older.exists())
        with self.assertRaisesRegex(UserError, "has been used since it was captured"):
            action.with_user(self.manager).action_undo()
        self.assertTrue(ann.active, "the merged contact stays")
        self.assertEqual(action.state, "done")

    @mute_logger(*MUTED)
    def test_undo_refuses_once_the_contact_has_other_leads(self):
        self.company.agent_autonomy = "conditional"
        lead = self.process(
            "Ann Smith <ann.smith@acme-robotics.example>", STRANGER_BODY, "Quote other leads"
        )
        ann = lead.partner_id
        self.env["crm.lead"].with_user(self.rep).create(
            {"name": "Second deal", "partner_id": ann.id}
        )
        action = self.capture_actions(kind="capture_create_contact")
        with self.assertRaises(UserError):
            action.with_user(self.manager).action_undo()
        self.assertTrue(ann.active)

    @mute_logger(*MUTED)
    def test_undo_of_an_untouched_captured_contact_archives_it(self):
        self.company.agent_autonomy = "conditional"
        lead = self.process(
            "Ann Smith <ann.smith@acme-robotics.example>", STRANGER_BODY, "Quote to undo"
        )
        ann = lead.partner_id
        action = self.capture_actions(kind="capture_create_contact")
        self.assertEqual(
            action.executed_by_id,
            self.env.ref("crm_agent.user_agent"),
            "what capture runs alone runs with the agent's salesperson rights, not as superuser",
        )
        action.with_user(self.manager).action_undo()
        self.assertEqual(action.state, "undone")
        self.assertFalse(ann.active)
        self.assertFalse(lead.partner_id)

    # ------------------------------------------------------------------
    # (13) display values
    # ------------------------------------------------------------------

    @mute_logger(*MUTED)
    def test_bidi_controls_and_huge_names_never_reach_contacts(self):
        self.company.agent_autonomy = "conditional"
        body = (
            "Hello,\n\nA quote please.\n\nBest regards,\n\u202eAnn\u200b Smith\u202c\n"
            "Head of \u2066Sales\u2069\nAcme \u200dRobotics Ltd\nPhone: +44 20 7946 0958\n"
        )
        lead = self.process("\u202eAnn Smith\u200b <ann.smith@acme-robotics.example>", body, "Bidi")
        ann = lead.partner_id
        self.assertEqual(ann.name, "Ann Smith")
        self.assertEqual(ann.function, "Head of Sales")
        self.assertEqual(ann.parent_id.name, "Acme Robotics Ltd")
        invisible = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
        invisible |= {"\u200b", "\u200c", "\u200d", "\ufeff"}
        for value in (ann.name, ann.function, ann.parent_id.name):
            self.assertFalse(invisible & set(value), repr(value))

        self.process(
            "\u202eDan\u200b Brown\u2066 <dan@hooli.example>", "Hi,\n\nA quote.\n", "Bidi From"
        )
        dan = self.Partner.search([("email", "=", "dan@hooli.example")])
        self.assertEqual(dan.name, "Dan Brown", "the From name is cleaned too")

        huge = "Carl " + "Jones" * 1000
        lead = self.process(f'"{huge}" <carl.jones@initech.example>', "Hi,\n\nA quote.\n", "Huge")
        carl = self.Partner.search([("email", "=", "carl.jones@initech.example")])
        self.assertTrue(carl)
        self.assertLessEqual(len(carl.name), 128, "a 5000-character name is not written")
        self.assertEqual(carl.name, "Carl Jones", "the name read from the address instead")
