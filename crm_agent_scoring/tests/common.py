import random
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user


class ScoringCase(TransactionCase):
    """Users, a team, sources, tags and countries, and batch helpers that create won/lost histories
    with a real signal: Referral leads and leads tagged Hot are mostly won, cold calls mostly lost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.company = cls.env.company
        # start from no leads: demo data (the test runner installs it) would add its own won, lost
        # and open leads to every history and batch these tests count
        cls.env["crm.lead"].with_context(active_test=False).search([]).unlink()
        cls.manager = new_test_user(
            cls.env, "scoring_manager", groups="sales_team.group_sale_manager", name="Sam Manager"
        )
        cls.rep = new_test_user(
            cls.env, "scoring_rep", groups="sales_team.group_sale_salesman", name="Rita Rep"
        )
        cls.team = cls.env["crm.team"].create({"name": "Scoring team", "user_id": cls.manager.id})
        cls.team_b = cls.env["crm.team"].create({"name": "Scoring team B"})
        cls.referral = cls.env["utm.source"].create({"name": "Scoring Referral"})
        cls.cold_call = cls.env["utm.source"].create({"name": "Scoring Cold call"})
        cls.tag_hot = cls.env["crm.tag"].create({"name": "Scoring Hot"})
        cls.tag_misc = cls.env["crm.tag"].create({"name": "Scoring Misc"})
        cls.belgium = cls.env.ref("base.be")
        cls.france = cls.env.ref("base.fr")
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.open_stage = cls.env["crm.stage"].search([("is_won", "=", False)], limit=1)
        cls.Model = cls.env["crm.agent.scoring.model"]
        cls.Lead = cls.env["crm.lead"]
        cls.Action = cls.env["crm.agent.action"]
        cls.company.agent_scoring_excluded_feature_ids = False
        cls.company.agent_scoring_drive_probability = False
        cls.company.agent_scoring_priority_threshold = 60
        cls.company.agent_autonomy = "assisted"
        cls.company.agent_approver_user_id = cls.manager

    @classmethod
    def lead_vals(cls, rng, hot, **extra):
        vals = {
            "name": "Scoring lead",
            "type": "opportunity",
            "team_id": (cls.team if rng.random() < 0.6 else cls.team_b).id,
            "source_id": (cls.referral if hot else cls.cold_call).id,
            "tag_ids": [fields.Command.set([cls.tag_hot.id] if hot else [cls.tag_misc.id])],
            "country_id": (cls.belgium if rng.random() < 0.5 else cls.france).id,
            "expected_revenue": rng.choice([1000, 5000, 20000]),
            "email_from": f"buyer{rng.randrange(10**6)}@example.com",
        }
        vals.update(extra)
        return vals

    @classmethod
    def make_history(cls, n_won, n_lost, seed=0, signal=0.8):
        """Closed leads spread over the past year, in one batch create per outcome. A lead is "hot"
        (Referral, tag Hot) with probability ``signal`` when won and ``1 - signal`` when lost."""
        rng = random.Random(seed)
        now = fields.Datetime.now()
        won_vals, lost_vals = [], []
        for i in range(n_won):
            won_vals.append(cls.lead_vals(
                rng, rng.random() < signal, stage_id=cls.won_stage.id,
                date_closed=now - timedelta(days=365 - 365 * i / max(n_won, 1), hours=rng.random()),
            ))  # fmt: skip
        for i in range(n_lost):
            lost_vals.append(cls.lead_vals(
                rng, rng.random() > signal, active=False, probability=0,
                date_closed=now - timedelta(days=365 - 365 * i / max(n_lost, 1), hours=rng.random()),
            ))  # fmt: skip
        won = cls.Lead.create(won_vals)
        lost = cls.Lead.create(lost_vals)
        # create does not keep a past closing date on lost leads: set the timeline directly
        for lead, vals in zip(won | lost, won_vals + lost_vals, strict=True):
            lead.date_closed = vals["date_closed"]
        return won, lost

    @classmethod
    def make_open_leads(cls, n_hot, n_cold, seed=1, **extra):
        rng = random.Random(seed)
        vals = [
            cls.lead_vals(rng, True, stage_id=cls.open_stage.id, **extra) for _i in range(n_hot)
        ]
        vals += [
            cls.lead_vals(rng, False, stage_id=cls.open_stage.id, **extra) for _i in range(n_cold)
        ]
        return cls.Lead.create(vals)

    def scoring_actions(self, leads=None):
        domain = [("source", "=", "scoring"), ("res_model", "=", "crm.lead")]
        if leads is not None:
            domain.append(("res_id", "in", leads.ids))
        return self.Action.sudo().with_context(active_test=False).search(domain)
