"""Auto-capture moved from this addon into ``crm_agent_hygiene``.

Before this addon loads: when the hygiene addon is installed, capture's records (its log model,
fields, selection values, job, views, menu, access rule) change module under the same names, so
the upgrade keeps them for the hygiene addon instead of deleting them; otherwise they stay here
and the upgrade removes them. Either way the contact-form view that shows a capture field is
dropped now (the hygiene addon creates it again): the field is not loaded yet when this addon's
own views are checked."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """DELETE FROM ir_ui_view WHERE id IN (
                   SELECT res_id FROM ir_model_data
                    WHERE module = 'crm_agent' AND model = 'ir.ui.view'
                      AND name = 'res_partner_view_form_inherit_crm_agent_capture')"""
        )
    )
    cr.execute(
        SQL(
            """DELETE FROM ir_model_data WHERE module = 'crm_agent'
                  AND name = 'res_partner_view_form_inherit_crm_agent_capture'"""
        )
    )
    cr.execute(
        SQL(
            "SELECT 1 FROM ir_module_module WHERE name = 'crm_agent_hygiene' "
            "AND state IN ('installed', 'to upgrade')"
        )
    )
    if not cr.fetchone():
        return
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
