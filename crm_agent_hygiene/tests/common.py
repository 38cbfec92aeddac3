import time
from datetime import timedelta
from random import randint

from odoo.tools import SQL

from odoo.addons.crm_agent.tests.common import AgentCase

from ..models.crm_agent_hygiene import WATERMARK_OVERLAP


class HygieneCase(AgentCase):
    """Agent users and settings, a British company, and helpers to run the hygiene passes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.uk")
        cls.Hygiene = cls.env["crm.agent.hygiene"]
        cls.Partner = cls.env["res.partner"]
        cls.Lead = cls.env["crm.lead"]
        cls.set_param("survivor_rule", "most_complete")
        cls.set_param("match_threshold", "0.9")
        # only what the tests create counts as changed
        for model in ("res.partner", "crm.lead"):
            cls.settle_watermark(model)

    @classmethod
    def settle_watermark(cls, model):
        """Put the watermark after every existing record, as if the last pass ran long after
        them (so its overlap window re-reads nothing)."""
        Model = cls.env[model].with_context(active_test=False)
        last = Model.search([], order="write_date desc, id desc", limit=1)
        last_id = Model.search([], order="id desc", limit=1).id
        cls.Hygiene._watermark_set(
            model,
            last.write_date,
            last_id,
            read_at=last.write_date + WATERMARK_OVERLAP + timedelta(seconds=1),
        )

    @classmethod
    def set_param(cls, name, value):
        cls.env["ir.config_parameter"].sudo().set_param(f"crm_agent_hygiene.{name}", value)

    def hygiene_actions(self, kind=None, records=None):
        domain = [("source", "=", "hygiene")]
        if kind:
            domain.append(("kind", "=", kind))
        if records is not None:
            domain += [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        return self.Action.sudo().with_context(active_test=False).search(domain, order="id")

    def merge_actions(self, records):
        return self.Action.sudo().search(
            [(records._hygiene_link_field, "in", records.ids), ("kind", "like", "merge_")],
            order="id",
        )

    def touch(self, records):
        """Make ``records`` look changed by a later transaction (a test is one transaction, so
        every write in it has the same write_date)."""
        records.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET write_date = write_date + interval '1 second' WHERE id = ANY(%s)",
                SQL.identifier(records._table),
                records.ids,
            )
        )
        records.invalidate_recordset(["write_date"])


MAIL = """Return-Path: <{email}>
From: {sender}
To: {to}
Subject: {subject}
Date: Fri, 10 Apr 2026 10:00:00 +0000
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
{extra}
{body}
"""


class CaptureCase(AgentCase):
    """Auto-capture on, an alias domain and a team alias to send mail to, and helpers to process
    a raw mail and read what capture proposed and counted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("crm_agent.capture_enabled", "1")
        alias_domain = cls.env["mail.alias.domain"].create({"name": "capture.test"})
        cls.company.alias_domain_id = alias_domain
        cls.team.alias_id.sudo().write(
            {"alias_name": "capture-sales", "alias_domain_id": alias_domain.id}
        )
        cls.alias_email = "capture-sales@capture.test"
        cls.Log = cls.env["crm.agent.capture.log"]

    def process(self, sender, body, subject, email=None, to=None, extra="", msg_id=None):
        email = email or sender.rpartition("<")[2].strip(">")
        msg_id = msg_id or f"<{time.time():.7f}-{randint(0, 99998):05d}-capture@test.example>"
        raw = MAIL.format(
            email=email,
            sender=sender,
            to=to or self.alias_email,
            subject=subject,
            msg_id=msg_id,
            extra=extra,
            body=body,
        )
        self.env["mail.thread"].message_process(None, raw)
        return self.env["crm.lead"].search([("name", "=", subject)])

    def capture_actions(self, **domain):
        return self.Action.search(
            [("source", "=", "capture")] + [(key, "=", value) for key, value in domain.items()]
        )

    def log_counts(self):
        return {
            kind: quantity
            for kind, quantity in self.Log._read_group([], ["kind"], ["quantity:sum"])
        }
