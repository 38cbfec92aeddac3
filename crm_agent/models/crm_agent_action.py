"""One row per thing the agent proposes or does: the proposal, its approval and the audit trail.

Extension point for other addons (documented in readme/DEVELOP.md):

* add the kind to ``kind`` with ``selection_add`` (``ondelete`` set to ``'cascade'``);
* declare it in ``_agent_kind_specs()`` (risk, irreversible, contacts_customer, moves_money,
  undoable) by extending the dict returned by ``super()``;
* implement ``_agent_execute_<kind>(self)``: it runs with the executing user's rights inside a
  savepoint, may raise to fail cleanly, and returns a short result text;
* optionally ``_agent_undo_<kind>(self)`` (for kinds declared ``undoable``);
* freshness: ``payload["depends_on"]`` lists the target fields whose change since the proposal
  makes the action stale (default: the fields in ``payload["values"]``).
"""

import json
import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..engine.policy import ActionFacts, KindSpec, decide, has_explanation

_logger = logging.getLogger(__name__)

OPEN_STATES = ("proposed", "waiting")
PARAM_PAUSED = "crm_agent.paused"
DEFAULT_VALIDITY_DAYS = 14
CRON_BATCH_SIZE = 100
PENDING_DOMAIN = [
    "|", ("state", "=", "approved"), "&", ("state", "=", "proposed"), ("auto_run", "=", True)
]  # fmt: skip


def _display_value(value):
    if value in (None, False, "", []):
        return "—"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _payload_depends_on(payload):
    """Fields the action depends on: ``payload["depends_on"]``, else the fields it updates."""
    payload = payload or {}
    return list(payload.get("depends_on") or payload.get("values") or [])


class CrmAgentAction(models.Model):
    _name = "crm.agent.action"
    _description = "Agent action"
    _order = "create_date desc, id desc"
    _rec_name = "name"

    name = fields.Char("Summary", required=True, readonly=True)
    kind = fields.Selection(
        [
            ("update_fields", "Update fields"),
            ("schedule_activity", "Schedule an activity"),
            ("fill_empty_fields", "Fill empty fields"),
            ("overwrite_fields", "Change typed values"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    engine = fields.Char(
        "Proposed by", readonly=True, help="Which engine proposed the action (e.g. hygiene)."
    )
    res_model = fields.Char("Target model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(
        "Target record", model_field="res_model", required=True, readonly=True, index=True
    )
    target_display_name = fields.Char("Target", compute="_compute_target_display_name")
    explanation = fields.Text(
        "Why", readonly=True, help="Why the agent proposes this. An action without one never runs."
    )
    confidence = fields.Float(readonly=True, digits=(3, 2))
    risk = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        readonly=True,
        default="medium",
    )
    irreversible = fields.Boolean(readonly=True)
    contacts_customer = fields.Boolean("Contacts a customer", readonly=True)
    moves_money = fields.Boolean(readonly=True)
    payload = fields.Json(readonly=True, help="What the action will do.")
    payload_text = fields.Text("Payload (JSON)", compute="_compute_json_texts")
    change_html = fields.Html(
        "Change", compute="_compute_change_html", sanitize=True, help="Field by field: before, after."
    )
    before_image = fields.Json(readonly=True, help="The target's values before the change.")
    before_image_text = fields.Text("Before-image (JSON)", compute="_compute_json_texts")
    freshness_snapshot = fields.Json(
        readonly=True, help="Values of the target fields the action depends on, at proposal time."
    )
    state = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("waiting", "Waiting approval"),
            ("approved", "Approved"),
            ("done", "Done"),
            ("rejected", "Rejected"),
            ("failed", "Failed"),
            ("expired", "Expired"),
            ("stale", "Stale"),
            ("undone", "Undone"),
        ],
        default="proposed",
        required=True,
        readonly=True,
        index=True,
    )
    policy_reason = fields.Char("Policy decision", readonly=True)
    auto_run = fields.Boolean(
        "Runs alone",
        readonly=True,
        help="The autonomy policy lets this action run without a person.",
    )
    approver_id = fields.Many2one("res.users", "Assigned approver", readonly=True, index=True)
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    approved_by_id = fields.Many2one("res.users", readonly=True)
    approved_date = fields.Datetime(readonly=True)
    rejected_by_id = fields.Many2one("res.users", readonly=True)
    rejected_date = fields.Datetime(readonly=True)
    rejection_reason = fields.Text(readonly=True)
    executed_by_id = fields.Many2one("res.users", readonly=True)
    executed_date = fields.Datetime(readonly=True)
    undone_by_id = fields.Many2one("res.users", readonly=True)
    undone_date = fields.Datetime(readonly=True)
    result = fields.Text(readonly=True)
    result_data = fields.Json(readonly=True, help="Machine-readable result (e.g. created ids).")
    error = fields.Text(readonly=True)
    expires_at = fields.Datetime("Valid until", readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    can_undo = fields.Boolean(compute="_compute_can_undo")

    _state_target_idx = models.Index("(res_model, res_id, state)")

    # ------------------------------------------------------------------
    # Kinds: the extension point
    # ------------------------------------------------------------------

    @api.model
    def _agent_kind_specs(self):
        """Return ``{kind: KindSpec}``; addons extend the dict returned by ``super()``."""
        return {
            "update_fields": KindSpec("update_fields", risk="low", undoable=True),
            "schedule_activity": KindSpec("schedule_activity", risk="low", undoable=True),
            # enrichment: filling an empty field is low risk; changing what a person typed
            # is always proposed
            # a value read with confidence >= 0.8 (the capture engine's "write" level) fills an
            # empty field on its own under the conditional policy
            "fill_empty_fields": KindSpec(
                "fill_empty_fields", risk="low", undoable=True, threshold=0.8
            ),
            "overwrite_fields": KindSpec(
                "overwrite_fields", risk="medium", undoable=True, needs_person=True
            ),
        }

    def _agent_spec(self):
        self.ensure_one()
        spec = self._agent_kind_specs().get(self.kind)
        if not spec:
            raise UserError(
                self.env._("No implementation for agent actions of kind %s.", self.kind)
            )
        return spec

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("res_model", "res_id")
    def _compute_target_display_name(self):
        by_model = defaultdict(list)
        for action in self:
            if action.res_model in self.env:
                by_model[action.res_model].append(action.res_id)
        names = {}
        for model, ids in by_model.items():
            records = self.env[model].browse(ids).exists()
            allowed = records._filtered_access("read")
            for record in records:
                names[model, record.id] = (
                    record.display_name if record in allowed else self.env._("(restricted)")
                )
        for action in self:
            action.target_display_name = names.get(
                (action.res_model, action.res_id), self.env._("(deleted)")
            )

    @api.depends("payload", "before_image")
    def _compute_json_texts(self):
        for action in self:
            action.payload_text = json.dumps(
                action.payload, indent=2, ensure_ascii=False, default=str
            )
            action.before_image_text = (
                json.dumps(action.before_image, indent=2, ensure_ascii=False, default=str)
                if action.before_image
                else False
            )

    @api.depends("payload", "before_image", "res_model")
    def _compute_change_html(self):
        for action in self:
            values = (action.payload or {}).get("values")
            if not values or action.res_model not in self.env:
                action.change_html = False
                continue
            model_fields = self.env[action.res_model]._fields
            before = action.before_image or {}
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td><b>%s</b></td></tr>")
                % (
                    model_fields[fname].string if fname in model_fields else fname,
                    _display_value(before.get(fname)),
                    _display_value(value),
                )
                for fname, value in values.items()
            )
            action.change_html = Markup(
                '<table class="table table-sm o_crm_agent_change"><thead><tr>'
                "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (self.env._("Field"), self.env._("Before"), self.env._("After"), rows)

    @api.depends("state", "kind")
    @api.depends_context("uid")
    def _compute_can_undo(self):
        is_manager = self.env.user.has_group("crm_agent.group_agent_manager")
        specs = self._agent_kind_specs()
        for action in self:
            spec = specs.get(action.kind)
            action.can_undo = bool(is_manager and action.state == "done" and spec and spec.undoable)

    # ------------------------------------------------------------------
    # Constraints and ORM
    # ------------------------------------------------------------------

    @api.constrains("explanation")
    def _check_explanation(self):
        for action in self:
            if not has_explanation(action.explanation):
                raise ValidationError(
                    self.env._("An agent action must explain why it is proposed (%s).", action.name)
                )

    @api.constrains("res_model")
    def _check_res_model(self):
        for action in self:
            if action.res_model not in self.env:
                raise ValidationError(self.env._("Unknown target model %s.", action.res_model))

    @api.model_create_multi
    def create(self, vals_list):
        """Create proposals. Whatever the caller passes, a new action starts as ``proposed``:
        approval fields are set only through the approval methods."""
        protected = {
            "state", "approved_by_id", "approved_date", "rejected_by_id", "rejected_date",
            "executed_by_id", "executed_date", "undone_by_id", "undone_date", "activity_id",
            "auto_run", "policy_reason", "result", "error",
        }  # fmt: skip
        specs = self._agent_kind_specs()
        validity = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_agent.proposal_validity_days", DEFAULT_VALIDITY_DAYS)
        )
        for vals in vals_list:
            for key in protected & set(vals):
                del vals[key]
            spec = specs.get(vals.get("kind"))
            if spec:
                vals.setdefault("risk", spec.risk)
                vals["irreversible"] = vals.get("irreversible") or spec.irreversible
                vals["contacts_customer"] = vals.get("contacts_customer") or spec.contacts_customer
                vals["moves_money"] = vals.get("moves_money") or spec.moves_money
            vals.setdefault("expires_at", fields.Datetime.now() + timedelta(days=validity))
        # the proposer must at least be able to read what the action is about
        by_model = defaultdict(set)
        for vals in vals_list:
            if vals.get("res_model") in self.env and vals.get("res_id"):
                by_model[vals["res_model"]].add(vals["res_id"])
        targets = {}
        for model, ids in by_model.items():
            records = self.env[model].browse(ids)
            records.check_access("read")
            targets.update({(model, r.id): r for r in records})
        for vals in vals_list:
            target = targets.get((vals.get("res_model"), vals.get("res_id")))
            if target is None:
                continue
            if "company_id" not in vals and "company_id" in target._fields:
                vals["company_id"] = target.company_id.id or self.env.company.id
        return super().create(vals_list)

    def unlink(self):
        if not self.env.su:
            raise UserError(
                self.env._("Agent actions are the audit trail: archive them instead of deleting.")
            )
        return super().unlink()

    # ------------------------------------------------------------------
    # Access: an action is visible when its target is
    # ------------------------------------------------------------------

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, *, bypass_access=False, **kwargs):
        if self.env.su or bypass_access:
            return super()._search(
                domain, offset, limit, order, bypass_access=bypass_access, **kwargs
            )
        query = super()._search(domain, offset, limit, order, **kwargs)
        rows = self.env.execute_query(
            query.select(
                *[
                    self._field_to_sql(self._table, fname)
                    for fname in ("id", "res_model", "res_id", "approver_id")
                ]
            )
        )
        allowed = self._readable_targets(rows)
        visible = self.browse(
            id_
            for id_, model, res_id, approver in rows
            if approver == self.env.uid or res_id in allowed.get(model, ())
        )
        return visible._as_query(order)

    def _readable_targets(self, rows):
        by_model = defaultdict(set)
        for _id, model, res_id, approver in rows:
            if approver != self.env.uid and model in self.env:
                by_model[model].add(res_id)
        allowed = {}
        for model, ids in by_model.items():
            records = self.env[model].browse(ids).exists()
            allowed[model] = set(records._filtered_access("read")._ids)
        return allowed

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if operation != "read" or self.env.su or not self:
            return result
        candidates = self - result[0] if result else self
        rows = [(a.id, a.res_model, a.res_id, a.approver_id.id) for a in candidates.sudo()]
        allowed = self._readable_targets(rows)
        forbidden = self.browse(
            id_
            for id_, model, res_id, approver in rows
            if approver != self.env.uid and res_id not in allowed.get(model, ())
        )
        if not forbidden:
            return result
        if result:
            return (result[0] + forbidden, result[1])
        return (forbidden, lambda: forbidden._make_access_error(operation))

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _agent_target(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id)

    @api.model
    def _agent_is_paused(self):
        return bool(self.env["ir.config_parameter"].sudo().get_param(PARAM_PAUSED))

    @api.model
    def _agent_snapshot(self, record, fnames):
        """JSON-able values of ``fnames`` on ``record`` (ids for relations, ISO for dates)."""
        snapshot = {}
        for fname in fnames:
            field = record._fields.get(fname)
            if field is None:
                raise UserError(
                    self.env._("%(model)s has no field %(field)s.", model=record._name, field=fname)
                )
            value = record[fname]
            if field.type == "many2one":
                value = value.id or False
            elif field.type in ("one2many", "many2many"):
                value = sorted(value.ids)
            elif field.type in ("date", "datetime"):
                value = (
                    fields.Datetime.to_string(value)
                    if field.type == "datetime"
                    else (fields.Date.to_string(value))
                )
            elif field.type in ("html",):
                value = str(value or "")
            snapshot[fname] = value
        return snapshot

    @api.model
    def _agent_values_to_write(self, record, values):
        """Turn snapshot values back into values for ``write``."""
        vals = {}
        for fname, value in values.items():
            field = record._fields[fname]
            if field.type in ("one2many", "many2many"):
                vals[fname] = [Command.set(value or [])]
            else:
                vals[fname] = value
        return vals

    def _agent_can_approve(self, user=None):
        self.ensure_one()
        user = user or self.env.user
        if user.has_group("crm_agent.group_agent_approver"):
            return True
        if user == self.approver_id:
            return True
        group = self.company_id.agent_approver_group_id
        return bool(group and user in group.sudo().user_ids)

    def _agent_check_approver(self):
        for action in self:
            if not action._agent_can_approve():
                raise AccessError(
                    self.env._(
                        "Only an approver of the agent (or the assigned approver) can approve or "
                        "reject '%s'.",
                        action.name,
                    )
                )

    def _agent_post(self, body):
        """Post an internal note about this action on the target's chatter."""
        self.ensure_one()
        target = self._agent_target().sudo().exists()
        if not target or not hasattr(target, "message_post"):
            return
        target.message_post(
            body=Markup("<p><b>%s</b></p><p>%s</p>") % (self.env._("Agent"), body),
            subtype_xmlid="mail.mt_note",
            message_type="comment",
            author_id=self.env.user.partner_id.id,
        )

    def _agent_close_activities(self):
        if self.env.context.get("crm_agent_activity_unlinking"):
            return  # the activity is being deleted by the user: it is its own closing
        activities = self.sudo().activity_id.filtered("active")
        if activities:
            activities.with_context(crm_agent_closing=True).unlink()

    # ------------------------------------------------------------------
    # Proposing and routing
    # ------------------------------------------------------------------

    @api.model
    def _agent_propose(self, vals_list):
        """Create actions from engine proposals and route them: run alone when the policy lets
        them (and the agent is not paused), else ask the approver in an activity."""
        if isinstance(vals_list, dict):
            vals_list = [vals_list]
        targets_by_key = {}
        for vals in vals_list:
            model, res_id = vals["res_model"], vals["res_id"]
            record = self.env[model].browse(res_id)
            targets_by_key[model, res_id] = record
            values = (vals.get("payload") or {}).get("values")
            if "freshness_snapshot" not in vals:
                fnames = _payload_depends_on(vals.get("payload"))
                vals["freshness_snapshot"] = self._agent_snapshot(record, fnames)
            if values and "before_image" not in vals:
                vals["before_image"] = self._agent_snapshot(record, list(values))
        actions = self.create(vals_list)
        actions._agent_route()
        return actions

    def _agent_decide(self, policies=None):
        """The policy decision for this action; ``policies`` as from ``_agent_policies()``."""
        self.ensure_one()
        company = self.company_id or self.env.company
        if policies is None:
            policies = self._agent_policies()
        facts = ActionFacts(
            explanation=self.explanation,
            confidence=self.confidence,
            irreversible=self.irreversible,
            contacts_customer=self.contacts_customer,
            moves_money=self.moves_money,
        )
        policy = policies.get((company.id, self.kind))
        return decide(self._agent_spec(), facts, company.agent_autonomy or "assisted", policy)

    def _agent_policies(self):
        """``{(company_id, kind): KindPolicy}`` for these actions, in one query."""
        companies = self.company_id | self.env.company
        return self.env["crm.agent.kind.policy"]._agent_policies_for(
            companies, set(self.mapped("kind"))
        )

    def _agent_route(self):
        to_ask = self.browse()
        to_run = self.browse()
        by_decision = defaultdict(list)
        policies = self._agent_policies()
        for action in self:
            decision = action._agent_decide(policies)
            by_decision[decision.run_alone, decision.reason].append(action.id)
            if decision.run_alone:
                to_run |= action
            else:
                to_ask |= action
        for (run_alone, reason), ids in by_decision.items():
            self.browse(ids).sudo().write({"auto_run": run_alone, "policy_reason": reason})
        to_ask._agent_request_approval()
        if to_run and not self._agent_is_paused():
            to_run._agent_execute()
        elif to_run:
            for action in to_run:
                action._agent_post(
                    escape(self.env._("Queued (the agent is paused): %s", action.name))
                )

    def _agent_resolve_approver(self):
        """Configured approver user, else the sales team leader of the target, else a member of
        the approver group."""
        self.ensure_one()
        company = (self.company_id or self.env.company).sudo()
        if company.agent_approver_user_id:
            return company.agent_approver_user_id
        target = self._agent_target().sudo()
        team = target["team_id"] if "team_id" in target._fields else False
        if team and team.user_id and team.user_id.active:
            return team.user_id
        group = company.agent_approver_group_id or self.env.ref("crm_agent.group_agent_approver")
        users = group.sudo().user_ids.filtered(
            lambda u: u.active and not u.share and company in u.company_ids
        )
        return users.sorted("id")[:1] or self.env.ref("base.user_admin")

    def _agent_approval_details(self):
        """HTML shown to the approver in the activity (default: the field-by-field change);
        addons override it, e.g. to show the records to merge side by side."""
        self.ensure_one()
        return self.change_html

    def _agent_request_approval(self):
        activity_type = self.env.ref("crm_agent.mail_activity_type_agent_approval")
        for action in self:
            approver = action._agent_resolve_approver()
            target = action._agent_target()
            note = Markup("<p>%s</p><p><i>%s</i> %s</p>%s<p>%s</p>") % (
                action.name,
                self.env._("Why:"),
                action.explanation,
                action._agent_approval_details() or "",
                self.env._(
                    "Mark this activity done to approve and execute it; cancel it to reject."
                ),
            )
            vals = {"approver_id": approver.id, "state": "waiting"}
            if hasattr(target, "activity_schedule"):
                activity = target.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=self.env._("Agent: %s", action.name)[:200],
                    note=note,
                    user_id=approver.id,
                    agent_action_id=action.id,
                )
                vals["activity_id"] = activity.id
            action.sudo().write(vals)
            action._agent_post(
                escape(
                    self.env._(
                        "Proposed: %(name)s. Waiting for %(user)s. Why: %(why)s",
                        name=action.name,
                        user=approver.name,
                        why=action.explanation,
                    )
                )
            )

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------

    def _agent_lock_for_decision(self):
        """Lock every action before deciding, so that two people (or a person and a cron)
        cannot both act on it; re-read the state another transaction may have changed."""
        for action in self:
            if not action._agent_lock():
                raise UserError(
                    self.env._("'%s' is being processed by someone else; try again.", action.name)
                )
        self.invalidate_recordset()

    def _agent_open_for_decision(self):
        """Check the user may decide, lock the actions, and return those still waiting."""
        self._agent_check_approver()
        self._agent_lock_for_decision()
        actions = self.filtered(lambda a: a.state in OPEN_STATES)
        if not actions:
            raise UserError(self.env._("Only proposals that wait for a decision can be decided."))
        return actions

    def action_approve(self, comment=None):
        """Approve and execute (as the approving user)."""
        actions = self._agent_open_for_decision()
        actions.sudo().write(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        for action in actions:
            action._agent_post(
                escape(
                    self.env._(
                        "Approved by %(user)s%(comment)s: %(name)s",
                        user=self.env.user.name,
                        comment=f" ({comment})" if comment else "",
                        name=action.name,
                    )
                )
            )
        actions._agent_close_activities()
        actions._agent_execute()
        return True

    def action_reject(self, reason=None):
        actions = self._agent_open_for_decision()
        reason = reason or self.env._("No reason given")
        actions.sudo().write(
            {
                "state": "rejected",
                "rejected_by_id": self.env.uid,
                "rejected_date": fields.Datetime.now(),
                "rejection_reason": reason,
            }
        )
        for action in actions:
            action._agent_post(
                escape(
                    self.env._(
                        "Rejected by %(user)s: %(name)s. Reason: %(reason)s",
                        user=self.env.user.name,
                        name=action.name,
                        reason=reason,
                    )
                )
            )
        actions._agent_close_activities()
        actions._agent_after_reject()
        return True

    def _agent_after_reject(self):
        """Hook: addons remember rejections (e.g. 'not a duplicate')."""

    def action_open_reject_wizard(self):
        self._agent_check_approver()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.agent.action.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_action_ids": self.ids},
            "name": self.env._("Reject"),
        }

    def action_open_target(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------

    def _agent_lock(self):
        """Lock this action's row; False when another transaction holds it."""
        self.ensure_one()
        return bool(self.try_lock_for_update())

    def _agent_is_stale(self):
        self.ensure_one()
        fnames = list((self.freshness_snapshot or {}).keys())
        if not fnames:
            return False
        target = self._agent_target().sudo()
        current = self._agent_snapshot(target, fnames)
        return current != self.freshness_snapshot

    def _agent_execute(self):
        """Execute approved (or auto-run) actions, each at most once, each in its own savepoint.

        Approved actions run with the approver's rights; auto-run actions with the rights of the
        user who proposed them. Returns the actions that ran successfully."""
        done = self.browse()
        for action in self:
            if not action._agent_lock():
                _logger.info("agent action %s is being executed elsewhere; skipped", action.id)
                continue
            action.invalidate_recordset()
            sudo_action = action.sudo()
            runnable = sudo_action.state == "approved" or (
                sudo_action.state == "proposed" and sudo_action.auto_run
            )
            if not runnable:
                continue
            if (
                sudo_action.expires_at
                and sudo_action.expires_at < fields.Datetime.now()
                and (sudo_action.state == "proposed")
            ):
                sudo_action.write({"state": "expired"})
                continue
            executor = sudo_action.approved_by_id or sudo_action.create_uid
            if not has_explanation(sudo_action.explanation):
                sudo_action.write(
                    {"state": "failed", "error": self.env._("No explanation: never runs.")}
                )
                continue
            target = sudo_action._agent_target().exists()
            if not target:
                sudo_action.write(
                    {"state": "failed", "error": self.env._("The target no longer exists.")}
                )
                continue
            if sudo_action._agent_is_stale():
                sudo_action.write(
                    {
                        "state": "stale",
                        "error": self.env._(
                            "The record changed since the proposal; nothing was done."
                        ),
                    }
                )
                action._agent_post(
                    escape(self.env._("Not executed, the record changed since: %s", action.name))
                )
                continue
            as_executor = action.with_user(executor)
            method = getattr(as_executor, f"_agent_execute_{sudo_action.kind}")
            try:
                with self.env.cr.savepoint():
                    result = method()
            except Exception as exc:  # noqa: BLE001 - any failure must leave the target untouched
                _logger.info("agent action %s failed: %s", action.id, exc)
                sudo_action.write(
                    {
                        "state": "failed",
                        "error": str(exc) or exc.__class__.__name__,
                        "executed_by_id": executor.id,
                        "executed_date": fields.Datetime.now(),
                    }
                )
                action._agent_post(
                    escape(
                        self.env._(
                            "Failed: %(name)s. Error: %(error)s", name=action.name, error=str(exc)
                        )
                    )
                )
                continue
            sudo_action.write(
                {
                    "state": "done",
                    "result": result or "",
                    "executed_by_id": executor.id,
                    "executed_date": fields.Datetime.now(),
                }
            )
            action._agent_post(
                escape(
                    self.env._(
                        "Done%(auto)s: %(name)s. %(result)s",
                        auto=self.env._(" on its own")
                        if sudo_action.auto_run and not sudo_action.approved_by_id
                        else "",
                        name=action.name,
                        result=result or "",
                    )
                )
            )
            done |= action
        return done

    def _agent_execute_update_fields(self):
        target = self._agent_target()
        values = (self.payload or {}).get("values") or {}
        if not values:
            raise UserError(self.env._("Nothing to update."))
        target.write(self._agent_values_to_write(target, values))
        return self.env._("Updated %s.", ", ".join(sorted(values)))

    def _agent_execute_fill_empty_fields(self):
        return self._agent_execute_update_fields()

    def _agent_execute_overwrite_fields(self):
        return self._agent_execute_update_fields()

    def _agent_undo_fill_empty_fields(self):
        return self._agent_undo_update_fields()

    def _agent_undo_overwrite_fields(self):
        return self._agent_undo_update_fields()

    def _agent_execute_schedule_activity(self):
        payload = self.payload or {}
        target = self._agent_target()
        activity_type = False
        if payload.get("activity_type_xmlid"):
            activity_type = self.env.ref(payload["activity_type_xmlid"], raise_if_not_found=False)
        deadline = payload.get("date_deadline") or fields.Date.to_string(
            fields.Date.context_today(self) + timedelta(days=int(payload.get("delay_days", 0)))
        )
        activity = target.activity_schedule(
            activity_type_id=activity_type.id if activity_type else False,
            summary=payload.get("summary") or self.name,
            note=payload.get("note") or "",
            date_deadline=deadline,
            user_id=payload.get("user_id")
            or target._fields.get("user_id")
            and target.user_id.id
            or self.env.uid,
        )
        self.sudo().result_data = {"activity_ids": activity.ids}
        return self.env._(
            "Scheduled '%(summary)s' for %(date)s.",
            summary=activity.summary or activity.activity_type_id.name,
            date=deadline,
        )

    # ------------------------------------------------------------------
    # Undo
    # ------------------------------------------------------------------

    def action_undo(self):
        if not self.env.user.has_group("crm_agent.group_agent_manager"):
            raise AccessError(self.env._("Only agent managers can undo the agent's actions."))
        for action in self:
            if action.state != "done" or not action._agent_spec().undoable:
                raise UserError(self.env._("'%s' cannot be undone.", action.name))
            if not action._agent_lock():
                raise UserError(self.env._("'%s' is being processed; try again.", action.name))
            with self.env.cr.savepoint():
                result = getattr(action, f"_agent_undo_{action.kind}")()
            action.sudo().write(
                {
                    "state": "undone",
                    "undone_by_id": self.env.uid,
                    "undone_date": fields.Datetime.now(),
                }
            )
            action._agent_post(
                escape(
                    self.env._(
                        "Undone by %(user)s: %(name)s. %(result)s",
                        user=self.env.user.name,
                        name=action.name,
                        result=result or "",
                    )
                )
            )
        return True

    def _agent_undo_update_fields(self):
        target = self._agent_target()
        values = (self.payload or {}).get("values") or {}
        current = self._agent_snapshot(target, list(values))
        if current != values:
            changed = sorted(f for f in values if current.get(f) != values.get(f))
            raise UserError(
                self.env._(
                    "Cannot undo '%(name)s': %(fields)s changed since the agent wrote them.",
                    name=self.name,
                    fields=", ".join(changed),
                )
            )
        target.write(self._agent_values_to_write(target, self.before_image or {}))
        return self.env._("Restored %s.", ", ".join(sorted(self.before_image or {})))

    def _agent_undo_schedule_activity(self):
        ids = (self.result_data or {}).get("activity_ids", [])
        activities = self.env["mail.activity"].browse(ids).exists()
        activities.unlink()
        return self.env._("Removed %s activity(ies).", len(activities))

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------

    @api.model
    def _agent_execute_pending_batch(self, batch_size=CRON_BATCH_SIZE):
        """Execute one batch of approved and queued auto-run actions. Rows another transaction
        holds are skipped, so two crons (or a cron and a person) never execute one twice."""
        actions = self.sudo().search(PENDING_DOMAIN, order="id", limit=batch_size)
        actions = actions.try_lock_for_update()
        actions._agent_execute()
        return actions

    @api.model
    def _cron_execute_actions(self, batch_size=CRON_BATCH_SIZE):
        if self._agent_is_paused():
            _logger.info("CRM agent is paused: no action executed")
            return
        in_cron = bool(self.env.context.get("cron_id"))
        while True:
            actions = self._agent_execute_pending_batch(batch_size)
            if not in_cron or len(actions) < batch_size:
                break
            # every executed action leaves the pending states, so each batch makes progress
            remaining = self.sudo().search_count(PENDING_DOMAIN)
            if self.env["ir.cron"]._commit_progress(len(actions), remaining=remaining) <= 0:
                break

    @api.model
    def _cron_expire_actions(self):
        if self._agent_is_paused():
            _logger.info("CRM agent is paused: no proposal expired")
            return
        expired = (
            self.sudo()
            .search(
                [("state", "in", OPEN_STATES), ("expires_at", "<", fields.Datetime.now())],
                limit=CRON_BATCH_SIZE * 10,
            )
            .try_lock_for_update()
        )
        if not expired:
            return
        expired.write({"state": "expired"})
        expired._agent_close_activities()
        for action in expired:
            action._agent_post(escape(self.env._("Expired without a decision: %s", action.name)))
