from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

from .crm_agent_capture import capture_skipped


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.agent.hygiene.mixin"]
    _hygiene_merge_kind = "merge_leads"
    # the opportunity a capture action on a meeting created (agent smart button)
    _agent_result_keys = ("lead_id",)
    _hygiene_link_field = "hygiene_lead_ids"
    _hygiene_email_field = "email_from"
    _hygiene_compare_fields = (
        "name",
        "type",
        "contact_name",
        "partner_name",
        "partner_id",
        "email_from",
        "phone",
        "website",
        "city",
        "country_id",
        "stage_id",
        "user_id",
        "expected_revenue",
        "create_date",
    )

    def _hygiene_depends(self):
        return [
            "contact_name",
            "partner_name",
            "email_from",
            "phone",
            "website",
            "country_id",
            "company_id",
        ]

    def _hygiene_engine_values(self):
        values = {}
        for lead in self:
            values[lead.id] = {
                "id": lead.id,
                "name": lead.contact_name or lead.partner_name or "",
                "company_name": lead.partner_name or "",
                "email": lead.email_from or "",
                "phone": lead.phone or "",
                "website": lead.website or "",
                "street": lead.street or "",
                "street2": lead.street2 or "",
                "city": lead.city or "",
                "zip": lead.zip or "",
                "state": lead.state_id.name or "",
                "country_code": lead.country_id.code or "",
                "company_country_code": lead.company_id.country_id.code or "",
                "create_date": lead.create_date and str(lead.create_date) or "",
                # what the lead is about: two requests of one customer are not duplicates
                "subject": lead.name or "",
            }
        return values

    def _hygiene_standardisable(self):
        """Closed leads (won or lost) and archived ones are history: left as they were."""
        return self.filtered(lambda lead: lead.active and lead.won_status == "pending")

    def _hygiene_synced_fields(self):
        """Odoo copies the contact's phone and e-mail onto its leads whenever the contact's
        change (``_compute_phone``, ``_compute_email_from``)."""
        synced = {}
        for lead in self:
            fnames = {
                lead_field
                for lead_field, partner_field in (("phone", "phone"), ("email_from", "email"))
                if lead.partner_id[partner_field]
            }
            if fnames:
                synced[lead.id] = fnames
        return synced

    def _hygiene_candidate_scope(self, candidate, other):
        return SQL(
            """%(o)s.active AND %(o)s.won_status IS DISTINCT FROM 'won'
            AND (%(o)s.company_id IS NULL OR %(c)s.company_id IS NULL OR %(o)s.company_id = %(c)s.company_id)""",
            o=SQL.identifier(other),
            c=SQL.identifier(candidate),
        )

    @api.model
    def _hygiene_record_label(self):
        return self.env._("lead")

    @api.model
    def _hygiene_stale_cutoff(self, settings, now):
        return now - timedelta(days=settings["lead_untouched_days"])

    @api.model
    def _hygiene_stale_sql(self, alias):
        table = SQL.identifier(alias)
        return SQL("%s.write_date", table), SQL(
            "%s.active AND %s.won_status = 'pending'", table, table
        )

    @api.model
    def _hygiene_stale_reason(self, settings):
        return self.env._("Lead untouched for %s days.", settings["lead_untouched_days"])

    def _hygiene_merge_refusal(self, user):
        """As the CRM's merge wizard (salespeople)."""
        if not self.env["crm.merge.opportunity"].with_user(user).has_access("create"):
            return self.env._("%s may not merge leads in Odoo.", user.name)
        return None

    def _sort_by_confidence_level(self, reverse=False):
        """The agent's merge keeps the survivor its rule chose: put it at the head."""
        survivor_id = self.env.context.get("crm_agent_hygiene_survivor_id")
        ordered = super()._sort_by_confidence_level(reverse=reverse)
        if survivor_id and survivor_id in ordered.ids and reverse:
            survivor = ordered.filtered(lambda lead: lead.id == survivor_id)
            return survivor + (ordered - survivor)
        return ordered

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if capture_skipped(self.env):
            return result
        if message.message_type == "email":
            self.env["crm.agent.capture"]._capture_mail_safe(self, message)
        elif message.message_type == "comment" and message.subtype_id.internal and message.body:
            # a note written after a meeting holds its minutes
            self.env["calendar.event"]._capture_notes_from_lead_note(self, message)
        return result
