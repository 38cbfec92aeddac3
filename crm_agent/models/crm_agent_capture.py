"""Auto-capture: turn incoming mail into contacts, companies, enrichments and links.

The parsing is done by ``engine/capture`` (pure Python); this model maps what it read onto Odoo
records and proposes every change through the agent core (``crm.agent.action._agent_propose``), so
that autonomy, approvals, the audit trail, undo and the kill switch apply to capture as to the rest.
Calendar capture lives in ``calendar_event.py`` and reuses the helpers below.
"""

import logging
import re
from urllib.parse import urlparse

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.mail import email_normalize, parse_contact_from_email

from ..engine.capture import mail as mail_engine

# one list of free-mail providers for the whole addon: the engine's
from ..engine.capture.signature import _FREE_MAIL as FREE_MAIL_DOMAINS
from ..engine.capture.signature import PROPOSE_CONFIDENCE, WRITE_CONFIDENCE, fold

_logger = logging.getLogger(__name__)

ENGINE = "capture"
PARAM_ENABLED = "crm_agent.capture_enabled"
SENDER_CONFIDENCE = 0.95  # the From address identifies the sender; only the rest is read
EXISTING_COMPANY_CONFIDENCE = 0.95
DOMAIN_COMPANY_CONFIDENCE = 0.6  # a company named after the mail domain and nothing else
OPEN_OPPORTUNITY_CONFIDENCE = 0.9
MAIL_HEADERS = (
    "auto-submitted", "x-autoreply", "x-autorespond", "x-auto-response-suppress", "precedence",
    "x-mailer", "content-type", "x-failed-recipients",
)  # fmt: skip
_ZIP_CITY_RE = re.compile(
    r"^(?:(?P<zip>(?:[A-Z]{1,2}-)?\d{4,5}(?:-\d{3,4})?|\d{3}\s\d{2})\s+(?P<city>[^\d,]{2,40})"
    r"|(?P<city2>[^\d,]{2,40}?)\s+(?P<zip2>\d{4,5}|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}))$",
    re.I,
)


def host_of(url):
    """'https://www.Acme.example/about' → 'acme.example'."""
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    host = (urlparse(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def domain_of(email):
    return (email or "").rpartition("@")[2].lower()


def company_name_from_domain(domain):
    """'mail.northwind-logistics.co.uk' → 'Northwind Logistics'."""
    parts = [part for part in (domain or "").lower().split(".") if part]
    if len(parts) >= 3 and parts[-2] in ("co", "com", "org", "net") and len(parts[-1]) == 2:
        parts = parts[:-2]
    elif len(parts) >= 2:
        parts = parts[:-1]
    return parts[-1].replace("-", " ").title() if parts else ""


def name_from_email(email):
    """'ann.smith@acme.example' → 'Ann Smith' (a guess: only for contacts named after their address)."""
    local = (email or "").partition("@")[0]
    words = [w for w in re.split(r"[._\-+]+", local) if w.isalpha()]
    return " ".join(w.capitalize() for w in words) if len(words) >= 2 else ""


class CrmAgentCapture(models.AbstractModel):
    _name = "crm.agent.capture"
    _description = "Agent auto-capture"

    # ------------------------------------------------------------------
    # Settings and guards
    # ------------------------------------------------------------------

    @api.model
    def _capture_active(self):
        """Capture is on and the agent is not paused (the kill switch stops capture too)."""
        enabled = self.env["ir.config_parameter"].sudo().get_param(PARAM_ENABLED)
        return bool(enabled) and not self.env["crm.agent.action"]._agent_is_paused()

    @api.model
    def _capture_team_allowed(self, team, company=None):
        """True when capture is not limited to some teams, or ``team`` is one of them."""
        company = (company or self.env.company).sudo()
        teams = company.agent_capture_team_ids
        return not teams or bool(team and team in teams)

    @api.model
    def _capture_internal_domains(self):
        """The company's own mail domains: alias domains, company mail addresses and websites."""
        domains = set(self.env["mail.alias.domain"].sudo().search([]).mapped("name"))
        for company in self.env["res.company"].sudo().search([]):
            domains.add(domain_of(company.email))
            domains.add(host_of(company.website))
        return {domain.lower() for domain in domains if domain}

    @api.model
    def _capture_is_internal(self, email, partner=None, internal_domains=None):
        if partner and partner.sudo().user_ids.filtered(lambda user: not user.share):
            return True
        domain = domain_of(email)
        internal_domains = (
            self._capture_internal_domains() if internal_domains is None else internal_domains
        )
        if any(domain == d or domain.endswith("." + d) for d in internal_domains):
            return True
        return bool(
            self.env["res.users"]
            .sudo()
            .search_count([("email_normalized", "=", email), ("share", "=", False)], limit=1)
        )

    @api.model
    def _capture_blacklisted(self, emails):
        """Subset of ``emails`` in Odoo's mail blacklist (active entries)."""
        if not emails:
            return set()
        rows = (
            self.env["mail.blacklist"]
            .sudo()
            .search_read([("email", "in", list(emails))], ["email"])
        )
        return {row["email"] for row in rows}

    @api.model
    def _capture_partner_skip_reason(self, partner, email, internal_domains=None):
        """Why this person must not be captured, or '' (internal, opted out, blacklisted)."""
        if not email:
            return "no usable sender address"
        if self._capture_is_internal(email, partner, internal_domains):
            return f"{email} is internal (a user or one of the company's domains)"
        if partner and partner.agent_capture_opt_out:
            return f"{email} opted out of auto-capture"
        if self._capture_blacklisted({email}):
            return f"{email} is in the mail blacklist"
        return ""

    # ------------------------------------------------------------------
    # Reading a mail
    # ------------------------------------------------------------------

    @api.model
    def _capture_find_partner(self, email, author=None):
        if author and author.email_normalized == email:
            return author
        return self.env["res.partner"].search(
            [("email_normalized", "=", email), ("is_company", "=", False)], order="id", limit=1
        ) or self.env["res.partner"].search([("email_normalized", "=", email)], order="id", limit=1)

    @api.model
    def _capture_partner_values(self, signature, company_country=None):
        """Signature fields → ``{partner field: (value, confidence, reason)}``, from PROPOSE_CONFIDENCE up."""
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
                values[fname] = (field.value, field.confidence, f"{labels[key]}, {field.evidence}")
        if "phone" not in values and "mobile" in found:
            field = found["mobile"]
            values["phone"] = (field.value, field.confidence, f"mobile, {field.evidence}")
        if "address" in found:
            field = found["address"]
            for fname, value in self._capture_split_address(field.value).items():
                values[fname] = (value, field.confidence, f"address, {field.evidence}")
        return values

    @api.model
    def _capture_split_address(self, text):
        """'1 Main Street, London EC1A 1BB, United Kingdom' → street, zip, city, country_id."""
        parts = [part.strip() for part in re.split(r"\s*[,\n|·]\s*", text or "") if part.strip()]
        values = {}
        if parts:
            country = self.env["res.country"].search(
                ["|", ("name", "=ilike", parts[-1]), ("code", "=ilike", parts[-1])], limit=1
            )
            if country:
                values["country_id"] = country.id
                parts = parts[:-1]
        for part in parts:
            match = _ZIP_CITY_RE.match(part)
            if match and "zip" not in values:
                values["zip"] = (match.group("zip") or match.group("zip2")).upper()
                values["city"] = (match.group("city") or match.group("city2")).strip()
            elif "street" not in values:
                values["street"] = part
            elif "street2" not in values:
                values["street2"] = part
        return values

    @api.model
    def _capture_differs(self, fname, current, value):
        if fname == "phone":
            return re.sub(r"\D", "", str(current))[-9:] != re.sub(r"\D", "", str(value))[-9:]
        if fname == "website":
            return host_of(current) != host_of(value)
        if fname.endswith("_id"):
            return (current.id if hasattr(current, "id") else current) != value
        return fold(str(current)) != fold(str(value))

    # ------------------------------------------------------------------
    # Companies
    # ------------------------------------------------------------------

    @api.model
    def _capture_find_company(self, domain="", name=""):
        """An existing company contact with this mail domain or website, else with this exact name."""
        Partner = self.env["res.partner"]
        if domain:
            candidates = Partner.search(
                [
                    ("is_company", "=", True),
                    "|", ("email", "=ilike", f"%@{domain}"), ("website", "ilike", domain),
                ],
                order="id",
                limit=20,
            )  # fmt: skip
            for company in candidates:
                if domain_of(company.email) == domain or host_of(company.website) == domain:
                    return company
        if name:
            return Partner.search(
                [("is_company", "=", True), ("name", "=ilike", name)], order="id", limit=1
            )
        return Partner

    @api.model
    def _capture_company_plan(self, email, signature=None, internal_domains=None):
        """What company the sender belongs to: ``(plan, confidence, reason)`` or ``(None, 0, '')``.

        plan is ``{"company_id": id}`` for an existing company, else ``{"name", "website"}`` to create."""
        domain = domain_of(email)
        if domain in FREE_MAIL_DOMAINS or (internal_domains and domain in internal_domains):
            domain = ""
        found = signature.fields(PROPOSE_CONFIDENCE) if signature else {}
        sig_company = found.get("company")
        existing = self._capture_find_company(domain, sig_company.value if sig_company else "")
        if existing:
            reason = (
                f"existing company {existing.name} with the domain {domain}"
                if domain
                else f"existing company named {existing.name}"
            )
            return (
                {"company_id": existing.id, "name": existing.name},
                EXISTING_COMPANY_CONFIDENCE,
                reason,
            )
        website = (
            found["website"].value
            if "website" in found
            else (f"https://{domain}" if domain else "")
        )
        if sig_company:
            plan = {"name": sig_company.value, "website": website}
            return plan, sig_company.confidence, f"company in the signature, {sig_company.evidence}"
        if domain:
            plan = {"name": company_name_from_domain(domain), "website": website}
            return plan, DOMAIN_COMPANY_CONFIDENCE, f"named after the mail domain {domain}"
        return None, 0.0, ""

    @api.model
    def _capture_company_from_plan(self, plan):
        """Find or create the company of a plan; returns ``(company, created)``."""
        if plan.get("company_id"):
            company = self.env["res.partner"].browse(plan["company_id"]).exists()
            if company:
                return company, False
        existing = self._capture_find_company(host_of(plan.get("website")), plan.get("name"))
        if existing:
            return existing, False
        vals = {"name": plan["name"], "is_company": True}
        if plan.get("website"):
            vals["website"] = plan["website"]
        return self.env["res.partner"].create(vals), True

    # ------------------------------------------------------------------
    # Opportunities
    # ------------------------------------------------------------------

    @api.model
    def _capture_open_opportunities(self, partners):
        """Open opportunities of these contacts or their companies, most recently updated first."""
        if not partners:
            return self.env["crm.lead"]
        related = partners | partners.commercial_partner_id
        emails = [email for email in partners.mapped("email_normalized") if email]
        domain = [("partner_id", "in", related.ids)]
        if emails:
            domain = ["|", ("email_normalized", "in", emails)] + domain
        return self.env["crm.lead"].search(
            [("type", "=", "opportunity"), ("stage_id.is_won", "=", False)] + domain,
            order="write_date desc, id desc",
            limit=5,
        )

    # ------------------------------------------------------------------
    # Proposing
    # ------------------------------------------------------------------

    @api.model
    def _capture_propose(self, vals_list):
        """Propose through the core, skipping what was already proposed (same ``capture_key``)
        unless that proposal expired, went stale or failed."""
        Action = self.env["crm.agent.action"]
        keys = [vals["capture_key"] for vals in vals_list if vals.get("capture_key")]
        known = set()
        if keys:
            known = set(
                Action.sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("capture_key", "in", keys),
                        ("state", "not in", ("expired", "stale", "failed")),
                    ]
                )
                .mapped("capture_key")
            )
        fresh, seen = [], set()
        for vals in vals_list:
            key = vals.get("capture_key")
            if key and (key in known or key in seen):
                continue
            seen.add(key)
            fresh.append(dict(vals, engine=ENGINE))
        return Action._agent_propose(fresh) if fresh else Action

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
                if fold(current or "") == fold(record.email or ""):
                    current = False  # a contact named after its address has no name yet
                elif fold(current) == fold(value) or fold(current) not in fold(value):
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
                {
                    "name": titles[group]
                    % {"fields": labels, "record": record.display_name, "source": source},
                    "kind": kinds[group],
                    "res_model": record._name,
                    "res_id": record.id,
                    "explanation": f"{source[:1].upper()}{source[1:]}: {explanation}",
                    "confidence": min(confidence for _, confidence, _ in found.values()),
                    "payload": {"values": payload_values},
                    "capture_key": f"fields:{record._name}:{record.id}:{sorted(payload_values.items())}"[
                        :500
                    ],
                }
            )
        return proposals

    @api.model
    def _capture_display(self, record, fname, value):
        field = record._fields[fname]
        if field.type == "many2one" and value:
            return self.env[field.comodel_name].browse(value).display_name
        return value

    @api.model
    def _capture_company_link_proposal(self, partner, plan, confidence, reason, source):
        return {
            "name": self.env._(
                "Link %(contact)s to the company %(company)s",
                contact=partner.display_name,
                company=plan["name"],
            ),
            "kind": "capture_link_company",
            "res_model": "res.partner",
            "res_id": partner.id,
            "explanation": f"{source[:1].upper()}{source[1:]}: company {plan['name']} "
            f"(confidence {confidence:.2f}, {reason}).",
            "confidence": confidence,
            "payload": {"company": plan, "depends_on": ["parent_id"]},
            "capture_key": f"company:{partner.id}",
        }

    # ------------------------------------------------------------------
    # Mail
    # ------------------------------------------------------------------

    @api.model
    def _capture_mail_safe(self, record, message):
        """Entry point of the message hooks: capture never breaks the processing of a mail."""
        if self.env.context.get("crm_agent_capture_skip") or not self._capture_active():
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
        company = (
            record.company_id if "company_id" in record._fields else False
        ) or self.env.company
        team = lead.team_id if lead else (record.team_id if "team_id" in record._fields else False)
        if not self._capture_team_allowed(team, company):
            _logger.info("Auto-capture: %s is outside the teams capture is limited to", record)
            return
        from_name, email = parse_contact_from_email(message.email_from or "")
        email = email_normalize(email) or ""
        partner = (
            self._capture_find_partner(email, message.author_id)
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
                from_name=from_name if from_name != email else "",
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
        proposals = []
        if partner:
            proposals += self._capture_field_proposals(partner, values, source)
            if not partner.is_company and not partner.parent_id:
                plan, confidence, why = self._capture_company_plan(
                    email, signature, internal_domains
                )
                if plan:
                    proposals.append(
                        self._capture_company_link_proposal(partner, plan, confidence, why, source)
                    )
            if lead and not lead.partner_id:
                proposals.append(
                    {
                        "name": self.env._(
                            "Link %(lead)s to the contact %(contact)s",
                            lead=lead.display_name,
                            contact=partner.display_name,
                        ),
                        "kind": "fill_empty_fields",
                        "res_model": "crm.lead",
                        "res_id": lead.id,
                        "explanation": self.env._(
                            "The mail of %(date)s comes from %(email)s, the address of the contact "
                            "%(contact)s.",
                            date=date,
                            email=email,
                            contact=partner.display_name,
                        ),
                        "confidence": SENDER_CONFIDENCE,
                        "payload": {"values": {"partner_id": partner.id}},
                        "capture_key": f"lead-partner:{lead.id}:{partner.id}",
                    }
                )
        else:
            proposals.append(
                self._capture_new_contact_proposal(
                    record, email, from_name, values, signature, internal_domains, source
                )
            )
        proposals += self._capture_link_mail_proposals(record, partner, message, date, email)
        actions = self._capture_propose(proposals)
        self._capture_post_note(record, email, date, signature, actions)
        return actions

    @api.model
    def _capture_new_contact_proposal(
        self, record, email, from_name, values, signature, internal_domains, source
    ):
        confident = {
            fname: value
            for fname, (value, confidence, _) in values.items()
            if confidence >= WRITE_CONFIDENCE
        }
        later = {fname: list(item) for fname, item in values.items() if item[1] < WRITE_CONFIDENCE}
        if "name" not in confident and from_name and from_name != email:
            confident["name"] = from_name  # the display name of the From header
        plan, company_confidence, company_reason = self._capture_company_plan(
            email, signature, internal_domains
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
        return {
            "name": self.env._("Create the contact %s", confident.get("name") or email),
            "kind": "capture_create_contact",
            "res_model": record._name,
            "res_id": record.id,
            "explanation": explanation,
            "confidence": SENDER_CONFIDENCE,
            "payload": {
                "email": email,
                "contact": confident,
                "later": later,
                "company": plan if plan and company_confidence >= WRITE_CONFIDENCE else None,
                "company_proposal": [plan, company_confidence, company_reason]
                if plan and company_confidence < WRITE_CONFIDENCE
                else None,
                "lead_id": record.id if record._name == "crm.lead" else False,
                "source": source,
                "depends_on": ["partner_id"] if record._name == "crm.lead" else ["email"],
            },
            "capture_key": f"contact:{email}",
        }

    @api.model
    def _capture_link_mail_proposals(self, record, partner, message, date, email):
        """A mail about a contact with an open opportunity is copied to it, unless it already is on it."""
        if not partner:
            return []
        if (
            record._name == "crm.lead"
            and record.type == "opportunity"
            and record.partner_id.commercial_partner_id == partner.commercial_partner_id
            and not self.env.context.get("crm_agent_mail_new_thread")
        ):
            return []  # a reply on one of the contact's opportunities: already linked
        opportunities = self._capture_open_opportunities(partner) - (
            record if record._name == "crm.lead" else self.env["crm.lead"]
        )
        if not opportunities:
            return []
        opportunity = opportunities[0]
        others = len(opportunities) - 1
        return [
            {
                "name": self.env._(
                    "Link the mail '%(subject)s' to %(opportunity)s",
                    subject=message.subject or date,
                    opportunity=opportunity.display_name,
                ),
                "kind": "capture_link_mail",
                "res_model": "crm.lead",
                "res_id": opportunity.id,
                "explanation": self.env._(
                    "The mail of %(date)s from %(email)s is on %(record)s, and %(contact)s has the open "
                    "opportunity %(opportunity)s%(others)s.",
                    date=date,
                    email=email,
                    record=record.display_name,
                    contact=partner.display_name,
                    opportunity=opportunity.display_name,
                    others=self.env._(" (the most recent of %s)", others + 1) if others else "",
                ),
                "confidence": OPEN_OPPORTUNITY_CONFIDENCE if not others else 0.7,
                "payload": {"message_id": message.id},
                "capture_key": f"mail:{message.id}:{opportunity.id}",
            }
        ]

    @api.model
    def _capture_post_note(self, record, email, date, signature, actions):
        """One internal note on the record: what the signature said and what was done or proposed."""
        found = signature.fields(PROPOSE_CONFIDENCE)
        if not found and not actions:
            return
        items = Markup("").join(
            Markup("<li>%s: %s <i>(%.2f, %s)</i></li>")
            % (key, field.value, field.confidence, field.evidence)
            for key, field in found.items()
        )
        outcome = Markup("").join(
            Markup("<li>%s: %s</li>")
            % (dict(action._fields["state"].selection).get(action.state), action.name)
            for action in actions
        )
        body = Markup("<p><b>%s</b></p><p>%s</p>%s%s") % (
            self.env._("Auto-capture"),
            self.env._("Read the mail of %(date)s from %(email)s.", date=date, email=email),
            Markup("<ul>%s</ul>") % items if items else "",
            Markup("<p>%s</p><ul>%s</ul>") % (self.env._("Actions:"), outcome) if actions else "",
        )
        record.sudo().with_context(crm_agent_capture_skip=True).message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            message_type="comment",
            author_id=self.env.ref("base.partner_root").id,
        )
