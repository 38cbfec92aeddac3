"""Kinds of agent action that auto-capture adds, and the counting of what capture achieved.

The executors run with the rights of whoever executes the action (the approver, or the agent's
own low-privilege user for what runs alone), in the action's company: they read and write contacts
and leads, post messages and nothing else, and never need superuser rights.
"""

import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine.capture.text import clean_display
from ..engine.policy import KindSpec
from .crm_agent_capture import name_from_email

_logger = logging.getLogger(__name__)

CAPTURE_KINDS = [
    ("capture_create_contact", "Create a contact from a mail"),
    ("capture_link_company", "Link a contact to its company"),
    ("capture_link_mail", "Link a mail to an opportunity"),
    ("capture_link_meeting", "Link a meeting to an opportunity"),
    ("capture_create_lead", "Create an opportunity for a meeting"),
]


class CrmAgentAction(models.Model):
    _inherit = "crm.agent.action"

    kind = fields.Selection(
        selection_add=CAPTURE_KINDS, ondelete={code: "cascade" for code, _ in CAPTURE_KINDS}
    )
    capture_key = fields.Char(
        readonly=True,
        index="btree_not_null",
        help="Auto-capture: what this proposal is about, so the same thing is not proposed twice.",
    )

    @api.model
    def _agent_kind_specs(self):
        specs = super()._agent_kind_specs()
        specs["capture_create_contact"] = KindSpec(
            "capture_create_contact", risk="low", undoable=True
        )
        specs["capture_link_company"] = KindSpec("capture_link_company", risk="low", undoable=True)
        specs["capture_link_mail"] = KindSpec("capture_link_mail", risk="low", undoable=True)
        specs["capture_link_meeting"] = KindSpec("capture_link_meeting", risk="low", undoable=True)
        # a new opportunity is a sales decision: proposed, never created alone by default
        specs["capture_create_lead"] = KindSpec("capture_create_lead", risk="medium", undoable=True)
        return specs

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------

    def _capture_contact_values(self, contact):
        """The contact values of a payload as display values (``clean_display``); others skipped."""
        vals = {}
        for fname, value in (contact or {}).items():
            if isinstance(value, str):
                value, skipped = clean_display(value)
                if skipped:
                    _logger.info(
                        "Auto-capture: %s of action %s skipped: %s", fname, self.id, skipped
                    )
                    continue
            vals[fname] = value
        return vals

    def _agent_execute_capture_create_contact(self):
        payload = self.payload or {}
        capture = self.env["crm.agent.capture"]
        email = payload["email"]
        # the executor works in the action's company: contacts and leads of it, or shared
        scope_company = self.env.company
        partner = capture._capture_find_partner(email, company=scope_company)
        created = not partner
        company, company_created = self.env["res.partner"], False
        if payload.get("company"):
            company, company_created = capture._capture_company_from_plan(
                payload["company"], scope_company
            )
        if created:
            vals = dict(self._capture_contact_values(payload.get("contact")), email=email)
            if not vals.get("name"):
                vals["name"] = name_from_email(email) or email
            if company:
                vals["parent_id"] = company.id
            partner = self.env["res.partner"].create(vals)
        lead = (
            self.env["crm.lead"]
            .browse(payload.get("lead_id") or [])
            .exists()
            .filtered_domain(capture._capture_scope(scope_company))
        )
        linked = bool(lead and not lead.partner_id)
        if linked:
            lead.partner_id = partner
        self.sudo().result_data = {
            "partner_id": partner.id,
            "partner_created": created,
            "company_id": company.id,
            "company_created": company_created,
            "lead_id": lead.id if linked else False,
            "fields": sorted(set(payload.get("contact") or {}) - {"name"}) if created else [],
        }
        follow_ups = []
        later = {fname: tuple(item) for fname, item in (payload.get("later") or {}).items()}
        if later:
            follow_ups += capture._capture_field_proposals(
                partner, later, payload.get("source") or ""
            )
        if payload.get("company_proposal") and not partner.parent_id:
            plan, confidence, reason = payload["company_proposal"]
            follow_ups.append(
                capture._capture_company_link_proposal(
                    partner, plan, confidence, reason, payload.get("source") or ""
                )
            )
        if follow_ups:
            capture._capture_propose(follow_ups)
        return self.env._(
            "%(what)s %(contact)s%(company)s%(lead)s.",
            what=self.env._("Created the contact")
            if created
            else self.env._("Used the existing contact"),
            contact=partner.display_name,
            company=self.env._(" (new company %s)", company.name) if company_created else "",
            lead=self.env._(", linked to %s", lead.display_name) if linked else "",
        )

    def _capture_contact_links(self, partner, own_lead):
        """What points to a captured contact besides the capture itself: ``[description]``.

        The rule for undoing a "create contact": the contact is archived only while it is still
        only the agent's. Anything a person or another record did with it since leaves a trace
        counted here: contacts under it, a user, leads other than the one the capture linked,
        attachments on it, mails it wrote, and messages on its chatter other than the agent's own
        audit notes and field tracking. A merge of other contacts into it is such a trace whoever
        merges: Odoo moves their leads, messages and attachments onto it and posts "Merged with
        the following partners" (a notification, not an agent note) on it."""
        # sudo: every trace counts, also those in records the person undoing may not read
        partner = partner.sudo().with_context(active_test=False)
        agent_authors = (
            self.env.ref("base.partner_root") | self.sudo()._agent_system_user().partner_id
        )
        links = []
        if partner.child_ids:
            links.append(self.env._("%s contact(s) under it", len(partner.child_ids)))
        if partner.user_ids:
            links.append(self.env._("a user"))
        leads = (
            self.env["crm.lead"]
            .sudo()  # sudo: as above
            .with_context(active_test=False)
            .search_count([("partner_id", "=", partner.id), ("id", "!=", own_lead.id or 0)])
        )
        if leads:
            links.append(self.env._("%s other lead(s) or opportunity(ies)", leads))
        messages = (
            self.env["mail.message"]
            .sudo()  # sudo: as above
            .search(
                [
                    "|",
                    "&",
                    ("model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    ("author_id", "=", partner.id),
                ]
            )
        )
        note = self.env.ref("mail.mt_note")
        others = messages.filtered(
            lambda message: not (
                message.author_id in agent_authors
                and message.model == "res.partner"
                and (
                    (message.message_type == "comment" and message.subtype_id == note)
                    or (message.tracking_value_ids and not message.body)
                )
            )
        )
        if others:
            links.append(self.env._("%s message(s) not from the agent", len(others)))
        attachments = (
            self.env["ir.attachment"]
            .sudo()  # sudo: as above
            .search_count([("res_model", "=", "res.partner"), ("res_id", "=", partner.id)])
        )
        if attachments:
            links.append(self.env._("%s attachment(s)", attachments))
        return links

    def _agent_undo_capture_create_contact(self):
        data = self.result_data or {}
        lead = self.env["crm.lead"].browse(data.get("lead_id") or []).exists()
        partner = self.env["res.partner"].browse(data.get("partner_id") or []).exists()
        if partner and data.get("partner_created"):
            links = self._capture_contact_links(partner, lead)
            if links:
                raise UserError(
                    self.env._(
                        "Cannot undo '%(name)s': the contact %(contact)s has been used since it was "
                        "captured (%(links)s). Archive or merge it by hand if it should go.",
                        name=self.name,
                        contact=partner.display_name,
                        links=", ".join(links),
                    )
                )
        if lead and lead.partner_id == partner:
            lead.partner_id = False
        if partner and data.get("partner_created"):
            partner.active = False
        company = self.env["res.partner"].browse(data.get("company_id") or []).exists()
        if company and data.get("company_created") and not company.child_ids.filtered("active"):
            company.active = False
        return self.env._("Archived the captured contact.")

    def _agent_execute_capture_link_company(self):
        partner = self._agent_target()
        if partner.parent_id:
            raise UserError(self.env._("%s already belongs to a company.", partner.display_name))
        company, created = self.env["crm.agent.capture"]._capture_company_from_plan(
            self.payload["company"], self.env.company
        )
        partner.parent_id = company
        self.sudo().result_data = {"company_id": company.id, "company_created": created}
        return self.env._(
            "Linked to %(company)s%(new)s.",
            company=company.name,
            new=self.env._(" (new company)") if created else "",
        )

    def _agent_undo_capture_link_company(self):
        data = self.result_data or {}
        partner = self._agent_target()
        company = self.env["res.partner"].browse(data.get("company_id") or []).exists()
        if partner.parent_id == company:
            partner.parent_id = False
        if company and data.get("company_created") and not company.child_ids.filtered("active"):
            company.active = False
        return self.env._("Unlinked the company.")

    def _agent_execute_capture_link_mail(self):
        opportunity = self._agent_target()
        message = self.env["mail.message"].browse(self.payload["message_id"]).exists()
        if not message:
            raise UserError(self.env._("The mail no longer exists."))
        message.check_access("read")
        origin = (
            self.env[message.model].browse(message.res_id)
            if message.model in self.env
            else self.env["res.partner"]
        )
        body = Markup("<p><b>%s</b> %s</p><p>%s</p>%s") % (
            self.env._("Mail from %s", message.email_from or message.author_id.display_name),
            self.env._("(on %s)", origin._get_html_link() if origin else "—"),
            message.subject or "",
            message.body,
        )
        note = opportunity.with_context(crm_agent_capture_skip=True).message_post(
            body=body, subtype_xmlid="mail.mt_note", message_type="comment"
        )
        self.sudo().result_data = {"message_id": note.id}
        return self.env._("Copied the mail to %s.", opportunity.display_name)

    def _agent_undo_capture_link_mail(self):
        note = (
            self.env["mail.message"]
            .browse((self.result_data or {}).get("message_id") or [])
            .exists()
        )
        # sudo: only the agent's own copy, which people may not delete from a chatter
        note.sudo().unlink()
        return self.env._("Removed the copy of the mail.")

    def _capture_unlinked_event(self):
        """The meeting of the payload, still there and not linked to an opportunity yet."""
        event = self.env["calendar.event"].browse(self.payload["event_id"]).exists()
        if not event:
            raise UserError(self.env._("The meeting no longer exists."))
        if event._capture_private():
            raise UserError(self.env._("The meeting is private: the agent does not touch it."))
        if event.opportunity_id:
            raise UserError(
                self.env._(
                    "The meeting is already linked to %s.", event.opportunity_id.display_name
                )
            )
        return event

    def _agent_execute_capture_link_meeting(self):
        opportunity = self._agent_target()
        event = self._capture_unlinked_event()
        event.opportunity_id = opportunity
        opportunity.log_meeting(event)
        return self.env._(
            "Linked the meeting %(event)s to %(lead)s.",
            event=event.name,
            lead=opportunity.display_name,
        )

    def _agent_undo_capture_link_meeting(self):
        event = self.env["calendar.event"].browse(self.payload["event_id"]).exists()
        if event.opportunity_id == self._agent_target():
            event.opportunity_id = False
        return self.env._("Unlinked the meeting.")

    def _agent_execute_capture_create_lead(self):
        partner = self._agent_target()
        event = self._capture_unlinked_event()
        lead = self.env["crm.lead"].create(
            {
                "name": clean_display(self.payload.get("name") or event.name)[0] or event.name,
                "type": "opportunity",
                "partner_id": partner.id,
                "user_id": event.user_id.id or self.env.uid,
            }
        )
        event.opportunity_id = lead
        lead.log_meeting(event)
        self.sudo().result_data = {"lead_id": lead.id}
        return self.env._("Created the opportunity %s for the meeting.", lead.display_name)

    def _agent_undo_capture_create_lead(self):
        lead = self.env["crm.lead"].browse((self.result_data or {}).get("lead_id") or []).exists()
        event = self.env["calendar.event"].browse(self.payload["event_id"]).exists()
        if event and event.opportunity_id == lead:
            event.opportunity_id = False
        lead.action_archive()
        return self.env._("Archived the opportunity.")

    def _agent_post(self, body):
        # the agent's own notes are never read as mail or meeting minutes
        return super(CrmAgentAction, self.with_context(crm_agent_capture_skip=True))._agent_post(
            body
        )

    # ------------------------------------------------------------------
    # Measurement
    # ------------------------------------------------------------------

    def _agent_execute(self):
        done = super()._agent_execute()
        # sudo: the engine of the actions and the counters are the agent's own records
        captured = done.sudo().filtered(lambda action: action.engine == "capture")
        if captured:
            self.env["crm.agent.capture.log"].sudo()._capture_log_actions(captured)  # as above
        return done

    def action_undo(self):
        result = super().action_undo()
        logs = (
            self.env["crm.agent.capture.log"]
            .sudo()  # sudo: the counters are the agent's own records
            .search([("action_id", "in", self.ids)])
        )
        logs.unlink()
        return result
