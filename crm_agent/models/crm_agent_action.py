"""One row per thing the agent proposes or does: the proposal, its approval and the audit trail.

Extension point for other addons (documented in readme/DEVELOP.md):

* add the kind to ``kind`` with ``selection_add`` (``ondelete`` set to ``'cascade'``);
* declare it in ``_agent_kind_specs()`` (risk, irreversible, contacts_customer, moves_money,
  undoable) by extending the dict returned by ``super()``;
* implement ``_agent_execute_<kind>(self)``: it runs with the executing user's rights inside a
  savepoint, may raise to fail cleanly, and returns a short result text;
* optionally ``_agent_undo_<kind>(self)`` (for kinds declared ``undoable``);
* freshness: ``payload["depends_on"]`` lists the target fields whose change since the proposal
  makes the action stale (default: the fields in ``payload["values"]``);
* an action that touches more records of ``res_model`` than its target (e.g. a merge) lists them
  in ``payload["record_ids"]``: a user sees, and an approver decides, only when every one of them
  is readable to them.

Security (see SECURITY.md): rows are created and written only by the agent's own code path
(``_agent_propose`` and the transitions below, in superuser mode on this model only); users read
them, approvers decide through ``action_approve`` / ``action_reject``, managers archive and undo.
"""

import json
import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.mail import html2plaintext
from odoo.tools.misc import clean_context, format_date, format_datetime, formatLang

from ..engine import proposal as proposal_rule
from ..engine.policy import ActionFacts, KindSpec, decide, has_explanation

_logger = logging.getLogger(__name__)

OPEN_STATES = ("proposed", "waiting")
PARAM_PAUSED = "crm_agent.paused"
PARAM_NOT_NOW_DAYS = "crm_agent.not_now_days"
PARAM_QUEUE_SIZE = "crm_agent.approver_queue_size"
DEFAULT_VALIDITY_DAYS = 14
DEFAULT_QUEUE_SIZE = 20
CRON_BATCH_SIZE = 100
# the only models the agent acts on; addons extend ``_agent_allowed_models``
ALLOWED_MODELS = ("crm.lead", "res.partner")
# never written by an action, whatever its payload says: access rights and ownership of accounts
DENIED_COMODELS = ("res.groups", "res.users", "res.company")
DENIED_FIELD_NAMES = ("user_ids", "group_ids", "groups_id", "company_ids", "share", "password")
# fields only the agent's transitions write; the values and context of a create never set them
AGENT_STATE_FIELDS = {
    "state": "proposed",
    "approved_by_id": False,
    "approved_date": False,
    "rejected_by_id": False,
    "rejected_date": False,
    "rejection_reason": False,
    "rejection_kind": False,
    "approval_queued": False,
    "executed_by_id": False,
    "executed_date": False,
    "undone_by_id": False,
    "undone_date": False,
    "activity_id": False,
    "approver_id": False,
    "auto_run": False,
    "policy_reason": False,
    "result": False,
    "result_data": False,
    "error": False,
    "active": True,
}
PENDING_DOMAIN = [
    "|", ("state", "=", "approved"), "&", ("state", "=", "proposed"), ("auto_run", "=", True)
]  # fmt: skip


# fields that hold keys, ids or JSON: never offered to group by outside debug mode
INTERNAL_FIELDS = (
    "dedup_key", "res_id", "payload", "payload_text", "before_image", "before_image_text",
    "freshness_snapshot", "result_data", "activity_id", "auto_run", "approval_queued",
)  # fmt: skip
REJECTION_KINDS = [
    (proposal_rule.WRONG, "Wrong (e.g. not a duplicate): never propose it again"),
    (proposal_rule.NOT_NOW, "Not now: it may come back later"),
]


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
    source = fields.Selection(
        [("agent", "Agent")],
        string="Proposed by",
        readonly=True,
        default="agent",
        help="Which part of the agent proposed it.",
    )
    dedup_key = fields.Char(
        "Fingerprint",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="What was proposed (e.g. the pair of records): the agent never asks twice.",
    )
    res_model = fields.Selection(
        "_selection_target_model", string="Target model", required=True, readonly=True, index=True
    )
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
        "Change",
        compute="_compute_change_html",
        sanitize=True,
        help="Field by field: before, after.",
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
    rejection_kind = fields.Selection(
        REJECTION_KINDS,
        "Rejected as",
        readonly=True,
        help="Wrong: the agent never proposes it again. Not now: it may propose it again after "
        "the period set in the CRM settings.",
    )
    approval_queued = fields.Boolean(
        "Waits for room in the queue",
        readonly=True,
        help="The approver already has as many proposals to answer as the settings allow: this "
        "one is asked (highest value first) when they have answered some.",
    )
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
    can_decide = fields.Boolean(
        compute="_compute_can_decide", help="The current user may approve or reject it now."
    )

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
                "fill_empty_fields",
                risk="low",
                undoable=True,
                threshold=0.8,
                execute="_agent_execute_update_fields",
                undo="_agent_undo_update_fields",
            ),
            "overwrite_fields": KindSpec(
                "overwrite_fields",
                risk="medium",
                undoable=True,
                needs_person=True,
                execute="_agent_execute_update_fields",
                undo="_agent_undo_update_fields",
            ),
        }

    def _register_hook(self):
        """Every kind of the selection is declared, and every method it names exists."""
        super()._register_hook()
        for problem in self._agent_kind_problems():
            _logger.error("CRM agent: %s", problem)

    @api.model
    def _agent_kind_problems(self):
        specs = self._agent_kind_specs()
        problems = []
        for kind, _label in self._fields["kind"].selection:
            spec = specs.get(kind)
            if spec is None:
                problems.append(f"kind {kind!r} has no declaration in _agent_kind_specs()")
                continue
            if spec.code != kind:
                problems.append(f"kind {kind!r} is declared under the code {spec.code!r}")
            for role, method in spec.methods().items():
                if not callable(getattr(type(self), method, None)):
                    problems.append(f"kind {kind!r}: its {role} method {method} does not exist")
        problems += [
            f"{k!r} is declared but not in the selection"
            for k in set(specs) - {k for k, _l in self._fields["kind"].selection}
        ]
        return problems

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
    @api.depends_context("uid", "lang", "tz")
    def _compute_change_html(self):
        for action in self:
            values = (action.payload or {}).get("values")
            if not values or action.res_model not in self.env:
                action.change_html = False
                continue
            action.change_html = action._agent_change_table(values, action.before_image or {})

    def _agent_change_table(self, values, before):
        """Field by field, before and after, as the current user may read them."""
        self.ensure_one()
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td><b>%s</b></td></tr>")
            % (
                self._agent_field_label(self.res_model, fname),
                self._agent_format_value(self.res_model, fname, before.get(fname)),
                self._agent_format_value(self.res_model, fname, value),
            )
            for fname, value in values.items()
        )
        return Markup(
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

    @api.depends("state", "approver_id")
    @api.depends_context("uid")
    def _compute_can_decide(self):
        for action in self:
            action.can_decide = action.state in OPEN_STATES and not (
                action._origin and action._origin._agent_approval_refusal()
            )

    # ------------------------------------------------------------------
    # Words for people: labels, names and formatted values (one helper for every part)
    # ------------------------------------------------------------------

    @api.model
    def _selection_target_model(self):
        """The models the agent acts on, by their names (never a technical key in a list)."""
        IrModel = self.env["ir.model"]
        return [
            (model, IrModel._get(model).name or model)
            for model in sorted(self._agent_allowed_models())
        ]

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        """Keys, ids and JSON are not offered to group or sort by outside debug mode."""
        result = super().fields_get(allfields=allfields, attributes=attributes)
        if not self.env.user.has_group("base.group_no_one"):
            for fname in INTERNAL_FIELDS:
                if fname in result and "groupable" in result[fname]:
                    result[fname]["groupable"] = False
        return result

    @api.model
    def _agent_field_label(self, model, fname):
        """The label a person knows the field by (translated), never its technical name."""
        field = self.env[model]._fields.get(fname) if model in self.env else None
        return field._description_string(self.env) if field else self.env._("a field")

    @api.model
    def _agent_fields_label(self, model, fnames):
        """``"Job Position, Phone"`` for a list of field names."""
        return ", ".join(sorted(self._agent_field_label(model, f) for f in fnames))

    @api.model
    def _agent_record_names(self, model, ids):
        """The names of these records as the current user may know them: a record they may not
        read is 'a record you cannot see', never its name; a deleted one says so."""
        ids = [i for i in ids if isinstance(i, int)]
        if model not in self.env or not ids:
            return []
        records = self.env[model].with_context(active_test=False).browse(ids).exists()
        readable = records._filtered_access("read")
        names = []
        for record in records.browse(ids):
            if record not in records:
                names.append(self.env._("a deleted record"))
            elif record not in readable:
                names.append(self.env._("a record you cannot see"))
            else:
                names.append(record.display_name)
        return names

    @api.model
    def _agent_format_value(self, model, fname, value):
        """One value of ``model.fname``, as ``_agent_snapshot`` stores it (or as ``read()`` gives
        it), for the current user: selection labels, names of related records they may read,
        dates in their language and time zone, numbers with their digits; '—' when empty.
        Never JSON, never raw ids."""
        Model = self.env[model] if model in self.env else None
        field = Model._fields.get(fname) if Model is not None else None
        if field is None:
            return "—" if value in (None, False, "", []) else str(value)
        if not Model._has_field_access(field, "read"):
            return self.env._("(hidden)")
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if value in (None, False, "", []):
            return "—"
        ftype = field.type
        if ftype == "many2one":
            record_id = value[0] if isinstance(value, list | tuple) else value
            return ", ".join(self._agent_record_names(field.comodel_name, [record_id]))
        if ftype in ("one2many", "many2many"):
            return ", ".join(self._agent_record_names(field.comodel_name, list(value)))
        if ftype == "selection":
            labels = dict(field._description_selection(self.env))
            return labels.get(value, str(value))
        if ftype == "date":
            return format_date(self.env, value[:10] if isinstance(value, str) else value)
        if ftype == "datetime":
            # to the second, in the viewer's time zone: never an ISO stamp with microseconds
            value = fields.Datetime.to_datetime(value[:19] if isinstance(value, str) else value)
            return format_datetime(self.env, value, dt_format="short")
        if ftype == "monetary":
            return formatLang(self.env, value, currency_obj=self.env.company.currency_id)
        if ftype == "float":
            digits = field.get_digits(self.env)
            return formatLang(self.env, value, digits=digits[1] if digits else 2)
        if ftype == "integer":
            return formatLang(self.env, value, digits=0)
        if ftype == "html":
            return html2plaintext(value or "")[:300] or "—"
        if isinstance(value, list | dict):
            return self.env._("(details)")
        return str(value)[:300]

    @api.model
    def _agent_policy_reason_text(self, decision, kind):
        """The policy's decision in the user's words (kind labels, percentages)."""
        label = dict(self._fields["kind"]._description_selection(self.env)).get(kind, kind)
        params = decision.params or {}
        confidence = f"{params.get('confidence', 0):.0%}"
        threshold = f"{params.get('threshold', 0):.0%}"
        risk = dict(self._fields["risk"]._description_selection(self.env)).get(
            params.get("risk"), params.get("risk")
        )
        texts = {
            "no_explanation": self.env._("Never runs: the agent did not say why."),
            "irreversible": self.env._("Always asks a person: it cannot be undone."),
            "contacts_customer": self.env._("Always asks a person: it contacts a customer."),
            "moves_money": self.env._("Always asks a person: it moves money."),
            "needs_person": self.env._(
                "Always asks a person: “%s” is always decided by one.", label
            ),
            "assisted": self.env._("Asks a person: the agent only proposes (assisted autonomy)."),
            "always_ask": self.env._("Asks a person: “%s” is set to always ask.", label),
            "risk": self.env._("Asks a person: its risk is %s.", risk),
            "below_threshold": self.env._(
                "Asks a person: confidence %(confidence)s is below the %(threshold)s needed to "
                "run alone.",
                confidence=confidence,
                threshold=threshold,
            ),
            "runs_alone": self.env._(
                "Runs on its own: low risk, confidence %(confidence)s reaches the %(threshold)s "
                "needed (conditional autonomy).",
                confidence=confidence,
                threshold=threshold,
            ),
        }
        return texts.get(decision.code, decision.reason)

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
        """Only the agent's own code path creates actions (``_agent_propose``, in superuser mode
        on this model). Whatever the values or the context say, an action is born ``proposed``,
        unapproved, and about an allowed model."""
        if not self.env.su:
            raise AccessError(
                self.env._("Agent actions are proposed by the agent only, never created by hand.")
            )
        # context defaults (default_state, default_approved_by_id, ...) never reach a new action
        self = self.with_env(self.env(context=clean_context(self.env.context)))  # noqa: PLW0642
        specs = self._agent_kind_specs()
        validity = int(
            self.env["ir.config_parameter"]
            .sudo()  # sudo: a setting
            .get_param("crm_agent.proposal_validity_days", DEFAULT_VALIDITY_DAYS)
        )
        allowed_models = self._agent_allowed_models()
        for vals in vals_list:
            vals.update(AGENT_STATE_FIELDS)
            if vals.get("res_model") not in allowed_models:
                raise ValidationError(
                    self.env._("The agent does not act on %s records.", vals.get("res_model"))
                )
            spec = specs.get(vals.get("kind"))
            if spec:
                vals.setdefault("risk", spec.risk)
                vals["irreversible"] = vals.get("irreversible") or spec.irreversible
                vals["contacts_customer"] = vals.get("contacts_customer") or spec.contacts_customer
                vals["moves_money"] = vals.get("moves_money") or spec.moves_money
            vals.setdefault("expires_at", fields.Datetime.now() + timedelta(days=validity))
            self._agent_check_payload(vals.get("res_model"), vals.get("payload"))
        return super().create(vals_list)

    def write(self, vals):
        """Users never write actions: the agent's transitions write in superuser mode. Managers
        may only archive or restore them (the audit trail is never deleted)."""
        if not self.env.su:
            if set(vals) - {"active"} or not self.env.user.has_group(
                "crm_agent.group_agent_manager"
            ):
                raise AccessError(
                    self.env._(
                        "Agent actions are the audit trail: only the agent changes them "
                        "(managers may archive them)."
                    )
                )
            self.check_access("write")
            return self.sudo().write(vals)  # only 'active', after the manager's access check
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_the_agent(self):
        if not self.env.su:
            raise UserError(
                self.env._("Agent actions are the audit trail: archive them instead of deleting.")
            )

    @api.model
    def _agent_allowed_models(self):
        """The models the agent may act on (addons may extend it, never with access models)."""
        return set(ALLOWED_MODELS)

    @api.model
    def _agent_check_payload(self, model, payload):
        """Refuse values that would change access rights or account ownership, whoever asks."""
        values = (payload or {}).get("values") or {}
        if not values or model not in self.env:
            return
        model_fields = self.env[model]._fields
        for fname in values:
            field = model_fields.get(fname)
            if (
                field is None
                or fname in DENIED_FIELD_NAMES
                or getattr(field, "comodel_name", None) in DENIED_COMODELS
                and fname != "user_id"
                or (field.compute and not field.inverse and field.readonly)
            ):
                raise ValidationError(
                    self.env._(
                        "The agent may not write the field %(field)s of %(model)s.",
                        field=fname,
                        model=model,
                    )
                )

    # ------------------------------------------------------------------
    # Access: an action is visible when every record it touches is
    # ------------------------------------------------------------------

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, *, bypass_access=False, **kwargs):
        if self.env.su or bypass_access:
            return super()._search(
                domain, offset, limit, order, bypass_access=bypass_access, **kwargs
            )
        # the visibility rule is part of the query, so limit and offset apply after it
        domain = Domain(domain) & self._agent_visibility_domain()
        return super()._search(domain, offset, limit, order, **kwargs)

    @api.model
    def _agent_visibility_domain(self):
        """Actions whose target, and every other record they touch, the user may read."""
        parts = []
        for model in sorted(self._agent_allowed_models()):
            Model = self.env[model].with_context(active_test=False)
            if not Model.has_access("read"):
                continue
            parts.append(
                Domain("res_model", "=", model) & Domain("res_id", "any!", Model._search([]))
            )
        if not parts:
            return Domain.FALSE
        visible = Domain.OR(parts)
        hidden = self._agent_hidden_multi_record_ids(visible)
        return visible & Domain("id", "not in", hidden) if hidden else visible

    @api.model
    def _agent_hidden_multi_record_ids(self, visible):
        """Ids of actions whose target is readable but not every record in their
        ``payload["record_ids"]``: one query for the actions, one access check per model."""
        # a superset of this user's actions is fine: the ids only ever leave the visible set
        query = self._search(visible, active_test=False, bypass_access=True)
        payload = SQL.identifier(self._table, "payload")
        query.add_where(SQL("%s ? 'record_ids'", payload))
        rows = self.env.execute_query(
            query.select(
                SQL.identifier(self._table, "id"),
                SQL.identifier(self._table, "res_model"),
                SQL("%s -> 'record_ids'", payload),
            )
        )
        by_model = defaultdict(set)
        for _id, model, ids in rows:
            by_model[model].update(i for i in (ids or []) if isinstance(i, int))
        # a record that no longer exists (merged away) hides nothing: the action stays in the
        # history of those who may read what is left
        unreadable = {}
        for model, ids in by_model.items():
            records = self.env[model].with_context(active_test=False).browse(ids).exists()
            unreadable[model] = set((records - records._filtered_access("read")).ids)
        return [
            _id
            for _id, model, ids in rows
            if any(isinstance(i, int) and i in unreadable.get(model, ()) for i in ids or [])
        ]

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if operation != "read" or self.env.su or not self:
            return result
        candidates = self - result[0] if result else self
        visible = self.browse(self._search([("id", "in", candidates.ids)], active_test=False))
        forbidden = candidates - visible
        if not forbidden:
            return result
        if result:
            return (result[0] + forbidden, result[1])
        return (forbidden, lambda: forbidden._make_access_error(operation))

    def _agent_touched_records(self):
        """Every record this action reads or changes: the target and ``payload["record_ids"]``."""
        self.ensure_one()
        ids = [self.res_id] + [
            i for i in (self.payload or {}).get("record_ids") or [] if isinstance(i, int)
        ]
        return self.env[self.res_model].with_context(active_test=False).browse(ids).exists()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _agent_target(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id)

    @api.model
    def _agent_is_paused(self):
        return bool(
            self.env["ir.config_parameter"].sudo().get_param(PARAM_PAUSED)
        )  # sudo: the kill switch, a setting

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

    def _agent_approval_refusal(self, user=None, assigning=False):
        """Why ``user`` (default: the current user) may not decide on this action, or None.

        An approver is a member of the Approver group (or the company's approver group), the
        approver the agent itself assigned, or the person the kind names (its ``approver`` hook,
        e.g. the salesperson of a drafted mail); never the user who proposed the action, never
        on their own contact, and only when they may read every record the action touches."""
        self.ensure_one()
        user = user or self.env.user
        action = self.sudo()  # the stored facts of the action, whoever asks
        if not user.active or user._is_superuser() or user.share:
            return self.env._("%s is not a person who may approve.", user.name)
        if not (
            user.has_group("crm_agent.group_agent_approver")
            or user == action.approver_id
            or assigning
            or user == action._agent_kind_approver()
            # sudo: who belongs to the configured group, not something the user must read
            or user in action.company_id.agent_approver_group_id.sudo().user_ids
        ):
            return self.env._(
                "Only an approver of the agent (or the approver it assigned) can decide on '%s'.",
                action.name,
            )
        if user == action.create_uid and not action._agent_proposed_by_system():
            return self.env._("Nobody approves what they proposed themselves ('%s').", action.name)
        touched = action._agent_touched_records()
        if touched._name == "res.partner" and user.partner_id in touched:
            return self.env._("Nobody decides on an action about their own contact.")
        if action.company_id and action.company_id not in user.company_ids:
            return self.env._("%s may not work in the action's company.", user.name)
        if touched.with_user(user)._filtered_access("read") != touched.with_user(
            user
        ):  # with_user: the candidate's own rights, never more
            return self.env._(
                "Only someone who may read every record it touches can decide on '%s'.",
                action.name,
            )
        return None

    def _agent_kind_approver(self):
        """The one user the kind names to decide (its ``approver`` hook), else no user."""
        self.ensure_one()
        spec = self._agent_kind_specs().get(self.kind)
        if not spec or not spec.approver:
            return self.env["res.users"]
        user = getattr(self, spec.approver)()
        return user if user and len(user) == 1 else self.env["res.users"]

    def _agent_proposed_by_system(self):
        """True when no person proposed this action (a scheduled job, the mail gateway)."""
        self.ensure_one()
        proposer = self.sudo().create_uid  # sudo: the proposer's user record, whoever asks
        return not proposer or proposer._is_superuser() or proposer == self._agent_system_user()

    @api.model
    def _agent_system_user(self):
        return (
            self.env.ref("crm_agent.user_agent", raise_if_not_found=False) or self.env["res.users"]
        )

    def _agent_can_approve(self, user=None):
        return not self._agent_approval_refusal(user)

    def _agent_check_approver(self):
        for action in self:
            refusal = action._agent_approval_refusal()
            if refusal:
                raise AccessError(refusal)

    def _agent_post(self, body):
        """Post an internal note about this action on the target's chatter."""
        self.ensure_one()
        # the audit note is the agent's, posted even where the deciding user may only read
        target = self._agent_target().sudo().exists()
        if not target or not hasattr(target, "message_post"):
            return
        # marked as the agent's own note: nothing of the agent reads it back as a mail or minutes
        target.with_context(crm_agent_own_note=True).message_post(
            body=Markup("<p><b>%s</b></p><p>%s</p>") % (self.env._("Agent"), body),
            subtype_xmlid="mail.mt_note",
            message_type="comment",
            author_id=self.env.user.partner_id.id,
        )

    def _agent_close_activities(self):
        """Remove the approval activities of decided actions (they are no longer open, so the
        activity's own unlink hook has nothing left to reject or expire); an activity that
        still asks about other open proposals of its record stays, with its note rewritten."""
        # the agent's own activities, whoever decided
        activities = self.sudo().activity_id.filtered("active")
        still_asking = activities.filtered(
            lambda activity: activity.agent_action_ids.filtered(
                lambda a: a.state in OPEN_STATES and a not in self
            )
        )
        # a decided action leaves the activity that still asks about the others
        # sudo: the agent's own audit rows (approvers and the cron reach here; only the link of
        # the actions just decided is cleared)
        self.sudo().filtered(lambda a: a.activity_id in still_asking).write({"activity_id": False})
        still_asking._agent_refresh_note()
        (activities - still_asking).unlink()

    # ------------------------------------------------------------------
    # Proposing and routing
    # ------------------------------------------------------------------

    @api.model
    def _agent_propose(self, vals_list):
        """Create actions from engine proposals and route them: run alone when the policy lets
        them (and the agent is not paused), else ask the approver in an activity.

        The one way to create actions. The caller (a person's check, a job, the mail gateway)
        must be able to read every record a proposal touches; the row itself is written in
        superuser mode because users never write the audit trail."""
        if isinstance(vals_list, dict | proposal_rule.Proposal):
            vals_list = [vals_list]
        vals_list = self._agent_not_asked_before(
            [
                vals.to_vals() if isinstance(vals, proposal_rule.Proposal) else dict(vals)
                for vals in vals_list
            ]
        )
        if not vals_list:
            return self.browse()
        by_model = defaultdict(set)
        for vals in vals_list:
            if vals.get("res_model") not in self._agent_allowed_models():
                raise ValidationError(
                    self.env._("The agent does not act on %s records.", vals.get("res_model"))
                )
            ids = [vals["res_id"]] + list((vals.get("payload") or {}).get("record_ids") or [])
            by_model[vals["res_model"]].update(ids)
        for model, ids in by_model.items():
            self.env[model].with_context(active_test=False).browse(ids).check_access("read")
        for vals in vals_list:
            record = self.env[vals["res_model"]].browse(vals["res_id"])
            values = (vals.get("payload") or {}).get("values")
            if "freshness_snapshot" not in vals:
                fnames = _payload_depends_on(vals.get("payload"))
                vals["freshness_snapshot"] = self._agent_snapshot(record, fnames)
            if values:
                # the before-image holds exactly the fields the action changes, never more
                before = vals.get("before_image")
                vals["before_image"] = (
                    {f: before[f] for f in values if f in before}
                    if isinstance(before, dict)
                    else self._agent_snapshot(record, list(values))
                )
            if not vals.get("company_id") and "company_id" in record._fields:
                # sudo: only the company id of a record the caller may read (checked above)
                vals["company_id"] = record.sudo().company_id.id or self.env.company.id
        # the audit row only: proposals are the agent's records, never the caller's
        agent = self.with_env(self.env(context=clean_context(self.env.context), su=True))
        actions = agent.create(vals_list)
        actions = actions.with_env(self.env)
        actions._agent_route()
        return actions

    @api.model
    def _agent_not_asked_before(self, vals_list):
        """The one "never ask twice" rule (``engine/proposal.py``): drop proposals whose
        ``dedup_key`` an earlier action blocks, in one query."""
        keys = list({vals["dedup_key"] for vals in vals_list if vals.get("dedup_key")})
        earlier = []
        if keys:
            # every action, whoever may read it: asking twice is never right
            rows = (
                self.sudo()
                .with_context(active_test=False)
                .search_read(
                    [("dedup_key", "in", keys), ("state", "not in", proposal_rule.RETRY_STATES)],
                    ["dedup_key", "state", "rejected_date", "undone_date", "rejection_kind"],
                )
            )
            earlier = [
                (
                    row["dedup_key"],
                    row["state"],
                    row["rejected_date"] or row["undone_date"],
                    row["rejection_kind"] or None,
                )
                for row in rows
            ]
        return proposal_rule.fresh(
            vals_list,
            earlier,
            fields.Datetime.now(),
            not_now_days=self._agent_not_now_days(),
        )

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
            reason = self._agent_policy_reason_text(decision, action.kind)
            by_decision[decision.run_alone, reason].append(action.id)
            if decision.run_alone:
                to_run |= action
            else:
                to_ask |= action
        for (run_alone, reason), ids in by_decision.items():
            self.browse(ids).sudo().write(
                {"auto_run": run_alone, "policy_reason": reason}
            )  # sudo: the agent's own transition on its audit row
        to_ask._agent_request_approval()
        if to_run and not self._agent_is_paused():
            to_run._agent_execute()
        elif to_run:
            for action in to_run:
                action._agent_post(
                    escape(self.env._("Queued (the agent is paused): %s", action.name))
                )

    def _agent_resolve_approver(self):
        """The first who may decide (see ``_agent_approval_refusal``) of: the person the kind
        names (its ``approver`` hook), the configured approver user, the sales team leader of
        the target, the members of the approver group, the administrator. Empty when nobody
        may: the proposal then waits without an activity."""
        self.ensure_one()
        company = (self.company_id or self.env.company).sudo()  # settings, whoever proposes
        target = self._agent_target().sudo()  # only to find its team leader
        team = target["team_id"] if "team_id" in target._fields else False
        group = company.agent_approver_group_id or self.env.ref("crm_agent.group_agent_approver")
        # the configured approver and the team leader may decide because the agent assigns them
        # the kind's own approver first (e.g. the salesperson who signs a drafted mail)
        assigned = [
            self._agent_kind_approver(),
            company.agent_approver_user_id,
            team.user_id if team else False,
        ]
        members = list(
            group.sudo()  # sudo: the approver group's members, not the user's to read
            .user_ids.filtered(lambda u: u.active and not u.share and company in u.company_ids)
            .sorted("id")
        )
        members.append(self.env.ref("base.user_admin", raise_if_not_found=False))
        for user in assigned:
            if user and not self._agent_approval_refusal(user, assigning=True):
                return user
        for user in members:
            if user and not self._agent_approval_refusal(user):
                return user
        return self.env["res.users"]

    def _agent_approval_details(self):
        """HTML shown to the approver in the activity: the kind's ``approval_details`` hook,
        else the field-by-field change of the target (never another record's data)."""
        self.ensure_one()
        hook = self._agent_kind_specs().get(self.kind)
        if hook and hook.approval_details:
            return getattr(self, hook.approval_details)()
        return self.change_html

    @api.model
    def _agent_queue_size(self):
        """How many proposals may wait in one approver's activities at once (0: no limit)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()  # sudo: a setting
            .get_param(PARAM_QUEUE_SIZE, DEFAULT_QUEUE_SIZE)
        )
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            _logger.warning("CRM agent: approver queue size %r is not a number", value)
            return DEFAULT_QUEUE_SIZE

    def _agent_value(self):
        """What answering this proposal is worth: confidence times the minutes it saves."""
        self.ensure_one()
        spec = self._agent_kind_specs().get(self.kind)
        return (self.confidence or 0.0) * max(spec.minutes_saved if spec else 0.0, 1.0)

    def _agent_request_approval(self):
        """Ask an approver for each action: highest value first, at most the queue size per
        approver (the rest wait, queued, and are asked when there is room), and one activity per
        record and approver, however many proposals it holds."""
        sudo_self = self.sudo()  # sudo: the agent's own rows; the approvers are checked below
        approvers = {action.id: action._agent_resolve_approver() for action in self}
        nobody = self.filtered(lambda a: not approvers[a.id])
        for action in nobody:
            action.sudo().write(  # sudo: the agent's own transition on its audit row
                {"state": "waiting", "policy_reason": self.env._("No approver may decide.")}
            )
            action._agent_post(
                escape(
                    self.env._(
                        "Proposed: %(name)s. Nobody who may approve it can read every record "
                        "it touches; it waits for an approver. Why: %(why)s",
                        name=action.name,
                        why=action.explanation,
                    )
                )
            )
        users = self.env["res.users"].union(*approvers.values())
        if not users:
            return
        # proposals queued earlier for the same approvers compete with the new ones
        queued = (
            sudo_self.search(
                [
                    ("approval_queued", "=", True),
                    ("state", "=", "waiting"),
                    ("approver_id", "in", users.ids),
                    ("id", "not in", self.ids),
                ]
            )
            .with_env(self.env)
            # sudo: the approver stored on the agent's own row; the refusal re-checks that user's
            # rights, so a caller who triggers this (a rep's "Check data quality") steers nothing
            .filtered(lambda a: not a._agent_approval_refusal(a.sudo().approver_id))
        )
        for action in queued:
            approvers[action.id] = action.sudo().approver_id  # sudo: as above
        waiting = dict(
            sudo_self._read_group(
                [
                    ("state", "in", OPEN_STATES),
                    ("activity_id", "!=", False),
                    ("approver_id", "in", users.ids),
                ],
                ["approver_id"],
                ["__count"],
            )
        )
        queue_size = self._agent_queue_size()
        candidates = (self - nobody) | queued
        to_ask = self.browse()
        to_queue = self.browse()
        for user in users:
            mine = candidates.filtered(lambda a, user=user: approvers[a.id] == user)
            mine = mine.sorted(lambda a: (-a._agent_value(), a.id))
            room = queue_size - waiting.get(user, 0) if queue_size else len(mine)
            room = max(room, 0)
            to_ask |= mine[:room]
            to_queue |= mine[room:]
        for action in to_queue.filtered(lambda a: not a.approval_queued):
            action.sudo().write(  # sudo: the agent's own transition on its audit row
                {
                    "state": "waiting",
                    "approval_queued": True,
                    "approver_id": approvers[action.id].id,
                }
            )
        groups = defaultdict(lambda: self.browse())
        for action in to_ask:
            groups[approvers[action.id], action.res_model, action.res_id] |= action
        for (approver, _model, _res_id), actions in groups.items():
            actions._agent_ask(approver)

    def _agent_ask(self, approver):
        """One approval activity for these actions of one record: an open one of the same
        approver on the record is reused, with its note rewritten."""
        activity_type = self.env.ref("crm_agent.mail_activity_type_agent_approval")
        first = self[0]
        target = first._agent_target()
        vals = {"approver_id": approver.id, "state": "waiting", "approval_queued": False}
        if hasattr(target, "activity_schedule"):
            Activity = self.env["mail.activity"].sudo()  # sudo: the agent's own activities
            activity = Activity.search(
                [
                    ("res_model", "=", target._name),
                    ("res_id", "=", target.id),
                    ("user_id", "=", approver.id),
                    ("activity_type_id", "=", activity_type.id),
                    ("agent_action_id", "!=", False),
                ],
                limit=1,
            )
            if not activity:
                # the agent's own activity; agent_action_id is a field users cannot set
                activity = target.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=self.env._("Agent: %s", first.name)[:200],
                    note=first._agent_activity_note(approver),
                    user_id=approver.id,
                    agent_action_id=first.id,
                )
            vals["activity_id"] = activity.id
            self.sudo().write(vals)  # sudo: the agent's own transition on its audit rows
            activity._agent_refresh_note()
        else:
            self.sudo().write(vals)  # sudo: as above
        names = Markup("").join(
            Markup("<li>%s <i>%s</i></li>") % (action.name, action.explanation) for action in self
        )
        first._agent_post(
            Markup("%s<ul>%s</ul>")
            % (self.env._("Proposed, waiting for %s:", approver.name), names)
        )

    def _agent_activity_note(self, approver):
        """The note of an approval activity for these open actions of one record, as the
        approver may read it: what, why, the details, and how to decide."""
        parts = []
        for action in self:
            details = (
                action.with_user(approver)._agent_approval_details() or ""
            )  # with_user: the approval details as the approver may see them
            parts.append(
                Markup(
                    '<div class="o_crm_agent_proposal"><p><b>%s</b></p><p><i>%s</i> %s</p>%s'
                    '<p><a href="/odoo/crm.agent.action/%s">%s</a></p></div>'
                )
                % (
                    action.name,
                    self.env._("Why:"),
                    action.explanation,
                    details,
                    action.id,
                    self.env._("Open the proposal"),
                )
            )
        how = (
            self.env._("Mark this activity done to approve and execute it; cancel it to reject it.")
            if len(self) == 1
            else self.env._(
                "Mark this activity done to approve and execute all %s; cancel it to reject "
                "them, or decide each one from its proposal.",
                len(self),
            )
        )
        return Markup("").join(parts) + Markup("<p>%s</p>") % how

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
        done = actions._agent_execute()
        self._agent_fill_approval_queues()
        not_done = actions - done
        if not not_done:
            return True
        # the person who approved sees at once what did not happen, and why
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Not executed"),
                "message": "\n".join(
                    # sudo: the error of the actions this approver has just decided
                    f"{action.name}: {action.sudo().error or ''}"
                    for action in not_done
                ),
                "type": "warning",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_reject(self, reason=None, rejection_kind=None):
        """Reject; ``rejection_kind`` is 'wrong' (never again) or 'not_now' (may come back after
        the configured period). Without it, a stated reason means 'wrong', none 'not now'."""
        self._agent_reject(reason, rejection_kind=rejection_kind)
        return True

    def _agent_reject(self, reason=None, close_activities=True, rejection_kind=None):
        if rejection_kind not in (None, proposal_rule.WRONG, proposal_rule.NOT_NOW):
            raise UserError(self.env._("Say whether the proposal is wrong or only not wanted now."))
        actions = self._agent_open_for_decision()
        reason = (reason or "").strip() or False
        rejection_kind = rejection_kind or (
            proposal_rule.WRONG if reason else proposal_rule.NOT_NOW
        )
        actions.sudo().write(  # sudo: the agent's transition, after _agent_open_for_decision checked the approver
            {
                "state": "rejected",
                "rejected_by_id": self.env.uid,
                "rejected_date": fields.Datetime.now(),
                "rejection_reason": reason,
                "rejection_kind": rejection_kind,
            }
        )
        for action in actions:
            if rejection_kind == proposal_rule.WRONG:
                text = self.env._(
                    "Rejected by %(user)s as wrong: %(name)s. The agent will not propose it again.",
                    user=self.env.user.name,
                    name=action.name,
                )
            else:
                text = self.env._(
                    "Dismissed for now by %(user)s: %(name)s. The agent may propose it again "
                    "after %(days)s days.",
                    user=self.env.user.name,
                    name=action.name,
                    days=self._agent_not_now_days(),
                )
            if reason:
                text = self.env._("%(text)s Reason: %(reason)s", text=text, reason=reason)
            action._agent_post(escape(text))
        if close_activities:
            actions._agent_close_activities()
        actions._agent_after_reject()
        self._agent_fill_approval_queues()
        return actions

    @api.model
    def _agent_not_now_days(self):
        """How long a proposal dismissed as "not now" stays away (a setting, in days)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()  # sudo: a setting
            .get_param(PARAM_NOT_NOW_DAYS, proposal_rule.NOT_NOW_DAYS)
        )
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            _logger.warning("CRM agent: 'not now' period %r is not a number", value)
            return proposal_rule.NOT_NOW_DAYS

    @api.model
    def _agent_fill_approval_queues(self, limit=CRON_BATCH_SIZE * 10):
        """Ask the queued proposals, highest value first, where approvers have room again."""
        queued = (
            self.sudo()  # sudo: the agent's own rows, whoever freed the room
            .search([("approval_queued", "=", True), ("state", "=", "waiting")], limit=limit)
            .with_env(self.env)
        )
        if queued:
            queued._agent_request_approval()

    def _agent_after_reject(self):
        """Run each kind's ``after_reject`` hook (e.g. remember 'not a duplicate')."""
        self._agent_run_kind_hook("after_reject")

    def _agent_run_kind_hook(self, role):
        """Call the hook named ``role`` in each kind's declaration on that kind's actions."""
        specs = self._agent_kind_specs()
        for kind, actions in self.grouped("kind").items():
            method = getattr(specs.get(kind), role, "")
            if method:
                getattr(actions, method)()

    def action_open_reject_wizard(self):
        self._agent_check_approver()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.agent.action.reject",
            "view_mode": "form",
            "views": [(False, "form")],
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
        target = (
            self._agent_target().sudo()
        )  # sudo: compare the snapshot fields only, whoever executes
        current = self._agent_snapshot(target, fnames)
        return current != self.freshness_snapshot

    def _agent_is_stale_for_kind(self):
        """The snapshot check, then the kind's own ``stale_check`` hook if it declares one."""
        self.ensure_one()
        if self._agent_is_stale():
            return True
        spec = self._agent_kind_specs().get(self.kind)
        return bool(spec and spec.stale_check and getattr(self, spec.stale_check)())

    def _agent_execute(self):
        """Execute approved (or auto-run) actions, each at most once, each in its own savepoint.

        Approved actions run with the approver's rights (checked again now); auto-run actions
        with the rights of the agent's own low-privilege user, in the action's company. Never
        as superuser, never as a user id someone could have edited. Returns the actions that ran
        successfully."""
        done = self.browse()
        for action in self:
            if not action._agent_lock():
                _logger.info("agent action %s is being executed elsewhere; skipped", action.id)
                continue
            action.invalidate_recordset()
            sudo_action = action.sudo()  # sudo: the agent's own row (state, executor); the executor runs with its own rights below
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
            executor, refusal = sudo_action._agent_executor()
            if refusal:
                sudo_action.write({"state": "failed", "error": refusal})
                action._agent_post(
                    escape(
                        self.env._("Not executed: %(name)s. %(why)s", name=action.name, why=refusal)
                    )
                )
                action._agent_tell_approver(refusal)
                continue
            if not has_explanation(sudo_action.explanation):
                sudo_action.write(
                    {"state": "failed", "error": self.env._("No explanation: never runs.")}
                )
                continue
            target = sudo_action._agent_target().exists()
            if not target:
                why = self.env._(
                    "Its record no longer exists (deleted, or merged into another); nothing was "
                    "done."
                )
                sudo_action.write({"state": "failed", "error": why})
                action._agent_tell_approver(why)
                continue
            if sudo_action._agent_is_stale_for_kind():
                why = self.env._(
                    "The record changed since the proposal; nothing was done. If the proposal "
                    "still holds, the agent proposes it again on its next run."
                )
                sudo_action.write({"state": "stale", "error": why})
                action._agent_post(
                    escape(self.env._("Not executed, the record changed since: %s", action.name))
                )
                action._agent_tell_approver(why)
                continue
            as_executor = action.with_user(
                executor
            ).with_company(  # with_user: execute with the approver's or the agent user's rights, never superuser
                sudo_action.company_id or executor.company_id
            )
            try:
                method = getattr(as_executor, sudo_action._agent_spec().executor)
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
                action._agent_tell_approver(
                    self.env._(
                        "It failed, nothing was changed: %s", str(exc) or exc.__class__.__name__
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
        done._agent_run_kind_hook("after_execute")
        if done:
            # what just ran (a merge) may have removed records other proposals are about
            self._agent_close_leftovers(set(done.mapped("res_model")))
        return done

    def _agent_tell_approver(self, text):
        """Tell the person who approved this action what happened and why (their inbox, or a
        mail, as they chose in their preferences): the agent's message, linked to the record."""
        self.ensure_one()
        approver = self.sudo().approved_by_id  # sudo: who approved, whoever executes
        if not approver or not approver.active or approver.share:
            return
        target = self._agent_target().sudo().exists()  # sudo: only to link the message to it
        thread = target if target and hasattr(target, "message_notify") else approver.partner_id
        author = self._agent_system_user().partner_id or self.env.ref("base.partner_root")
        # sudo: the agent writes to the approver, who may not read every record it touched
        thread.sudo().with_context(crm_agent_own_note=True).message_notify(
            partner_ids=approver.partner_id.ids,
            author_id=author.id,
            subject=self.env._("Agent: %s", self.name),
            body=Markup("<p>%s</p><p>%s</p>") % (self.name, text),
        )

    @api.model
    def _agent_close_leftovers(self, models=None, limit=CRON_BATCH_SIZE * 10):
        """Open proposals about records that are gone (deleted, or merged into another) or
        archived close themselves: stale, with the reason, and without an activity left. One
        query per model and condition, then one existence check per model for the other records
        a proposal touches (a merge)."""
        Action = self.sudo()  # sudo: the agent's own rows, in every company
        closing = {}
        for model in sorted(models or self._agent_allowed_models()):
            Model = self.env[model].sudo().with_context(active_test=False)
            base = [("state", "in", OPEN_STATES), ("res_model", "=", model)]
            gone = Action.search(base + [("res_id", "not in", Model._search([]))], limit=limit)
            for action in gone:
                closing[action] = self.env._(
                    "Closed without a decision: its record no longer exists (deleted, or merged "
                    "into another)."
                )
            if "active" in Model._fields:
                archived = Action.search(
                    base + [("res_id", "in", Model._search([("active", "=", False)]))],
                    limit=limit,
                )
                for action in archived:
                    closing[action] = self.env._(
                        "Closed without a decision: its record was archived (or merged into "
                        "another)."
                    )
            multi = Action.search(
                base + [("id", "not in", [a.id for a in closing]), ("payload", "!=", False)],
                limit=limit,
            ).filtered(lambda a: (a.payload or {}).get("record_ids"))
            ids = {i for a in multi for i in a.payload["record_ids"] if isinstance(i, int)}
            alive = Model.browse(ids).exists()
            alive_active = alive.filtered("active") if "active" in Model._fields else alive
            for action in multi:
                missing = [
                    i
                    for i in action.payload["record_ids"]
                    if isinstance(i, int) and i not in alive_active.ids
                ]
                if missing:
                    closing[action] = self.env._(
                        "Closed without a decision: %s of the records it is about no longer "
                        "exist or were archived (merged into another, or deleted).",
                        len(missing),
                    )
        for action, why in closing.items():
            action.write({"state": "stale", "error": why, "approval_queued": False})
            action._agent_close_activities()
            action.with_env(self.env)._agent_post(
                escape(self.env._("%(why)s (%(name)s)", why=why, name=action.name))
            )
        return Action.browse([a.id for a in closing])

    def _agent_executor(self):
        """``(user, refusal)``: who executes this action, or why nobody may."""
        self.ensure_one()
        if self.state == "approved":
            approver = self.approved_by_id
            if not approver:
                return approver, self.env._("The approver no longer exists.")
            refusal = self._agent_approval_refusal(approver)
            return approver, (
                self.env._(
                    "%(user)s may no longer approve it: %(why)s", user=approver.name, why=refusal
                )
                if refusal
                else None
            )
        agent = self._agent_system_user()
        if not agent:
            return agent, self.env._("The agent's own user is missing: reinstall CRM Agent.")
        if (
            self.company_id and self.company_id not in agent.sudo().company_ids
        ):  # sudo: the agent user's companies
            return agent, self.env._("The agent's user may not work in %s.", self.company_id.name)
        return agent, None

    def _agent_execute_update_fields(self):
        target = self._agent_target()
        values = (self.payload or {}).get("values") or {}
        if not values:
            raise UserError(self.env._("Nothing to update."))
        target.write(self._agent_values_to_write(target, values))
        return self.env._("Updated %s.", self._agent_fields_label(target._name, values))

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
        self.sudo().result_data = {
            "activity_ids": activity.ids
        }  # sudo: the agent's own result field
        return self.env._(
            "Scheduled '%(summary)s' for %(date)s.",
            summary=activity.summary or activity.activity_type_id.name,
            date=format_date(self.env, deadline),
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
                result = getattr(action, action._agent_spec().undoer)()
            action.sudo().write(  # sudo: the agent's transition, after the manager check above
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
        self._agent_run_kind_hook("after_undo")
        return True

    def _agent_undo_update_fields(self):
        target = self._agent_target()
        values = (self.payload or {}).get("values") or {}
        current = self._agent_snapshot(target, list(values))
        if current != values:
            changed = [f for f in values if current.get(f) != values.get(f)]
            raise UserError(
                self.env._(
                    "Cannot undo '%(name)s': %(fields)s changed since the agent wrote them.",
                    name=self.name,
                    fields=self._agent_fields_label(target._name, changed),
                )
            )
        # only the fields the action wrote, whatever else a before-image might hold
        before = self.before_image or {}
        restore = {fname: before[fname] for fname in values if fname in before}
        target.write(self._agent_values_to_write(target, restore))
        return self.env._("Restored %s.", self._agent_fields_label(target._name, restore))

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
        """Hourly: close proposals about records that are gone, expire the old ones, and ask
        the queued ones where approvers have room."""
        if self._agent_is_paused():
            _logger.info("CRM agent is paused: no proposal expired")
            return
        self._agent_close_leftovers()
        expired = (
            self.sudo()  # sudo: the expiry job sees every company's open proposals
            .search(
                [("state", "in", OPEN_STATES), ("expires_at", "<", fields.Datetime.now())],
                limit=CRON_BATCH_SIZE * 10,
            )
            .try_lock_for_update()
        )
        if expired:
            expired.write({"state": "expired", "approval_queued": False})
            expired._agent_close_activities()
            for action in expired:
                action._agent_post(
                    escape(self.env._("Expired without a decision: %s", action.name))
                )
        self._agent_fill_approval_queues()
