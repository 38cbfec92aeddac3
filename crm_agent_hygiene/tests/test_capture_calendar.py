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


@tagged("post_install", "-at_install", "crm_agent_hygiene")
class TestCaptureCalendar(CaptureCase):
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
        self.assertEqual(
            by_summary["Carla: Check the security questionnaire"]["user_id"], self.manager.id
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
