from odoo import fields, models
from odoo.exceptions import AccessError


class CrmAgentScoringFeature(models.Model):
    """What the scoring model may read about a lead: one row per feature, so an administrator can
    exclude some (e.g. country and language, for fairness) in the settings."""

    _name = "crm.agent.scoring.feature"
    _description = "Lead scoring feature"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, readonly=True, help="Name of the feature in the engine.")
    kind = fields.Selection(
        [("categorical", "Category"), ("numeric", "Number"), ("tags", "Tags")],
        required=True,
        readonly=True,
    )
    description = fields.Char(translate=True)
    sequence = fields.Integer(default=10)

    _code_unique = models.Constraint("UNIQUE(code)", "A scoring feature code must be unique.")

    def write(self, vals):
        # the code ties a feature (and its exclusion, e.g. for fairness) to the engine's column
        if not self.env.su and {"code", "kind"}.intersection(vals):
            raise AccessError(self.env._("A scoring feature's code and kind are fixed."))
        return super().write(vals)
