"""Before the models load (Odoo drops the column of a removed field): the hygiene's own fingerprint (``hygiene_key``) and ``engine`` became the core's ``dedup_key``
and ``source``: carry them over, so nothing already proposed is asked again after the upgrade."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    if column_exists(cr, "crm_agent_action", "hygiene_key"):
        cr.execute(
            SQL(
                """UPDATE crm_agent_action SET dedup_key = hygiene_key
                    WHERE dedup_key IS NULL AND hygiene_key IS NOT NULL"""
            )
        )
    if column_exists(cr, "crm_agent_action", "engine"):
        cr.execute(SQL("UPDATE crm_agent_action SET source = 'hygiene' WHERE engine = 'hygiene'"))
