from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from ..engine.ranking import Effect


class NbaCase(TransactionCase):
    """A rep, an approver, a French contact who wrote a mail nobody answered yet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.env.ref("base.lang_fr").active = True
        cls.approver = new_test_user(
            cls.env,
            "nba_approver",
            groups="sales_team.group_sale_salesman_all_leads,crm_agent.group_agent_approver",
            name="Ada Approver",
            email="ada.approver@example.com",
        )
        cls.rep = new_test_user(
            cls.env,
            "nba_rep",
            groups="sales_team.group_sale_salesman",
            name="Remy Rep",
            email="remy.rep@example.com",
        )
        cls.other_rep = new_test_user(
            cls.env, "nba_other", groups="sales_team.group_sale_salesman", name="Olga Other"
        )
        cls.company.agent_approver_user_id = cls.approver
        cls.company.agent_autonomy = "assisted"
        cls.contact = cls.env["res.partner"].create(
            {"name": "Anne Leroy", "email": "anne@client.fr", "lang": "fr_FR", "tz": "Europe/Paris"}
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Leroy - 50 seats",
                "type": "opportunity",
                "partner_id": cls.contact.id,
                "user_id": cls.rep.id,
                "expected_revenue": 12000,
                "probability": 40,
            }
        )
        cls.Action = cls.env["crm.agent.action"]
        cls.plays = cls.env["crm.agent.play"].search([("code", "=", "reply_inbound")])
        cls.inbound = cls.inbound_mail(
            cls.lead, "Bonjour, pouvez-vous envoyer le prix pour 50 postes ? Merci.", days_ago=2
        )

    @classmethod
    def inbound_mail(cls, lead, text, days_ago=0):
        message = lead.message_post(
            body=text,
            author_id=lead.partner_id.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        message.date = fields.Datetime.now() - timedelta(days=days_ago)
        return message

    def propose(self, lead=None):
        return (lead or self.lead)._agent_nba_run(self.plays, {})


@tagged("post_install", "-at_install", "crm_agent_nba")
class TestNextBestAction(NbaCase):
    def test_unanswered_mail_gets_a_filled_draft_that_waits_under_both_levels(self):
        for autonomy in ("assisted", "conditional"):
            with self.subTest(autonomy=autonomy):
                self.company.agent_autonomy = autonomy
                # the "never ask twice" key holds the thread's last message: a new mail each time
                self.inbound_mail(self.lead, "Le prix inclut-il la formation ?", days_ago=2)
                action = self.propose()
                self.assertEqual(action.kind, "send_email")
                self.assertEqual(action.state, "waiting")
                self.assertFalse(action.auto_run)
                self.assertIn("Always asks a person", action.policy_reason)
                payload = action.payload
                self.assertEqual(payload["lang"], "fr")
                self.assertEqual(payload["partner_ids"], [self.contact.id])
                self.assertIn("Bonjour Anne,", payload["body"])
                self.assertIn("Le prix inclut-il la formation ?", payload["body"])
                self.assertIn("Leroy - 50 seats", payload["body"])
                self.assertIn("Remy Rep", payload["body"])  # the salesperson signs
                self.assertEqual(payload["subject"], "Re : Leroy - 50 seats")
                self.assertIn("waited 2 days without an answer", action.explanation)
                self.assertIn("effect not measured", action.explanation)
                # the approval activity shows the full draft
                self.assertIn("Bonjour Anne,", str(action.activity_id.note))
                self.assertEqual(self.lead.agent_nba_play_id, self.plays)
                action.sudo().write({"state": "expired"})

    def test_one_batch_drafts_in_each_contacts_language(self):
        for code in ("de_DE", "es_ES"):
            self.env["res.lang"]._activate_lang(code)
        expected = {
            "en_US": ("Hello Ben,", "Re: Deal en_US"),
            "fr_FR": ("Bonjour Ben,", "Re : Deal fr_FR"),
            "de_DE": ("Guten Tag Ben,", "AW: Deal de_DE"),
            "es_ES": ("Hola Ben:", "RE: Deal es_ES"),
        }
        leads = self.env["crm.lead"]
        for lang in expected:
            contact = self.env["res.partner"].create(
                {"name": "Ben Muller", "email": f"ben.{lang}@client.example", "lang": lang}
            )
            lead = self.env["crm.lead"].create(
                {
                    "name": f"Deal {lang}",
                    "type": "opportunity",
                    "partner_id": contact.id,
                    "user_id": self.rep.id,
                }
            )
            self.inbound_mail(lead, f"Question {lang}?", days_ago=3)
            leads |= lead
        actions = leads._agent_nba_run(self.plays, {})
        self.assertEqual(len(actions), 4)
        for action in actions:
            lang = self.env["crm.lead"].browse(action.res_id).partner_id.lang
            greeting, subject = expected[lang]
            self.assertIn(greeting, action.payload["body"])
            self.assertIn(f"Question {lang}?", action.payload["body"])
            self.assertEqual(action.payload["subject"], subject)

    def test_approving_in_the_composer_posts_the_edited_mail(self):
        action = self.propose()
        review = action.with_user(self.approver).action_open_send_email_composer()
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.approver)
            .with_context(**review["context"])
        )
        self.assertIn("Bonjour Anne,", composer.body)
        composer.body = composer.body.replace("Un court appel", "Un appel de 15 minutes jeudi")
        composer.save().action_send_mail()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.approved_by_id, self.approver)
        sent = self.env["mail.message"].browse(action.result_data["message_id"])
        self.assertEqual(sent.model, "crm.lead")
        self.assertEqual(sent.res_id, self.lead.id)
        # from the salesperson who signs the draft, sent by the approver's decision
        self.assertEqual(sent.author_id, self.rep.partner_id)
        self.assertEqual(sent.create_uid, self.approver)
        self.assertIn("Un appel de 15 minutes jeudi", str(sent.body))
        self.assertEqual(sent.partner_ids, self.contact)
        edit = action.result_data["edit"]
        self.assertTrue(edit["edited"])
        self.assertTrue(any("Un appel de 15 minutes jeudi" in line for line in edit["added"]))
        self.assertTrue(any("Un court appel" in line for line in edit["removed"]))

    def test_approving_from_the_activity_sends_the_draft_as_is(self):
        action = self.propose()
        action.activity_id.with_user(self.rep).action_done()
        self.assertEqual(action.state, "done")
        sent = self.env["mail.message"].browse(action.result_data["message_id"])
        self.assertIn("Bonjour Anne,", str(sent.body))

    def test_the_salesperson_reviews_edits_and_sends_the_draft(self):
        """The issue's journey: the rep (no approver group) finds the draft in My day, edits
        it in the composer, approves by sending, and sees it in the lead's chatter."""
        action = self.propose()
        self.assertFalse(self.rep.has_group("crm_agent.group_agent_approver"))
        self.assertEqual(action.approver_id, self.rep)
        self.assertEqual(action.activity_id.user_id, self.rep)
        day = self.env["crm.agent.my.day"].with_user(self.rep)
        day = day.browse(day.action_open_my_day()["res_id"])
        self.assertIn(action, day.draft_ids)
        review = action.with_user(self.rep).action_open_send_email_composer()
        composer = Form(
            self.env["mail.compose.message"].with_user(self.rep).with_context(**review["context"])
        )
        composer.body = composer.body.replace("Un court appel", "Un appel jeudi")
        composer.save().action_send_mail()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.approved_by_id, self.rep)
        sent = self.env["mail.message"].browse(action.result_data["message_id"])
        self.assertIn(sent, self.lead.with_user(self.rep).message_ids)
        self.assertEqual(sent.author_id, self.rep.partner_id)
        self.assertIn("Un appel jeudi", str(sent.body))

    def test_the_usual_approver_decides_when_the_salesperson_may_not(self):
        other_company = self.env["res.company"].create({"name": "Elsewhere"})
        salesman = self.env.ref("sales_team.group_sale_salesman")
        # before drafting: the draft goes to the approver's activity
        before = {
            "inactive": lambda: self.rep.write({"active": False}),
            "other company": lambda: self.rep.write(
                {"company_ids": [Command.set(other_company.ids)], "company_id": other_company.id}
            ),
        }
        # after drafting: whoever is asked next is the approver
        after = {
            "no salesperson": lambda: self.lead.write({"user_id": False}),
            "cannot read the lead": lambda: self.rep.write(
                {"group_ids": [Command.unlink(salesman.id)]}
            ),
        }
        for case, change in {**before, **after}.items():
            with self.subTest(case=case), self.env.cr.savepoint(flush=False) as sp:
                if case in before:
                    change()
                action = self.propose()
                self.assertTrue(action)
                if case in after:
                    change()
                    self.env.invalidate_all()
                    self.assertEqual(action._agent_resolve_approver(), self.approver)
                else:
                    self.assertEqual(action.approver_id, self.approver)
                    self.assertEqual(action.activity_id.user_id, self.approver)
                    self.assertTrue(action._agent_approval_refusal(self.rep))
                self.env.flush_all()
                sp.rollback()
                self.env.invalidate_all()

    def test_the_next_salesperson_sends_in_their_own_name(self):
        """A lead handed to another rep after drafting: that rep may decide, but the mail goes
        out in their own name, never in the name of the rep who signed the draft."""
        action = self.propose()
        self.lead.user_id = self.other_rep
        self.env.invalidate_all()
        self.assertFalse(action._agent_approval_refusal(self.other_rep))
        action.with_user(self.other_rep).action_approve()
        self.assertEqual(action.state, "done")
        sent = self.env["mail.message"].browse(action.result_data["message_id"])
        self.assertEqual(sent.author_id, self.other_rep.partner_id)

    def test_the_salesperson_never_decides_what_they_proposed(self):
        action = self.propose()
        self.env.cr.execute(
            "UPDATE crm_agent_action SET create_uid = %s WHERE id = %s", (self.rep.id, action.id)
        )
        self.env.invalidate_all()
        self.assertIn("proposed themselves", action._agent_approval_refusal(self.rep))
        self.assertEqual(action._agent_resolve_approver(), self.approver)

    def test_the_salesperson_decides_only_drafted_mails(self):
        """Every other kind on the same lead stays with the approvers."""
        action = self.Action._agent_propose(
            {
                "name": "Raise the priority",
                "kind": "update_fields",
                "res_model": "crm.lead",
                "res_id": self.lead.id,
                "explanation": "Hot and untouched.",
                "confidence": 0.5,
                "payload": {"values": {"priority": "3"}},
            }
        )
        self.assertNotEqual(action.approver_id, self.rep)
        self.assertTrue(action._agent_approval_refusal(self.rep))
        with self.assertRaises(AccessError):
            action.with_user(self.rep).action_approve()

    def test_a_rep_who_is_not_approver_cannot_open_the_review(self):
        action = self.propose()
        with self.assertRaises(AccessError):
            action.with_user(self.other_rep).action_open_send_email_composer()

    def test_blacklisted_contact_gets_no_draft(self):
        self.env["mail.blacklist"].create({"email": "anne@client.fr"})
        self.contact.invalidate_recordset(["is_blacklisted"])
        self.assertFalse(self.propose())
        self.assertFalse(self.Action.search([("kind", "=", "send_email")]))

    def test_shared_alias_sender_gets_no_draft(self):
        self.rep.email = "sales@ourcompany.com"
        self.assertFalse(self.propose())

    def test_weekly_cap_per_contact(self):
        self.env["ir.config_parameter"].set_param("crm_agent.max_drafts_per_contact_week", 1)
        first = self.propose()
        self.assertTrue(first)
        self.inbound_mail(self.lead, "Et le support ?", days_ago=2)
        self.assertFalse(self.propose())

    def test_a_new_message_after_the_draft_makes_it_stale(self):
        action = self.propose()
        self.inbound_mail(self.lead, "Finalement, nous avons choisi un autre fournisseur.")
        action.with_user(self.approver).action_approve()
        self.assertEqual(action.state, "stale")
        self.assertFalse(action.result_data)

    def test_the_agent_notes_do_not_make_the_draft_stale(self):
        action = self.propose()
        # the core posted "Proposed ..." notes on the lead; a note by a colleague neither
        self.lead.message_post(body="internal remark", subtype_xmlid="mail.mt_note")
        self.assertFalse(action._agent_send_email_is_stale())

    def test_recommended_time_schedules_the_mail(self):
        self.contact.sudo().write({"agent_best_days": "0,1,2,3,4,5,6", "agent_best_hour": 10})
        action = self.propose()
        scheduled = fields.Datetime.to_datetime(action.payload["scheduled_at"])
        self.assertGreater(scheduled, fields.Datetime.now())
        action.with_user(self.approver).action_approve()
        self.assertEqual(action.state, "done")
        message = self.env["mail.scheduled.message"].browse(
            action.result_data["scheduled_message_id"]
        )
        self.assertEqual(message.scheduled_date, scheduled)
        self.assertEqual(message.res_id, self.lead.id)

    def test_play_switched_off_proposes_nothing(self):
        self.plays.active = False
        self.lead._cron_next_best_actions()
        self.assertFalse(self.Action.search([("kind", "=", "send_email")]))

    def test_users_cannot_write_the_agents_fields(self):
        with self.assertRaises(AccessError):
            self.contact.with_user(self.rep).write({"agent_best_slot": "Mon 09:00-11:00"})
        with self.assertRaises(AccessError):
            self.lead.with_user(self.rep).write({"agent_nba_value": 1e9})


@tagged("post_install", "-at_install", "crm_agent_nba")
class TestBestTime(NbaCase):
    def test_best_time_fields_appear_on_partner_and_lead(self):
        # 8 replies on Tuesdays 09:xx Paris time (08:xx UTC in winter)
        base = datetime(2026, 1, 6, 8, 15)  # a Tuesday
        for week in range(8):
            message = self.inbound_mail(self.lead, f"Réponse {week}")
            message.date = base + timedelta(weeks=week)
        self.env["res.partner"]._cron_learn_best_time(history_days=3650)
        self.assertEqual(self.contact.agent_best_slot, "Tue 08:00-10:00")
        self.assertEqual(self.contact.agent_best_channel, "email")
        self.assertGreaterEqual(self.contact.agent_best_time_confidence, 0.5)
        self.assertIn("fell on Tue 08:00-10:00 their time", self.contact.agent_best_time_evidence)
        self.assertEqual(self.lead.agent_best_slot, "Tue 08:00-10:00")
        # the next good moment is a Tuesday 08:00 Paris time, in UTC
        nxt = self.contact._agent_next_best_time(datetime(2026, 3, 2, 12, 0))  # a Monday
        self.assertEqual(nxt, datetime(2026, 3, 3, 7, 0))

    def test_a_contact_with_little_history_gets_no_slot(self):
        self.env["res.partner"]._cron_learn_best_time(history_days=3650)
        self.assertFalse(self.contact.agent_best_slot)
        self.assertIn("Not enough history", self.contact.agent_best_time_evidence)


@tagged("post_install", "-at_install", "crm_agent_nba")
class TestMyDay(NbaCase):
    def test_my_day_loads_for_a_sales_user_and_shows_only_what_they_may_read(self):
        other_contact = self.env["res.partner"].create(
            {"name": "Otto", "email": "otto@other.de", "lang": "de_DE"}
        )
        other_lead = self.env["crm.lead"].create(
            {
                "name": "Otto deal",
                "type": "opportunity",
                "partner_id": other_contact.id,
                "user_id": self.other_rep.id,
            }
        )
        self.inbound_mail(other_lead, "Wie teuer ist es?", days_ago=3)
        (self.lead | other_lead)._agent_nba_run(self.plays, {})
        self.company.agent_approver_user_id = self.rep
        self.rep.group_ids = [Command.link(self.env.ref("crm_agent.group_agent_approver").id)]
        # one more draft, routed to the rep as approver
        self.inbound_mail(self.lead, "Et le support ?", days_ago=2)
        self.env["ir.config_parameter"].set_param("crm_agent.max_drafts_per_contact_week", 5)
        self.lead._agent_nba_run(self.plays, {})
        result = self.env["crm.agent.my.day"].with_user(self.rep).action_open_my_day()
        day = self.env["crm.agent.my.day"].with_user(self.rep).browse(result["res_id"])
        self.assertEqual(day.lead_ids, self.lead)
        self.assertTrue(day.draft_ids)
        self.assertEqual(set(day.draft_ids.mapped("res_id")), {self.lead.id})
        # the German deal is Olga's: neither her lead nor its draft shows
        self.assertNotIn(other_lead, day.lead_ids)
        self.assertTrue(self.rep.agent_my_day_seen_date)
        # the form view renders for the rep
        Form(day)
        # opting in: My day becomes the rep's landing page
        day.action_make_my_home()
        self.assertEqual(
            self.rep.action_id.id, self.env.ref("crm_agent_scoring.crm_agent_my_day_action").id
        )

    def _my_day_queries(self):
        """Queries to open My day and read what its form shows, as the rep."""
        spec_leads = {
            "name": {},
            "partner_id": {"fields": {"display_name": {}}},
            "agent_probability": {},
            "expected_revenue": {},
            "agent_nba_play_id": {"fields": {"display_name": {}}},
            "agent_nba_reason": {},
            "agent_best_slot": {},
            "agent_best_channel": {},
            "agent_pending_count": {},
        }
        spec_actions = {"fields": {"name": {}, "target_display_name": {}, "can_decide": {}}}
        MyDay = self.env["crm.agent.my.day"].with_user(self.rep)
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        result = MyDay.action_open_my_day()
        day = MyDay.browse(result["res_id"])
        data = day.web_read(
            {
                "lead_ids": {"fields": spec_leads},
                "draft_ids": spec_actions,
                "approval_ids": spec_actions,
                "logged_ids": spec_actions,
                "minutes_saved": {},
                "logged_count": {},
            }
        )
        return self.cr.sql_log_count - before, len(data[0]["lead_ids"])

    def test_my_day_queries_do_not_grow_with_the_leads_shown(self):
        play = self.plays

        def add_leads(n):
            partners = self.env["res.partner"].create(
                [{"name": f"Contact {i}", "email": f"c{i}@x.example"} for i in range(n)]
            )
            leads = self.env["crm.lead"].create(
                [
                    {
                        "name": f"Deal {i}",
                        "type": "opportunity",
                        "user_id": self.rep.id,
                        "partner_id": p.id,
                    }
                    for i, p in enumerate(partners)
                ]
            )
            leads.sudo().write({"agent_nba_play_id": play.id, "agent_nba_reason": "Silence."})

        add_leads(3)
        self._my_day_queries()  # warm-up: caches of views, groups and rules
        few, shown_few = self._my_day_queries()
        add_leads(12)
        many, shown_many = self._my_day_queries()
        self.assertEqual((shown_few, shown_many), (3, 15))
        self.assertEqual(few, many)

    def test_morning_digest_goes_to_the_rep_who_opted_in_only(self):
        self.lead._agent_nba_run(self.plays, {})
        self.rep.with_user(self.rep).agent_my_day_digest = True
        self.assertEqual(self.env["res.users"]._cron_my_day_digest(), 1)
        notes = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.rep.partner_id.ids),
                ("subject", "=", "Your day with the agent"),
            ]
        )
        self.assertEqual(len(notes), 1)
        self.assertIn("Leroy - 50 seats", str(notes.body))
        # to the rep only, never to the customer
        self.assertEqual(notes.partner_ids, self.rep.partner_id)


@tagged("post_install", "-at_install", "crm_agent_nba")
class TestPlays(NbaCase):
    def test_hot_untouched_lead_gets_a_call_once(self):
        call_now = self.env.ref("crm_agent_scoring.play_call_now")
        hot = self.env["crm.lead"].create(
            {
                "name": "Hot deal",
                "type": "opportunity",
                "user_id": self.rep.id,
                "probability": 80,
                "expected_revenue": 9000,
            }
        )
        action = hot._agent_nba_run(call_now, {})
        self.assertEqual(action.kind, "schedule_activity")
        self.assertEqual(action.payload["activity_type_xmlid"], "mail.mail_activity_data_call")
        self.assertIn("Hot (80% to win) and never contacted", action.explanation)
        self.assertEqual(hot.agent_nba_play_id, call_now)
        # the same state of the lead is never proposed twice
        self.assertFalse(hot._agent_nba_run(call_now, {}))
        action.with_user(self.approver).action_approve()
        self.assertEqual(action.state, "done")
        self.assertEqual(hot.activity_ids.activity_type_id, call_now.activity_type_id)
        # now it has a next step: the play no longer applies
        self.assertFalse(hot._agent_nba_run(call_now, {}))
        self.assertFalse(hot.agent_nba_play_id)

    def _closed_history(self, n_called, won_called, n_other, won_other):
        """Closed leads 30 days old (the only closed ones): some got a call marked done on
        day 2, the others an answer only; won as asked, so the calls' effect is known."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET won_status = 'pending' WHERE won_status IN ('won', 'lost')"
        )
        n = n_called + n_other
        leads = self.env["crm.lead"].create(
            [{"name": f"Closed {i}", "type": "opportunity"} for i in range(n)]
        )
        self.env.flush_all()
        created = fields.Datetime.now() - timedelta(days=30)
        for i, lead in enumerate(leads):
            won = i < won_called if i < n_called else i - n_called < won_other
            self.env.cr.execute(
                "UPDATE crm_lead SET won_status = %s, create_date = %s, date_closed = %s "
                "WHERE id = %s",
                ("won" if won else "lost", created, fields.Datetime.now(), lead.id),
            )
        call = self.env.ref("mail.mail_activity_data_call")
        self.env["mail.message"].create(
            [
                {
                    "model": "crm.lead",
                    "res_id": lead.id,
                    "message_type": "notification",
                    "subtype_id": self.env.ref("mail.mt_activities").id,
                    "mail_activity_type_id": call.id,
                    "body": "Called",
                    "date": created + timedelta(days=2),
                }
                for lead in leads[:n_called]
            ]
        )
        self.env.invalidate_all()

    def test_the_calls_effect_is_measured_from_history_and_explained(self):
        call_now = self.env.ref("crm_agent_scoring.play_call_now")
        self._closed_history(40, 24, 40, 12)
        effect = self.env["crm.lead"]._agent_nba_effects(call_now)["call_now"]
        self.assertEqual((effect.n_treated, effect.won_treated), (40, 24))
        self.assertTrue(effect.measured)
        self.assertEqual((effect.n_control, effect.won_control), (40, 12))
        self.assertAlmostEqual(effect.lift, 1.0)  # 60% vs 30%
        hot = self.env["crm.lead"].create(
            {
                "name": "Hot deal",
                "type": "opportunity",
                "user_id": self.rep.id,
                "probability": 80,
                "expected_revenue": 9000,
            }
        )
        action = hot._agent_nba_run(call_now)
        self.assertIn("won 24/40 with this action vs 12/40 without: +100%", action.explanation)
        self.assertIn("90% interval", action.explanation)
        self.assertGreater(hot.agent_nba_value, 0)

    def test_no_effect_is_claimed_from_too_few_closed_leads(self):
        call_now = self.env.ref("crm_agent_scoring.play_call_now")
        self._closed_history(10, 6, 40, 12)
        effect = self.env["crm.lead"]._agent_nba_effects(call_now)["call_now"]
        self.assertFalse(effect.measured)
        self.assertEqual(effect.lift, 0.0)
        self.assertEqual(effect.n_treated, 10)

    def test_ranking_prefers_the_play_with_the_larger_measured_effect(self):
        plays = self.env["crm.agent.play"].search(
            [("code", "in", ("reply_inbound", "propose_meeting"))]
        )
        self.lead.probability = 60
        effects = {
            "reply_inbound": Effect("reply_inbound", True, 0.1, 0.0, 0.2, 50, 50, 11, 10),
            "propose_meeting": Effect("propose_meeting", True, 0.5, 0.2, 0.8, 50, 50, 15, 10),
        }
        action = self.lead._agent_nba_run(plays, effects)
        self.assertEqual(action.payload["play"], "propose_meeting")
        self.assertAlmostEqual(self.lead.agent_nba_value, 0.6 * 12000 * 0.5)
        self.assertIn("+50%", action.explanation)

    def test_facts_of_a_batch_cost_the_same_queries_for_3_or_12_leads(self):
        def batch(n):
            leads = self.env["crm.lead"]
            for i in range(n):
                contact = self.env["res.partner"].create(
                    {"name": f"Q {i}", "email": f"q{i}@client.example"}
                )
                lead = self.env["crm.lead"].create(
                    {"name": f"Q deal {i}", "type": "opportunity", "partner_id": contact.id}
                )
                self.inbound_mail(lead, "Any news?", days_ago=2)
                self.env["calendar.event"].create(
                    {
                        "name": "Demo",
                        "opportunity_id": lead.id,
                        "start": fields.Datetime.now() - timedelta(days=3),
                        "stop": fields.Datetime.now() - timedelta(days=3, hours=-1),
                        "description": "- send the pricing",
                    }
                )
                lead.activity_schedule("mail.mail_activity_data_todo", date_deadline="2020-01-01")
                leads |= lead
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            facts, extra = leads._agent_nba_facts()
            self.assertEqual(len(facts), n)
            self.assertTrue(all(f.overdue_activities == 1 for f in facts.values()))
            self.assertTrue(all(e["meeting_notes"] == "- send the pricing" for e in extra.values()))
            return self.cr.sql_log_count - before

        batch(2)  # warm-up: references and caches
        self.assertEqual(batch(3), batch(12))
