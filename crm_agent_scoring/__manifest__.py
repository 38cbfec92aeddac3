{
    "name": "CRM Agent: explainable lead scoring",
    "summary": "Predictive lead scoring with reasons (scikit-learn, SHAP), validated against "
    "Odoo's own Predictive Lead Scoring",
    "version": "19.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-agent/crm_agent",
    "author": "crm_agent contributors",
    "maintainers": ["crm-agent"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["crm_agent"],
    "external_dependencies": {"python": ["scikit-learn", "numba", "numpy"]},
    "data": [
        "security/crm_agent_scoring_security.xml",
        "security/ir.model.access.csv",
        "data/crm_agent_scoring_feature_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_agent_scoring_model_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_agent_scoring_menus.xml",
    ],
}
