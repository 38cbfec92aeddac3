"""The hygiene kinds of agent action: merges, standardisation and company creation."""

import itertools

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.crm_agent.engine.policy import KindSpec

from ..engine.normalise import display_snippet
from .crm_agent_hygiene_mixin import MERGE_KINDS


class CrmAgentAction(models.Model):
    _inherit = "crm.agent.action"

    kind = fields.Selection(
        selection_add=[
            ("merge_partners", "Merge contacts"),
            ("merge_leads", "Merge leads"),
            ("standardise_fields", "Standardise fields"),
            ("create_company", "Create a company"),
        ],
        ondelete={
            "merge_partners": "cascade",
            "merge_leads": "cascade",
            "standardise_fields": "cascade",
            "create_company": "cascade",
        },
    )
    source = fields.Selection(
        selection_add=[("hygiene", "Data hygiene")], ondelete={"hygiene": "set default"}
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
        names = {
            i: self.env._("(restricted)") if i in hidden else images[i].get("display_name") or i
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
                "" if i in hidden else self._hygiene_display_value(images[i].get(fname))
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
            len((self.sudo().payload or {}).get("record_ids") or []),
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
        Model = self.env[action.res_model].sudo().with_context(active_test=False)
        records = Model.browse((action.payload or {}).get("record_ids") or []).exists()
        if len(records) < 2:
            return None  # nothing left to merge: execution says so
        as_user = records.with_user(user)
        if as_user._filtered_access("write") != as_user:
            return self.env._("%s may not change every record of this merge.", user.name)
        # archived logins count too: the records are read with active_test off, in sudo
        return records._hygiene_merge_refusal(user)

    @api.model
    def _hygiene_display_value(self, value):
        """Plain text of a ``read()`` value (escaped by the table), without bidi or control
        characters that could make one record look like another."""
        if value in (False, None, "", []):
            return ""
        if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int):
            value = value[1]  # many2one as read() gives it
        return display_snippet(value if isinstance(value, str) else str(escape(value)), 200)

    # ------------------------------------------------------------------
    # Freshness and rejection
    # ------------------------------------------------------------------

    def _hygiene_merged_records_changed(self):
        """A merge is also stale when a record merged into the survivor changed or is gone."""
        Model = self.env[self.res_model].sudo().with_context(active_test=False)
        for record_id, snapshot in ((self.payload or {}).get("others_snapshot") or {}).items():
            record = Model.browse(int(record_id)).exists()
            if not record or self._agent_snapshot(record, list(snapshot)) != snapshot:
                return True
        return False

    def _hygiene_remember_not_duplicates(self):
        """A rejected merge means 'not duplicates': the pair is never proposed again."""
        NotDuplicate = self.env["crm.agent.hygiene.not.duplicate"].sudo()
        for action in self.filtered(lambda a: a.kind in MERGE_KINDS):
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
        self.sudo().result_data = {"survivor_id": survivor.id, "merged_ids": others.ids}
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
        self.sudo().result_data = {"survivor_id": survivor.id, "merged_ids": others.ids}
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
        self.sudo().result_data = {"company_id": company.id}
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
