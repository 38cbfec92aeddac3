from odoo import api, fields, models

LOG_KINDS = [
    ("contact_created", "Contact created"),
    ("field_filled", "Field filled"),
    ("mail_linked", "Mail linked"),
    ("meeting_logged", "Meeting logged"),
    ("todo_created", "To-do created"),
]
DEFAULT_MINUTES = {
    "contact_created": 3.0,
    "field_filled": 0.5,
    "mail_linked": 1.0,
    "meeting_logged": 2.0,
    "todo_created": 1.0,
}
PARAM_MINUTES = "crm_agent.capture_minutes_%s"


class CrmAgentCaptureLog(models.Model):
    """One row per thing auto-capture did (not proposed: done), with the minutes it saved."""

    _name = "crm.agent.capture.log"
    _description = "Agent auto-capture log"
    _order = "date desc, id desc"
    _rec_name = "kind"

    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True, index=True)
    kind = fields.Selection(LOG_KINDS, required=True, readonly=True, index=True)
    quantity = fields.Integer(default=1, required=True, readonly=True)
    minutes_saved = fields.Float(
        readonly=True,
        digits=(16, 1),
        help="Quantity times the minutes set for this kind at the time.",
    )
    action_id = fields.Many2one("crm.agent.action", readonly=True, index=True, ondelete="cascade")
    res_model = fields.Selection("_selection_res_model", "Record type", readonly=True)
    res_id = fields.Many2oneReference("Record ID", model_field="res_model", readonly=True)
    res_name = fields.Char("Record", compute="_compute_res_name")
    user_id = fields.Many2one("res.users", "Done for", readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, default=lambda self: self.env.company
    )

    @api.model
    def _selection_res_model(self):
        """The models capture records work on, by their names (never a technical key)."""
        return self.env["crm.agent.action"]._selection_target_model()

    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        """The record's name when the viewer may read it; one read per model, not per row."""
        by_model = {}
        for log in self:
            if log.res_model in self.env and log.res_id:
                by_model.setdefault(log.res_model, set()).add(log.res_id)
        names = {}
        for model, ids in by_model.items():
            records = self.env[model].with_context(active_test=False).browse(ids).exists()
            for record in records._filtered_access("read"):
                names[model, record.id] = record.display_name
        for log in self:
            log.res_name = names.get((log.res_model, log.res_id), False)

    @api.model
    def _capture_minutes(self):
        params = self.env["ir.config_parameter"].sudo()  # sudo: the minutes-saved settings
        minutes = {}
        for kind, default in DEFAULT_MINUTES.items():
            try:
                minutes[kind] = float(params.get_param(PARAM_MINUTES % kind, default))
            except ValueError:
                minutes[kind] = default
        return minutes

    @api.model
    def _capture_quantities(self, action):
        """``{log kind: quantity}`` for one executed capture action."""
        data = action.result_data or {}
        values = (action.payload or {}).get("values") or {}
        if action.kind == "capture_create_contact":
            quantities = {
                "contact_created": int(bool(data.get("partner_created")))
                + int(bool(data.get("company_created"))),
                "field_filled": len(data.get("fields") or []),
            }
        elif action.kind == "link_company":
            quantities = {
                "contact_created": int(bool(data.get("company_created"))),
                "field_filled": 1,
            }
        elif action.kind in ("fill_empty_fields", "overwrite_fields", "update_fields"):
            quantities = {"field_filled": len(values)}
        elif action.kind == "capture_link_mail":
            quantities = {"mail_linked": 1}
        elif action.kind in ("capture_link_meeting", "capture_create_lead"):
            quantities = {"meeting_logged": 1}
        elif action.kind == "schedule_activity":
            quantities = {"todo_created": 1}
        else:
            quantities = {}
        return {kind: quantity for kind, quantity in quantities.items() if quantity}

    @api.model
    def _capture_log_actions(self, actions):
        minutes = self._capture_minutes()
        vals_list = []
        for action in actions:
            target = action._agent_target()
            user = target["user_id"] if "user_id" in target._fields else action.executed_by_id
            for kind, quantity in self._capture_quantities(action).items():
                vals_list.append(
                    {
                        "kind": kind,
                        "quantity": quantity,
                        "minutes_saved": quantity * minutes[kind],
                        "action_id": action.id,
                        "res_model": action.res_model,
                        "res_id": action.res_id,
                        "user_id": user.id or action.executed_by_id.id,
                        "company_id": action.company_id.id or self.env.company.id,
                    }
                )
        return self.create(vals_list)

    @api.model
    def _capture_log(self, kind, record, quantity=1):
        """Count something capture did directly (not through an action)."""
        minutes = self._capture_minutes()
        return self.create(
            {
                "kind": kind,
                "quantity": quantity,
                "minutes_saved": quantity * minutes[kind],
                "res_model": record._name,
                "res_id": record.id,
                "user_id": record["user_id"].id if "user_id" in record._fields else self.env.uid,
                "company_id": (record["company_id"].id if "company_id" in record._fields else False)
                or self.env.company.id,
            }
        )
