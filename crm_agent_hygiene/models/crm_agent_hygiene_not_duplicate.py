from odoo import api, fields, models
from odoo.tools import SQL


class CrmAgentHygieneNotDuplicate(models.Model):
    """A pair of records a person said are not duplicates: never proposed again."""

    _name = "crm.agent.hygiene.not.duplicate"
    _description = "Not a duplicate"
    _order = "id desc"

    res_model = fields.Selection(
        [("res.partner", "Contact"), ("crm.lead", "Lead/Opportunity")],
        string="Record type",
        required=True,
        readonly=True,
    )
    left_id = fields.Many2oneReference(
        "First record", model_field="res_model", required=True, readonly=True
    )
    right_id = fields.Many2oneReference(
        "Second record", model_field="res_model", required=True, readonly=True
    )
    left_name = fields.Char("First", compute="_compute_names")
    right_name = fields.Char("Second", compute="_compute_names")
    action_id = fields.Many2one(
        "crm.agent.action", "Rejected proposal", readonly=True, ondelete="set null"
    )
    reason = fields.Text(readonly=True)
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, default=lambda self: self.env.company
    )

    _pair_unique = models.Constraint(
        "UNIQUE(res_model, left_id, right_id)", "This pair is already marked as not duplicates."
    )
    _pair_ordered = models.Constraint(
        "CHECK(left_id < right_id)", "Pairs are stored smallest id first."
    )

    @api.depends("res_model", "left_id", "right_id")
    def _compute_names(self):
        for row in self:
            records = (
                self.env[row.res_model]
                .with_context(active_test=False)
                .browse([row.left_id, row.right_id])
                .exists()
            )
            names = {r.id: r.display_name for r in records._filtered_access("read")}
            row.left_name = names.get(row.left_id, self.env._("(deleted or restricted)"))
            row.right_name = names.get(row.right_id, self.env._("(deleted or restricted)"))

    @api.model
    def _remember(self, res_model, id_pairs, action=None, reason=None):
        """Store pairs (in any order), ignoring those already known."""
        rows = {(min(a, b), max(a, b)) for a, b in id_pairs if a != b}
        if not rows:
            return
        company = action.company_id.id if action else self.env.company.id
        # one statement; a concurrent rejection of the same pair is not an error
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_agent_hygiene_not_duplicate
                   (res_model, left_id, right_id, action_id, reason, company_id,
                    create_uid, write_uid, create_date, write_date)
               SELECT %(model)s, l, r, %(action)s, %(reason)s, %(company)s, %(uid)s, %(uid)s,
                      now() at time zone 'UTC', now() at time zone 'UTC'
                 FROM unnest(%(lefts)s::int[], %(rights)s::int[]) AS t(l, r)
               ON CONFLICT (res_model, left_id, right_id) DO NOTHING""",
                model=res_model,
                action=action.id if action else None,
                reason=reason,
                company=company,
                uid=self.env.uid,
                lefts=[a for a, _b in rows],
                rights=[b for _a, b in rows],
            )
        )
        self.invalidate_model()
