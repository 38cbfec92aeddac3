from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CaptureCase

STRANGER_BODY = """Hello,

We would like a quote for 40 licences before the end of the month.

Best regards,
Ann Smith
Head of Sales
Acme Robotics Ltd
Phone: +44 20 7946 0958
www.acme-robotics.example
"""

KNOWN_BODY = """Hi Remy,

Thanks, the figures look fine. Can we talk on Monday?

Kind regards,
Bob Stone
Purchasing Director
Globex GmbH
Tel: +49 30 1234567

On Thu, 9 Apr 2026, Remy Rep wrote:
> Here is the offer.
> Phone: +1 555 0100
"""


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestCaptureMail(CaptureCase):
    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_stranger_mail_creates_contact_and_company(self):
        self.company.agent_autonomy = "conditional"
        lead = self.process(
            "Ann Smith <ann.smith@acme-robotics.example>", STRANGER_BODY, "Quote 40 licences"
        )
        self.assertEqual(len(lead), 1, "the mail still creates its lead")
        self.assertEqual(lead.team_id, self.team)
        partner = lead.partner_id
        self.assertTrue(partner, "the sender's contact is created and linked to the lead")
        self.assertEqual(partner.email, "ann.smith@acme-robotics.example")
        self.assertEqual(partner.name, "Ann Smith")
        self.assertEqual(partner.function, "Head of Sales")
        self.assertEqual(partner.phone, "+44 20 7946 0958", "readable, as hygiene writes it")
        self.assertEqual(partner.phone_sanitized, "+442079460958", "E.164 stays the key")
        self.assertEqual(partner.parent_id.name, "Acme Robotics Ltd")
        self.assertTrue(partner.parent_id.is_company)
        self.assertEqual(lead.phone, "+44 20 7946 0958", "the lead reads the new contact")
        action = self.capture_actions(kind="capture_create_contact")
        self.assertEqual(action.state, "done")
        self.assertIn("ann.smith@acme-robotics.example", action.explanation)
        self.assertIn("Head of Sales", action.explanation)
        # the contact's 'Agent' button counts the lead's action that created it (never 'Agent 0')
        self.assertEqual(partner.agent_action_count, 1)
        self.assertEqual(partner.parent_id.agent_action_count, 1, "its company, created too")
        self.assertEqual(partner._agent_touching_actions(), action)
        bystander = self.env["res.partner"].create({"name": "Nobody Touched"})
        self.assertEqual(bystander.agent_action_count, 0, "the button is hidden")
        self.assertFalse(bystander._agent_touching_actions())
        notes = lead.message_ids.filtered(lambda m: "Auto-capture" in (m.body or ""))
        self.assertTrue(notes, "what was captured is logged on the lead")
        counts = self.log_counts()
        self.assertEqual(counts.get("contact_created"), 2, "the contact and its company")
        self.assertEqual(counts.get("field_filled"), 3, "job title, phone, website")
        self.assertGreater(sum(self.Log.search([]).mapped("minutes_saved")), 0)
        # the log names the record and its type as users read them, never a model key
        log = self.Log.search([("action_id", "=", action.id)], limit=1)
        types = dict(self.Log._fields["res_model"]._description_selection(self.env))
        self.assertEqual(types[log.res_model], self.env["ir.model"]._get("crm.lead").name)
        self.assertNotIn(".", types[log.res_model])
        self.assertEqual(log.res_name, lead.display_name)

        # a second mail from the same company finds the existing company
        lead_2 = self.process(
            "Carl Jones <carl@acme-robotics.example>",
            "Hi,\n\nMe too.\n\nCarl Jones\nBuyer\nTel: +44 20 7946 0000\n",
            "Quote for Carl",
        )
        self.assertEqual(lead_2.partner_id.parent_id, partner.parent_id)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_stranger_mail_under_assisted_only_proposes(self):
        lead = self.process(
            "Ann Smith <ann.smith@acme-robotics.example>", STRANGER_BODY, "Quote assisted"
        )
        self.assertFalse(lead.partner_id)
        action = self.capture_actions(kind="capture_create_contact")
        self.assertEqual(action.state, "waiting")
        self.assertEqual(action.activity_id.res_id, lead.id)
        self.assertFalse(self.log_counts(), "proposals are not counted until they are done")
        action.with_user(self.approver).action_approve()
        self.assertEqual(lead.partner_id.name, "Ann Smith")
        self.assertEqual(self.log_counts().get("contact_created"), 2)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_known_contact_reply_fills_empty_and_proposes_changes(self):
        self.company.agent_autonomy = "conditional"
        bob = self.env["res.partner"].create(
            {"name": "Bob Stone", "email": "bob@globex.example", "function": "Buyer"}
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Globex deal",
                "type": "opportunity",
                "partner_id": bob.id,
                "team_id": self.team.id,
            }
        )
        sent = lead.message_post(
            body="Here is the offer.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.process(
            "Bob Stone <bob@globex.example>",
            KNOWN_BODY,
            "Re: Globex deal",
            extra=f"In-Reply-To: {sent.message_id}",
        )
        self.assertEqual(
            len(lead.message_ids.filtered(lambda m: m.message_type == "email")),
            1,
            "the reply lands on the lead",
        )
        self.assertEqual(bob.phone, "+49 30 1234567", "an empty field is filled")
        self.assertEqual(bob.function, "Buyer", "what a person typed is not overwritten")
        overwrite = self.capture_actions(kind="overwrite_fields", res_id=bob.id)
        self.assertEqual(overwrite.state, "waiting")
        self.assertEqual(overwrite.payload["values"], {"function": "Purchasing Director"})
        self.assertIn("Purchasing Director", overwrite.explanation)
        self.assertTrue(overwrite.activity_id)
        self.assertEqual(bob.parent_id.name, "Globex GmbH")
        self.assertNotEqual(bob.phone, "+15550100", "the quoted history is not read")
        # the same mail again proposes nothing twice
        self.process(
            "Bob Stone <bob@globex.example>",
            KNOWN_BODY,
            "Re: Globex deal again",
            extra=f"In-Reply-To: {sent.message_id}",
        )
        self.assertEqual(len(self.capture_actions(kind="overwrite_fields", res_id=bob.id)), 1)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_mail_about_contact_with_open_opportunity_is_linked(self):
        self.company.agent_autonomy = "conditional"
        dora = self.env["res.partner"].create(
            {"name": "Dora Lee", "email": "dora@umbrella.example"}
        )
        opportunity = self.env["crm.lead"].create(
            {
                "name": "Umbrella deal",
                "type": "opportunity",
                "partner_id": dora.id,
                "team_id": self.team.id,
            }
        )
        lead = self.process(
            "Dora Lee <dora@umbrella.example>", "Hello,\n\nAny news?\n", "Umbrella news"
        )
        self.assertTrue(lead)
        action = self.capture_actions(kind="capture_link_mail")
        self.assertEqual(action.res_id, opportunity.id)
        self.assertEqual(action.state, "done")
        self.assertTrue(opportunity.message_ids.filtered(lambda m: "Any news?" in (m.body or "")))
        self.assertEqual(self.log_counts().get("mail_linked"), 1)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_internal_and_auto_reply_capture_nothing(self):
        self.company.agent_autonomy = "conditional"
        internal = self.process(f"Remy Rep <{self.rep.email}>", STRANGER_BODY, "Internal mail")
        self.assertTrue(internal)
        same_domain = self.process("Zed <zed@capture.test>", STRANGER_BODY, "Own domain mail")
        self.assertTrue(same_domain)
        auto = self.process(
            "Ann Smith <ann.smith@acme-robotics.example>",
            STRANGER_BODY,
            "Away",
            extra="Auto-Submitted: auto-replied",
        )
        self.assertTrue(auto)
        ooo = self.process(
            "Ann Smith <ann.smith@acme-robotics.example>",
            "I am currently out of the office until Monday.\n\nAnn Smith\nTel: +44 20 7946 0958",
            "Out of office: Quote",
        )
        self.assertTrue(ooo)
        self.assertFalse(self.capture_actions())
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "ann.smith@acme-robotics.example")])
        )
        self.assertFalse(self.log_counts())

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_blacklisted_or_opted_out_sender_captures_nothing(self):
        self.company.agent_autonomy = "conditional"
        self.env["mail.blacklist"].sudo()._add("ann.smith@acme-robotics.example")
        lead = self.process(
            "Ann Smith <ann.smith@acme-robotics.example>", STRANGER_BODY, "Blacklisted"
        )
        self.assertTrue(lead)
        opted = self.env["res.partner"].create(
            {"name": "Olaf", "email": "olaf@initech.example", "agent_capture_opt_out": True}
        )
        lead_2 = self.process("Olaf <olaf@initech.example>", KNOWN_BODY, "Opted out")
        self.assertTrue(lead_2)
        self.assertFalse(opted.phone)
        self.assertFalse(self.capture_actions())

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_capture_off_paused_or_other_team(self):
        self.company.agent_autonomy = "conditional"
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", "1")
        self.assertTrue(
            self.process("Ann Smith <ann.smith@acme-robotics.example>", STRANGER_BODY, "Paused")
        )
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", "")
        other = self.env["crm.team"].create({"name": "Other team"})
        self.company.agent_capture_team_ids = other
        self.assertTrue(
            self.process(
                "Ann Smith <ann.smith@acme-robotics.example>", STRANGER_BODY, "Not my team"
            )
        )
        self.assertFalse(self.capture_actions())
        self.company.agent_capture_team_ids = self.team
        self.process("Ann Smith <ann.smith@acme-robotics.example>", STRANGER_BODY, "My team")
        self.assertTrue(self.capture_actions())

    @mute_logger(
        "odoo.addons.mail.models.mail_thread", "odoo.addons.crm_agent.models.crm_agent_capture"
    )
    def test_hostile_bodies_never_break_the_gateway(self):
        self.company.agent_autonomy = "conditional"
        bodies = {
            "huge": ("Best regards\n" + "A" * 2_000_000 + "\nTel: +44 20 7946 0958\n"),
            "binary": "\x00\x01\x02\ufffd" * 5000 + "\nRegards,\nX\n",
            "phones": "Regards,\nAnn\n" + "Tel: +44 20 7946 0958 " * 3000,
            "nesting": "> " * 5000 + "quoted\n--\nAnn Smith\n",
            "unicode": "\u202e\u200b" * 10000
            + "\nCordialement,\nÉlodie Dupont\nDirectrice\nTél : 01 23 45 67 89\n",
            "empty": "",
        }
        for label, body in bodies.items():
            with self.subTest(body=label):
                lead = self.process(
                    "Ann Smith <ann.smith@acme-robotics.example>", body, f"Hostile {label}"
                )
                self.assertEqual(len(lead), 1, "the lead is still created")

    @mute_logger(
        "odoo.addons.mail.models.mail_thread", "odoo.addons.crm_agent.models.crm_agent_capture"
    )
    def test_capture_failure_keeps_the_mail(self):
        """Even when capture itself fails, the mail and its lead stay."""
        self.company.agent_autonomy = "conditional"
        self.patch(
            type(self.env["crm.agent.capture"]),
            "_capture_company_plan",
            lambda *args, **kwargs: 1 / 0,
        )
        lead = self.process(
            "Ann Smith <ann.smith@acme-robotics.example>", STRANGER_BODY, "Capture fails"
        )
        self.assertEqual(len(lead), 1)
        self.assertTrue(lead.message_ids.filtered(lambda m: m.message_type == "email"))
        self.assertFalse(self.capture_actions())


SPANISH_REPLY = """Hola Tom:

Perfecto, el jueves nos viene bien. Te confirmo la hora mañana.

Un saludo,

Lucía Serrano
Directora de Compras
Bodegas Iturri, S.L.
Tel. 941 12 34 56 | Móvil 612 34 51 27
www.bodegas-iturri.es

________________________________
De: Tom Baker <tom.baker@harbourline.example>
Enviado el: martes, 4 de marzo de 2025 9:02
Para: Lucía Serrano <lserrano@bodegas-iturri.es>
Asunto: Visit next week

Hi Lucía,

Would Thursday work for a visit?

Best regards,
Tom Baker
Sales Director | Harbourline Freight Ltd
T +44 20 7946 0321 | M +44 7400 123456
www.harbourline.example
"""


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestCaptureMailLanguages(CaptureCase):
    """Quoted history of other languages, free-mail and shared domains, and what the agent writes
    in the chatter for one mail."""

    def quoted_values_nowhere(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        self.assertFalse(Partner.search([("name", "ilike", "Harbourline")]))
        self.assertFalse(Partner.search([("name", "ilike", "Tom Baker")]))
        self.assertFalse(Partner.search([("phone", "ilike", "7946")]))

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_spanish_reply_quoting_english_thread_enriches_the_writer(self):
        self.company.agent_autonomy = "conditional"
        known = self.env["res.partner"].create(
            {"name": "Lucía Serrano", "email": "lserrano@bodegas-iturri.es"}
        )
        lead = self.process(
            "Lucía Serrano <lserrano@bodegas-iturri.es>", SPANISH_REPLY, "Re: Visit next week"
        )
        self.assertTrue(lead)
        self.assertEqual(known.function, "Directora de Compras")
        self.assertEqual(known.phone, "+34 941 12 34 56", "the writer's landline, read as Spanish")
        self.assertEqual(known.website, "https://www.bodegas-iturri.es")
        self.quoted_values_nowhere()
        link = self.capture_actions(kind="link_company")
        self.assertEqual(link.payload["company"]["name"], "Bodegas Iturri, S.L.")
        # the mobile has no field of its own next to the landline: it is in the mail's note
        note = lead.message_ids.filtered(lambda m: "Auto-capture" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("+34 612 34 51 27", note.body)
        self.assertIn("one phone number per contact", note.body)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_captured_phone_keeps_its_extension(self):
        self.company.agent_autonomy = "conditional"
        lead = self.process(
            "Ann Smith <ann.smith@acme-robotics.example>",
            STRANGER_BODY.replace("+44 20 7946 0958", "+44 20 7946 0958 ext. 12"),
            "Quote with extension",
        )
        partner = lead.partner_id
        self.assertEqual(partner.phone, "+44 20 7946 0958 ext. 12")
        # the very form hygiene's standardisation would write: nothing left to standardise
        Hygiene = self.env["crm.agent.hygiene"]
        proposals = Hygiene._standardise_proposals(partner, partner._hygiene_engine_values())
        self.assertFalse(
            [p for p in proposals if "phone" in (p.values or {})],
            "a captured phone is already in the standard form",
        )

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_spanish_reply_from_a_stranger_creates_the_writer(self):
        self.company.agent_autonomy = "conditional"
        lead = self.process(
            "Lucía Serrano <lserrano@bodegas-iturri.es>", SPANISH_REPLY, "Re: Visit Thursday"
        )
        partner = lead.partner_id
        self.assertEqual(partner.name, "Lucía Serrano")
        self.assertEqual(partner.email, "lserrano@bodegas-iturri.es")
        self.assertEqual(partner.phone, "+34 941 12 34 56")
        self.assertEqual(partner.parent_id.name, "Bodegas Iturri, S.L.")
        self.quoted_values_nowhere()
        # the created contact says where it came from, and keeps the mobile
        created = partner.message_ids.filtered(lambda m: "Created by the agent" in (m.body or ""))
        self.assertEqual(len(created), 1)
        self.assertIn("lserrano@bodegas-iturri.es", created.body)
        self.assertIn("+34 612 34 51 27", created.body)
        self.assertEqual(created.author_id, self.Action._agent_system_user().partner_id)
        # one mail, one agent note on the lead: no per-action notes next to the summary
        root = self.env.ref("base.partner_root")
        agent_notes = lead.message_ids.filtered(
            lambda m: m.message_type == "comment"
            and m.subtype_id == self.env.ref("mail.mt_note")
            and m.author_id in (root, self.Action._agent_system_user().partner_id)
        )
        self.assertEqual(len(agent_notes), 1, agent_notes.mapped("body"))
        self.assertIn("Create the contact", agent_notes.body)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_free_mail_of_any_country_names_no_company(self):
        self.company.agent_autonomy = "conditional"
        for address, subject in (
            ("declan.orourke@yahoo.co.uk", "Demo for our practice"),
            ("k.lorenz@web.de", "Anfrage"),
            ("m.rossi@libero.it", "Preventivo"),
            ("j.dupont@hotmail.fr", "Devis"),
        ):
            lead = self.process(
                f"Someone <{address}>",
                "Hello,\n\nPlease send a demo.\n\nThanks,\nSomeone Else\nTel: +44 20 7946 0111\n",
                subject,
            )
            self.assertTrue(lead)
        Partner = self.env["res.partner"].with_context(active_test=False)
        for name in ("Yahoo", "Web", "Libero", "Hotmail"):
            self.assertFalse(Partner.search([("is_company", "=", True), ("name", "=", name)]))
        plans = self.capture_actions(kind="capture_create_contact").mapped("payload")
        self.assertEqual(len(plans), 4)
        self.assertFalse([plan for plan in plans if plan.get("company")])
        self.assertFalse([plan for plan in plans if plan.get("company_proposal")])

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_shared_domain_is_attributed_to_no_company(self):
        self.company.agent_autonomy = "conditional"
        Partner = self.env["res.partner"]
        for company_name, person in (("Alpha Dental", "Ann"), ("Beta Dental", "Ben")):
            company = Partner.create({"name": company_name, "is_company": True})
            Partner.create(
                {
                    "name": person,
                    "email": f"{person.lower()}@cabinets.example",
                    "parent_id": company.id,
                }
            )
        lead = self.process(
            "Cleo <cleo@cabinets.example>",
            "Hello,\n\nA quote please.\n\nCleo\n",
            "Quote from a shared domain",
        )
        self.assertTrue(lead.partner_id)
        self.assertFalse(lead.partner_id.parent_id)
        action = self.capture_actions(kind="capture_create_contact")
        self.assertFalse(action.payload.get("company"))
        self.assertFalse(action.payload.get("company_proposal"))
        self.assertFalse(self.capture_actions(kind="link_company"))

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_no_company_link_for_our_people_or_contacts_of_another_company(self):
        self.company.agent_autonomy = "conditional"
        self.company.partner_id.email = "info@our-own-firm.example"
        # our own company's mail domain: a colleague without a user is not a customer
        lead = self.process("Olga <olga@our-own-firm.example>", STRANGER_BODY, "From our domain")
        self.assertTrue(lead)
        self.assertFalse(self.capture_actions())
        # a contact already in another company is never moved or linked by capture
        other = self.env["res.partner"].create({"name": "Initech", "is_company": True})
        known = self.env["res.partner"].create(
            {"name": "Ann Smith", "email": "ann.smith@acme-robotics.example", "parent_id": other.id}
        )
        self.process("Ann Smith <ann.smith@acme-robotics.example>", STRANGER_BODY, "From Ann")
        self.assertEqual(known.parent_id, other)
        self.assertFalse(self.capture_actions(kind="link_company"))
        self.assertFalse(
            self.capture_actions().filtered(lambda a: "parent_id" in str(a.payload or ""))
        )

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_a_mobile_never_replaces_a_landline(self):
        self.company.agent_autonomy = "conditional"
        known = self.env["res.partner"].create(
            {"name": "Bob Stone", "email": "bob@globex.example", "phone": "+49 30 1234567"}
        )
        lead = self.process(
            "Bob Stone <bob@globex.example>",
            "Hi,\n\nFine.\n\nRegards,\nBob Stone\nBuyer\nGlobex GmbH\nMobil +49 151 23456789\n",
            "Mobile only",
        )
        self.assertEqual(known.phone, "+49 30 1234567")
        self.assertFalse(
            self.capture_actions().filtered(
                lambda a: "phone" in ((a.payload or {}).get("values") or {})
            )
        )
        note = lead.message_ids.filtered(lambda m: "Auto-capture" in (m.body or ""))
        self.assertIn("+49 1512 3456789", note.body)
        self.assertIn("one phone number per contact", note.body)
