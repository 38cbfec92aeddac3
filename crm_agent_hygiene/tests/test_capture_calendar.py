from datetime import date, timedelta

from markupsafe import Markup

from odoo import fields
from odoo.tests import tagged

from .common import CaptureCase

NOTES = """<p>Good call with Carla about the pilot; budget is approved for Q3.</p>
<p>Action items:</p>
<ul>
<li>Remy: send the proposal by 2026-05-02</li>
<li>I will book the demo</li>
<li>Carla: check the security questionnaire</li>
</ul>"""


class MeetingCase(CaptureCase):
    """A customer attendee with an open opportunity, and meetings with her."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carla = cls.env["res.partner"].create(
            {"name": "carla.diaz@initech.example", "email": "carla.diaz@initech.example"}
        )
        cls.opportunity = cls.env["crm.lead"].create(
            {
                "name": "Initech pilot",
                "type": "opportunity",
                "partner_id": cls.carla.id,
                "team_id": cls.team.id,
                "user_id": cls.rep.id,
            }
        )

    def make_event(self, partners, hours_ago=2, **vals):
        start = fields.Datetime.now() - timedelta(hours=hours_ago)
        return self.env["calendar.event"].create(
            dict(
                {
                    "name": "Pilot review",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "user_id": self.manager.id,
                    "partner_ids": [
                        (6, 0, (partners | self.manager.partner_id | self.rep.partner_id).ids)
                    ],
                },
                **vals,
            )
        )


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestCaptureCalendar(MeetingCase):
    def test_external_attendee_links_contact_and_opportunity(self):
        self.company.agent_autonomy = "conditional"
        event = self.make_event(self.carla)
        self.assertEqual(
            event.opportunity_id, self.opportunity, "linked to the attendee's open opportunity"
        )
        self.assertTrue(
            self.opportunity.message_ids.filtered(lambda m: "Pilot review" in (m.body or "")),
            "the meeting appears on the opportunity's chatter",
        )
        company_link = self.capture_actions(kind="link_company", res_id=self.carla.id)
        self.assertEqual(
            company_link.state, "waiting", "a company named after the domain only is asked"
        )
        name = self.capture_actions(kind="fill_empty_fields", res_id=self.carla.id)
        self.assertEqual(name.payload["values"], {"name": "Carla Diaz"})
        self.assertEqual(name.state, "waiting", "a name read from the address is only proposed")
        self.assertEqual(self.log_counts().get("meeting_logged"), 1)
        # internal attendees are never captured
        self.assertFalse(
            self.capture_actions(res_id=self.rep.partner_id.id, res_model="res.partner")
        )

    def test_attendee_without_opportunity_gets_a_proposed_lead(self):
        self.company.agent_autonomy = "conditional"
        dan = self.env["res.partner"].create({"name": "Dan Brown", "email": "dan@hooli.example"})
        event = self.make_event(dan, name="Intro call")
        self.assertFalse(event.opportunity_id)
        proposal = self.capture_actions(kind="capture_create_lead")
        self.assertEqual(proposal.state, "waiting", "a new opportunity is a person's decision")
        self.assertEqual((proposal.res_model, proposal.res_id), ("res.partner", dan.id))
        proposal.with_user(self.approver).action_approve()
        self.assertEqual(event.opportunity_id.partner_id, dan)
        self.assertEqual(event.opportunity_id.name, "Intro call")

    def test_notes_become_proposed_todos_with_owners_and_dates(self):
        event = self.make_event(self.carla, opportunity_id=self.opportunity.id, description=NOTES)
        self.env["calendar.event"]._cron_capture_meeting_notes()
        self.assertTrue(event.agent_notes_captured)
        todos = self.capture_actions(kind="schedule_activity")
        self.assertEqual(len(todos), 3)
        self.assertEqual(
            set(todos.mapped("state")), {"waiting"}, "assisted: everything is proposed"
        )
        by_summary = {todo.payload["summary"]: todo.payload for todo in todos}
        self.assertEqual(
            by_summary["Send the proposal"]["user_id"], self.rep.id, "'Remy' is Remy Rep"
        )
        self.assertEqual(by_summary["Send the proposal"]["date_deadline"], "2026-05-02")
        self.assertEqual(
            by_summary["Book the demo"]["user_id"], self.manager.id, "'I' is the organiser"
        )
        meeting_day = fields.Datetime.context_timestamp(event, event.start).date()
        self.assertEqual(
            by_summary["Book the demo"]["date_deadline"],
            fields.Date.to_string(meeting_day + timedelta(days=3)),
        )
        # Carla is an external attendee: a follow-up for the opportunity's salesperson, named
        self.assertEqual(
            by_summary["Carla: Check the security questionnaire"]["user_id"], self.rep.id
        )
        self.assertEqual(
            by_summary["Send the proposal"]["activity_type_xmlid"], "mail.mail_activity_data_todo"
        )
        summary = self.opportunity.message_ids.filtered(lambda m: "meeting notes" in (m.body or ""))
        self.assertTrue(summary and "budget is approved" in summary[0].body)
        # read again: nothing proposed twice
        event.description = "<p>Edited after the call.</p>" + NOTES
        self.env["calendar.event"]._cron_capture_meeting_notes()
        self.assertEqual(len(self.capture_actions(kind="schedule_activity")), 3)

    def test_notes_create_todos_directly_under_conditional(self):
        self.company.agent_autonomy = "conditional"
        event = self.make_event(self.carla, opportunity_id=self.opportunity.id)
        event.with_user(self.manager).message_post(
            body=Markup(NOTES), message_type="comment", subtype_xmlid="mail.mt_note"
        )
        todos = self.capture_actions(kind="schedule_activity")
        done = todos.filtered(lambda t: t.state == "done")
        self.assertEqual(len(done), 2, "confident items with a known owner are created")
        self.assertEqual(
            todos.filtered(lambda t: t.state != "done").payload["summary"],
            "Carla: Check the security questionnaire",
        )
        activities = self.opportunity.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertEqual(
            {(a.summary, a.user_id, a.date_deadline) for a in activities}
            >= {("Send the proposal", self.rep, date(2026, 5, 2))},
            True,
        )
        self.assertEqual(len(activities), 2)
        self.assertEqual(self.log_counts().get("todo_created"), 2)

    def test_note_on_the_lead_after_the_meeting(self):
        self.company.agent_autonomy = "conditional"
        self.make_event(self.carla, opportunity_id=self.opportunity.id)
        self.opportunity.with_user(self.rep).message_post(
            body="Next steps: Remy will send the contract on Friday",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        todo = self.capture_actions(kind="schedule_activity")
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.payload["user_id"], self.rep.id)

    def test_paused_agent_reads_no_notes(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.paused", "1")
        event = self.make_event(self.carla, opportunity_id=self.opportunity.id, description=NOTES)
        self.env["calendar.event"]._cron_capture_meeting_notes()
        self.assertFalse(event.agent_notes_captured)
        self.assertFalse(self.capture_actions())


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestCaptureMeetingNotes(MeetingCase):
    """Owners resolved to attendees, the Notes tab, the meeting's own chatter, the form."""

    def todos_on_lead(self):
        return self.opportunity.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )

    def test_mention_please_creates_the_todo_for_that_attendee(self):
        self.company.agent_autonomy = "conditional"
        event = self.make_event(self.carla, opportunity_id=self.opportunity.id)
        event.with_user(self.manager).message_post(
            body=Markup(
                "<p>Good call, pricing accepted.</p>"
                "<p>@Remy please send the revised quote by Friday</p>"
                "<p>Nothing to follow up on from legal.</p><p>Agreed to a 90-day ramp.</p>"
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        todo = self.todos_on_lead()
        self.assertEqual(len(todo), 1, "one request; the distractors are not actions")
        self.assertEqual((todo.user_id, todo.summary), (self.rep, "Send the revised quote"))
        meeting_day = fields.Datetime.context_timestamp(event, event.start).date()
        self.assertEqual(todo.date_deadline.weekday(), 4)
        self.assertTrue(meeting_day < todo.date_deadline <= meeting_day + timedelta(days=7))

    def test_owner_resolution_uses_attendees_only(self):
        """'I' is the note's author; an attendee's first name is that attendee; a name that is
        nobody at the meeting is never matched to some other user of the database."""
        self.company.agent_autonomy = "conditional"
        event = self.make_event(self.carla, opportunity_id=self.opportunity.id)
        event.with_user(self.rep).message_post(
            body=Markup(
                "<p>Next steps:</p><ul><li>I will book the demo</li>"
                "<li>Mia: prepare the contract</li><li>Olga: call legal</li></ul>"
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        todos = self.capture_actions(kind="schedule_activity")
        by_summary = {t.payload["summary"]: t for t in todos}
        self.assertEqual(by_summary["Book the demo"].payload["user_id"], self.rep.id)
        self.assertEqual(by_summary["Prepare the contract"].payload["user_id"], self.manager.id)
        # Olga Other is a user, but not at the meeting: the salesperson's, proposed, named
        olga = by_summary["Olga: Call legal"]
        self.assertEqual(olga.payload["user_id"], self.rep.id)
        self.assertNotEqual(olga.state, "done")

    def test_external_attendee_item_is_a_named_follow_up_for_the_salesperson(self):
        self.company.agent_autonomy = "conditional"
        event = self.make_event(self.carla, opportunity_id=self.opportunity.id)
        event.with_user(self.manager).message_post(
            body=Markup("<p>Carla will send the security questionnaire tomorrow</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        todo = self.capture_actions(kind="schedule_activity")
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.payload["user_id"], self.rep.id, "the opportunity's salesperson")
        self.assertEqual(todo.payload["summary"], "Carla: Send the security questionnaire")
        self.assertEqual(todo.state, "waiting", "someone else's promise: asked, not created")

    def test_notes_tab_notes_become_todos(self):
        """Odoo 19's Notes tab edits calendar.event.notes (Html), not the description."""
        self.company.agent_autonomy = "conditional"
        event = self.make_event(
            self.carla,
            opportunity_id=self.opportunity.id,
            notes="<p>Next steps</p><ul><li>Remy: send the order form by 2026-05-02</li></ul>",
        )
        self.env["calendar.event"]._cron_capture_meeting_notes()
        self.assertTrue(event.agent_notes_captured)
        todo = self.todos_on_lead()
        self.assertEqual(len(todo), 1)
        self.assertEqual((todo.user_id, todo.date_deadline), (self.rep, date(2026, 5, 2)))
        # new notes typed in the tab are read again
        event.notes = str(event.notes) + "<p>TODO Mia: prepare the contract</p>"
        self.assertFalse(event.agent_notes_captured)
        self.env["calendar.event"]._cron_capture_meeting_notes()
        self.assertTrue(event.agent_notes_captured)
        self.assertEqual(
            set(self.todos_on_lead().mapped("summary")),
            {"Send the order form", "Prepare the contract"},
        )

    def test_meeting_not_read_is_never_marked_captured(self):
        private = self.make_event(
            self.carla,
            opportunity_id=self.opportunity.id,
            privacy="private",
            notes="<p>Action items:</p><p>Remy: send the order form</p>",
        )
        self.env["calendar.event"]._cron_capture_meeting_notes()
        self.assertFalse(private.agent_notes_captured, "its notes were not read")
        self.assertTrue(private.agent_notes_skipped, "the reason is kept instead")
        self.assertFalse(self.capture_actions(kind="schedule_activity"))

    def test_meeting_chatter_records_one_note_per_capture(self):
        event = self.make_event(self.carla, opportunity_id=self.opportunity.id, notes=NOTES)
        before = len(event.message_ids)
        self.env["calendar.event"]._cron_capture_meeting_notes()
        notes = event.message_ids.filtered(lambda m: "meeting notes" in (m.body or ""))
        self.assertEqual(len(event.message_ids) - before, 1)
        self.assertEqual(len(notes), 1)
        self.assertIn("To-do for Remy Rep", notes.body)
        self.assertIn(self.opportunity.display_name, notes.body)

    def test_attendee_capture_is_recorded_on_the_meeting(self):
        self.company.agent_autonomy = "conditional"
        event = self.make_event(self.carla)
        notes = event.message_ids.filtered(lambda m: "Auto-capture: attendees" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn(self.opportunity.display_name, notes.body)

    def test_event_form_shows_its_opportunity(self):
        arch = self.env["calendar.event"].with_user(self.rep).get_views([(False, "form")])
        self.assertIn('name="opportunity_id"', arch["views"]["form"]["arch"])
