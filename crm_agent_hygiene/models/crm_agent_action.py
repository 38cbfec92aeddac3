"""The hygiene kinds of agent action: merges, standardisation, company creation, and the kinds
of auto-capture (contacts from mail, links of mail and meetings to opportunities).

The capture executors run with the rights of whoever executes the action (the approver, or the
agent's own low-privilege user for what runs alone), in the action's company: they read and write
contacts and leads, post messages and nothing else, and never need superuser rights.
"""

import itertools
import logging
from dataclasses import replace

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.crm_agent.engine.policy import KindSpec

from ..engine.capture.contact import name_from_email
from ..engine.capture.text import clean_display
from ..engine.normalise import display_snippet
from .crm_agent_hygiene_mixin import MERGE_KINDS

_logger = logging.getLogger(__name__)

CAPTURE_KINDS = [
    ("capture_create_contact", "Create a contact from a mail"),
    ("capture_link_mail", "Link a mail to an opportunity"),
    ("capture_link_meeting", "Link a meeting to an opportunity"),
    ("capture_create_lead", "Create an opportunity for a meeting"),
]
# the core's kinds capture also proposes (fields read in a signature, to-dos from meeting notes)
CAPTURE_COUNTED_CORE_KINDS = (
    "fill_empty_fields", "overwrite_fields", "update_fields", "schedule_activity",
)  # fmt: skip
CAPTURE_HOOKS = {"after_execute": "_capture_count_done", "after_undo": "_capture_forget_done"}


class CrmAgentAction(models.Model):
    _inherit = "crm.agent.action"

    kind = fields.Selection(
        selection_add=[
            ("merge_partners", "Merge contacts"),
            ("merge_leads", "Merge leads"),
            ("standardise_fields", "Standardise fields"),
            ("create_company", "Create a company"),
            ("link_company", "Link a contact to its company"),
            *CAPTURE_KINDS,
        ],
        ondelete={
            "merge_partners": "cascade",
            "merge_leads": "cascade",
            "standardise_fields": "cascade",
            "create_company": "cascade",
            "link_company": "cascade",
            **{code: "cascade" for code, _ in CAPTURE_KINDS},
        },
    )
    source = fields.Selection(
        selection_add=[("hygiene", "Data hygiene"), ("capture", "Auto-capture")],
        ondelete={"hygiene": "set default", "capture": "set default"},
    )
    hygiene_partner_ids = fields.Many2many(
        "res.partner",
        "crm_agent_action_hygiene_partner_rel",
        "action_id",
        "partner_id",
        string="Contacts to merge",
        readonly=True,
    )
    hygiene_lead_ids = fields.Many2many(
        "crm.lead",
        "crm_agent_action_hygiene_lead_rel",
        "action_id",
        "lead_id",
        string="Leads to merge",
        readonly=True,
    )
    hygiene_comparison_html = fields.Html(
        "Side by side", compute="_compute_hygiene_comparison_html", sanitize=False
    )

    @api.model
    def _agent_kind_specs(self):
        specs = super()._agent_kind_specs()
        merge_hooks = {
            "stale_check": "_hygiene_merged_records_changed",
            "approval_details": "_hygiene_approval_details",
            "after_reject": "_hygiene_remember_not_duplicates",
        }
        specs["merge_partners"] = KindSpec(
            "merge_partners", risk="high", irreversible=True, **merge_hooks
        )
        specs["merge_leads"] = KindSpec(
            "merge_leads", risk="high", irreversible=True, **merge_hooks
        )
        specs["standardise_fields"] = KindSpec(
            "standardise_fields", risk="low", undoable=True,
            execute="_agent_execute_update_fields", undo="_agent_undo_update_fields",
        )  # fmt: skip
        specs["create_company"] = KindSpec("create_company", risk="medium", undoable=True)
        # one kind links a contact to its company, for the hygiene pass and capture alike
        for code in ("link_company", "capture_create_contact", "capture_link_mail",
                     "capture_link_meeting"):  # fmt: skip
            specs[code] = KindSpec(code, risk="low", undoable=True, **CAPTURE_HOOKS)
        # a new opportunity is a sales decision: proposed, never created alone by default
        specs["capture_create_lead"] = KindSpec(
            "capture_create_lead", risk="medium", undoable=True, **CAPTURE_HOOKS
        )
        # what capture proposes with the core's kinds is counted too (the hooks keep to
        # source=capture); those kinds declare no such hook of their own
        for code in CAPTURE_COUNTED_CORE_KINDS:
            if code in specs and not (specs[code].after_execute or specs[code].after_undo):
                specs[code] = replace(specs[code], **CAPTURE_HOOKS)
        return specs

    # ------------------------------------------------------------------
    # Side by side
    # ------------------------------------------------------------------

    @api.depends("kind", "payload", "before_image")
    @api.depends_context("uid")
    def _compute_hygiene_comparison_html(self):
        for action in self:
            action.hygiene_comparison_html = action._hygiene_comparison()

    def _hygiene_comparison(self):
        """The side by side of a merge, for the current user: a record they may not read is a
        '(restricted)' column without its values; a record already merged away shows what the
        proposal recorded of it (the compared fields only)."""
        self.ensure_one()
        stored = self.sudo()  # the action's own facts; what the viewer may read is checked below
        payload = stored.payload or {}
        images = (stored.before_image or {}).get("records") or {}
        if stored.kind not in MERGE_KINDS or not images:
            return False
        ids = [str(i) for i in payload.get("record_ids", []) if str(i) in images]
        model = self.env[stored.res_model]
        existing = model.with_context(active_test=False).browse([int(i) for i in ids]).exists()
        hidden = {str(i) for i in (existing - existing._filtered_access("read")).ids}
        # a record whose image has no name is named as the viewer may know it, never by its id
        current = dict(
            zip(
                ids, self._agent_record_names(stored.res_model, [int(i) for i in ids]), strict=False
            )
        )
        names = {
            i: self.env._("(restricted)")
            if i in hidden
            else images[i].get("display_name") or current[i]
            for i in ids
        }
        head = Markup("").join(
            Markup("<th>%s</th>")
            % (
                self.env._("%s (kept)", names[i])
                if int(i) == payload.get("survivor_id")
                else self.env._("%s (merged into it)", names[i])
            )
            for i in ids
        )
        rows = []
        for fname in payload.get("compare_fields", []):
            if fname not in model._fields or not model._has_field_access(
                model._fields[fname], "read"
            ):
                continue
            cells = [
                ""
                if i in hidden
                else self._hygiene_display_value(images[i].get(fname), model._name, fname)
                for i in ids
            ]
            differs = len(set(cells)) > 1
            rows.append(
                Markup('<tr class="%s"><th>%s</th>%s</tr>')
                % (
                    "table-warning" if differs else "",
                    model._fields[fname].string,
                    Markup("").join(Markup("<td>%s</td>") % cell for cell in cells),
                )
            )
        reasons = Markup("").join(Markup("<li>%s</li>") % r for r in payload.get("reasons", []))
        return Markup(
            '<table class="table table-sm table-bordered o_hygiene_comparison">'
            "<thead><tr><th></th>%s</tr></thead><tbody>%s</tbody></table>"
            "<p><b>%s</b></p><ul>%s</ul>"
        ) % (head, Markup("").join(rows), self.env._("Why they match:"), reasons)

    def _hygiene_approval_details(self):
        """The activity note is copied to the approver's mailbox and stays on the record: a merge
        puts no other record's data in it, only where to compare them."""
        return Markup("<p>%s</p>") % self.env._(
            "Open the proposal to compare the %s records side by side before deciding.",
            len(
                (self.sudo().payload or {}).get("record_ids") or []
            ),  # sudo: the count of the action's own records
        )

    def _agent_touched_records(self):
        """A merge touches every record it merges, not only the one it keeps."""
        records = super()._agent_touched_records()
        stored = self.sudo()  # the action's own facts, whoever asks
        if stored.kind not in MERGE_KINDS:
            return records
        ids = [i for i in (stored.payload or {}).get("record_ids") or [] if isinstance(i, int)]
        listed = stored[self.env[stored.res_model]._hygiene_link_field].ids
        return records | records.browse(ids + listed).exists()

    def _agent_approval_refusal(self, user=None, assigning=False):
        """Nobody approves a merge Odoo would refuse them by hand (see ``_hygiene_merge_refusal``)."""
        refusal = super()._agent_approval_refusal(user=user, assigning=assigning)
        if refusal or self.sudo().kind not in MERGE_KINDS:
            return refusal
        return self._hygiene_merge_refusal(user or self.env.user)

    def _hygiene_merge_refusal(self, user):
        """Why ``user`` may not merge these records with Odoo's own merge, or None: write access
        to every record, then the model's own rule (``_hygiene_merge_refusal`` of the records, as
        Odoo's merge wizards). Checked when an approver is chosen, when they decide, and again in
        execution."""
        self.ensure_one()
        action = self.sudo()
        Model = (
            self.env[action.res_model].sudo().with_context(active_test=False)
        )  # sudo: the records the action names, to test the user's rights on them below
        records = Model.browse((action.payload or {}).get("record_ids") or []).exists()
        if len(records) < 2:
            return None  # nothing left to merge: execution says so
        as_user = records.with_user(user)
        if as_user._filtered_access("write") != as_user:
            return self.env._("%s may not change every record of this merge.", user.name)
        # archived logins count too: the records are read with active_test off, in sudo
        return records._hygiene_merge_refusal(user)

    @api.model
    def _hygiene_display_value(self, value, model=None, fname=None):
        """Plain text of a ``read()`` value (escaped by the table), without bidi or control
        characters that could make one record look like another; with the field, formatted by
        the core's one helper (labels, names the viewer may read, dates)."""
        if value in (False, None, "", []):
            return ""
        if model and fname:
            value = self._agent_format_value(model, fname, value)
        elif isinstance(value, list) and len(value) == 2 and isinstance(value[0], int):
            value = value[1]  # many2one as read() gives it
        return display_snippet(value if isinstance(value, str) else str(escape(value)), 200)

    # ------------------------------------------------------------------
    # Freshness and rejection
    # ------------------------------------------------------------------

    def _hygiene_merged_records_changed(self):
        """A merge is also stale when a record merged into the survivor changed or is gone, or
        when the phone, e-mail or website of one of them now means something else. Rewriting
        them in their standard form (the agent's own standardisation, or a person's) keeps the
        same key and the proposal stands."""
        payload = self.payload or {}
        Model = self.env[self.res_model].sudo().with_context(active_test=False)
        for record_id, snapshot in (payload.get("others_snapshot") or {}).items():
            record = Model.browse(int(record_id)).exists()
            if not record or self._agent_snapshot(record, list(snapshot)) != snapshot:
                return True
        keys = payload.get("match_keys") or {}
        if keys:
            records = Model.browse([int(i) for i in keys]).exists()
            if len(records) != len(keys):
                return True
            current = records._hygiene_match_keys()
            return any(current[int(i)] != snapshot for i, snapshot in keys.items())
        return False

    def _hygiene_remember_not_duplicates(self):
        """A merge rejected as wrong means 'not duplicates': the pair is never proposed again
        (one dismissed as "not now" may come back, by the core's rule)."""
        NotDuplicate = self.env["crm.agent.hygiene.not.duplicate"].sudo()
        for action in self.filtered(
            lambda a: a.kind in MERGE_KINDS and a.rejection_kind != "not_now"
        ):
            ids = (action.payload or {}).get("record_ids") or []
            NotDuplicate._remember(
                action.res_model,
                itertools.combinations(ids, 2),
                action=action,
                reason=action.rejection_reason,
            )

    # ------------------------------------------------------------------
    # Execution (as the approver, inside the core's savepoint)
    # ------------------------------------------------------------------

    def _hygiene_merge_records(self):
        payload = self.payload or {}
        Model = self.env[self.res_model].with_context(active_test=False)
        records = Model.browse(payload.get("record_ids") or []).exists()
        survivor = Model.browse(payload.get("survivor_id")).exists()
        if len(records) < 2 or not survivor:
            raise UserError(self.env._("The records were already merged or deleted."))
        # the executing user needs the rights Odoo asks for the same merge by hand, now
        refusal = self._hygiene_merge_refusal(self.env.user)
        if refusal:
            raise AccessError(refusal)
        records.check_access("write")
        return records, survivor

    def _agent_execute_merge_partners(self):
        partners, survivor = self._hygiene_merge_records()
        others = partners - survivor
        names = ", ".join(others.mapped("display_name"))
        # Odoo's own safety checks stay on; _merge itself lifts them for administrators only
        self.env["base.partner.merge.automatic.wizard"]._merge(
            partners.ids, dst_partner=survivor, extra_checks=True
        )
        self.sudo().result_data = {
            "survivor_id": survivor.id,
            "merged_ids": others.ids,
        }  # sudo: the agent's own result field
        return self.env._(
            "Merged %(others)s into %(survivor)s with Odoo's contact merge.",
            others=names,
            survivor=survivor.display_name,
        )

    def _agent_execute_merge_leads(self):
        leads, survivor = self._hygiene_merge_records()
        others = leads - survivor
        names = ", ".join(others.mapped("display_name"))
        head = leads.with_context(crm_agent_hygiene_survivor_id=survivor.id).merge_opportunity()
        if head != survivor:
            raise UserError(self.env._("Odoo's merge kept another lead than the chosen survivor."))
        self.sudo().result_data = {
            "survivor_id": survivor.id,
            "merged_ids": others.ids,
        }  # sudo: the agent's own result field
        return self.env._(
            "Merged %(others)s into %(survivor)s with the CRM's opportunity merge.",
            others=names,
            survivor=survivor.display_name,
        )

    def _agent_execute_create_company(self):
        target = self._agent_target()
        if target.parent_id:
            raise UserError(self.env._("%s already belongs to a company.", target.display_name))
        company = self.env["res.partner"].create(dict((self.payload or {}).get("company") or {}))
        target.parent_id = company
        self.sudo().result_data = {"company_id": company.id}  # sudo: the agent's own result field
        return self.env._(
            "Created %(company)s and linked %(name)s to it.",
            company=company.display_name,
            name=target.display_name,
        )

    def _agent_undo_create_company(self):
        target = self._agent_target()
        company = (
            self.env["res.partner"].browse((self.result_data or {}).get("company_id")).exists()
        )
        if target.parent_id != company:
            raise UserError(
                self.env._("Cannot undo: %s changed company since.", target.display_name)
            )
        target.write(self._agent_values_to_write(target, self.before_image or {"parent_id": False}))
        if not company.child_ids:
            company.active = False
        return self.env._(
            "Unlinked %(name)s and archived %(company)s.",
            name=target.display_name,
            company=company.display_name,
        )

    # ------------------------------------------------------------------
    # Auto-capture: execution
    # ------------------------------------------------------------------

    def _agent_post(self, body):
        """Capture's actions run while one mail is read report into that mail's one summary note
        (``crm_agent_note_sink`` in the context: ``{(model, id): [body]}``), not one note each."""
        sink = self.env.context.get("crm_agent_note_sink")
        if sink is not None and self.source == "capture":
            sink.setdefault((self.res_model, self.res_id), []).append(body)
            return None
        return super()._agent_post(body)

    def _capture_note_on_created_contact(self, partner, payload):
        """The created contact's chatter says where it came from (and keeps what Odoo has no
        field for: a second number), as the agent's own note."""
        lines = [
            self.env._(
                "Created by the agent from %(origin)s (proposal: %(name)s).",
                origin=payload.get("source") or self.env._("a mail"),
                name=self.name,
            )
        ]
        for label, value in (payload.get("kept_in_note") or {}).items():
            lines.append(
                self.env._(
                    "%(label)s read in the signature: %(value)s (Odoo keeps one phone number per "
                    "contact: kept in this note).",
                    label=label,
                    value=value,
                )
            )
        agent = self.sudo()._agent_system_user().partner_id  # sudo: the agent user's partner
        partner.with_context(crm_agent_own_note=True, crm_agent_capture_skip=True).message_post(
            body=Markup("<p><b>%s</b></p>%s")
            % (
                self.env._("Agent"),
                Markup("").join(Markup("<p>%s</p>") % line for line in lines),
            ),
            subtype_xmlid="mail.mt_note",
            message_type="comment",
            author_id=(agent or self.env.ref("base.partner_root")).id,
        )

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
            self._capture_note_on_created_contact(partner, payload)
        lead = (
            self.env["crm.lead"]
            .browse(payload.get("lead_id") or [])
            .exists()
            .filtered_domain(capture._capture_scope(scope_company))
        )
        linked = bool(lead and not lead.partner_id)
        if linked:
            lead.partner_id = partner
        self.sudo().result_data = {  # sudo: the agent's own result field
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
                partner._agent_company_link_proposal(
                    plan, confidence, reason, "capture", payload.get("source") or ""
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
            self.env.ref("base.partner_root")
            | self.sudo()._agent_system_user().partner_id  # sudo: the agent user's partner
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

    def _agent_execute_link_company(self):
        """Link the contact to the company of the plan: the existing one only while its domain is
        still the contact's (in the action's company, or shared), else the one to create. The
        contact keeps the address a person typed (Odoo would copy the company's over it)."""
        partner = self._agent_target()
        if partner.parent_id:
            raise UserError(self.env._("%s already belongs to a company.", partner.display_name))
        before = self.before_image or {}
        own_address = {
            fname: before[fname]
            for fname in partner._address_fields()
            if before.get(fname) and fname in partner._fields
        }
        company, created = self.env["crm.agent.capture"]._capture_company_from_plan(
            self.payload["company"], self.env.company
        )
        # Odoo's rule, kept: a company's contact shares its address. A company with an address
        # gives it to the contact (the contact's own is in the before-image, undo restores it);
        # a company without one takes the contact's. Writing the contact's address back after
        # the link would make Odoo copy it over the company's and all its other contacts'.
        company_has_address = any(company[fname] for fname in partner._address_fields())
        partner.parent_id = company
        self.sudo().result_data = {
            "company_id": company.id,
            "company_created": created,
        }  # sudo: the agent's own result field
        replaced = (
            self._hygiene_address_text(own_address)
            if company_has_address
            and own_address
            and any(partner[fname] != value for fname, value in own_address.items())
            else ""
        )
        return self.env._(
            "Linked to %(company)s%(new)s.%(address)s",
            company=company.name,
            new=self.env._(" (new company)") if created else "",
            address=self.env._(
                " The contact now has the company's address, as Odoo does for every contact of "
                "a company; its former address (%s) is restored by undo.",
                replaced,
            )
            if replaced
            else "",
        )

    @api.model
    def _hygiene_address_text(self, values):
        """An address as one line a person reads (names, not ids)."""
        Partner = self.env["res.partner"]
        parts = []
        for fname in Partner._address_fields():
            value = values.get(fname)
            if not value:
                continue
            field = Partner._fields.get(fname)
            if field is not None and field.type == "many2one":
                value = (
                    self.env[field.comodel_name].browse(value).exists().sudo().display_name
                )  # sudo: a country or state name
            parts.append(str(value))
        return ", ".join(parts) or self.env._("no address")

    def _agent_undo_link_company(self):
        data = self.result_data or {}
        partner = self._agent_target()
        company = self.env["res.partner"].browse(data.get("company_id") or []).exists()
        if partner.parent_id != company:
            raise UserError(
                self.env._("Cannot undo: %s changed company since.", partner.display_name)
            )
        partner.write(
            self._agent_values_to_write(partner, self.before_image or {"parent_id": False})
        )
        if company and data.get("company_created") and not company.child_ids.filtered("active"):
            company.active = False
        return self.env._("Unlinked the company.")

    # ------------------------------------------------------------------
    # Odoo's address sync: a note on every contact it changed
    # ------------------------------------------------------------------

    def _agent_execute(self):
        """Odoo copies an address written on a company to its contacts, and one written on a
        company's contact to the company (and from there to its other contacts). When an action
        of the agent changes addresses that way, each record changed besides the target gets a
        note saying which action did it and what its address was, and the company's note lists
        the contacts Odoo updated."""
        # sudo: the target model stored on the agent's own rows (executed by the approver or
        # the agent's user, already checked by the core)
        on_partners = self.filtered(lambda a: a.sudo().res_model == "res.partner")
        done = super(CrmAgentAction, self - on_partners)._agent_execute()
        for action in on_partners:
            family = action._hygiene_address_family()
            before = {partner.id: action._hygiene_address_of(partner) for partner in family}
            ran = super(CrmAgentAction, action)._agent_execute()
            done |= ran
            if ran:
                action._hygiene_note_address_sync(family, before)
        return done

    def _hygiene_address_family(self):
        """The target's company and the company's contacts (and the target's own contacts):
        the records Odoo's address sync may change with it."""
        # sudo: ids and addresses of the records Odoo's sync writes, to tell their readers
        target = self.sudo()._agent_target().exists()
        if not target:
            return target
        family = target | target.parent_id | target.commercial_partner_id
        family |= family.child_ids.filtered(lambda c: c.type == "contact")
        return family

    @api.model
    def _hygiene_address_of(self, partner):
        return {fname: partner[fname] for fname in partner._address_fields()}

    def _hygiene_note_address_sync(self, family, before):
        """One note per record Odoo's sync changed (what its address was), and on the company the
        list of its contacts updated."""
        target = family.browse(self.sudo().res_id)  # sudo: the agent's own row, its target id
        family = family.exists()
        family.invalidate_recordset(family._address_fields())
        changed = family.filtered(
            lambda p: p != target and before.get(p.id) != self._hygiene_address_of(p)
        )
        if not changed:
            return
        company = target.commercial_partner_id
        contacts = changed - company
        for partner in changed:
            was = {
                fname: value.id if hasattr(value, "id") else value
                for fname, value in before[partner.id].items()
            }
            body = escape(
                self.env._(
                    "Address updated by Odoo's address sync after the agent's action "
                    "“%(action)s” on %(target)s (a company and its contacts share one address). "
                    "It was: %(was)s.",
                    action=self.name,
                    target=target.display_name,
                    was=self._hygiene_address_text(was),
                )
            )
            if partner == company and contacts:
                body += escape(self._hygiene_contacts_updated_text(contacts))
            self._hygiene_post_note(partner, body)
        if company == target and contacts:
            self._hygiene_post_note(
                company, escape(self._hygiene_contacts_updated_text(contacts).strip())
            )

    def _hygiene_contacts_updated_text(self, contacts):
        return self.env._(
            " Odoo's address sync gave the same address to its contacts: %s.",
            ", ".join(contacts.mapped("display_name")),
        )

    def _hygiene_post_note(self, partner, body):
        # sudo: the agent's audit note on a record its action changed through Odoo's sync
        partner.sudo().with_context(crm_agent_own_note=True).message_post(
            body=Markup("<p><b>%s</b></p><p>%s</p>") % (self.env._("Agent"), body),
            subtype_xmlid="mail.mt_note",
            message_type="comment",
            author_id=self.env.user.partner_id.id,
        )

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
        self.sudo().result_data = {"message_id": note.id}  # sudo: the agent's own result field
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
        self.sudo().result_data = {"lead_id": lead.id}  # sudo: the agent's own result field
        return self.env._("Created the opportunity %s for the meeting.", lead.display_name)

    def _agent_undo_capture_create_lead(self):
        lead = self.env["crm.lead"].browse((self.result_data or {}).get("lead_id") or []).exists()
        event = self.env["calendar.event"].browse(self.payload["event_id"]).exists()
        if event and event.opportunity_id == lead:
            event.opportunity_id = False
        lead.action_archive()
        return self.env._("Archived the opportunity.")

    # ------------------------------------------------------------------
    # Auto-capture: what it saved (kind hooks after execution and undo)
    # ------------------------------------------------------------------

    def _capture_count_done(self):
        # sudo: the source of the actions and the counters are the agent's own records
        captured = self.sudo().filtered(lambda action: action.source == "capture")
        if captured:
            self.env["crm.agent.capture.log"].sudo()._capture_log_actions(captured)  # as above

    def _capture_forget_done(self):
        # sudo: the counters are the agent's own records
        self.env["crm.agent.capture.log"].sudo().search([("action_id", "in", self.ids)]).unlink()
