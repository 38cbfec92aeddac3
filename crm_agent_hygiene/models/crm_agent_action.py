"""The hygiene kinds of agent action: merges, standardisation and company creation."""

import itertools

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.crm_agent.engine.policy import KindSpec

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
    hygiene_key = fields.Char(
        "Hygiene fingerprint", readonly=True, index="btree_not_null", copy=False,
        help="What the hygiene agent proposed (e.g. the pair of records): never proposed twice.",
    )
    hygiene_partner_ids = fields.Many2many(
        "res.partner", "crm_agent_action_hygiene_partner_rel", "action_id", "partner_id",
        string="Contacts to merge", readonly=True,
    )
    hygiene_lead_ids = fields.Many2many(
        "crm.lead", "crm_agent_action_hygiene_lead_rel", "action_id", "lead_id",
        string="Leads to merge", readonly=True,
    )
    hygiene_comparison_html = fields.Html(
        "Side by side", compute="_compute_hygiene_comparison_html", sanitize=False
    )

    @api.model
    def _agent_kind_specs(self):
        specs = super()._agent_kind_specs()
        specs["merge_partners"] = KindSpec("merge_partners", risk="high", irreversible=True)
        specs["merge_leads"] = KindSpec("merge_leads", risk="high", irreversible=True)
        specs["standardise_fields"] = KindSpec("standardise_fields", risk="low", undoable=True)
        specs["create_company"] = KindSpec("create_company", risk="medium", undoable=True)
        return specs

    # ------------------------------------------------------------------
    # Side by side
    # ------------------------------------------------------------------

    @api.depends("kind", "payload", "before_image")
    def _compute_hygiene_comparison_html(self):
        for action in self:
            payload = action.payload or {}
            images = (action.before_image or {}).get("records") or {}
            if action.kind not in MERGE_KINDS or not images:
                action.hygiene_comparison_html = False
                continue
            ids = [str(i) for i in payload.get("record_ids", []) if str(i) in images]
            model = self.env[action.res_model]
            head = Markup("").join(
                Markup("<th>%s</th>") % (
                    self.env._("%s (kept)", images[i].get("display_name") or i)
                    if int(i) == payload.get("survivor_id")
                    else self.env._("%s (merged into it)", images[i].get("display_name") or i)
                )
                for i in ids
            )
            rows = []
            for fname in payload.get("compare_fields", []):
                cells = [self._hygiene_display_value(images[i].get(fname)) for i in ids]
                differs = len(set(cells)) > 1
                label = model._fields[fname].string if fname in model._fields else fname
                rows.append(
                    Markup('<tr class="%s"><th>%s</th>%s</tr>') % (
                        "table-warning" if differs else "",
                        label,
                        Markup("").join(Markup("<td>%s</td>") % cell for cell in cells),
                    )
                )
            reasons = Markup("").join(Markup("<li>%s</li>") % r for r in payload.get("reasons", []))
            action.hygiene_comparison_html = Markup(
                '<table class="table table-sm table-bordered o_hygiene_comparison">'
                "<thead><tr><th></th>%s</tr></thead><tbody>%s</tbody></table>"
                "<p><b>%s</b></p><ul>%s</ul>"
            ) % (head, Markup("").join(rows), self.env._("Why they match:"), reasons)

    def _agent_approval_details(self):
        return self.hygiene_comparison_html or super()._agent_approval_details()

    @api.model
    def _hygiene_display_value(self, value):
        if value in (False, None, "", []):
            return ""
        if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int):
            return str(value[1])  # many2one as read() gives it
        return str(escape(value)) if not isinstance(value, str) else value

    # ------------------------------------------------------------------
    # Freshness and rejection
    # ------------------------------------------------------------------

    def _agent_is_stale(self):
        """A merge is also stale when a record merged into the survivor changed or is gone."""
        if super()._agent_is_stale():
            return True
        if self.kind not in MERGE_KINDS:
            return False
        Model = self.env[self.res_model].sudo().with_context(active_test=False)
        for record_id, snapshot in ((self.payload or {}).get("others_snapshot") or {}).items():
            record = Model.browse(int(record_id)).exists()
            if not record or self._agent_snapshot(record, list(snapshot)) != snapshot:
                return True
        return False

    def _agent_after_reject(self):
        """A rejected merge means 'not duplicates': the pair is never proposed again."""
        super()._agent_after_reject()
        NotDuplicate = self.env["crm.agent.hygiene.not.duplicate"].sudo()
        for action in self.filtered(lambda a: a.kind in MERGE_KINDS):
            ids = (action.payload or {}).get("record_ids") or []
            NotDuplicate._remember(
                action.res_model, itertools.combinations(ids, 2), action=action,
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
        records.check_access("write")
        return records, survivor

    def _agent_execute_merge_partners(self):
        partners, survivor = self._hygiene_merge_records()
        others = partners - survivor
        names = ", ".join(others.mapped("display_name"))
        # the approval is the person's check: the wizard's same-email rule is for blind merges
        self.env["base.partner.merge.automatic.wizard"]._merge(
            partners.ids, dst_partner=survivor, extra_checks=False
        )
        self.sudo().result_data = {"survivor_id": survivor.id, "merged_ids": others.ids}
        return self.env._("Merged %(others)s into %(survivor)s with Odoo's contact merge.",
                          others=names, survivor=survivor.display_name)

    def _agent_execute_merge_leads(self):
        leads, survivor = self._hygiene_merge_records()
        others = leads - survivor
        names = ", ".join(others.mapped("display_name"))
        head = leads.with_context(crm_agent_hygiene_survivor_id=survivor.id).merge_opportunity()
        if head != survivor:
            raise UserError(self.env._("Odoo's merge kept another lead than the chosen survivor."))
        self.sudo().result_data = {"survivor_id": survivor.id, "merged_ids": others.ids}
        return self.env._("Merged %(others)s into %(survivor)s with the CRM's opportunity merge.",
                          others=names, survivor=survivor.display_name)

    def _agent_execute_standardise_fields(self):
        return self._agent_execute_update_fields()

    def _agent_undo_standardise_fields(self):
        return self._agent_undo_update_fields()

    def _agent_execute_create_company(self):
        target = self._agent_target()
        if target.parent_id:
            raise UserError(self.env._("%s already belongs to a company.", target.display_name))
        company = self.env["res.partner"].create(dict((self.payload or {}).get("company") or {}))
        target.parent_id = company
        self.sudo().result_data = {"company_id": company.id}
        return self.env._("Created %(company)s and linked %(name)s to it.",
                          company=company.display_name, name=target.display_name)

    def _agent_undo_create_company(self):
        target = self._agent_target()
        company = self.env["res.partner"].browse((self.result_data or {}).get("company_id")).exists()
        if target.parent_id != company:
            raise UserError(self.env._("Cannot undo: %s changed company since.", target.display_name))
        target.write(self._agent_values_to_write(target, self.before_image or {"parent_id": False}))
        if not company.child_ids:
            company.active = False
        return self.env._("Unlinked %(name)s and archived %(company)s.",
                          name=target.display_name, company=company.display_name)
