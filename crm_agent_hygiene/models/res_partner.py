from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_agent.engine.proposal import propose

from ..engine.normalise import text_key
from .crm_agent_capture import capture_skipped


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "crm.agent.hygiene.mixin"]
    _hygiene_merge_kind = "merge_partners"
    # the contact and company a capture action on a lead created or linked (agent smart button)
    _agent_result_keys = ("partner_id", "company_id")
    _hygiene_link_field = "hygiene_partner_ids"
    _hygiene_enriches = True
    _hygiene_compare_fields = (
        "name",
        "is_company",
        "parent_id",
        "email",
        "phone",
        "website",
        "street",
        "zip",
        "city",
        "country_id",
        "vat",
        "user_id",
        "create_date",
    )

    agent_capture_opt_out = fields.Boolean(
        "No auto-capture",
        help="The agent never reads this contact's mails and meetings to create or enrich records.",
    )
    # equality joins of the duplicate search
    phone_sanitized = fields.Char(index="btree_not_null")
    email_normalized = fields.Char(index="btree_not_null")

    def _hygiene_depends(self):
        return [
            "name",
            "is_company",
            "email",
            "phone",
            "website",
            "country_id",
            "parent_id",
            "parent_id.name",
            "parent_id.country_id",
            "company_name",
        ]

    def _hygiene_is_company(self):
        return self.is_company

    def _hygiene_standardisable(self):
        """Contacts in use, except our users' own: only a user (or an administrator) edits a
        user's contact, the agent's low-privilege user may not."""
        # sudo: which of these contacts have a login (ids only, archived users included)
        with_login = self.sudo().with_context(active_test=False).user_ids.partner_id
        return super()._hygiene_standardisable() - with_login

    def _hygiene_engine_values(self):
        values = {}
        for partner in self:
            parent = partner.parent_id
            commercial = partner.commercial_partner_id
            # Odoo copies the company's VAT onto each of its contacts: there it is company evidence
            company_vat = commercial.vat if commercial != partner and commercial.vat else ""
            values[partner.id] = {
                "id": partner.id,
                "name": partner.name or "",
                "company_name": (
                    partner.name if partner.is_company else parent.name or partner.company_name
                )
                or "",
                "email": partner.email or "",
                "phone": partner.phone or "",
                "website": partner.website or "",
                "street": partner.street or "",
                "street2": partner.street2 or "",
                "city": partner.city or "",
                "zip": partner.zip or "",
                "state": partner.state_id.name or "",
                "country_code": partner.country_id.code or "",
                "company_country_code": parent.country_id.code or "",
                "vat": "" if company_vat and partner.vat == company_vat else partner.vat or "",
                "company_vat": company_vat or "",
                "is_company": partner.is_company,
                "create_date": partner.create_date and str(partner.create_date) or "",
            }
        return values

    def _hygiene_candidate_scope(self, candidate, other):
        """Never a contact with a login (internal or portal, active or archived: the SQL sees
        every res_users row): merging it would hand that login to the other contact."""
        return SQL(
            """%(o)s.active
            AND COALESCE(%(o)s.type, 'contact') = 'contact' AND COALESCE(%(c)s.type, 'contact') = 'contact'
            AND %(o)s.is_company IS NOT DISTINCT FROM %(c)s.is_company
            AND (%(o)s.company_id IS NULL OR %(c)s.company_id IS NULL OR %(o)s.company_id = %(c)s.company_id)
            AND %(o)s.parent_id IS DISTINCT FROM %(c)s.id AND %(c)s.parent_id IS DISTINCT FROM %(o)s.id
            AND NOT EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id IN (%(o)s.id, %(c)s.id))""",
            o=SQL.identifier(other),
            c=SQL.identifier(candidate),
        )

    def _hygiene_activity_counts(self):
        """Messages and leads per contact (for the 'most activity' survivor rule)."""
        counts = super()._hygiene_activity_counts()
        for partner, count in (
            self.env["crm.lead"]
            .sudo()  # sudo: lead counts only, for the survivor rule
            .with_context(active_test=False)
            ._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        ):
            counts[partner.id] += count
        return counts

    @api.model
    def _hygiene_record_label(self):
        return self.env._("contact")

    @api.model
    def _hygiene_stale_cutoff(self, settings, now):
        return now - relativedelta(months=settings["inactive_months"])

    @api.model
    def _hygiene_stale_sql(self, alias):
        table = SQL.identifier(alias)
        return SQL("%s.create_date", table), SQL("%s.active", table)

    @api.model
    def _hygiene_stale_reason(self, settings):
        return self.env._("No activity for %s months.", settings["inactive_months"])

    def _hygiene_merge_refusal(self, user):
        """As Odoo's merge wizard: for Contact Creation (partner managers), contacts with
        different e-mails only for administrators, never contacts with a login."""
        if self.user_ids:
            return self.env._("Contacts with a user account are never merged by the agent.")
        if not user.has_group("base.group_partner_manager"):
            return self.env._(
                "Only contact managers (Contact Creation) may merge contacts, as in Odoo's "
                "own merge; %s is not one.",
                user.name,
            )
        if (
            len(set(self.mapped("email"))) > 1 and not self.with_user(user).env.is_admin()
        ):  # with_user: Odoo's own admin test for that user
            return self.env._(
                "These contacts have different e-mails: only an administrator may merge them."
            )
        return None

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if message.message_type == "email" and not capture_skipped(self.env):
            self.env["crm.agent.capture"]._capture_mail_safe(self, message)
        return result

    def _agent_company_link_proposal(self, plan, confidence, reason, source, origin):
        """The one proposal that links this contact to its company, whoever found the company (the
        hygiene pass from the e-mail domain, capture from a mail or a meeting): one kind, one key
        per contact and company, so an approver is never asked twice about it.

        ``plan`` is ``{"company_id", "name", "domain"}`` for an existing company (found by its
        verified domain), else ``{"name", "website", "domain"}`` for a company to create;
        ``source`` is ``capture`` or ``hygiene``; ``origin`` says where it was read. A contact that
        already belongs to another company is moved only by a person (``overwrite_fields``)."""
        self.ensure_one()
        Action = self.env["crm.agent.action"]
        address = self._address_fields()
        key = f"res.partner:{self.id}:company:{plan.get('domain') or text_key(plan.get('name'))}"
        why = f"{origin[:1].upper()}{origin[1:]}: company {plan['name']} "
        why += f"(confidence {confidence:.2f}, {reason})."
        # the contact's own address and company are what undo restores
        before = Action._agent_snapshot(self, ["parent_id", *address])
        if self.parent_id:
            if not plan.get("company_id") or plan["company_id"] == self.parent_id.id:
                return None
            return propose(
                self._name, self.id, "overwrite_fields",
                name=self.env._(
                    "Move %(name)s to the company %(company)s",
                    name=self.display_name, company=plan["name"],
                ),
                explanation=why + " " + self.env._(
                    "The contact belongs to %s: a person decides.", self.parent_id.display_name
                ),
                confidence=min(confidence, 0.8), source=source,
                values={"parent_id": plan["company_id"]},
                depends_on=("parent_id", "email", *address),
                key=key, extra={"before_image": before},
            )  # fmt: skip
        return propose(
            self._name, self.id, "link_company",
            name=self.env._(
                "Link %(contact)s to the company %(company)s",
                contact=self.display_name, company=plan["name"],
            ),
            explanation=why, confidence=confidence, source=source,
            payload={"company": plan},
            depends_on=("parent_id", "email"),
            key=key, extra={"before_image": before},
        )  # fmt: skip
