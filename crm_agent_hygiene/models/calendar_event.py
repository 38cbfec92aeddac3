"""Auto-capture for meetings: attendees' contacts, the link to their opportunity, and the notes
turned into a summary and to-dos. Every change is proposed through the agent core.

Rules: private meetings (``effective_privacy == "private"``: set on the meeting, or the
organiser's calendar default) are never read; capture acts with the rights of the person who
triggered it (who saved the meeting or posted the note; the organiser when a job reads it), never
as superuser; meeting notes act only on an opportunity the organiser may write; the fields the
agent keeps on meetings (``AGENT_FIELDS``) are written by the agent only.

Notes are read from the event's "Notes" tab (``notes``, internal to the company), its description
(what calendar clients synchronise), chatter notes on the meeting, and notes on its opportunity
posted shortly after. A meeting is marked captured only when every notes source it has was read;
one that may not be read keeps the reason (``agent_notes_skipped``) instead.

Owners of action items are resolved to the meeting's attendees inside the engine (names, e-mails,
"I" = the note's author). The to-do goes to the internal user behind that attendee. When the owner
is an external attendee (the customer's people have no user), or nobody at the meeting, the to-do
goes to the opportunity's salesperson (the organiser when there is none), its summary names that
person ("Carla Diaz: send the security questionnaire"), and it is only proposed, never created
without asking: it is a reminder to follow up on someone else's promise.
"""

import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import is_html_empty

from odoo.addons.crm_agent.engine.proposal import propose

from ..engine.capture.attendees import Attendee
from ..engine.capture.contact import name_from_email
from ..engine.capture.meeting import parse_meeting
from ..engine.capture.text import clean_display
from ..engine.normalise import text_key
from .crm_agent_capture import OPEN_OPPORTUNITY_CONFIDENCE, capture_skipped

_logger = logging.getLogger(__name__)

NOTES_WINDOW_DAYS = 3  # a note on a lead this long after one of its meetings holds its minutes
CRON_LOOKBACK_DAYS = 7
DEFAULT_DUE_DAYS = 3  # a to-do without a date in the notes is due this long after the meeting
CRON_BATCH_SIZE = 100
NAME_FROM_EMAIL_CONFIDENCE = 0.6
NEW_LEAD_CONFIDENCE = 0.6
UNKNOWN_OWNER_CONFIDENCE = 0.7  # a to-do whose owner is not one of our users: proposed only
# fields of calendar.event that only the agent writes (users writing them could make capture skip)
AGENT_FIELDS = ("agent_notes_captured", "agent_notes_skipped")
NOTES_FIELDS = ("notes", "description")  # the sources of meeting notes on the event itself


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "crm.agent.owned.mixin"]

    agent_notes_captured = fields.Boolean(
        "Notes captured",
        copy=False,
        readonly=True,
        help="Auto-capture has read this meeting's notes and description (reset when they change).",
    )
    agent_notes_skipped = fields.Char(
        "Notes not read",
        copy=False,
        readonly=True,
        help="Why auto-capture did not read this meeting's notes (reset when they change).",
    )

    @api.model
    def _agent_owned_fields(self):
        """Users never write the agent's fields, whatever their other rights on the meeting."""
        return super()._agent_owned_fields() | set(AGENT_FIELDS)

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        events._capture_attendees_safe()
        return events

    def write(self, vals):
        result = super().write(vals)
        if any(name in vals for name in NOTES_FIELDS) and "agent_notes_captured" not in vals:
            # sudo: the agent's own flags, reset by the agent: new notes are read again (a user
            # who may write the meeting's notes only makes the agent read them once more)
            self.sudo().filtered(lambda e: e.agent_notes_captured or e.agent_notes_skipped).write(
                {"agent_notes_captured": False, "agent_notes_skipped": False}
            )
        if "partner_ids" in vals:
            self._capture_attendees_safe()
        return result

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if (
            not capture_skipped(self.env)
            and message.message_type == "comment"
            and message.subtype_id.internal
            and message.body
            and self.start
            and self.start <= fields.Datetime.now()
        ):
            self._capture_notes_safe(
                message.body, self.env._("a note on the meeting"), author=message.author_id
            )
        return result

    # ------------------------------------------------------------------
    # Attendees
    # ------------------------------------------------------------------

    def _capture_may_run(self):
        capture = self.env["crm.agent.capture"]
        if capture_skipped(self.env) or not capture._capture_active():
            return False
        # people outside sales neither see nor propose agent actions
        return self.env.user.has_group("crm_agent.group_agent_user")

    def _capture_private(self):
        """The meetings of self that are private, by their own setting or their organiser's default."""
        # sudo: privacy is hidden from other users on private meetings, and is what we must check
        return self.filtered(lambda event: event.sudo().effective_privacy == "private")

    def _capture_as_actor(self):
        """Self with the rights of who triggers capture: the current user, or the organiser when
        the superuser (a job, the mail gateway, a sync) saved the meeting. None when nobody may."""
        self.ensure_one()
        if not self.env.su:
            return self
        # sudo: reading the organiser of the meeting, to act with his rights instead of ours
        organiser = self.sudo().user_id
        if not organiser or organiser.share:
            return None
        return self.with_user(
            organiser
        )  # with_user: capture acts with the organiser's rights, not ours

    def _capture_attendees_safe(self):
        if not self or capture_skipped(self.env):
            return
        for event in self - self._capture_private():
            event = event._capture_as_actor()
            if event is None or not event._capture_may_run():
                continue
            try:
                with event.env.cr.savepoint():
                    event._capture_attendees()
            except Exception as exc:  # noqa: BLE001 - capture must never block saving a meeting
                _logger.warning("Auto-capture skipped meeting %s: %s", event.id, exc, exc_info=True)

    def _capture_label(self):
        """The meeting's name as capture writes it in proposals (a clean display value)."""
        self.ensure_one()
        return clean_display(self.name)[0] or self.env._("(no title)")

    def _capture_team(self):
        return self.opportunity_id.team_id or self.user_id.sale_team_id

    def _capture_attendees(self):
        """Enrich external attendees, and link each meeting to their open opportunity (or propose one)."""
        capture = self.env["crm.agent.capture"]
        internal_domains = capture._capture_internal_domains()
        proposals = []
        for event in self:
            company = (
                event.opportunity_id.company_id or event.user_id.company_id or self.env.company
            )
            if not capture._capture_team_allowed(event._capture_team(), company):
                continue
            event = event.with_company(company)  # noqa: PLW2901 - reads and proposals in its company
            # attendees of the meeting's company (or shared) only
            attendees = event.partner_ids.filtered_domain(capture._capture_scope(company))
            externals = attendees.filtered(
                lambda partner: (
                    not capture._capture_partner_skip_reason(
                        partner, partner.email_normalized, internal_domains
                    )
                )
            )
            if not externals:
                continue
            date = fields.Date.to_string(event.start)
            source = self.env._(
                "the meeting '%(name)s' of %(date)s", name=event._capture_label(), date=date
            )
            for partner in externals:
                guess = name_from_email(partner.email_normalized)
                if guess and text_key(partner.name or "") in (
                    "",
                    text_key(partner.email_normalized),
                ):
                    values = {
                        "name": (
                            guess,
                            NAME_FROM_EMAIL_CONFIDENCE,
                            self.env._("read from the address"),
                        )
                    }
                    proposals += capture._capture_field_proposals(partner, values, source)
                if not partner.is_company and not partner.parent_id:
                    plan, confidence, reason = capture._capture_company_plan(
                        partner.email_normalized, None, internal_domains, company
                    )
                    if plan:
                        proposals.append(
                            partner._agent_company_link_proposal(
                                plan, confidence, reason, "capture", source
                            )
                        )
            if not event.opportunity_id:
                proposals.append(event._capture_opportunity_proposal(externals, date, company))
        actions = capture._capture_propose(proposals)
        for event in self:
            # one note per capture on the meeting: its own proposals (all of them when alone)
            mine = (
                actions
                if len(self) == 1
                else actions.filtered(lambda a, e=event: (a.payload or {}).get("event_id") == e.id)
            )
            event._capture_log_on_meeting(mine, self.env._("Auto-capture: attendees"))

    def _capture_opportunity_proposal(self, externals, date, company=None):
        self.ensure_one()
        opportunities = self.env["crm.agent.capture"]._capture_open_opportunities(
            externals, company or self.env.company
        )
        names = ", ".join(externals.mapped("display_name"))
        if opportunities:
            opportunity = opportunities[0]
            return propose(
                name=self.env._(
                    "Link the meeting '%(event)s' to %(lead)s",
                    event=self._capture_label(),
                    lead=opportunity.display_name,
                ),
                kind="capture_link_meeting",
                res_model="crm.lead",
                res_id=opportunity.id,
                explanation=self.env._(
                    "The meeting of %(date)s has the external attendee(s) %(names)s, who have the open "
                    "opportunity %(lead)s%(others)s.",
                    date=date,
                    names=names,
                    lead=opportunity.display_name,
                    others=self.env._(" (the most recent of %s)", len(opportunities))
                    if len(opportunities) > 1
                    else "",
                ),
                confidence=OPEN_OPPORTUNITY_CONFIDENCE if len(opportunities) == 1 else 0.7,
                payload={"event_id": self.id},
                source="capture",
                key=f"meeting:{self.id}",
            )
        partner = externals[0]
        return propose(
            name=self.env._("Create an opportunity for the meeting '%s'", self._capture_label()),
            kind="capture_create_lead",
            res_model="res.partner",
            res_id=partner.id,
            explanation=self.env._(
                "The meeting of %(date)s has the external attendee(s) %(names)s, who have no open "
                "opportunity.",
                date=date,
                names=names,
            ),
            confidence=NEW_LEAD_CONFIDENCE,
            payload={"event_id": self.id, "name": self._capture_label()},
            source="capture",
            key=f"meeting:{self.id}",
        )

    # ------------------------------------------------------------------
    # Notes → summary and to-dos
    # ------------------------------------------------------------------

    @api.model
    def _capture_notes_from_lead_note(self, lead, message):
        """A note on a lead within a few days after one of its meetings: read it as the minutes."""
        if capture_skipped(self.env):
            return
        if not self.env["crm.agent.capture"]._capture_active():
            return
        if not message.author_id.user_ids.filtered(lambda user: not user.share):
            return
        now = fields.Datetime.now()
        event = self.search(
            [
                ("opportunity_id", "=", lead.id),
                ("stop", "<=", now),
                ("stop", ">=", now - timedelta(days=NOTES_WINDOW_DAYS)),
            ],
            order="stop desc",
            limit=1,
        )
        if event:
            event._capture_notes_safe(
                message.body, self.env._("a note on the opportunity"), author=message.author_id
            )

    def _capture_notes_safe(self, notes, source, author=None):
        """Read the notes; returns "" when they were read, else why not ("error" when it failed
        and may succeed later)."""
        self.ensure_one()
        if self._capture_private():
            _logger.info("Auto-capture: meeting %s is private, its notes are not read", self.id)
            return self.env._("the meeting is private")
        event = self._capture_as_actor()
        if event is None:
            return self.env._("the meeting has no internal organiser")
        if not event._capture_may_run():
            return self.env._("auto-capture may not run for %s", event.env.user.name)
        try:
            with self.env.cr.savepoint():
                return event._capture_notes(notes, source, author=author) or ""
        except Exception as exc:  # noqa: BLE001 - capture must never block posting a note
            _logger.warning(
                "Auto-capture skipped the notes of meeting %s: %s", self.id, exc, exc_info=True
            )
            return "error"

    def _capture_notes_lead_refusal(self, lead):
        """Why the notes of this meeting may not act on ``lead`` ('' when they may): the organiser,
        and the person who triggered capture, must both be allowed to write it."""
        # sudo: the organiser of the meeting, whose rights on the opportunity are checked
        organiser = self.sudo().user_id
        if not organiser or organiser.share:
            return "the meeting has no internal organiser"
        if not lead.with_user(organiser).has_access(
            "write"
        ):  # with_user: may the organiser write this opportunity
            return f"the organiser {organiser.login} may not change {lead._name} {lead.id}"
        if not lead.has_access("write"):
            return f"{self.env.user.login} may not change {lead._name} {lead.id}"
        return ""

    def _capture_attendee_list(self, author=None):
        """(attendees, author) for the engine: the meeting's attendees (name, e-mail, partner id)
        and who wrote the notes (a message's author, else the organiser)."""
        self.ensure_one()
        # sudo: names and e-mails of the meeting's own attendees, which the reader of the notes
        # sees on the meeting; only used to match the names written in the notes
        partners = self.sudo().partner_ids
        attendees = [
            Attendee(clean_display(p.name)[0], p.email_normalized or "", p.id) for p in partners
        ]
        author = author or self.sudo().user_id.partner_id  # sudo: the organiser, as above
        author_attendee = (
            Attendee(clean_display(author.name)[0], author.email_normalized or "", author.id)
            if author
            else None
        )
        return attendees, author_attendee

    def _capture_notes(self, notes, source, author=None):
        """Summarise the notes on the opportunity's chatter and propose one to-do per action item.
        Returns "" when the notes were read, else why not."""
        self.ensure_one()
        capture = self.env["crm.agent.capture"]
        # sudo: only to see which opportunity it is; access to it is checked right below
        lead = self.sudo().opportunity_id.with_env(self.env)
        if lead:
            refusal = self._capture_notes_lead_refusal(lead)
            if refusal:
                _logger.info("Auto-capture: notes of meeting %s not read: %s", self.id, refusal)
                return refusal
        company = lead.company_id or self.user_id.company_id or self.env.company
        if not capture._capture_team_allowed(self._capture_team(), company):
            return self.env._("auto-capture is off for this sales team")
        reference = fields.Datetime.context_timestamp(self, self.start).date()
        attendees, author_attendee = self._capture_attendee_list(author)
        parsed = parse_meeting(
            str(notes or ""), reference, is_html=True, attendees=attendees, author=author_attendee
        )
        if not parsed.summary and not parsed.action_items:
            return ""
        proposals = []
        if lead:
            for item in parsed.action_items:
                proposals.append(self._capture_todo_proposal(lead, item, reference, source))
        actions = capture._capture_propose(proposals)
        self._capture_post_summary(lead or self, parsed, actions, source)
        if lead:
            self._capture_log_on_meeting(
                actions,
                self.env._("Auto-capture: meeting notes"),
                self.env._(
                    "Read %(origin)s: %(count)s action item(s); summary on %(lead)s.",
                    origin=source,
                    count=len(parsed.action_items),
                    lead=lead.display_name,
                ),
            )
        return ""

    def _capture_log_on_meeting(self, actions, title, text=""):
        """One note on the meeting's chatter for one capture: what the agent did or proposed."""
        self.ensure_one()
        if not actions and not text:
            return
        states = dict(self.env["crm.agent.action"]._fields["state"].selection)
        outcome = Markup("").join(
            Markup("<li>%s: %s</li>") % (states.get(action.state), action.name)
            for action in actions
        )
        body = Markup("<p><b>%s</b></p>%s%s") % (
            title,
            Markup("<p>%s</p>") % text if text else "",
            Markup("<ul>%s</ul>") % outcome if outcome else "",
        )
        # with the rights of who triggered capture, as the agent's note
        self.with_context(crm_agent_capture_skip=True).message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            message_type="comment",
            author_id=self.env.ref("base.partner_root").id,
        )

    @api.model
    def _capture_owner_label(self, item):
        """How a to-do names an owner: the attendee's name, or the name as written when the
        attendee has none but an address, or is nobody at the meeting."""
        name = item.attendee.name if item.attendee is not None else ""
        if not name or "@" in name:
            name = item.owner_written.lstrip("@") or item.owner
        return name

    def _capture_owner(self, item, lead):
        """``(user, reason, matched)``: who gets the to-do of an action item whose owner the engine
        resolved to an attendee. matched is False when that is not the owner's own to-do."""
        organiser = self.user_id or self.env.user
        follower = lead.user_id or organiser  # the salesperson follows up on others' promises
        if item.attendee is not None:
            # sudo: the users behind an attendee of this meeting, to give them their to-do
            partner = self.env["res.partner"].sudo().browse(item.attendee.ref).exists()
            users = partner.user_ids.filtered(lambda user: not user.share)
            if users:
                user = users[0].with_env(self.env)
                return (
                    user,
                    self.env._(
                        "'%(said)s' is the attendee %(user)s",
                        said=item.owner_written or item.owner,
                        user=user.name,
                    ),
                    True,
                )
            return (
                follower,
                self.env._(
                    "'%(said)s' is the external attendee %(name)s: a follow-up for %(user)s",
                    said=item.owner_written or item.owner,
                    name=item.attendee.name,
                    user=follower.name,
                ),
                False,
            )
        if not item.owner_written:
            return (
                organiser,
                self.env._("no owner in the notes: the organiser %s", organiser.name),
                True,
            )
        return (
            follower,
            self.env._(
                "'%(said)s' is nobody at the meeting: given to %(user)s",
                said=item.owner_written,
                user=follower.name,
            ),
            False,
        )

    def _capture_todo_proposal(self, lead, item, reference, source):
        user, owner_reason, matched = self._capture_owner(item, lead)
        due = item.due or reference + timedelta(days=DEFAULT_DUE_DAYS)
        due_reason = (
            self.env._("due '%s' in the notes", item.due_text)
            if item.due
            else self.env._("no date in the notes: %s days after the meeting", DEFAULT_DUE_DAYS)
        )
        summary = item.what if matched else f"{self._capture_owner_label(item)}: {item.what}"
        confidence = item.confidence if matched else min(item.confidence, UNKNOWN_OWNER_CONFIDENCE)
        return propose(
            name=self.env._("To-do for %(user)s: %(what)s", user=user.name, what=summary[:120]),
            kind="schedule_activity",
            res_model="crm.lead",
            res_id=lead.id,
            explanation=self.env._(
                "Action item in %(origin)s of the meeting '%(event)s' (%(date)s): '%(what)s'; %(owner)s; "
                "%(due)s (confidence %(confidence).2f, %(how)s).",
                origin=source,
                event=self._capture_label(),
                date=fields.Date.to_string(reference),
                what=item.what,
                owner=owner_reason,
                due=due_reason,
                confidence=confidence,
                how=item.source,
            ),
            confidence=confidence,
            payload={
                "summary": summary[:200],
                "note": self.env._(
                    "From the notes of the meeting '%(event)s' of %(date)s.",
                    event=self._capture_label(),
                    date=fields.Date.to_string(reference),
                ),
                "user_id": user.id,
                "date_deadline": fields.Date.to_string(due),
                "activity_type_xmlid": "mail.mail_activity_data_todo",
            },
            source="capture",
            key=f"todo:{self.id}:{text_key(item.owner)}:{text_key(item.what)}"[:500],
        )

    def _capture_post_summary(self, record, parsed, actions, source):
        items = Markup("").join(
            Markup("<li>%s%s%s</li>")
            % (
                f"{self._capture_owner_label(item)}: " if item.owner else "",
                item.what,
                f" ({fields.Date.to_string(item.due)})" if item.due else "",
            )
            for item in parsed.action_items
        )
        states = dict(self.env["crm.agent.action"]._fields["state"].selection)
        outcome = Markup("").join(
            Markup("<li>%s: %s</li>") % (states.get(action.state), action.name)
            for action in actions
        )
        body = Markup("<p><b>%s</b></p><p>%s</p><p>%s</p>%s%s") % (
            self.env._("Auto-capture: meeting notes"),
            Markup(self.env._("From %(source)s of %(event)s:"))
            % {"source": source, "event": self._get_html_link()},
            parsed.summary or "",
            Markup("<p>%s</p><ul>%s</ul>") % (self.env._("Action items:"), items) if items else "",
            Markup("<p>%s</p><ul>%s</ul>") % (self.env._("To-dos:"), outcome) if actions else "",
        )
        # with the rights of who triggered capture (checked above), as the agent's note
        record.with_context(crm_agent_capture_skip=True).message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            message_type="comment",
            author_id=self.env.ref("base.partner_root").id,
        )

    def _capture_description_notes(self):
        """The description without the contact details calendar appends to it (organiser, first
        attendee): those are not notes."""
        self.ensure_one()
        description = str(self.description or "")
        cut = len(description)
        for label in {
            self.env._("Organized by"),
            self.env._("Contact Details"),
            "Organized by",
            "Contact Details",
        }:
            index = description.find(f"<strong>{label}</strong>")
            if index != -1:
                cut = min(cut, index)
        return description[:cut]

    def _capture_event_notes(self):
        """The event's own notes as one HTML text (Notes tab, then the description), and the
        names of the sources that hold something."""
        self.ensure_one()
        parts, sources = [], []
        if not is_html_empty(self.notes):
            parts.append(str(self.notes))
            sources.append(self.env._("the Notes tab"))
        description = self._capture_description_notes()
        if not is_html_empty(description):
            parts.append(description)
            sources.append(self.env._("the description"))
        return Markup("<br/>").join(Markup(part) for part in parts), sources

    @api.model
    def _cron_capture_meeting_notes(self, batch_size=CRON_BATCH_SIZE):
        """Read the notes (Notes tab and description) of meetings that ended in the last days and
        were not read yet. Flagged captured only when read; not readable: the reason is kept."""
        if not self.env["crm.agent.capture"]._capture_active():
            _logger.info("Auto-capture is off or the agent is paused: no meeting notes read")
            return
        now = fields.Datetime.now()
        # sudo: the job looks at every meeting; each is then read with its organiser's rights
        events = self.sudo().search(
            [
                ("stop", "<=", now),
                ("stop", ">=", now - timedelta(days=CRON_LOOKBACK_DAYS)),
                ("agent_notes_captured", "=", False),
                ("agent_notes_skipped", "=", False),
                "|",
                ("description", "!=", False),
                ("notes", "!=", False),
            ],
            order="stop",
            limit=batch_size,
        )
        read, skipped = events.browse(), {}
        for event in events:
            notes, sources = event._capture_event_notes()
            if not sources:
                read |= event  # only the contact details calendar adds: nothing to read
                continue
            reason = event._capture_notes_safe(notes, self.env._(" and ").join(sources))
            if not reason:
                read |= event
            elif reason != "error":  # an error is tried again on the next run
                skipped.setdefault(reason, events.browse())
                skipped[reason] |= event
        # sudo: the flags are the agent's own fields (users may not write them)
        read.sudo().write({"agent_notes_captured": True})
        for reason, group in skipped.items():
            group.sudo().write({"agent_notes_skipped": reason[:200]})
        return events
