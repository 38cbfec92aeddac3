"""The ``send_email`` kind: a drafted mail to a customer, never sent without a person.

The draft (subject, HTML body, recipients, the recommended time) is the action's payload. The
hard rule ``contacts_customer`` makes every such action wait for a person under both autonomy
levels. The approver reviews it in Odoo's mail composer (``action_open_send_email_composer``):
what they send is recorded against the draft (lines removed and added), then the core approves
and executes it as them: ``message_post`` on the lead, or a ``mail.scheduled.message`` at the
recommended time when that time is still ahead. Approving from the activity sends the draft as
it is. The guardrails (``engine/guardrails.py``) are checked again at execution: blacklisted
recipient, shared alias sender, and a thread that changed since the draft (the action is stale).
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import guardrails
from ..engine.drafting import describe_edit
from ..engine.policy import KindSpec

PARAM_MAX_PER_WEEK = "crm_agent.max_drafts_per_contact_week"


class CrmAgentAction(models.Model):
    _inherit = "crm.agent.action"

    kind = fields.Selection(
        selection_add=[("send_email", "Send an e-mail")], ondelete={"send_email": "cascade"}
    )
    draft_subject = fields.Char("Draft subject", compute="_compute_draft")
    draft_body = fields.Html("Draft", compute="_compute_draft", sanitize=True)
    draft_scheduled_at = fields.Datetime("Send at", compute="_compute_draft")

    @api.model
    def _agent_kind_specs(self):
        specs = super()._agent_kind_specs()
        specs["send_email"] = KindSpec(
            "send_email",
            risk="high",
            contacts_customer=True,  # hard rule: a person always reviews a mail to a customer
            minutes_saved=5.0,
            stale_check="_agent_send_email_is_stale",
            approval_details="_agent_send_email_details",
            approver="_agent_send_email_approver",
        )
        return specs

    @api.depends("payload", "kind")
    def _compute_draft(self):
        for action in self:
            payload = action.payload or {} if action.kind == "send_email" else {}
            action.draft_subject = payload.get("subject") or False
            action.draft_body = payload.get("sent_body") or payload.get("body") or False
            action.draft_scheduled_at = payload.get("scheduled_at") or False

    # ------------------------------------------------------------------
    # Thread freshness and guardrails
    # ------------------------------------------------------------------

    @api.model
    def _agent_thread_last_messages(self, model, res_ids):
        """``{res_id: id}`` of the last discussion message (a mail or a comment, not a note) of
        each thread, in one query."""
        if not res_ids:
            return {}
        comment = self.env.ref("mail.mt_comment")
        # sudo: ids of the thread's messages only, to compare with the draft's
        groups = (
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", model),
                    ("res_id", "in", list(res_ids)),
                    ("message_type", "in", ("email", "comment")),
                    ("subtype_id", "=", comment.id),
                ],
                ["res_id"],
                ["id:max"],
            )
        )
        return dict(groups)

    @api.model
    def _agent_alias_emails(self):
        # sudo: the addresses of the database's mail aliases, to never send from a shared one
        aliases = (
            self.env["mail.alias"]
            .sudo()
            .search_read([("alias_full_name", "!=", False)], ["alias_full_name"])
        )
        return {a["alias_full_name"] for a in aliases if a["alias_full_name"]}

    @api.model
    def _agent_max_drafts_per_week(self):
        # sudo: a setting
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_MAX_PER_WEEK)
        try:
            return max(int(value), 0) if value else guardrails.DEFAULT_MAX_PER_WEEK
        except ValueError:
            return guardrails.DEFAULT_MAX_PER_WEEK

    def _agent_send_email_recipients(self):
        self.ensure_one()
        ids = [i for i in (self.payload or {}).get("partner_ids") or [] if isinstance(i, int)]
        return self.env["res.partner"].browse(ids).exists()

    def _agent_send_email_approver(self):
        """The salesperson of the target decides on the mail they sign and send: an active
        internal user of the target's company (the core still checks that they did not propose
        it and may read every record it touches); else no user, and the usual approver decides."""
        self.ensure_one()
        nobody = self.env["res.users"]
        if self.res_model not in self.env:
            return nobody
        target = self.sudo()._agent_target().exists()  # sudo: who the salesperson is
        if not target or "user_id" not in target._fields:
            return nobody
        user = target.user_id
        if not user or not user.active or user.share or user._is_superuser():
            return nobody
        company = target.company_id if "company_id" in target._fields else False
        if company and company not in user.company_ids:
            return nobody
        return user

    def _agent_send_email_author(self):
        """Who the mail is from: the salesperson the draft names (it carries their signature),
        else the approver who sends it."""
        self.ensure_one()
        user_id = (self.payload or {}).get("author_user_id")
        author = (
            self.env["res.users"].browse(user_id).exists() if isinstance(user_id, int) else None
        )
        if not author or not author.active:
            return self.env.user
        # a person who decides may send in the signing salesperson's name only as that person or
        # as an approver of the agent; anyone else (e.g. the lead's next salesperson) sends as
        # themselves, so that no rep posts in another rep's name
        deciding = self.env.user
        if (
            not self.env.su
            and deciding != author
            and not deciding.has_group("crm_agent.group_agent_approver")
        ):
            return deciding
        # sudo: the salesperson's name and address, to sign and to check the sender
        return author.sudo()

    def _agent_send_email_refusals(self, sender=None, check_thread=True):
        """The guardrails that still hold at execution (the weekly cap applies when drafting)."""
        self.ensure_one()
        payload = self.payload or {}
        # sudo: the recipients' addresses and blacklist flags, to refuse, not to show
        recipients = self._agent_send_email_recipients().sudo()
        reasons = []
        if not recipients:
            reasons.append(self.env._("the draft has no recipient"))
        last = None
        if check_thread and payload.get("thread_last_message_id") is not None:
            last = self._agent_thread_last_messages(self.res_model, [self.res_id]).get(
                self.res_id, 0
            )
        for partner in recipients:
            facts = guardrails.DraftFacts(
                recipient_email=partner.email,
                recipient_blacklisted=partner.is_blacklisted,
                sender_email=(sender or self._agent_send_email_author()).email,
                thread_last_message_id=last,
                draft_last_message_id=payload.get("thread_last_message_id")
                if check_thread
                else None,
            )
            reasons += guardrails.refusals(
                facts, max_per_week=10**6, alias_emails=self._agent_alias_emails()
            )
        return list(dict.fromkeys(reasons))

    def _agent_send_email_is_stale(self):
        """Stale when the conversation moved on since the draft (a new mail or comment)."""
        self.ensure_one()
        payload = self.payload or {}
        if payload.get("thread_last_message_id") is None:
            return False  # the draft does not answer a thread
        last = self._agent_thread_last_messages(self.res_model, [self.res_id]).get(self.res_id, 0)
        return last != payload["thread_last_message_id"]

    def _agent_send_email_details(self):
        """The full draft, for the approver (the target's own data only)."""
        self.ensure_one()
        payload = self.payload or {}
        recipients = self._agent_send_email_recipients()._filtered_access("read")
        when = payload.get("scheduled_at")
        return Markup(
            '<div class="o_crm_agent_draft"><p><b>%s</b> %s</p><p><b>%s</b> %s</p>%s'
            "<blockquote>%s</blockquote></div>"
        ) % (
            self.env._("To:"),
            ", ".join(recipients.mapped("display_name")) or "—",
            self.env._("Subject:"),
            payload.get("subject") or "",
            Markup("<p><b>%s</b> %s</p>")
            % (
                self.env._("Send at:"),
                fields.Datetime.to_string(fields.Datetime.to_datetime(when)) + " UTC",
            )
            if when
            else "",
            Markup(payload.get("body") or ""),
        )

    # ------------------------------------------------------------------
    # Review in the composer, then execution
    # ------------------------------------------------------------------

    def action_open_send_email_composer(self):
        """Open the draft in Odoo's mail composer (editable); sending it approves the action."""
        self.ensure_one()
        if self.kind != "send_email":
            raise UserError(self.env._("Only drafted mails open in the composer."))
        self._agent_check_approver()
        if self.state not in ("proposed", "waiting"):
            raise UserError(self.env._("This draft was already decided."))
        payload = self.payload or {}
        scheduled = fields.Datetime.to_datetime(payload.get("scheduled_at") or False)
        context = {
            "default_composition_mode": "comment",
            "default_model": self.res_model,
            "default_res_ids": [self.res_id],
            "default_subject": payload.get("subject") or "",
            "default_body": payload.get("body") or "",
            "default_partner_ids": self._agent_send_email_recipients().ids,
            "default_subtype_xmlid": "mail.mt_comment",
            "crm_agent_send_email_action_id": self.id,
        }
        if scheduled and scheduled > fields.Datetime.now():
            context["default_scheduled_date"] = fields.Datetime.to_string(scheduled)
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "name": self.env._("Review the draft"),
            "context": context,
        }

    def _agent_send_email_from_composer(self, subject, body, scheduled_date=False):
        """Record what the approver sends (and what they changed), then approve as them."""
        self.ensure_one()
        self._agent_check_approver()
        payload = dict(self.payload or {})
        edit = describe_edit(payload.get("body") or "", body or "")
        edit["subject_changed"] = (subject or "") != (payload.get("subject") or "")
        payload.update(sent_subject=subject or "", sent_body=str(body or ""))
        if scheduled_date:
            payload["scheduled_at"] = fields.Datetime.to_string(
                fields.Datetime.to_datetime(scheduled_date)
            )
        elif "scheduled_at" in payload:
            payload["scheduled_at"] = False  # the approver chose to send at once
        # sudo: the agent's audit row records what the approver sent and changed
        self.sudo().write({"payload": payload, "result_data": {"edit": edit}})
        return self.action_approve()

    def _agent_execute_send_email(self):
        """Post the (reviewed) mail on the target's thread as the approver, or schedule it."""
        payload = self.payload or {}
        refusals = self._agent_send_email_refusals(check_thread=False)
        if refusals:
            raise UserError(self.env._("Not sent: %s.", "; ".join(refusals)))
        target = self._agent_target()
        recipients = self._agent_send_email_recipients()
        subject = payload.get("sent_subject") or payload.get("subject") or ""
        body = Markup(payload.get("sent_body") or payload.get("body") or "")
        scheduled = fields.Datetime.to_datetime(payload.get("scheduled_at") or False)
        edit = (self.result_data or {}).get("edit") or {}
        edited = self.env._(" (edited by the approver)") if edit.get("edited") else ""
        if scheduled and scheduled > fields.Datetime.now():
            scheduled_message = self.env["mail.scheduled.message"].create(
                {
                    "model": target._name,
                    "res_id": target.id,
                    "author_id": self._agent_send_email_author().partner_id.id,
                    "subject": subject,
                    "body": body,
                    "partner_ids": recipients.ids,
                    "scheduled_date": scheduled,
                }
            )
            # sudo: the agent's own result field
            self.sudo().result_data = {
                **(self.result_data or {}),
                "scheduled_message_id": scheduled_message.id,
            }
            return self.env._(
                "Mail scheduled for %(date)s UTC%(edited)s.",
                date=fields.Datetime.to_string(scheduled),
                edited=edited,
            )
        message = target.message_post(
            author_id=self._agent_send_email_author().partner_id.id,
            body=body,
            subject=subject,
            partner_ids=recipients.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        # sudo: the agent's own result field
        self.sudo().result_data = {**(self.result_data or {}), "message_id": message.id}
        return self.env._(
            "Mail sent to %(to)s%(edited)s.",
            to=", ".join(recipients.mapped("name")),
            edited=edited,
        )
