"""The hygiene agent's passes: what changed since the last run, and what went stale.

The ORM side only fetches, batches and proposes; matching, normalising and the survivor rule live
in ``engine/``. Candidate pairs come from PostgreSQL (equality joins on indexed keys and pg_trgm
on the normalised name), so nothing here compares every record with every other.
"""

import json
import logging
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_agent.engine.proposal import propose

from ..engine import DuplicateFinder, choose_survivor, pairs_from_ids
from ..engine.block import FUZZY_KEY_KINDS, KEY_KINDS
from ..engine.classify import DEFAULT_THRESHOLD
from ..engine.normalise import (
    company_name_from_domain,
    display_snippet,
    is_free_mail,
    json_safe,
    normalise_email,
    normalise_phone,
    standard_email,
    standard_phone,
    standard_website,
    website_domain,
)

_logger = logging.getLogger(__name__)

PARAM = "crm_agent_hygiene."
HYGIENE_MODELS = ("res.partner", "crm.lead")
BATCH_SIZE = 500
CANDIDATES_PER_KEY = 10  # per changed record and per key: a shared switchboard never explodes
NAME_SIMILARITY_THRESHOLD = 0.5  # pg_trgm similarity for name candidates (index-assisted)
STALE_ACTIVITY_LIMIT = 200  # owner activities proposed per run at most
# Odoo stamps write_date with the writing transaction's start time, so a long transaction can commit
# a record older than the watermark after a pass moved past it. Each pass therefore starts again at
# (previous pass - OVERLAP) when the watermark is more recent than that: records written in that
# window are read twice, and the proposal keys (the core's "never ask twice") keep it silent.
# A transaction writing contacts or leads for longer than this is the one case still missed.
WATERMARK_OVERLAP = timedelta(minutes=30)
SURVIVOR_RULES = [
    ("most_complete", "Most complete"),
    ("most_activity", "Most activity"),
    ("oldest", "Oldest"),
]


class CrmAgentHygiene(models.AbstractModel):
    _name = "crm.agent.hygiene"
    _description = "Hygiene agent"

    # ------------------------------------------------------------------
    # Settings and watermarks
    # ------------------------------------------------------------------

    @api.model
    def _hygiene_settings(self):
        get = self.env["ir.config_parameter"].sudo().get_param  # sudo: hygiene settings
        return {
            "survivor_rule": get(PARAM + "survivor_rule") or "most_complete",
            "threshold": float(get(PARAM + "match_threshold") or DEFAULT_THRESHOLD),
            "inactive_months": int(get(PARAM + "inactive_months") or 12),
            "lead_untouched_days": int(get(PARAM + "lead_untouched_days") or 30),
            "stale_activity": bool(get(PARAM + "stale_activity")),
        }

    @api.model
    def _watermark_get(self, model):
        """``(write_date, last_id)`` of the last record checked (``(None, 0)``: none yet)."""
        date, last_id, _read_at = self._watermark_get_full(model)
        return date, last_id

    @api.model
    def _watermark_get_full(self, model):
        """``(write_date, last_id, read_at)``; ``read_at`` is when the pass read that record."""
        value = self.env["ir.config_parameter"].sudo().get_param(f"{PARAM}watermark.{model}")
        if not value:
            return None, 0, None
        date, last_id, read_at = (value.split("|") + ["", ""])[:3]
        to_dt = fields.Datetime.to_datetime
        return to_dt(date), int(last_id or 0), to_dt(read_at) if read_at else None

    @api.model
    def _watermark_set(self, model, write_date, last_id, read_at=None):
        read_at = read_at or self.env.cr.now()
        self.env["ir.config_parameter"].sudo().set_param(  # sudo: the job's own watermark
            f"{PARAM}watermark.{model}",
            "|".join(
                (
                    fields.Datetime.to_string(write_date),
                    str(last_id),
                    fields.Datetime.to_string(read_at),
                )
            ),
        )

    @api.model
    def _hygiene_reset_watermarks(self):
        params = self.env[
            "ir.config_parameter"
        ].sudo()  # sudo: the job's own watermarks (manager-only caller)
        for model in HYGIENE_MODELS:
            params.set_param(f"{PARAM}watermark.{model}", False)

    # ------------------------------------------------------------------
    # Incremental pass
    # ------------------------------------------------------------------

    @api.model
    def _pass_start(self, model):
        """Where a pass starts: ``(write_date, last_id)`` after the watermark, or earlier by
        ``WATERMARK_OVERLAP`` before the previous pass when the watermark is within that window
        (a transaction still running then may have committed records dated before it since)."""
        write_date, last_id, read_at = self._watermark_get_full(model)
        if not write_date:
            return None, 0
        window_start = (read_at or write_date) - WATERMARK_OVERLAP
        if write_date >= window_start:
            return window_start, 0
        return write_date, last_id

    @api.model
    def _changed_batch(self, model, batch_size, after=None):
        """The next records by ``(write_date, id)`` after ``after`` (default: the pass start)."""
        write_date, last_id = after if after else self._pass_start(model)
        domain = []
        if write_date:
            domain = [
                "|", ("write_date", ">", write_date),
                "&", ("write_date", "=", write_date), ("id", ">", last_id),
            ]  # fmt: skip
        return self.env[model].search(domain, order="write_date, id", limit=batch_size)

    @api.model
    def _cron_process_changes(self, batch_size=BATCH_SIZE):
        """Check every contact and lead changed since the last run, batch by batch."""
        if self.env["crm.agent.action"]._agent_is_paused():
            _logger.info("CRM agent is paused: hygiene pass skipped")
            return
        # A system job: it compares records across every company, so it searches in superuser
        # mode; what it reads of them is kept narrow (the engine's fields, and the compared fields
        # as a merge's before-image), and its proposals go through _agent_propose like anyone's.
        # Checks started by a person keep that person's rights.
        self = self.sudo()  # noqa: PLW0642
        in_cron = bool(self.env.context.get("cron_id"))
        self._recheck_stale_proposals(batch_size)
        for model in HYGIENE_MODELS:
            after = None
            read_at = self.env.cr.now()
            while True:
                records = self._changed_batch(model, batch_size, after=after)
                if not records:
                    break
                self._hygiene_process_safely(records)
                last = records[-1]
                after = (last.write_date, last.id)
                self._watermark_set(model, last.write_date, last.id, read_at=read_at)
                if in_cron:
                    write_date, last_id = last.write_date, last.id
                    remaining = self.env[model].search_count([
                        "|", ("write_date", ">", write_date),
                        "&", ("write_date", "=", write_date), ("id", ">", last_id),
                    ])  # fmt: skip
                    if self.env["ir.cron"]._commit_progress(len(records), remaining=remaining) <= 0:
                        return
                if len(records) < batch_size:
                    break

    @api.model
    def _recheck_stale_proposals(self, batch_size=BATCH_SIZE):
        """Check again the records of the hygiene proposals that went stale since the last pass
        (a record changed between the proposal and the decision). Their records were usually
        read by an earlier pass already and may not change again: without this, a proposal that
        still holds would only come back from a manual check. The "never ask twice" keys keep
        the others silent."""
        params = self.env["ir.config_parameter"].sudo()  # sudo: the job's own watermark
        since = fields.Datetime.to_datetime(params.get_param(f"{PARAM}watermark.stale_actions"))
        now = self.env.cr.now()
        domain = [("source", "=", "hygiene"), ("state", "=", "stale")]
        if since:
            domain.append(("write_date", ">=", since - WATERMARK_OVERLAP))
        # sudo: the agent's own audit rows (the pass already runs as the system job)
        actions = (
            self.env["crm.agent.action"]
            .sudo()
            .with_context(active_test=False)
            .search(domain, order="write_date, id")
        )
        ids_by_model = {}
        for action in actions:
            ids = ids_by_model.setdefault(action.res_model, [])
            for record_id in [action.res_id, *((action.payload or {}).get("record_ids") or [])]:
                if isinstance(record_id, int) and record_id not in ids:
                    ids.append(record_id)
        for model, ids in ids_by_model.items():
            if model not in HYGIENE_MODELS:
                continue
            for start in range(0, len(ids), batch_size):
                records = self.env[model].browse(ids[start : start + batch_size]).exists()
                if records:
                    self._hygiene_process_safely(records)
        params.set_param(f"{PARAM}watermark.stale_actions", fields.Datetime.to_string(now))

    @api.model
    def _hygiene_process_safely(self, records):
        """``_hygiene_process`` for a batch of the changes pass: a failing batch is rolled back
        to its savepoint and its records are tried one by one; a failing record is logged with
        its id and skipped, so the watermark always moves past it (never retried forever)."""
        try:
            with self.env.cr.savepoint():
                self._hygiene_process(records)
            return
        except Exception:  # noqa: BLE001 - one bad batch must not stop the pass
            _logger.exception(
                "Hygiene: batch of %s %s-%s failed; checking its records one by one",
                records._name,
                records[:1].id,
                records[-1:].id,
            )
        for record in records:
            try:
                with self.env.cr.savepoint():
                    self._hygiene_process(record)
            except Exception:  # noqa: BLE001 - logged and skipped, the pass goes on
                _logger.exception(
                    "Hygiene: %s %s skipped, its check failed", record._name, record.id
                )

    @api.model
    def _hygiene_process(self, records):
        """Find duplicates, standardisations and enrichments for ``records`` (one model) and
        propose them. The number of queries does not depend on the batch size, except for
        the proposals made."""
        records = records.exists()
        if not records:
            return self.env["crm.agent.action"]
        settings = self._hygiene_settings()
        id_pairs = self._candidate_pairs(records)
        if not self.env.su:
            # a person's check only compares with what that person may read
            readable = set(
                records.browse({other for _c, other in id_pairs})._filtered_access("read").ids
            )
            id_pairs = [(changed, other) for changed, other in id_pairs if other in readable]
        everyone = records | records.browse({other for _c, other in id_pairs})
        values = everyone._hygiene_engine_values()
        Action = self.env["crm.agent.action"]
        # The agent's own low-risk changes first: a standardisation that runs alone now must not
        # make a merge proposed in the same pass stale; the merge then snapshots what it left.
        tidy = self._standardise_proposals(records, values)
        links = []
        if records._hygiene_enriches:
            fills, links = self._enrichment_proposals(records, values)
            tidy = self._group_by_record(tidy + fills)
        actions = Action._agent_propose(tidy) if tidy else Action
        if actions.filtered(lambda a: a.state == "done"):
            everyone.invalidate_recordset()
            values = everyone._hygiene_engine_values()
        proposals = self._merge_proposals(everyone, values, id_pairs, settings) + links
        if proposals:
            actions |= Action._agent_propose(proposals)
        return actions

    @api.model
    def _group_by_record(self, proposals):
        """One proposal per record for the field changes of one pass (standardised values and
        filled empty fields): the approver reads one activity per record, not one per field."""
        by_record = {}
        for proposal in proposals:
            by_record.setdefault((proposal.res_model, proposal.res_id), []).append(proposal)
        grouped = []
        for group in by_record.values():
            if len(group) == 1:
                grouped.append(group[0])
                continue
            values, depends_on, before = {}, [], {}
            for proposal in group:
                values.update(proposal.values or {})
                depends_on += [
                    f for f in (proposal.depends_on or proposal.values or ()) if f not in depends_on
                ]
                before.update((proposal.extra or {}).get("before_image") or {})
            first = group[0]
            record = self.env[first.res_model].browse(first.res_id)
            grouped.append(
                propose(
                    first.res_model,
                    first.res_id,
                    "standardise_fields",
                    name=self.env._(
                        "Tidy up %(name)s: %(fields)s",
                        name=display_snippet(record.display_name),
                        fields=self._field_labels(record, values),
                    ),
                    explanation=" ".join(p.explanation for p in group),
                    confidence=min(p.confidence for p in group),
                    source="hygiene",
                    values=values,
                    depends_on=tuple(depends_on),
                    key="|".join(p.key for p in group),
                    extra={"before_image": before} if before else {},
                )
            )
        return grouped

    @api.model
    def _field_labels(self, record, values):
        """The labels of the fields a proposal changes, as a user reads them ('Email, Phone'):
        the core's one way of naming fields in proposals."""
        return self.env["crm.agent.action"]._agent_fields_label(record._name, values)

    @api.model
    def _candidate_pairs(self, records):
        """``[(changed_id, other_id)]`` from PostgreSQL: the engine's blocking keys the model
        stores (``_hygiene_block_columns``: same sanitised phone, normalised e-mail, company
        domain; a similar normalised name with pg_trgm), at most ``CANDIDATES_PER_KEY`` per key;
        pairs a person marked as not duplicates are left out."""
        Model = records.browse()
        Model.flush_model()
        self.env["crm.agent.hygiene.not.duplicate"].flush_model()
        table = SQL.identifier(Model._table)
        scope = SQL(
            "%s AND %s",
            Model._hygiene_candidate_scope("c", "o"),
            Model._hygiene_candidate_scope("o", "c"),
        )
        trigram = self.env.registry.has_trigram

        def by_key(kind, column):
            col = SQL.identifier(column)
            if kind in FUZZY_KEY_KINDS and trigram:
                match = SQL("o.%s %% c.%s", col, col)
                order = SQL("similarity(o.%s, c.%s) DESC, o.id", col, col)
            else:
                match, order = SQL("o.%s = c.%s", col, col), SQL("o.id")
            return SQL(
                """(SELECT o.id FROM %(table)s o
                     WHERE %(match)s AND o.id != c.id AND %(scope)s
                     ORDER BY %(order)s LIMIT %(k)s)""",
                table=table,
                match=match,
                scope=scope,
                order=order,
                k=CANDIDATES_PER_KEY,
            )

        unknown = {kind for kind, _column in Model._hygiene_block_columns} - set(KEY_KINDS)
        if unknown:
            raise ValueError(f"{Model._name}: not blocking keys of the engine: {sorted(unknown)}")
        query = SQL(
            """SELECT DISTINCT c.id, cand.id
                 FROM %(table)s c
                 JOIN LATERAL (%(candidates)s) cand ON TRUE
                WHERE c.id = ANY(%(ids)s)
                  AND NOT EXISTS (
                      SELECT 1 FROM crm_agent_hygiene_not_duplicate nd
                       WHERE nd.res_model = %(model)s
                         AND nd.left_id = LEAST(c.id, cand.id) AND nd.right_id = GREATEST(c.id, cand.id))""",
            table=table,
            candidates=SQL(" UNION ").join(
                by_key(kind, column) for kind, column in Model._hygiene_block_columns
            ),
            ids=records.ids,
            model=Model._name,
        )
        if trigram:
            # pg_trgm's default 0.3 lets every "john ..." through; duplicates that only share a
            # loosely similar name still meet through their phone, e-mail or domain
            self.env.cr.execute(
                SQL("SET LOCAL pg_trgm.similarity_threshold = %s", NAME_SIMILARITY_THRESHOLD)
            )
        return self.env.execute_query(query)

    # ------------------------------------------------------------------
    # Proposals
    # ------------------------------------------------------------------

    @api.model
    def _merge_proposals(self, everyone, values, id_pairs, settings):
        if not id_pairs:
            return []
        records = list(values.values())
        finder = DuplicateFinder(
            default_regions=everyone._hygiene_default_regions(), threshold=settings["threshold"]
        )
        result = finder.find(records, pairs=pairs_from_ids(records, id_pairs))
        if not result.matches:
            return []
        Model = everyone.browse()
        rule = settings["survivor_rule"]
        matched_ids = {i for m in result.matches for i in (m.left_id, m.right_id)}
        matched = everyone.browse(matched_ids)
        activity = matched._hygiene_activity_counts() if rule == "most_activity" else None
        images = self._merge_images(matched)
        rule_label = dict(SURVIVOR_RULES)[rule]
        # the fields the agent standardises are compared by their keys (E.164 phone, e-mail,
        # website domain: ``_hygiene_match_keys``), so that its own tidying never makes a merge
        # stale; every other compared field by its value
        tidied = Model._hygiene_tidied_fields()
        depends_on = [
            f for f in Model._hygiene_compare_fields if f != "create_date" and f not in tidied
        ]
        match_keys = matched._hygiene_match_keys()
        proposals, seen = [], set()
        for match in result.matches:
            pair = (min(match.left_id, match.right_id), max(match.left_id, match.right_id))
            if pair in seen:
                continue
            seen.add(pair)
            survivor_id = choose_survivor(
                [values[pair[0]], values[pair[1]]],
                rule,
                activity=activity,
                created={i: values[i].get("create_date") for i in pair},
            )
            other_id = pair[1] if survivor_id == pair[0] else pair[0]
            survivor, other = everyone.browse(survivor_id), everyone.browse(other_id)
            reasons = "; ".join(match.reasons)
            proposals.append(
                propose(
                    Model._name,
                    survivor_id,
                    Model._hygiene_merge_kind,
                    name=self.env._(
                        "Merge %(other)s into %(survivor)s",
                        other=other.display_name,
                        survivor=survivor.display_name,
                    ),
                    explanation=self.env._(
                        "Likely the same %(what)s (%(prob)s %% sure): %(reasons)s. Keeps %(survivor)s "
                        "(rule: %(rule)s); %(other)s is merged into it with Odoo's own merge.",
                        what=Model._hygiene_record_label(),
                        prob=round(match.probability * 100, 1),
                        reasons=reasons,
                        survivor=survivor.display_name,
                        rule=rule_label,
                        other=other.display_name,
                    ),
                    confidence=round(match.probability, 4),
                    source="hygiene",
                    record_ids=(survivor_id, other_id),
                    depends_on=tuple(depends_on),
                    payload={
                        "survivor_id": survivor_id,
                        "survivor_rule": rule,
                        "probability": match.probability,
                        "reasons": list(match.reasons),
                        "compare_fields": list(Model._hygiene_compare_fields),
                        "others_snapshot": {
                            str(other_id): self.env["crm.agent.action"]._agent_snapshot(
                                other, depends_on
                            )
                        },
                        "match_keys": {str(i): match_keys[i] for i in (survivor_id, other_id)},
                    },
                    key=f"{Model._name}:{pair[0]}-{pair[1]}",
                    extra={
                        "before_image": {
                            "records": {str(i): images[i] for i in (survivor_id, other_id)}
                        },
                        Model._hygiene_link_field: [Command.set([survivor_id, other_id])],
                    },
                )
            )
        return proposals

    @api.model
    def _merge_images(self, records):
        """The before-image of a merge: the compared fields of each record (``read()`` format,
        the side by side shows them) and its name, nothing else. Never the whole record: the
        action is the audit trail, and internal notes or figures not compared stay on the record
        (merges are not undone from it)."""
        fnames = [*records._hygiene_compare_fields, "display_name"]
        return {
            row["id"]: json_safe(row)
            for row in records.with_context(active_test=False).read(fnames)
        }

    @api.model
    def _standardise_proposals(self, records, values):
        """The standard form of the phone (Odoo's readable international format, as its own
        phone widget writes it; ``phone_sanitized`` keeps the E.164 key), e-mail and website of
        each record still in use: closed leads and archived records are left as they are."""
        records = records._hygiene_standardisable()
        Model = records.browse()
        email_field = Model._hygiene_email_field
        default_regions = Model._hygiene_default_regions()
        synced = records._hygiene_synced_fields()
        proposals = []
        for record in records:
            vals = values[record.id]
            changes, reasons = {}, []
            copied = synced.get(record.id, ())
            if vals["phone"] and "phone" not in copied:
                regions = [
                    r
                    for r in (vals["country_code"], vals["company_country_code"], *default_regions)
                    if r
                ]
                # a typed extension is kept; a phone that could lose a digit is left as typed
                phone = standard_phone(vals["phone"], regions)
                if phone:
                    changes["phone"] = phone
                    reasons.append(
                        self.env._(
                            "phone '%(typed)s' written in the international format %(phone)s "
                            "(%(region)s)",
                            typed=display_snippet(vals["phone"]),
                            phone=phone,
                            region=normalise_phone(vals["phone"], regions).region,
                        )
                    )
            if vals["email"] and email_field not in copied:
                email = standard_email(vals["email"])
                if email:
                    changes[email_field] = email
                    reasons.append(
                        self.env._(
                            "e-mail '%(typed)s' trimmed, domain in lower case",
                            typed=display_snippet(vals["email"]),
                        )
                    )
            website = standard_website(vals["website"])
            if website:
                changes["website"] = website
                reasons.append(self.env._("website host in lower case"))
            if changes:
                proposals.append(
                    propose(
                        Model._name,
                        record.id,
                        "standardise_fields",
                        name=self.env._(
                            "Standardise %(fields)s of %(name)s",
                            fields=self._field_labels(record, changes),
                            name=display_snippet(record.display_name),
                        ),
                        explanation=self.env._(
                            "Same value, standard format: %s.", "; ".join(reasons)
                        ),
                        confidence=0.99,
                        source="hygiene",
                        values=changes,
                        key=f"{Model._name}:{record.id}:standardise:{json.dumps(changes, sort_keys=True)}",
                    )
                )
        return proposals

    @api.model
    def _own_domains(self):
        """The domains that are ours, never a customer's: the e-mail and website domains of the
        database's companies and of its internal users (archived too), and the mail alias
        domains. A customer company that shares one of them (demo data's Azure Interior writes
        from yourcompany.example.com) is never attributed by domain: a missed link is a person's
        one click, a wrong one is a wrong company on a contact."""
        # sudo: domains only, of every company and internal user, whoever runs the check
        companies = self.env["res.company"].sudo().search([("partner_id", "!=", False)])
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("share", "=", False)])
        )
        partners = companies.partner_id | users.partner_id
        domains = {normalise_email(email).domain for email in partners.mapped("email") if email}
        domains |= {website_domain(site) for site in partners.mapped("website") if site}
        # sudo: the alias domains, a mail setting
        domains |= set(
            self.env["mail.alias.domain"].sudo().search([("name", "!=", False)]).mapped("name")
        )
        return {domain for domain in domains if domain}

    @api.model
    def _companies_by_domain(self, domains):
        """``{domain: companies}``: the companies that use each domain, as the company itself
        (its e-mail or website) or through one of its contacts' e-mail (one grouped query)."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        groups = Partner._read_group(
            [
                ("hygiene_domain", "in", list(domains)),
                "|", ("is_company", "=", True), ("parent_id", "!=", False),
            ],
            ["hygiene_domain", "commercial_partner_id"],
        )  # fmt: skip
        companies = {}
        for domain, company in groups:
            companies[domain] = companies.get(domain, Partner) | company
        return companies

    @api.model
    def _enrichment_proposals(self, partners, values):
        """``(fills, links)``: a company's website from its e-mail domain; a person's company
        from the e-mail domain. Only for contacts of nobody yet, never for our own people, never
        from a free-mail domain, one of our own domains or one that several companies use."""
        Partner = partners.browse()
        # a login's contact is never moved under a company: its user would see that company's
        # documents (one query for the batch, archived users included); our own companies'
        # contacts are ours
        ours = partners.sudo().with_context(active_test=False).user_ids.partner_id  # sudo: ids only
        ours |= (
            self.env["res.company"].sudo().search([("partner_id", "!=", False)]).partner_id
        )  # sudo: ids only
        domains = {}
        for partner in partners._hygiene_standardisable():
            if partner in ours or (partner.parent_id and not partner.is_company):
                continue  # a contact of a company already: moving it is a person's decision
            email = normalise_email(values[partner.id]["email"])
            if email.valid and not is_free_mail(email.domain):
                domains[partner.id] = email.domain
        our_domains = self._own_domains() if domains else set()
        domains = {pid: domain for pid, domain in domains.items() if domain not in our_domains}
        if not domains:
            return [], []
        users_of = self._companies_by_domain(set(domains.values()))
        fills, links = [], []
        for partner in partners.filtered(lambda p: p.id in domains):
            domain = domains[partner.id]
            users = users_of.get(domain, Partner) - partner
            key = f"{Partner._name}:{partner.id}:enrich"
            if partner.is_company:
                if not partner.website and not users:
                    fills.append(
                        propose(
                            Partner._name,
                            partner.id,
                            "fill_empty_fields",
                            name=self.env._(
                                "Set the %(field)s of %(name)s",
                                field=self._field_labels(partner, ["website"]),
                                name=partner.display_name,
                            ),
                            explanation=self.env._(
                                "The company's e-mail domain is %s (not a free-mail provider, "
                                "no other company uses it).",
                                domain,
                            ),
                            confidence=0.95,
                            source="hygiene",
                            values={"website": f"https://{domain}"},
                            key=f"{key}:website:{domain}",
                        )
                    )
                continue
            if len(users) > 1:
                _logger.info(
                    "Hygiene: %s is used by %s companies: contact %s left without a company",
                    domain,
                    len(users),
                    partner.id,
                )
                continue
            company = users.filtered("is_company")[:1]
            origin = self.env._("the e-mail address %s", partner.email)
            if company:
                plan = {"company_id": company.id, "name": company.name, "domain": domain}
                confidence = 0.95
                reason = f"existing company {company.name} with the domain {domain}"
            elif users:
                continue  # the domain is a contact's of a person, not a company's
            elif partner.company_name:
                plan = {
                    "name": partner.company_name,
                    "website": f"https://{domain}",
                    "domain": domain,
                }
                confidence, reason = (
                    0.8,
                    f"the company name typed on the contact, no company has the domain {domain} yet",
                )
            else:
                plan = {
                    "name": company_name_from_domain(domain),
                    "website": f"https://{domain}",
                    "domain": domain,
                }
                confidence, reason = 0.6, f"named after the e-mail domain {domain}"
            proposal = partner._agent_company_link_proposal(
                plan, confidence, reason, "hygiene", origin
            )
            if proposal:
                links.append(proposal)
        return fills, links

    # ------------------------------------------------------------------
    # Stale records
    # ------------------------------------------------------------------

    @api.model
    def _cron_flag_stale(self):
        """Flag contacts without activity for N months and leads untouched for N days (one
        statement per model, without touching ``write_date``); optionally ask the owner."""
        Action = self.env["crm.agent.action"]
        if Action._agent_is_paused():
            _logger.info("CRM agent is paused: stale flags not updated")
            return
        self = self.sudo()  # noqa: PLW0642 - a system job, as above
        settings = self._hygiene_settings()
        now = fields.Datetime.now()
        flagged = {
            model: self._flag_stale(model, self.env[model]._hygiene_stale_cutoff(settings, now))
            for model in HYGIENE_MODELS
        }
        if settings["stale_activity"]:
            self._propose_stale_activities(flagged, settings)

    @api.model
    def _flag_stale(self, model, cutoff):
        """Return the ids that just became stale."""
        Model = self.env[model]
        table = SQL.identifier(Model._table)
        base_date, scope = Model._hygiene_stale_sql("t")
        Model.flush_model(["hygiene_stale", "hygiene_last_activity", "write_date", "active"])
        rows = self.env.execute_query(
            SQL(
                """WITH last AS (
                   SELECT t.id, GREATEST(%(base)s, MAX(m.date)) AS last_date, %(scope)s AS in_scope
                     FROM %(table)s t
                LEFT JOIN mail_message m ON m.model = %(model)s AND m.res_id = t.id
                      AND m.message_type IN ('email', 'comment')
                 GROUP BY t.id
               )
               UPDATE %(table)s t
                  SET hygiene_last_activity = last.last_date,
                      hygiene_stale = last.in_scope AND last.last_date < %(cutoff)s
                 FROM last, %(table)s before
                WHERE last.id = t.id AND before.id = t.id
                  AND (t.hygiene_stale IS DISTINCT FROM (last.in_scope AND last.last_date < %(cutoff)s)
                       OR t.hygiene_last_activity IS DISTINCT FROM last.last_date)
            RETURNING t.id, t.hygiene_stale AND NOT COALESCE(before.hygiene_stale, FALSE)""",
                base=base_date,
                scope=scope,
                table=table,
                model=model,
                cutoff=cutoff,
            )
        )
        Model.invalidate_model(["hygiene_stale", "hygiene_last_activity"])
        return [row_id for row_id, became_stale in rows if became_stale]

    @api.model
    def _propose_stale_activities(self, flagged, settings):
        proposals = []
        for model, ids in flagged.items():
            records = self.env[model].browse(ids[:STALE_ACTIVITY_LIMIT]).filtered("user_id")
            why = self.env[model]._hygiene_stale_reason(settings)
            proposals += [
                propose(
                    model,
                    record.id,
                    "schedule_activity",
                    name=self.env._("Review %s", record.display_name),
                    explanation=why,
                    confidence=0.95,
                    source="hygiene",
                    payload={
                        "summary": self.env._("Stale: review or archive"),
                        "note": why,
                        "user_id": record.user_id.id,
                        "activity_type_xmlid": "mail.mail_activity_data_todo",
                    },
                    key=f"{model}:{record.id}:stale:{fields.Date.today()}",
                )
                for record in records
            ]
        if proposals:
            self.env["crm.agent.action"]._agent_propose(proposals)
