"""Every field and public method of the agent's addons, tried by every kind of user.

Discovered by introspection (the models, fields and groups our modules declare, the public
methods their classes define), so that a field or method added later is covered without editing
this test. Each attempt runs in a savepoint that is always rolled back; an attempt that succeeds
and changes what it must not (an action, a policy, a scoring model's state or metrics, an
agent-owned field, or any other row of our models) is a finding, and so is a search that reveals
an action about a record the user cannot read."""

import datetime
import logging

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)

OUR_MODULES = ("crm_agent", "crm_agent_hygiene", "crm_agent_scoring")
# bookkeeping the ORM itself writes on any change
IGNORED_FIELDS = {"write_date", "write_uid", "create_date", "create_uid", "id", "display_name"}
# ORM methods tried separately (create/write/unlink) or not actions at all
ORM_METHODS = {"create", "write", "unlink", "init", "copy", "read", "search", "name_create"}
# what a person may legitimately change directly, by design: model -> fields -> who may
# (a predicate on the user). Everything else of our models is written by the agent only.
MANAGER = "crm_agent.group_agent_manager"
USER_EDITABLE = {
    "crm.agent.kind.policy": {"*": MANAGER},  # the autonomy configuration
    "crm.agent.action": {"active": MANAGER},  # archive the audit row, never delete or edit it
    "crm.agent.scoring.feature": {"name": MANAGER, "description": MANAGER, "sequence": MANAGER},
    "crm.agent.hygiene.not.duplicate": {"*": MANAGER},  # forget or edit a remembered rejection
    "crm.agent.play": {"*": MANAGER},  # the catalogue of next-best actions: switch off, tune
}
# rows people may create directly: model -> who may
USER_CREATABLE = {
    "crm.agent.kind.policy": MANAGER,
    "crm.agent.hygiene.not.duplicate": "crm_agent.group_agent_approver",
    "crm.agent.play": MANAGER,
}
# fields our addons add to Odoo's models that people set on purpose (everything else there is
# agent-owned): (model, field) -> why
USER_FIELDS_ON_ODOO_MODELS = {
    ("res.partner", "agent_capture_opt_out"): "the contact asked not to be captured",
}


class _Rollback(Exception):
    def __init__(self, changes):
        super().__init__("rolled back")
        self.changes = changes


@tagged("post_install", "-at_install", "crm_agent", "crm_agent_security")
class TestAgentRightsMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.company.agent_autonomy = "assisted"
        data = env["ir.model.data"].sudo()
        cls.our_models = sorted(
            name
            for name in env.registry
            if env[name]._original_module in OUR_MODULES
            and not env[name]._abstract
            and not env[name]._transient
        )
        field_data = data.search([("module", "in", OUR_MODULES), ("model", "=", "ir.model.fields")])
        # fields our modules declare, not Odoo's own fields they only re-declare (e.g. an index)
        odoo_declared = set(
            data.search(
                [
                    ("module", "not in", OUR_MODULES),
                    ("model", "=", "ir.model.fields"),
                    ("res_id", "in", field_data.mapped("res_id")),
                ]
            ).mapped("res_id")
        )
        cls.our_fields = [
            (f.model, f.name)
            for f in env["ir.model.fields"].browse(field_data.mapped("res_id"))
            if f.id not in odoo_declared and f.model in env and f.name in env[f.model]._fields
        ]
        group_data = data.search([("module", "in", OUR_MODULES), ("model", "=", "res.groups")])
        our_groups = env["res.groups"].browse(group_data.mapped("res_id"))

        # the users: two salespeople, a sales administrator, a portal user, an internal user
        # without CRM rights, and one user per group our addons define
        cls.users = {
            "rep1": new_test_user(env, "mx_rep1", groups="sales_team.group_sale_salesman"),
            "rep2": new_test_user(env, "mx_rep2", groups="sales_team.group_sale_salesman"),
            "sales_admin": new_test_user(env, "mx_admin", groups="sales_team.group_sale_manager"),
            "portal": new_test_user(env, "mx_portal", groups="base.group_portal"),
            "internal": new_test_user(env, "mx_internal", groups="base.group_user"),
        }
        for group in our_groups:
            xmlid = group.get_external_id()[group.id]
            cls.users[xmlid] = new_test_user(
                env, f"mx_{xmlid.replace('.', '_')}", groups=f"base.group_user,{xmlid}"
            )
        cls.approver = new_test_user(
            env,
            "mx_approver",
            groups="sales_team.group_sale_salesman_all_leads,crm_agent.group_agent_approver",
        )
        cls.company.agent_approver_user_id = cls.approver

        # records the agent works on, and actions in every interesting state
        Lead = env["crm.lead"]
        cls.lead1 = Lead.create(
            {"name": "Matrix lead 1", "user_id": cls.users["rep1"].id, "phone": "020 7946 0001"}
        )
        cls.lead2 = Lead.create(
            {
                "name": "Matrix lead 2",
                "user_id": cls.users["rep2"].id,
                "phone": "020 7946 0002",
                "description": "<p>secret margin</p>",
            }
        )
        cls.partner = env["res.partner"].create({"name": "Matrix Contact", "phone": "020 7946 3"})
        Action = env["crm.agent.action"]

        def propose(record, value, **extra):
            return Action._agent_propose(
                dict(
                    {
                        "name": f"Set the phone of {record.display_name}",
                        "kind": "update_fields",
                        "res_model": record._name,
                        "res_id": record.id,
                        "explanation": "The phone is not in E.164 format.",
                        "confidence": 0.99,
                        "payload": {"values": {"phone": value}},
                    },
                    **extra,
                )
            )

        cls.actions = (
            propose(cls.lead1, "+442079460001")
            | propose(cls.lead2, "+442079460002")
            | propose(cls.partner, "+44207946003")
        )
        cls.merge_like = propose(
            cls.lead1,
            "+442079460009",
            payload={"values": {"phone": "+442079460009"}, "record_ids": [cls.lead2.id]},
        )
        done = propose(cls.lead1, "+442079460005")
        done.with_user(cls.approver).action_approve()
        cls.actions |= cls.merge_like | done
        env["crm.agent.kind.policy"].create({"kind": "update_fields", "risk": "medium"})

        # one row of each of our models to write on and call methods of
        cls.samples = {}
        for model in cls.our_models:
            rows = env[model].with_context(active_test=False).search([], limit=3)
            if not rows:
                rows = cls._create_sample(model)
            cls.samples[model] = rows
        cls.odoo_samples = {"crm.lead": cls.lead1 | cls.lead2, "res.partner": cls.partner}
        for model, _fname in cls.our_fields:
            if model not in cls.our_models and model not in cls.odoo_samples:
                Model = env[model]
                if not Model._abstract and not Model._transient:
                    cls.odoo_samples[model] = Model.with_context(active_test=False).search(
                        [], limit=2
                    )

    @classmethod
    @mute_logger("odoo.sql_db")
    def _create_sample(cls, model):
        Model = cls.env[model]
        vals = {}
        for fname, field in Model._fields.items():
            if field.required and not field.default and fname not in IGNORED_FIELDS:
                vals[fname] = cls._forged_value(Model, field, None)
        try:
            with cls.env.cr.savepoint():
                return Model.create(vals)
        except Exception as exc:  # noqa: BLE001 - a model we cannot sample is reported, not fatal
            _logger.info("rights matrix: no sample of %s (%s)", model, exc)
            return Model

    @classmethod
    def _forged_value(cls, record, field, current):
        """A value different from ``current`` that the field accepts."""
        if field.type == "boolean":
            return not current
        if field.type in ("char", "text"):
            return f"forged {current or ''}"[:60]
        if field.type == "html":
            return "<p>forged</p>"
        if field.type in ("integer", "float", "monetary"):
            return (current or 0) + 7
        if field.type == "selection":
            options = field._description_selection(cls.env) if field.selection else []
            values = [v for v, _label in options if v != current]
            return values[0] if values else current
        if field.type in ("many2one", "many2one_reference"):
            comodel = field.comodel_name if field.type == "many2one" else "res.partner"
            if field.type == "many2one_reference":
                model_field = record[field.model_field] if record else False
                comodel = model_field if model_field in cls.env else "res.partner"
            current_id = current.id if hasattr(current, "id") else current
            other = cls.env[comodel].sudo().search([("id", "!=", current_id or 0)], limit=1)
            return other.id
        if field.type == "many2many":
            other = cls.env[field.comodel_name].sudo().search([], limit=1)
            return [Command.set(other.ids)]
        if field.type == "json":
            return {"forged": True}
        if field.type == "datetime":
            return fields.Datetime.now() - datetime.timedelta(days=400)
        if field.type == "date":
            return fields.Date.today() - datetime.timedelta(days=400)
        return None

    # ------------------------------------------------------------------
    # Snapshots
    # ------------------------------------------------------------------

    def _stored_fnames(self, Model):
        return [
            fname
            for fname, field in Model._fields.items()
            if field.store and fname not in IGNORED_FIELDS and field.type != "binary"
        ]

    def _snapshot(self):
        """Every row of our models, and every agent field of the Odoo records in the test."""
        self.env.flush_all()
        self.env.invalidate_all()
        snap = {}
        for model in self.our_models:
            Model = self.env[model].sudo().with_context(active_test=False)
            for row in Model.search_read([], self._stored_fnames(Model)):
                snap[model, row["id"]] = row
        for model, records in self.odoo_samples.items():
            fnames = [
                f
                for m, f in self.our_fields
                if m == model and self.env[model]._fields[f].store and f not in IGNORED_FIELDS
            ]
            if fnames and records:
                for row in records.sudo().with_context(active_test=False).read(fnames):
                    snap[model, row["id"]] = row
        return snap

    def _changes(self, before, after):
        changes = []
        for key, row in after.items():
            if key not in before:
                changes.append((key, "created", row))
                continue
            for fname, value in row.items():
                if before[key].get(fname) != value:
                    changes.append((key, fname, value))
        changes += [(key, "deleted", None) for key in before if key not in after]
        return changes

    def _attempt(self, user, func):
        """Run ``func`` as ``user`` in a savepoint that is always rolled back.
        Returns the list of changes it made, or None when it was refused (raised)."""
        # every attempt is rolled back, so the state before each one is the test's baseline
        if getattr(self, "_baseline", None) is None:
            self._baseline = self._snapshot()
        before = self._baseline
        try:
            with self.env.cr.savepoint():
                func(user)
                raise _Rollback(self._changes(before, self._snapshot()))
        except _Rollback as done:
            return done.changes
        except Exception:  # noqa: BLE001 - any refusal (access, validation, missing argument)
            return None
        finally:
            self.env.invalidate_all()

    def _may(self, user, rule):
        return bool(rule) and user.has_group(rule)

    def _allowed(self, user, model, fname):
        rules = USER_EDITABLE.get(model, {})
        return self._may(user, rules.get(fname) or rules.get("*"))

    # ------------------------------------------------------------------
    # The matrix
    # ------------------------------------------------------------------

    @mute_logger("odoo.models", "odoo.models.unlink", "odoo.sql_db", "odoo.addons.crm_agent")
    def test_fields_of_our_models(self):
        findings = []
        self.assertIn("crm.agent.action", self.our_models)
        for label, user in self.users.items():
            for model in self.our_models:
                Model = self.env[model]
                samples = self.samples[model]
                # create: a copy of an existing row
                if samples:
                    vals = {
                        fname: self._as_write_value(Model._fields[fname], samples[0][fname])
                        for fname in self._stored_fnames(Model)
                        if not Model._fields[fname].compute or Model._fields[fname].inverse
                    }
                    if model == "crm.agent.kind.policy":
                        vals["kind"] = "schedule_activity"
                    created = self._attempt(user, lambda u, m=model, v=vals: self._create(u, m, v))
                    if created and not self._may(user, USER_CREATABLE.get(model)):
                        findings.append(f"{label} created a {model}: {created[:3]}")
                for record in samples[:1]:
                    for fname in self._stored_fnames(Model):
                        field = Model._fields[fname]
                        if field.type == "one2many":
                            continue
                        value = self._forged_value(record, field, record[fname])
                        if value is None:
                            continue
                        changes = self._attempt(
                            user,
                            lambda u, r=record, f=fname, v=value: r.with_user(u).write({f: v}),
                        )
                        if changes and not self._allowed(user, model, fname):
                            findings.append(f"{label} wrote {model}.{fname}: {changes[:3]}")
                    changes = self._attempt(user, lambda u, r=record: r.with_user(u).unlink())
                    if changes and not self._allowed(user, model, "*"):
                        findings.append(f"{label} deleted {model} {record.id}")
        self.assertEqual(findings, [], "\n".join(findings[:60]))

    def _create(self, user, model, vals):
        self.env[model].with_user(user).create(dict(vals))

    def _as_write_value(self, field, value):
        if field.type == "many2one":
            return value.id
        if field.type in ("one2many", "many2many"):
            return [Command.set(value.ids)] if field.type == "many2many" else []
        return value

    @mute_logger("odoo.models", "odoo.sql_db", "odoo.addons.crm_agent")
    def test_agent_fields_on_odoo_models(self):
        findings = []
        checked = 0
        for label, user in self.users.items():
            for model, fname in self.our_fields:
                if model in self.our_models or (model, fname) in USER_FIELDS_ON_ODOO_MODELS:
                    continue
                Model = self.env[model]
                field = Model._fields[fname]
                if Model._transient or Model._abstract or not field.store:
                    continue
                if model == "res.company" and field.related is None and not field.compute:
                    continue  # the agent's settings per company: Odoo's company rights apply
                for record in self.odoo_samples.get(model, Model)[:2]:
                    value = self._forged_value(record, field, record[fname])
                    if value is None:
                        continue
                    checked += 1
                    changes = self._attempt(
                        user, lambda u, r=record, f=fname, v=value: r.with_user(u).write({f: v})
                    )
                    if changes:
                        findings.append(f"{label} wrote {model}.{fname}: {changes[:2]}")
        self.assertTrue(checked, "no agent field on Odoo's models was tried")
        self.assertEqual(findings, [], "\n".join(findings[:60]))

    @mute_logger("odoo.models", "odoo.sql_db", "odoo.addons")
    def test_public_methods(self):
        findings = []
        methods = self._public_methods()
        self.assertTrue(any(m == "crm.agent.action" for m, _n in methods))
        for label, user in self.users.items():
            for model, name in methods:
                records = self.samples.get(model) or self.odoo_samples.get(model)
                if self.env[model]._transient:
                    records = self._create_sample(model)
                for record in (records or self.env[model])[:4]:
                    allowed = self._method_allowed(user, record, name)
                    changes = self._attempt(
                        user, lambda u, r=record, n=name: getattr(r.with_user(u), n)()
                    )
                    if not changes:
                        continue
                    bad = [c for c in changes if not self._acceptable(user, c, allowed)]
                    if bad:
                        findings.append(f"{label} called {model}.{name} on {record.id}: {bad[:3]}")
        self.assertEqual(findings, [], "\n".join(findings[:60]))

    def _public_methods(self):
        methods = set()
        for model in self.env.registry:
            cls = type(self.env[model])
            for klass in cls.__mro__:
                module = getattr(klass, "__module__", "") or ""
                if not any(module.startswith(f"odoo.addons.{m}.") for m in OUR_MODULES):
                    continue
                for name, value in vars(klass).items():
                    if name.startswith("_") or name in ORM_METHODS or not callable(value):
                        continue
                    if isinstance(value, type):
                        continue
                    methods.add((model, name))
        return sorted(methods)

    def _method_allowed(self, user, record, name):
        """What the method may change when this user calls it, by design."""
        if record._name == "crm.agent.action":
            if name in ("action_approve", "action_reject", "action_open_reject_wizard"):
                return record._agent_can_approve(user) and record.state in ("proposed", "waiting")
            if name == "action_undo":
                return user.has_group(MANAGER) and record.state == "done"
            return False
        if record._name.startswith("crm.agent.scoring"):
            return user.has_group(MANAGER)
        return "proposals"  # e.g. "Check data quality": it may propose, as the agent

    def _acceptable(self, user, change, allowed):
        (model, res_id), what, value = change
        if allowed is True:
            return True
        if allowed == "proposals" and model == "crm.agent.action" and what == "created":
            # the attempt was rolled back, the action with it: what it touches is in its row
            ids = [value["res_id"], *((value.get("payload") or {}).get("record_ids") or [])]
            touched = self.env[value["res_model"]].browse(ids).exists()
            return (
                value["state"] in ("proposed", "waiting")
                and touched.with_user(user)._filtered_access("read") == touched
            )
        if allowed == "proposals" and model == "crm.agent.action" and what == "activity_id":
            # a new proposal joins the open approval activity of its record (one per record
            # and approver) and queued proposals of the same approver get their turn: the
            # agent's bookkeeping on open rows, which tells the caller nothing (the activity's
            # note carries no other record's data, see test_hygiene_security); the activity's
            # user must be one who may decide it
            action = self.env[model].browse(res_id).exists()
            activity = self.env["mail.activity"].browse(value and value[0]).exists()
            return action.state in ("proposed", "waiting") and (
                not activity or not action._agent_approval_refusal(activity.user_id)
            )
        return False

    def test_searches_reveal_only_readable_records(self):
        findings = []
        Action = self.env["crm.agent.action"]
        for label, user in self.users.items():
            if not Action.with_user(user).has_access("read"):
                continue
            rows = Action.with_user(user).with_context(active_test=False).search_read([], ["name"])
            for row in rows:
                touched = Action.browse(row["id"])._agent_touched_records()
                if touched.with_user(user)._filtered_access("read") != touched.with_user(user):
                    findings.append(f"{label} sees action {row['id']} ({row['name']})")
            for action in self.actions:
                touched = action._agent_touched_records()
                readable = touched.with_user(user)._filtered_access("read") == touched.with_user(
                    user
                )
                if readable and action.id not in [r["id"] for r in rows]:
                    findings.append(f"{label} cannot see action {action.id} it should")
        self.assertEqual(findings, [], "\n".join(findings[:60]))
        # the action touching both leads is visible to neither salesperson
        self.assertFalse(
            Action.with_user(self.users["rep1"]).search([("id", "=", self.merge_like.id)])
        )
