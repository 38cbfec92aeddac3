from odoo import api, fields, models

from ..engine.policy import DEFAULT_THRESHOLD, KindPolicy


class CrmAgentKindPolicy(models.Model):
    """Per company and kind of action: its risk, confidence threshold, or 'always ask'."""

    _name = "crm.agent.kind.policy"
    _description = "Agent autonomy per kind of action"
    _order = "company_id, kind"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    kind = fields.Selection(selection="_selection_kind", required=True)
    risk = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        help="Overrides the risk the kind declares. Only low-risk kinds may run on their own.",
    )
    threshold = fields.Float(
        "Confidence threshold",
        compute="_compute_threshold",
        store=True,
        readonly=False,
        help="Under the conditional policy, a low-risk action runs alone only at or above it.",
    )
    always_ask = fields.Boolean(help="Never run this kind on its own.")
    hard_rule = fields.Char(compute="_compute_hard_rule", string="Hard rule")

    _company_kind_uniq = models.Constraint(
        "UNIQUE(company_id, kind)", "One policy per kind and company."
    )
    _threshold_range = models.Constraint(
        "CHECK(threshold >= 0 AND threshold <= 1)", "The threshold is between 0 and 1."
    )

    @api.model
    def _selection_kind(self):
        return self.env["crm.agent.action"]._fields["kind"]._description_selection(self.env)

    @api.depends("kind")
    def _compute_threshold(self):
        specs = self.env["crm.agent.action"]._agent_kind_specs()
        for policy in self:
            spec = specs.get(policy.kind)
            policy.threshold = spec.threshold if spec else DEFAULT_THRESHOLD

    @api.depends("kind")
    def _compute_hard_rule(self):
        specs = self.env["crm.agent.action"]._agent_kind_specs()
        for policy in self:
            spec = specs.get(policy.kind)
            rules = []
            if spec and spec.irreversible:
                rules.append(self.env._("irreversible"))
            if spec and spec.contacts_customer:
                rules.append(self.env._("contacts a customer"))
            if spec and spec.moves_money:
                rules.append(self.env._("moves money"))
            if spec and spec.needs_person:
                rules.append(self.env._("changes what a person typed"))
            policy.hard_rule = self.env._("Always asks: %s", ", ".join(rules)) if rules else False

    @api.model
    def _agent_policies_for(self, companies, kinds):
        rows = self.sudo().search(  # sudo: the company's autonomy settings, read whoever proposes (not shown to them)
            [("company_id", "in", companies.ids), ("kind", "in", list(kinds))]
        )
        return {
            (row.company_id.id, row.kind): KindPolicy(
                risk=row.risk or None, threshold=row.threshold, always_ask=row.always_ask
            )
            for row in rows
        }
