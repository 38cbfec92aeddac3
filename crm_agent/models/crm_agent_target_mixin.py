from odoo import api, fields, models


class CrmAgentTargetMixin(models.AbstractModel):
    """Adds the 'Agent' smart button to a model the agent acts on."""

    _name = "crm.agent.target.mixin"
    _description = "Records the CRM agent acts on"

    agent_action_count = fields.Integer(
        "Agent actions", compute="_compute_agent_action_count", groups="crm_agent.group_agent_user"
    )
    agent_pending_count = fields.Integer(
        "Agent proposals",
        compute="_compute_agent_action_count",
        groups="crm_agent.group_agent_user",
    )

    @api.depends_context("uid")
    def _compute_agent_action_count(self):
        total = dict.fromkeys(self.ids, 0)
        pending = dict.fromkeys(self.ids, 0)
        if self.ids:
            groups = self.env["crm.agent.action"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id", "state"],
                ["__count"],
            )
            for res_id, state, count in groups:
                total[res_id] += count
                if state in ("proposed", "waiting"):
                    pending[res_id] += count
        for record in self:
            record.agent_action_count = total.get(record.id, 0)
            record.agent_pending_count = pending.get(record.id, 0)

    def action_view_agent_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_agent.crm_agent_action_history")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        # every action on the record, not only the open ones: after an approval the row stays,
        # now showing what happened
        action["context"] = {"create": False}
        return action
