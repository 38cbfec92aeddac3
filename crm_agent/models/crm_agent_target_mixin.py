from odoo import api, fields, models
from odoo.tools import SQL


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

    #: keys of an action's ``result_data`` that hold the id of a record of this model the action
    #: created or linked while acting on another record (a contact created from a lead's mail)
    _agent_result_keys = ()

    @api.depends_context("uid")
    def _compute_agent_action_count(self):
        """Actions that touched each record: on it, on it among ``payload["record_ids"]`` (see
        ``crm.agent.action._agent_touched_records``) or that created or linked it
        (``_agent_result_keys``). One query for the whole batch; only the actions the user may
        read are counted."""
        ids = [i for i in self._origin.ids if isinstance(i, int)]
        total = dict.fromkeys(ids, 0)
        pending = dict.fromkeys(ids, 0)
        if ids:
            visible = self.env["crm.agent.action"]._search([])
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT touched.rid, a.state, COUNT(DISTINCT a.id)
                      FROM crm_agent_action a
                      CROSS JOIN LATERAL (
                            SELECT a.res_id AS rid WHERE a.res_model = %(model)s
                            UNION
                            SELECT elem::int
                              FROM jsonb_array_elements_text(
                                    CASE WHEN a.res_model = %(model)s
                                          AND jsonb_typeof(a.payload -> 'record_ids') = 'array'
                                         THEN a.payload -> 'record_ids' ELSE '[]'::jsonb END
                                   ) AS elem
                             WHERE elem ~ '^[0-9]{1,9}$'
                            UNION
                            SELECT (a.result_data ->> key)::int
                              FROM unnest(%(keys)s::varchar[]) AS key
                             WHERE jsonb_typeof(a.result_data -> key) = 'number'
                               AND (a.result_data ->> key) ~ '^[0-9]{1,9}$'
                      ) AS touched
                     WHERE touched.rid = ANY(%(ids)s)
                       AND (a.res_model = %(model)s OR a.result_data IS NOT NULL)
                       AND a.id IN %(visible)s
                     GROUP BY touched.rid, a.state
                    """,
                    model=self._name,
                    keys=list(self._agent_result_keys),
                    ids=ids,
                    visible=visible.subselect(),
                )
            )
            for res_id, state, count in rows:
                total[res_id] += count
                if state in ("proposed", "waiting"):
                    pending[res_id] += count
        for record in self:
            record.agent_action_count = total.get(record._origin.id, 0)
            record.agent_pending_count = pending.get(record._origin.id, 0)

    def action_view_agent_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_agent.crm_agent_action_history")
        action["domain"] = [("id", "in", self._agent_touching_actions().ids)]
        # every action on the record, not only the open ones: after an approval the row stays,
        # now showing what happened
        action["context"] = {"create": False}
        return action

    def _agent_touching_actions(self):
        """The actions the smart button counts for this record (see the compute)."""
        self.ensure_one()
        visible = self.env["crm.agent.action"]._search([])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT a.id
                  FROM crm_agent_action a
                 WHERE a.id IN %(visible)s
                   AND ((a.res_model = %(model)s
                         AND (a.res_id = %(id)s
                              OR (jsonb_typeof(a.payload -> 'record_ids') = 'array'
                                  AND a.payload -> 'record_ids' @> to_jsonb(%(id)s::int))))
                        OR EXISTS (SELECT 1 FROM unnest(%(keys)s::varchar[]) AS key
                                    WHERE a.result_data -> key = to_jsonb(%(id)s::int)))
                """,
                model=self._name,
                id=self.id,
                keys=list(self._agent_result_keys),
                visible=visible.subselect(),
            )
        )
        return self.env["crm.agent.action"].browse(row[0] for row in rows)
