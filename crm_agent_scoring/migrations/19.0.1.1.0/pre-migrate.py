"""``engine`` became the core's ``source``: carry it over."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    if column_exists(cr, "crm_agent_action", "engine"):
        cr.execute(SQL("UPDATE crm_agent_action SET source = 'scoring' WHERE engine = 'scoring'"))
