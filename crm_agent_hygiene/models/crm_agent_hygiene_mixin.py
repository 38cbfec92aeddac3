"""Hygiene fields and the engine adapter shared by contacts and leads."""

import logging
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.modules.db import has_trigram
from odoo.tools import SQL
from odoo.tools.sql import create_index, make_index_name

from odoo.addons.crm_agent.engine.proposal import OPEN_STATES

from ..engine.normalise import (
    company_key,
    is_free_mail,
    normalise_email,
    normalise_name,
    normalise_phone,
    website_domain,
)

_logger = logging.getLogger(__name__)

MERGE_KINDS = ("merge_partners", "merge_leads")
# Fields the agent computes or sets: users read them, only the agent (superuser mode) writes them.
AGENT_OWNED_FIELDS = frozenset({
    "hygiene_name_key", "hygiene_domain", "hygiene_phone_invalid", "hygiene_phone_issue",
    "hygiene_email_bounced", "hygiene_stale", "hygiene_last_activity",
    "hygiene_duplicate_action_ids", "hygiene_duplicate_count",
})  # fmt: skip
# Set (in Python, never from a request) while Odoo's contact merge copies every plain field of the
# merged contacts onto the kept one: the agent's flags are then left out instead of refused.
DROP_AGENT_FIELDS = ContextVar("crm_agent_hygiene_drop_agent_fields", default=False)


class CrmAgentHygieneMixin(models.AbstractModel):
    """What the hygiene engine needs from a contact or a lead: every per-model fact lives here
    (class attributes and the hooks below), so the passes in ``crm.agent.hygiene`` never ask
    which model they check.

    A model using it sets the attributes and implements ``_hygiene_engine_values()`` (one engine
    record dict per record), ``_hygiene_depends()``, ``_hygiene_candidate_scope(candidate,
    other)`` (SQL: may these two rows be merged at all), ``_hygiene_record_label()``, the stale
    hooks and ``_hygiene_merge_refusal(user)``.
    """

    _name = "crm.agent.hygiene.mixin"
    _inherit = "crm.agent.owned.mixin"
    _description = "Records the hygiene agent checks"
    _hygiene_merge_kind = None
    # the action's Many2many listing the records a merge proposal touches
    _hygiene_link_field = None
    _hygiene_email_field = "email"
    # fields shown side by side in a merge proposal
    _hygiene_compare_fields = ()
    # whether a record's company (or website) is proposed from its e-mail domain
    _hygiene_enriches = False
    # candidate pairs in PostgreSQL: the engine's blocking key kinds (``engine.block.KEY_KINDS``)
    # this model stores, and the column holding each; fuzzy kinds use pg_trgm when available
    _hygiene_block_columns = (
        ("phone", "phone_sanitized"),
        ("email", "email_normalized"),
        ("domain", "hygiene_domain"),
        ("name", "hygiene_name_key"),
    )

    hygiene_name_key = fields.Char(
        "Name key",
        compute="_compute_hygiene_keys",
        store=True,
        copy=False,
        help="Normalised name (lower-case, no accents, legal forms removed) used to find duplicates.",
    )
    hygiene_domain = fields.Char(
        "Company domain",
        compute="_compute_hygiene_keys",
        store=True,
        copy=False,
        index="btree_not_null",
        help="Company domain from a non free-mail e-mail address, else from the website.",
    )
    hygiene_phone_invalid = fields.Boolean(
        "Invalid phone",
        compute="_compute_hygiene_keys",
        store=True,
        copy=False,
        help="The phone cannot be read as a valid number; it is left as typed.",
    )
    hygiene_phone_issue = fields.Char(
        "Phone problem", compute="_compute_hygiene_keys", store=True, copy=False
    )
    hygiene_email_bounced = fields.Boolean(
        "Bounced e-mail",
        compute="_compute_hygiene_email_bounced",
        store=True,
        copy=False,
        help="Mail sent to this address bounced.",
    )
    hygiene_stale = fields.Boolean(
        "Stale",
        readonly=True,
        copy=False,
        help="No activity for longer than the hygiene settings allow (set by the daily hygiene job).",
    )
    hygiene_last_activity = fields.Datetime("Last activity", readonly=True, copy=False)
    hygiene_duplicate_action_ids = fields.Many2many(
        "crm.agent.action",
        string="Possible duplicates",
        compute="_compute_hygiene_duplicate_action_ids",
        groups="crm_agent.group_agent_user",
    )
    hygiene_duplicate_count = fields.Integer(
        "Duplicate proposals",
        compute="_compute_hygiene_duplicate_action_ids",
        groups="crm_agent.group_agent_user",
    )

    def init(self):
        super().init()
        if self._abstract:
            return
        cr = self.env.cr
        if not has_trigram(cr):
            try:
                with cr.savepoint():
                    cr.execute(SQL("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            except Exception as exc:  # noqa: BLE001 - missing rights: fall back to exact keys
                _logger.warning(
                    "pg_trgm is not available (%s): duplicate names are matched exactly", exc
                )
            self.pool.has_trigram = has_trigram(cr)
        if self.pool.has_trigram:
            create_index(
                cr,
                make_index_name(self._table, "hygiene_name_key_trgm"),
                self._table,
                ["hygiene_name_key gin_trgm_ops"],
                method="gin",
                where="hygiene_name_key IS NOT NULL",
            )
        else:
            create_index(
                cr,
                make_index_name(self._table, "hygiene_name_key"),
                self._table,
                ["hygiene_name_key"],
                where="hygiene_name_key IS NOT NULL",
            )

    # ------------------------------------------------------------------
    # The agent's fields are the agent's
    # ------------------------------------------------------------------

    @api.model
    def _agent_owned_fields(self):
        return super()._agent_owned_fields() | AGENT_OWNED_FIELDS

    @api.model
    def _agent_owned_check(self, vals):
        """Odoo's own contact merge copies every plain field as the merging user: there (and only
        there, see wizard/base_partner_merge.py) the agent's fields are dropped, not refused."""
        if DROP_AGENT_FIELDS.get():
            return {key: value for key, value in vals.items() if key not in AGENT_OWNED_FIELDS}
        return super()._agent_owned_check(vals)

    # ------------------------------------------------------------------
    # To implement per model
    # ------------------------------------------------------------------

    def _hygiene_depends(self):
        return []

    def _hygiene_engine_values(self):
        """``{id: engine record dict}`` (see ``engine.normalise.RECORD_FIELDS``)."""
        raise NotImplementedError

    def _hygiene_candidate_scope(self, candidate, other):
        """SQL condition on the aliases ``candidate`` and ``other`` (two rows of the table)."""
        return SQL("TRUE")

    def _hygiene_is_company(self):
        return False

    def _hygiene_standardisable(self):
        """The records whose values the agent may tidy up: those still in use."""
        return self.filtered("active")

    def _hygiene_synced_fields(self):
        """``{id: {field}}``: the fields of each record that Odoo copies from another record (a
        lead's phone and e-mail from its contact): that record's standardisation covers them,
        and a proposal on the copy would go stale as soon as the original is tidied."""
        return {}

    @api.model
    def _hygiene_record_label(self):
        """What one record is called in an explanation ("contact", "lead")."""
        return self._description

    @api.model
    def _hygiene_stale_cutoff(self, settings, now):
        """Records without activity since this datetime are stale."""
        raise NotImplementedError

    @api.model
    def _hygiene_stale_sql(self, alias):
        """``(since, in_scope)``: SQL on the table alias ``alias`` for the date activity counts
        from, and whether the record may be stale at all."""
        raise NotImplementedError

    @api.model
    def _hygiene_stale_reason(self, settings):
        """Why a stale record of this model is stale, for its owner."""
        raise NotImplementedError

    def _hygiene_merge_refusal(self, user):
        """Why ``user`` may not merge these records with Odoo's own merge, or None (write
        access to every record is checked by the caller)."""
        return None

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.model
    def _hygiene_default_regions(self):
        return tuple(c for c in (self.env.company.country_id.code,) if c)

    @api.depends(lambda self: self._hygiene_depends())
    def _compute_hygiene_keys(self):
        values = self._hygiene_engine_values()
        default_regions = self._hygiene_default_regions()
        for record in self:
            vals = values[record.id] if record.id in values else {}
            if record._hygiene_is_company():
                record.hygiene_name_key = company_key(vals.get("name")) or False
            else:
                record.hygiene_name_key = (
                    normalise_name(vals.get("name")).key
                    or company_key(vals.get("company_name"))
                    or False
                )
            email = normalise_email(vals.get("email"))
            domain = email.domain if email.valid and not email.free_mail else ""
            if not domain:
                site = website_domain(vals.get("website"))
                domain = site if site and not is_free_mail(site) else ""
            record.hygiene_domain = domain or False
            phone = vals.get("phone")
            if phone:
                regions = [
                    vals.get("country_code"),
                    vals.get("company_country_code"),
                    *default_regions,
                ]
                result = normalise_phone(phone, [r for r in regions if r])
                record.hygiene_phone_invalid = not result.valid
                record.hygiene_phone_issue = result.reason or False
            else:
                record.hygiene_phone_invalid = False
                record.hygiene_phone_issue = False

    @api.model
    def _hygiene_tidied_fields(self):
        """The fields the agent's own standardisation rewrites (same value, standard form)."""
        return {"phone", self._hygiene_email_field, "website"}

    def _hygiene_match_keys(self):
        """``{id: {field: key}}``: the phone (E.164), e-mail and website domain of each record as
        a merge compares them, so that the agent's own standardisation of a value (same key)
        never makes its merge proposal stale, while a different value does."""
        values = self._hygiene_engine_values()
        default_regions = self._hygiene_default_regions()
        keys = {}
        for record in self:
            vals = values[record.id]
            regions = [vals.get("country_code"), vals.get("company_country_code"), *default_regions]
            phone = normalise_phone(vals.get("phone"), [r for r in regions if r])
            email = normalise_email(vals.get("email"))
            keys[record.id] = {
                "phone": phone.e164 if phone.valid else (vals.get("phone") or "").strip(),
                self._hygiene_email_field: email.key
                if email.valid
                else (vals.get("email") or "").strip(),
                "website": website_domain(vals.get("website"))
                or (vals.get("website") or "").strip(),
            }
        return keys

    @api.depends("message_bounce")
    def _compute_hygiene_email_bounced(self):
        for record in self:
            record.hygiene_email_bounced = record.message_bounce > 0

    @api.depends_context("uid")
    def _compute_hygiene_duplicate_action_ids(self):
        field = self._hygiene_link_field
        actions = self.env["crm.agent.action"]
        if self.ids:
            actions = actions.search(
                [(field, "in", self.ids), ("kind", "in", MERGE_KINDS), ("state", "in", OPEN_STATES)]
            )
        by_record = {record_id: actions.browse() for record_id in self.ids}
        for action in actions:
            for record_id in action[field].ids:
                if record_id in by_record:
                    by_record[record_id] |= action
        for record in self:
            record.hygiene_duplicate_action_ids = by_record.get(record.id, actions.browse())
            record.hygiene_duplicate_count = len(record.hygiene_duplicate_action_ids)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_hygiene_check(self):
        """Look for duplicates and fixes for these records now, with the user's rights."""
        if not self.env.su and not self.env.user.has_group("crm_agent.group_agent_user"):
            raise AccessError(self.env._("Only CRM agent users can ask for a data quality check."))
        self.env["crm.agent.hygiene"]._hygiene_process(self)
        return self.action_view_hygiene_duplicates() if len(self) == 1 else True

    def action_view_hygiene_duplicates(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_agent_hygiene.crm_agent_action_duplicates"
        )
        action["domain"] = [("id", "in", self.hygiene_duplicate_action_ids.ids)]
        return action

    def _hygiene_activity_counts(self):
        """Messages per record (for the 'most activity' survivor rule), in one grouped query."""
        counts = dict.fromkeys(self.ids, 0)
        for res_id, count in (
            self.env["mail.message"]
            .sudo()  # sudo: counts only, for the survivor rule (no message content)
            ._read_group(
                [("model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"], ["__count"]
            )
        ):
            counts[res_id] += count
        return counts
