{
    "name": "CRM Agent: data hygiene",
    "summary": "Fuzzy duplicate detection and safe merging, standardised phones and fields, "
    "enrichment and stale-record flags",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-agent/crm_agent",
    "author": "crm_agent contributors",
    "maintainers": ["crm-agent"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["crm_agent"],
    "external_dependencies": {"python": ["rapidfuzz", "phonenumbers"]},
    "data": [],
    "installable": True,
}
