"""My day's memory of the rep's last visit, and the optional morning digest (opt-in)."""

from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models

DIGEST_LEADS = 5


class ResUsers(models.Model):
    _inherit = "res.users"

    agent_my_day_seen_date = fields.Datetime("My day last opened", readonly=True, copy=False)
    agent_my_day_digest = fields.Boolean(
        "Morning digest",
        help="Every morning, an internal notification with the leads worth calling and the "
        "drafts waiting for review (never sent to customers).",
    )

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["agent_my_day_digest"]

    @api.model
    def _cron_my_day_digest(self):
        """Notify each opted-in rep of their day, in a constant number of queries."""
        users = self.search([("agent_my_day_digest", "=", True), ("share", "=", False)])
        if not users:
            return 0
        leads = self.env["crm.lead"].search(
            [
                ("user_id", "in", users.ids),
                ("type", "=", "opportunity"),
                ("won_status", "=", "pending"),
                ("agent_nba_play_id", "!=", False),
            ],
            order="agent_nba_value desc, probability desc, id",
        )
        by_user = defaultdict(list)
        for lead in leads:
            if len(by_user[lead.user_id.id]) < DIGEST_LEADS:
                by_user[lead.user_id.id].append(lead)
        waiting = dict(
            self.env["crm.agent.action"]
            .sudo()  # sudo: counts per approver, no content
            ._read_group(
                [("state", "in", ("proposed", "waiting")), ("approver_id", "in", users.ids)],
                ["approver_id"],
                ["__count"],
            )
        )
        waiting = {user.id: count for user, count in waiting.items()}
        sent = 0
        for user in users:
            top = by_user.get(user.id, [])
            if not top and not waiting.get(user.id):
                continue
            rows = Markup("").join(
                Markup("<li><b>%s</b>: %s</li>") % (lead.name, lead.agent_nba_reason or "")
                for lead in top
            )
            body = Markup("<p>%s</p><ul>%s</ul><p>%s</p>") % (
                self.env._("Worth calling today:"),
                rows,
                self.env._(
                    "%s proposal(s) wait for your review in CRM > Agent > My day.",
                    waiting.get(user.id, 0),
                ),
            )
            # an internal notification to the rep only: their inbox or mail, as they chose
            self.env["mail.thread"].message_notify(
                partner_ids=user.partner_id.ids,
                subject=self.env._("Your day with the agent"),
                body=body,
                model_description=self.env._("My day"),
            )
            sent += 1
        return sent
