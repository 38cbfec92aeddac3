{
    "name": "CRM Agent: explainable lead scoring",
    "summary": "Predictive lead scoring with reasons (scikit-learn, SHAP), validated against "
    "Odoo's own Predictive Lead Scoring",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-agent/crm_agent",
    "author": "crm_agent contributors",
    "maintainers": ["crm-agent"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["crm_agent"],
    "external_dependencies": {"python": ["sklearn", "shap", "numpy"]},
    "data": [],
    "installable": True,
}
