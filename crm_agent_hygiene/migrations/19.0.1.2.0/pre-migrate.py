"""Auto-capture moved from ``crm_agent`` into this addon (its records changed module in
``crm_agent``'s pre-migration 19.0.1.1.0).

Before this addon's models load: capture's own fingerprint (``capture_key``) and ``engine``
become the core's ``dedup_key`` and ``source``, so nothing already proposed is asked again; and
capture's "link a contact to its company" kind becomes the one ``link_company`` kind it shares
with the hygiene pass."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    if column_exists(cr, "crm_agent_action", "capture_key"):
        cr.execute(
            SQL(
                """UPDATE crm_agent_action SET dedup_key = capture_key
                    WHERE dedup_key IS NULL AND capture_key IS NOT NULL"""
            )
        )
    if column_exists(cr, "crm_agent_action", "engine"):
        cr.execute(SQL("UPDATE crm_agent_action SET source = 'capture' WHERE engine = 'capture'"))
    for table in ("crm_agent_action", "crm_agent_kind_policy"):
        if column_exists(cr, table, "kind"):
            cr.execute(
                SQL(
                    "UPDATE %s SET kind = 'link_company' WHERE kind = 'capture_link_company'",
                    SQL.identifier(table),
                )
            )
