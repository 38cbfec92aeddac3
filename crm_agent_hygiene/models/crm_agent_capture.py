"""Auto-capture: turn incoming mail into contacts, companies, enrichments and links.

The parsing is done by ``engine/capture`` (pure Python); this model maps what it read onto Odoo
records and proposes every change through the agent core (``crm.agent.action._agent_propose``), so
that autonomy, approvals, the audit trail, undo and the kill switch apply to capture as to the rest.
Calendar capture lives in ``calendar_event.py`` and reuses the helpers below.

Rules that hold whatever a mail says:
- capture works within one company, the company of the record the mail reached (else the company
  it is processed in): every contact, company or opportunity it reads, links or proposes on
  belongs to that company or to none;
- a company is linked from a mail only through the sender's verified mail domain (the company's
  e-mail domain or website host); a company name in a signature never links an existing company;
- a sender whose domain imitates one of ours (look-alike letters, full-width, accents) is not
  captured at all;
- every LIKE pattern built from mail content is escaped, and every display value written
  (names, titles, companies, addresses) is cleaned and bounded by ``text.clean_display``.
"""

import logging
import re

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.mail import email_normalize, parse_contact_from_email
from odoo.tools.sql import escape_psql

from odoo.addons.crm_agent.engine.proposal import propose

from ..engine.capture import mail as mail_engine
from ..engine.capture.contact import address_parts, raw_domain_of, split_address
from ..engine.capture.domains import is_ours, lookalike_of, same_domain
from ..engine.capture.signature import PROPOSE_CONFIDENCE, WRITE_CONFIDENCE
from ..engine.capture.text import clean_display

# the contact vocabulary of the whole addon (duplicate search, enrichment and capture alike)
from ..engine.normalise import (
    ascii_domain,
    company_name_from_domain,
    decode_domain,
    domain_of_email,
    is_free_mail,
    normalise_phone,
    readable_phone,
    text_key,
    website_domain,
)

_logger = logging.getLogger(__name__)

PARAM_ENABLED = "crm_agent.capture_enabled"
SENDER_CONFIDENCE = 0.95  # the From address identifies the sender; only the rest is read
EXISTING_COMPANY_CONFIDENCE = 0.95
DOMAIN_COMPANY_CONFIDENCE = 0.6  # a company named after the mail domain and nothing else
OPEN_OPPORTUNITY_CONFIDENCE = 0.9
MAIL_HEADERS = (
    "auto-submitted", "x-autoreply", "x-autorespond", "x-auto-response-suppress", "precedence",
    "x-mailer", "content-type", "x-failed-recipients",
)  # fmt: skip


def capture_skipped(env):
    """Capture never reads what the agent itself posted: its audit notes (the core's
    ``crm_agent_own_note``) and capture's own summaries (``crm_agent_capture_skip``)."""
    return bool(env.context.get("crm_agent_own_note") or env.context.get("crm_agent_capture_skip"))


class CrmAgentCapture(models.AbstractModel):
    _name = "crm.agent.capture"
    _description = "Agent auto-capture"

    # ------------------------------------------------------------------
    # Settings and guards
    # ------------------------------------------------------------------

    @api.model
    def _capture_active(self):
        """Capture is on and the agent is not paused (the kill switch stops capture too)."""
        # sudo: a setting, read whoever's mail or meeting triggers capture
        enabled = self.env["ir.config_parameter"].sudo().get_param(PARAM_ENABLED)
        return bool(enabled) and not self.env["crm.agent.action"]._agent_is_paused()

    @api.model
    def _capture_team_allowed(self, team, company=None):
        """True when capture is not limited to some teams, or ``team`` is one of them."""
        company = (company or self.env.company).sudo()  # sudo: a setting of the company
        teams = company.agent_capture_team_ids
        return not teams or bool(team and team in teams)

    @api.model
    def _capture_internal_domains(self):
        """Our own mail domains: alias domains, company mail addresses and websites (of every
        company of the database: a look-alike of any of them is an impersonation)."""
        # sudo: our own domains, read whoever's mail or meeting is being captured; every alias
        # domain and company counts (a handful of rows), so no limit
        Alias = self.env["mail.alias.domain"].sudo()
        domains = set(Alias.search([]).mapped("name"))  # pylint: disable=no-search-all
        companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        for company in companies:
            domains.add(decode_domain(domain_of_email(company.email)))
            domains.add(decode_domain(website_domain(company.website)))
        return {decode_domain(domain) for domain in domains if domain}

    @api.model
    def _capture_is_internal(self, email, partner=None, internal_domains=None):
        # sudo: whether the contact is one of our users, not readable by every user
        if partner and partner.sudo().user_ids.filtered(lambda user: not user.share):
            return True
        internal_domains = (
            self._capture_internal_domains() if internal_domains is None else internal_domains
        )
        if is_ours(raw_domain_of(email), internal_domains):
            return True
        return bool(
            self.env["res.users"]
            .sudo()  # sudo: is the address an internal user's, whoever captures
            .search_count([("email_normalized", "=", email), ("share", "=", False)], limit=1)
        )

    @api.model
    def _capture_blacklisted(self, emails):
        """Subset of ``emails`` in Odoo's mail blacklist (active entries)."""
        if not emails:
            return set()
        rows = (
            self.env["mail.blacklist"]
            .sudo()  # sudo: the blacklist is not readable by salespeople
            .search_read([("email", "in", list(emails))], ["email"])
        )
        return {row["email"] for row in rows}

    @api.model
    def _capture_partner_skip_reason(self, partner, email, internal_domains=None):
        """Why this person must not be captured, or '' (internal, opted out, blacklisted)."""
        if not email:
            return "no usable sender address"
        internal_domains = (
            self._capture_internal_domains() if internal_domains is None else internal_domains
        )
        if self._capture_is_internal(email, partner, internal_domains):
            return f"{email} is internal (a user or one of the company's domains)"
        imitated = lookalike_of(raw_domain_of(email), internal_domains)
        if imitated:
            return f"the domain of {email} imitates our domain {imitated}: not captured"
        if partner and partner.agent_capture_opt_out:
            return f"{email} opted out of auto-capture"
        if self._capture_blacklisted({email}):
            return f"{email} is in the mail blacklist"
        return ""

    # ------------------------------------------------------------------
    # Reading a mail
    # ------------------------------------------------------------------

    @api.model
    def _capture_company_of(self, record):
        """The company capture works in for a record: its own, else the current one (the company
        the mail is processed in)."""
        company = record.company_id if record and "company_id" in record._fields else False
        return company or self.env.company

    @api.model
    def _capture_scope(self, company):
        """Domain of the records capture may use or propose on in ``company``: its own or shared."""
        return [("company_id", "in", [company.id, False])]

    @api.model
    def _capture_find_partner(self, email, author=None, company=None):
        """The sender's contact in ``company`` (or shared), preferring the mail's author."""
        company = company or self.env.company
        if author and author.email_normalized == email and author.company_id in (company, False):
            return author
        Partner = self.env["res.partner"]
        scope = self._capture_scope(company)
        return Partner.search(
            [("email_normalized", "=", email), ("is_company", "=", False)] + scope,
            order="id",
            limit=1,
        ) or Partner.search([("email_normalized", "=", email)] + scope, order="id", limit=1)

    @api.model
    def _capture_partner_values(self, signature, company_country=None):
        """Signature fields → ``{partner field: (value, confidence, reason)}``, from PROPOSE_CONFIDENCE up.

        Every text value is a clean display value (``clean_display``); one that is not is skipped
        and logged."""
        values = self._capture_read_signature(signature)
        for fname, (value, confidence, reason) in list(values.items()):
            if isinstance(value, str):
                clean, skipped = clean_display(value)
                if skipped:
                    _logger.info("Auto-capture: %s skipped: %s", fname, skipped)
                    del values[fname]
                else:
                    values[fname] = (clean, confidence, reason)
        return values

    @api.model
    def _capture_read_signature(self, signature):
        for fname, reason in (signature.skipped or {}).items():
            _logger.info("Auto-capture: signature %s skipped: %s", fname, reason)
        found = signature.fields(PROPOSE_CONFIDENCE)
        values = {}
        labels = {"name": "name", "title": "job title", "phone": "phone", "website": "website"}
        for key, fname in (
            ("name", "name"),
            ("title", "function"),
            ("phone", "phone"),
            ("website", "website"),
        ):
            if key in found:
                field = found[key]
                value = self._capture_phone(field) if key == "phone" else field.value
                values[fname] = (value, field.confidence, f"{labels[key]}, {field.evidence}")
        if "phone" not in values and "mobile" in found:
            # Odoo 19 has one phone field: the mobile fills it when there is no landline, else the
            # mobile is kept in the capture's notes (_capture_kept_in_note)
            field = found["mobile"]
            values["phone"] = (
                self._capture_phone(field),
                field.confidence,
                f"mobile, {field.evidence}",
            )
        if "phone" in values and not values["phone"][0]:
            _logger.info("Auto-capture: signature phone skipped: not a safe display value")
            del values["phone"]
        if "address" in found:
            field = found["address"]
            for fname, value in self._capture_split_address(field.value).items():
                values[fname] = (value, field.confidence, f"address, {field.evidence}")
        return values

    @api.model
    def _capture_kept_in_note(self, signature):
        """``{label: value}`` of what the signature gave and no contact field holds: the mobile
        when a landline fills the one phone field."""
        found = signature.fields(PROPOSE_CONFIDENCE)
        if "mobile" in found and "phone" in found:
            return {self.env._("Mobile"): self._capture_phone(found["mobile"])}
        return {}

    @api.model
    def _capture_phone(self, field):
        """A signature's phone as the agent writes every phone (hygiene's standardisation too):
        Odoo's readable international format, the extension kept; its E.164 is only the key."""
        return readable_phone(field.value, field.extension)

    @api.model
    def _capture_split_address(self, text):
        """'1 Main Street, London EC1A 1BB, United Kingdom' → street, zip, city, country_id."""
        parts = address_parts(text)
        values = {}
        if parts:
            pattern = escape_psql(parts[-1])
            country = self.env["res.country"].search(
                ["|", ("name", "=ilike", pattern), ("code", "=ilike", pattern)], limit=1
            )
            if country:
                values["country_id"] = country.id
                parts = parts[:-1]
        values.update(split_address(parts))
        return values

    @api.model
    def _capture_differs(self, fname, current, value):
        if fname == "phone":
            # the same number whatever its format; an extension makes another line
            typed, captured = normalise_phone(str(current)), normalise_phone(str(value))
            if typed.valid and captured.valid:
                return (typed.e164, typed.extension) != (captured.e164, captured.extension)
            return re.sub(r"\D", "", str(current))[-9:] != re.sub(r"\D", "", str(value))[-9:]
        if fname == "website":
            return website_domain(current) != website_domain(value)
        if fname.endswith("_id"):
            return (current.id if hasattr(current, "id") else current) != value
        return text_key(str(current)) != text_key(str(value))

    # ------------------------------------------------------------------
    # Companies
    # ------------------------------------------------------------------

    @api.model
    def _capture_find_company(self, domain, company=None):
        """The company contact (in ``company`` or shared) whose mail domain or website host is
        ``domain``. Never by name: a name is what anybody can write in a signature."""
        domain = domain_of_email(f"x@{domain}") if domain else ""
        Partner = self.env["res.partner"]
        if not domain:
            return Partner
        matches = []
        for spelling in sorted({domain, ascii_domain(domain)}):  # as typed, or stored in punycode
            pattern = escape_psql(spelling)
            matches.append(
                ["|", ("email", "=ilike", f"%@{pattern}"), ("website", "ilike", pattern)]
            )
        candidates = Partner.search(
            Domain.AND([[("is_company", "=", True)], Domain.OR(matches)])
            & Domain(self._capture_scope(company or self.env.company)),
            order="id",
            limit=50,
        )
        for found in candidates:
            if domain_of_email(found.email) == domain or website_domain(found.website) == domain:
                return found
        return Partner

    @api.model
    def _capture_company_named(self, name, company=None):
        """A company contact (in ``company`` or shared) with exactly this name, to warn about it."""
        if not name:
            return self.env["res.partner"]
        return self.env["res.partner"].search(
            [("is_company", "=", True), ("name", "=ilike", escape_psql(name))]
            + self._capture_scope(company or self.env.company),
            order="id",
            limit=1,
        )

    @api.model
    def _capture_shared_domain(self, domain, company=None):
        """The companies (two or more) whose contacts or own records use the mail domain ``domain``
        in ``company`` (or shared); an empty recordset when at most one does."""
        Partner = self.env["res.partner"]
        spellings = sorted({domain, ascii_domain(domain)} - {""})
        if not spellings:
            return Partner
        domains = [[("email", "=ilike", f"%@{escape_psql(spelling)}")] for spelling in spellings]
        rows = Partner._read_group(
            Domain.OR(domains) & Domain(self._capture_scope(company or self.env.company)),
            ["commercial_partner_id"],
            ["__count"],
            limit=20,
        )
        companies = Partner.browse(row[0].id for row in rows if row[0] and row[0].is_company)
        return companies if len(companies) >= 2 else Partner

    @api.model
    def _capture_company_plan(self, email, signature=None, internal_domains=None, company=None):
        """What company the sender belongs to: ``(plan, confidence, reason)`` or ``(None, 0, '')``.

        plan is ``{"company_id", "name", "domain"}`` for the existing company of the sender's mail
        domain, else ``{"name", "website", "domain"}`` for a new one. A company name read in the
        signature only names a new company; when a company of that name already exists (with
        another domain), the plan waits for a person."""
        company = company or self.env.company
        internal_domains = (
            self._capture_internal_domains() if internal_domains is None else internal_domains
        )
        raw = raw_domain_of(email)
        if lookalike_of(raw, internal_domains):
            return None, 0.0, ""  # an impersonation of us belongs to no company
        domain = domain_of_email(email)
        if is_free_mail(domain) or is_ours(raw, internal_domains):
            domain = ""  # a free-mail or our own domain says nothing of the sender's company
        found = signature.fields(PROPOSE_CONFIDENCE) if signature else {}
        sig_company = found.get("company")
        shared = self._capture_shared_domain(domain, company) if domain else self.env["res.partner"]
        if shared:
            # one domain, contacts of several companies: it names none of them
            if not sig_company:
                return None, 0.0, ""
            name, skipped = clean_display(sig_company.value)
            if skipped:
                return None, 0.0, ""
            return (
                {"name": name, "website": "", "domain": ""},
                min(sig_company.confidence, PROPOSE_CONFIDENCE),
                f"company in the signature; the domain {domain} is used by contacts of several "
                f"companies ({', '.join(shared.mapped('name')[:3])}): a person decides",
            )
        existing = self._capture_find_company(domain, company)
        if existing:
            return (
                {"company_id": existing.id, "name": existing.name, "domain": domain},
                EXISTING_COMPANY_CONFIDENCE,
                f"existing company {existing.name} with the domain {domain}",
            )
        # the signature's website only when it is the sender's own domain: anything else is a claim
        sig_website = found["website"].value if "website" in found else ""
        if domain and sig_website and same_domain(website_domain(sig_website), domain):
            website = sig_website
        else:
            website = f"https://{domain}" if domain else ""
        if sig_company:
            name, confidence = sig_company.value, sig_company.confidence
            reason = f"company in the signature, {sig_company.evidence}"
        elif domain:
            name, confidence = company_name_from_domain(domain), DOMAIN_COMPANY_CONFIDENCE
            reason = f"named after the mail domain {domain}"
        else:
            return None, 0.0, ""
        name, skipped = clean_display(name)
        if skipped:
            _logger.info("Auto-capture: company name skipped: %s", skipped)
            return None, 0.0, ""
        namesake = self._capture_company_named(name, company)
        if namesake:
            confidence = min(confidence, PROPOSE_CONFIDENCE)
            reason += (
                f"; a company named {namesake.name} already exists without the domain "
                f"{domain or '(free mail)'}: a person decides"
            )
        return {"name": name, "website": website, "domain": domain}, confidence, reason

    @api.model
    def _capture_company_from_plan(self, plan, company=None):
        """Find or create the company of a plan; returns ``(company, created)``.

        An existing company is used only when its domain is still the plan's (the sender's)."""
        company = company or self.env.company
        domain = plan.get("domain") or ""
        if plan.get("company_id") and domain:
            found = (
                self.env["res.partner"]
                .browse(plan["company_id"])
                .exists()
                .filtered_domain([("is_company", "=", True)] + self._capture_scope(company))
            )
            if found and (
                domain_of_email(found.email) == domain or website_domain(found.website) == domain
            ):
                return found, False
        existing = self._capture_find_company(domain, company)
        if existing:
            return existing, False
        name, skipped = clean_display(plan.get("name"))
        if skipped:
            raise UserError(self.env._("No usable company name (%s).", skipped))
        vals = {"name": name, "is_company": True}
        if plan.get("website"):
            vals["website"] = plan["website"]
        return self.env["res.partner"].create(vals), True

    # ------------------------------------------------------------------
    # Opportunities
    # ------------------------------------------------------------------

    @api.model
    def _capture_open_opportunities(self, partners, company=None):
        """Open opportunities (in ``company`` or shared) of these contacts or their companies,
        most recently updated first."""
        if not partners:
            return self.env["crm.lead"]
        related = partners | partners.commercial_partner_id
        emails = [email for email in partners.mapped("email_normalized") if email]
        domain = [("partner_id", "in", related.ids)]
        if emails:
            domain = ["|", ("email_normalized", "in", emails)] + domain
        return self.env["crm.lead"].search(
            [("type", "=", "opportunity"), ("stage_id.is_won", "=", False)]
            + self._capture_scope(company or self.env.company)
            + domain,
            order="write_date desc, id desc",
            limit=5,
        )

    # ------------------------------------------------------------------
    # Proposing
    # ------------------------------------------------------------------

    @api.model
    def _capture_propose(self, proposals):
        """Propose through the core, with its one "never ask twice" rule (each proposal's key)."""
        proposals = [proposal for proposal in proposals if proposal]
        if not proposals:
            return self.env["crm.agent.action"]
        return self.env["crm.agent.action"]._agent_propose(proposals)

    @api.model
    def _capture_field_proposals(self, record, values, source):
        """``values`` ``{field: (value, confidence, reason)}`` for ``record`` → fill / propose / overwrite
        proposals: confident values for empty fields in one ``fill_empty_fields``, less confident
        ones in another, and changes to what a person typed in ``overwrite_fields``."""
        groups = {"fill": {}, "maybe": {}, "overwrite": {}}
        for fname, (value, confidence, reason) in values.items():
            if fname not in record._fields:
                continue
            current = record[fname]
            if fname == "name":
                if text_key(current or "") == text_key(record.email or ""):
                    current = False  # a contact named after its address has no name yet
                elif text_key(current) == text_key(value) or text_key(current) not in text_key(
                    value
                ):
                    continue  # a name as a person typed it is kept, unless the signature completes it
            if not current:
                groups["fill" if confidence >= WRITE_CONFIDENCE else "maybe"][fname] = (
                    value,
                    confidence,
                    reason,
                )
            elif self._capture_differs(fname, current, value):
                groups["overwrite"][fname] = (value, confidence, reason)
        kinds = {
            "fill": "fill_empty_fields",
            "maybe": "fill_empty_fields",
            "overwrite": "overwrite_fields",
        }
        titles = {
            "fill": self.env._("Fill %(fields)s of %(record)s from %(source)s"),
            "maybe": self.env._("Fill %(fields)s of %(record)s from %(source)s (less sure)"),
            "overwrite": self.env._("Change %(fields)s of %(record)s as %(source)s says"),
        }
        proposals = []
        for group, found in groups.items():
            if not found:
                continue
            payload_values = {fname: value for fname, (value, _, _) in found.items()}
            labels = ", ".join(record._fields[fname].string for fname in found)
            explanation = "; ".join(
                f"{record._fields[fname].string}: '{self._capture_display(record, fname, value)}' "
                f"(confidence {confidence:.2f}, {reason})"
                for fname, (value, confidence, reason) in found.items()
            )
            proposals.append(
                propose(
                    name=titles[group]
                    % {"fields": labels, "record": record.display_name, "source": source},
                    kind=kinds[group],
                    res_model=record._name,
                    res_id=record.id,
                    explanation=f"{source[:1].upper()}{source[1:]}: {explanation}",
                    confidence=min(confidence for _, confidence, _ in found.values()),
                    payload={"values": payload_values},
                    source="capture",
                    key=f"fields:{record._name}:{record.id}:{sorted(payload_values.items())}"[:500],
                )
            )
        return proposals

    @api.model
    def _capture_display(self, record, fname, value):
        field = record._fields[fname]
        if field.type == "many2one" and value:
            return self.env[field.comodel_name].browse(value).display_name
        return value

    # ------------------------------------------------------------------
    # Mail
    # ------------------------------------------------------------------

    @api.model
    def _capture_mail_safe(self, record, message):
        """Entry point of the message hooks: capture never breaks the processing of a mail."""
        if capture_skipped(self.env) or not self._capture_active():
            return
        if not self.env.su and not self.env.user.has_group("crm_agent.group_agent_user"):
            # a user outside sales (posting a mail-like message by hand) never makes the agent act
            _logger.info("Auto-capture: %s may not trigger the agent", self.env.user.login)
            return
        try:
            with self.env.cr.savepoint():
                self._capture_mail(record, message)
        except Exception as exc:  # noqa: BLE001 - a mail must never be lost because of capture
            _logger.warning(
                "Auto-capture skipped message %s on %s: %s", message.id, record, exc, exc_info=True
            )

    @api.model
    def _capture_mail(self, record, message):
        """Read one incoming mail posted on a lead or contact and propose what it tells."""
        lead = record if record._name == "crm.lead" else self.env["crm.lead"]
        company = self._capture_company_of(record)
        # capture reads and proposes within the record's company only
        self = self.with_company(company)  # noqa: PLW0642
        team = lead.team_id if lead else (record.team_id if "team_id" in record._fields else False)
        if not self._capture_team_allowed(team, company):
            _logger.info("Auto-capture: %s is outside the teams capture is limited to", record)
            return
        from_name, email = parse_contact_from_email(message.email_from or "")
        email = email_normalize(email) or ""
        from_name, skipped = clean_display(from_name if from_name != email else "")
        if skipped:
            _logger.info(
                "Auto-capture: the From name of message %s skipped: %s", message.id, skipped
            )
        partner = (
            self._capture_find_partner(email, message.author_id, company)
            if email
            else self.env["res.partner"]
        )
        internal_domains = self._capture_internal_domains()
        reason = self._capture_partner_skip_reason(partner, email, internal_domains)
        headers = self.env.context.get("crm_agent_mail_headers") or {}
        subject = message.subject or ""
        if not reason and mail_engine.is_bounce(headers, email, subject):
            reason = "a delivery failure notice"
        parsed = None
        if not reason:
            parsed = mail_engine.parse_mail(
                str(message.body or ""),
                is_html=True,
                from_name=from_name,
                from_email=email,
                default_region=company.country_id.code or None,
                subject=subject,
            )
            if mail_engine.is_auto_reply(headers, subject, parsed.text):
                reason = "an automatic reply"
        if reason:
            _logger.info("Auto-capture skipped message %s: %s", message.id, reason)
            return

        date = fields.Date.to_string(
            fields.Datetime.to_datetime(message.date or fields.Datetime.now())
        )
        source = self.env._(
            "the signature of the mail of %(date)s from %(email)s", date=date, email=email
        )
        signature = parsed.signature
        values = self._capture_partner_values(signature)
        kept = self._capture_kept_in_note(signature)
        proposals = []
        if partner:
            phone = values.get("phone")
            if (
                phone
                and phone[2].startswith("mobile")
                and partner.phone
                and self._capture_differs("phone", partner.phone, phone[0])
            ):
                # a mobile never replaces the landline a contact has: it stays in the note
                kept[self.env._("Mobile")] = values.pop("phone")[0]
            proposals += self._capture_field_proposals(partner, values, source)
            if not partner.is_company and not partner.parent_id:
                plan, confidence, why = self._capture_company_plan(
                    email, signature, internal_domains, company
                )
                if plan:
                    proposals.append(
                        partner._agent_company_link_proposal(
                            plan, confidence, why, "capture", source
                        )
                    )
            if lead and not lead.partner_id:
                proposals.append(
                    propose(
                        name=self.env._(
                            "Link %(lead)s to the contact %(contact)s",
                            lead=lead.display_name,
                            contact=partner.display_name,
                        ),
                        kind="fill_empty_fields",
                        res_model="crm.lead",
                        res_id=lead.id,
                        explanation=self.env._(
                            "The mail of %(date)s comes from %(email)s, the address of the contact "
                            "%(contact)s.",
                            date=date,
                            email=email,
                            contact=partner.display_name,
                        ),
                        confidence=SENDER_CONFIDENCE,
                        payload={"values": {"partner_id": partner.id}},
                        source="capture",
                        key=f"lead-partner:{lead.id}:{partner.id}",
                    )
                )
        else:
            proposals.append(
                self._capture_new_contact_proposal(
                    record, email, from_name, values, signature, internal_domains, source, company
                )
            )
        proposals += self._capture_link_mail_proposals(
            record, partner, message, date, email, company
        )
        # the notes of what runs now are gathered into one note per record (see _agent_post)
        sink = {}
        actions = self.with_context(crm_agent_note_sink=sink)._capture_propose(proposals)
        self._capture_post_note(record, email, date, signature, actions, sink, kept)
        return actions

    @api.model
    def _capture_new_contact_proposal(
        self, record, email, from_name, values, signature, internal_domains, source, company=None
    ):
        company = company or self._capture_company_of(record)
        confident = {
            fname: value
            for fname, (value, confidence, _) in values.items()
            if confidence >= WRITE_CONFIDENCE
        }
        later = {fname: list(item) for fname, item in values.items() if item[1] < WRITE_CONFIDENCE}
        if "name" not in confident and from_name and from_name != email:
            confident["name"] = from_name  # the display name of the From header (clean already)
        plan, company_confidence, company_reason = self._capture_company_plan(
            email, signature, internal_domains, company
        )
        read = "; ".join(
            f"{fname}: '{value}' ({confidence:.2f}, {reason})"
            for fname, (value, confidence, reason) in values.items()
        ) or self.env._("no signature fields")
        explanation = self.env._(
            "Nobody in the contacts has the address %(email)s. Read from %(origin)s: %(read)s.",
            email=email,
            origin=source,
            read=read,
        )
        if plan:
            explanation += " " + self.env._(
                "Company: %(name)s (%(confidence).2f, %(reason)s).",
                name=plan["name"],
                confidence=company_confidence,
                reason=company_reason,
            )
        return propose(
            name=self.env._("Create the contact %s", confident.get("name") or email),
            kind="capture_create_contact",
            res_model=record._name,
            res_id=record.id,
            explanation=explanation,
            confidence=SENDER_CONFIDENCE,
            payload={
                "email": email,
                "contact": confident,
                "later": later,
                "company": plan if plan and company_confidence >= WRITE_CONFIDENCE else None,
                "company_proposal": [plan, company_confidence, company_reason]
                if plan and company_confidence < WRITE_CONFIDENCE
                else None,
                "lead_id": record.id if record._name == "crm.lead" else False,
                "source": source,
                "kept_in_note": self._capture_kept_in_note(signature),
                "depends_on": ["partner_id"] if record._name == "crm.lead" else ["email"],
            },
            source="capture",
            key=f"contact:{company.id}:{email}",
        )

    @api.model
    def _capture_link_mail_proposals(self, record, partner, message, date, email, company=None):
        """A mail about a contact with an open opportunity (of the record's company, or shared) is
        copied to it, unless it already is on it."""
        if not partner:
            return []
        company = company or self._capture_company_of(record)
        if (
            record._name == "crm.lead"
            and record.type == "opportunity"
            and record.partner_id.commercial_partner_id == partner.commercial_partner_id
            and not self.env.context.get("crm_agent_mail_new_thread")
        ):
            return []  # a reply on one of the contact's opportunities: already linked
        opportunities = self._capture_open_opportunities(partner, company) - (
            record if record._name == "crm.lead" else self.env["crm.lead"]
        )
        if not opportunities:
            return []
        opportunity = opportunities[0]
        others = len(opportunities) - 1
        return [
            propose(
                name=self.env._(
                    "Link the mail '%(subject)s' to %(opportunity)s",
                    subject=clean_display(message.subject)[0] or date,
                    opportunity=opportunity.display_name,
                ),
                kind="capture_link_mail",
                res_model="crm.lead",
                res_id=opportunity.id,
                explanation=self.env._(
                    "The mail of %(date)s from %(email)s is on %(record)s, and %(contact)s has the open "
                    "opportunity %(opportunity)s%(others)s.",
                    date=date,
                    email=email,
                    record=record.display_name,
                    contact=partner.display_name,
                    opportunity=opportunity.display_name,
                    others=self.env._(" (the most recent of %s)", others + 1) if others else "",
                ),
                confidence=OPEN_OPPORTUNITY_CONFIDENCE if not others else 0.7,
                payload={"message_id": message.id},
                source="capture",
                key=f"mail:{message.id}:{opportunity.id}",
            )
        ]

    def _capture_field_labels(self):
        return {
            "name": self.env._("Name"),
            "title": self.env._("Job title"),
            "company": self.env._("Company"),
            "email": self.env._("Email"),
            "phone": self.env._("Phone"),
            "mobile": self.env._("Mobile"),
            "website": self.env._("Website"),
            "address": self.env._("Address"),
        }

    @api.model
    def _capture_post_note(self, record, email, date, signature, actions, sink=None, kept=None):
        """One internal note per mail on the record: what the signature said and what was done or
        proposed; the notes of actions that ran meanwhile on other records (``sink``) become one
        note on each of them."""
        found = signature.fields(PROPOSE_CONFIDENCE)
        sink = sink or {}
        if not found and not actions and not sink:
            return
        labels = self._capture_field_labels()
        kept = self._capture_kept_in_note(signature) if kept is None else kept
        items = Markup("").join(
            Markup("<li>%s: %s <i>(%s)</i>%s</li>")
            % (
                labels.get(key, key),
                self._capture_phone(field) if key in ("phone", "mobile") else field.value,
                self.env._(
                    "confidence %(confidence).2f, %(evidence)s",
                    confidence=field.confidence,
                    evidence=field.evidence,
                ),
                self.env._(
                    " — Odoo keeps one phone number per contact: the mobile stays in this note"
                )
                if key == "mobile" and kept
                else "",
            )
            for key, field in found.items()
        )
        states = dict(
            self.env["crm.agent.action"]._fields["state"]._description_selection(self.env)
        )
        outcome = Markup("").join(
            Markup("<li>%s: %s%s</li>")
            % (
                states.get(action.state, action.state),
                action.name,
                f" ({action.result})" if action.state == "done" and action.result else "",
            )
            for action in actions
        )
        heading = self.env._("Read the mail of %(date)s from %(email)s.", date=date, email=email)
        body = Markup("<p><b>%s</b></p><p>%s</p>%s%s") % (
            self.env._("Auto-capture"),
            heading,
            Markup("<ul>%s</ul>") % items if items else "",
            Markup("<p>%s</p><ul>%s</ul>") % (self.env._("Actions:"), outcome) if actions else "",
        )
        # posted with the rights of whoever brought the mail (the gateway, or a user who may post
        # on the record), as the agent's note
        record.with_context(crm_agent_capture_skip=True).message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            message_type="comment",
            author_id=self.env.ref("base.partner_root").id,
        )
        for (model, res_id), bodies in sink.items():
            if (model, res_id) == (record._name, record.id) or model not in self.env:
                continue  # the record's own outcomes are in its summary above
            # sudo: the agent's audit note, as the core posts it (_agent_post), on a record the
            # capture just acted on
            target = self.env[model].sudo().browse(res_id).exists()
            if not target or not hasattr(target, "message_post"):
                continue
            target.with_context(crm_agent_own_note=True).message_post(
                body=Markup("<p><b>%s</b></p><p>%s</p><ul>%s</ul>")
                % (
                    self.env._("Agent"),
                    heading,
                    Markup("").join(Markup("<li>%s</li>") % line for line in bodies),
                ),
                subtype_xmlid="mail.mt_note",
                message_type="comment",
                author_id=self.env.ref("base.partner_root").id,
            )
