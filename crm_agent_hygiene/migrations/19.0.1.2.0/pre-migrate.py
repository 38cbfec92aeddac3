"""Auto-capture moved from ``crm_agent`` into this addon.

Before this addon's models and data load: its records (the capture log model, the capture fields
of contacts, companies, meetings and settings, the capture kinds and source, the meeting-notes
job, the views and menu) change module under the same names, so the upgrade keeps them instead of
deleting them with ``crm_agent``'s leftovers; capture's own fingerprint (``capture_key``) and
``engine`` become the core's ``dedup_key`` and ``source``, so nothing already proposed is asked
again; capture's own "link a contact to its company" kind becomes the one ``link_company``
kind shared with the hygiene pass."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    cr.execute(
        SQL(
            """UPDATE ir_model_data SET module = 'crm_agent_hygiene'
                WHERE module = 'crm_agent' AND name LIKE %s
                  AND NOT EXISTS (SELECT 1 FROM ir_model_data d
                                   WHERE d.module = 'crm_agent_hygiene'
                                     AND d.name = ir_model_data.name)""",
            "%capture%",
        )
    )
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
