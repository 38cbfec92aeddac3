from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    agent_scoring_drive_probability = fields.Boolean(
        "Agent score drives the probability",
        help="When an activated scoring model scores a lead, write its probability on the lead "
        "(unless someone typed a probability by hand). Off: the agent's score only sits beside "
        "Odoo's. A model in shadow mode never changes the probability.",
    )
    agent_scoring_excluded_feature_ids = fields.Many2many(
        "crm.agent.scoring.feature",
        "res_company_agent_scoring_excluded_feature_rel",
        string="Features never used for scoring",
        help="The scoring model never reads these (e.g. country or language, for fairness).",
    )
    agent_scoring_priority_threshold = fields.Integer(
        "Raise priority from (%)",
        default=70,
        help="An activated model proposes raising the priority of leads scored at or above this.",
    )
    agent_scoring_cold_threshold = fields.Integer(
        "Cold below (%)",
        default=10,
        help="An activated model proposes handing back to the sales team (salesperson emptied) an "
        "open lead scored below this that nobody has moved for the number of days below.",
    )
    agent_scoring_cold_days = fields.Integer(
        "Cold after (days)",
        default=30,
        help="Days without a stage change and without a planned activity before a low-scored lead "
        "counts as cold.",
    )
