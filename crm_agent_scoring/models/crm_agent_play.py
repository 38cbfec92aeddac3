"""Plays: the catalogue of next-best actions, as data an administrator switches off or tunes.

Each record names a trigger of ``engine/plays.py``, the kind of action it proposes, its
parameters, and for drafted mails one ``mail.template`` per language (the template's ``lang``
holds the language code it is written in).
"""

from odoo import fields, models

from odoo.addons.crm_agent.engine.drafting import pick_language

from ..engine.plays import TRIGGERS, PlaySpec

TRIGGER_LABELS = {
    "call_now": "Hot and untouched: call now",
    "reply_inbound": "Unanswered inbound mail",
    "meeting_no_next_step": "Meeting without a next step",
    "re_engage": "Silence for N days",
    "chase_overdue": "Overdue activity",
    "propose_meeting": "No meeting yet",
    "send_quote": "A quote was asked for",
}


class CrmAgentPlay(models.Model):
    _name = "crm.agent.play"
    _description = "Agent play (next-best action)"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable identifier, used in fingerprints.")
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10, help="Breaks ties between plays of equal value.")
    description = fields.Text(translate=True)
    trigger = fields.Selection(
        [(code, TRIGGER_LABELS.get(code, code)) for code in TRIGGERS], required=True
    )
    action_kind = fields.Selection(
        [("send_email", "Draft an e-mail"), ("schedule_activity", "Schedule an activity")],
        required=True,
    )
    days = fields.Float(
        "Delay (days)", default=7.0, help="Silence, age of the inbound mail or of the meeting."
    )
    min_probability = fields.Float(
        "Minimum win probability", default=0.0, help="Between 0 and 1; for score-based triggers."
    )
    assumed_effect = fields.Float(
        help="Relative lift in win rate assumed while history cannot measure the play's effect "
        "(0: no effect claimed)."
    )
    effect_window_days = fields.Integer(
        "Effect window (days)",
        default=7,
        help="When measuring the effect: did the play's action happen within this many days?",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type", help="The activity a 'Schedule an activity' play plans."
    )
    template_ids = fields.Many2many(
        "mail.template",
        string="Mail templates",
        domain=[("model", "=", "crm.lead")],
        help="One per language; the template's language field holds its language code.",
    )

    _code_uniq = models.Constraint("unique(code)", "A play's code must be unique.")

    def _agent_spec(self):
        self.ensure_one()
        return PlaySpec(
            code=self.code,
            trigger=self.trigger,
            action_kind=self.action_kind,
            name=self.name,
            days=self.days,
            min_probability=self.min_probability,
            assumed_effect=self.assumed_effect,
            effect_window_days=self.effect_window_days,
            sequence=self.sequence,
        )

    def _agent_template_for(self, lang):
        """The play's template in ``lang`` (by language code), else its English one, else none."""
        self.ensure_one()
        by_lang = {}
        for template in self.template_ids:
            by_lang.setdefault(pick_language(template.lang), template)
        return by_lang.get(pick_language(lang)) or by_lang.get("en") or self.env["mail.template"]
