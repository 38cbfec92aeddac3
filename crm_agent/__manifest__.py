{
    "name": "CRM Agent",
    "summary": "A supervised agent for Odoo CRM: proposals, approvals in activities, "
    "autonomy policy, audit trail, undo and kill switch",
    "version": "19.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-agent/crm_agent",
    "author": "crm_agent contributors",
    "maintainers": ["crm-agent"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["crm", "mail"],
    "data": [
        "security/crm_agent_security.xml",
        "security/ir.model.access.csv",
        "data/res_users_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "wizard/crm_agent_action_reject_views.xml",
        "views/crm_agent_action_views.xml",
        "views/crm_agent_kind_policy_views.xml",
        "views/crm_lead_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_agent_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_agent/static/src/activity/*.js",
            "crm_agent/static/src/activity/*.xml",
        ],
        "web.assets_tests": ["crm_agent/static/tests/tours/*.js"],
    },
}
