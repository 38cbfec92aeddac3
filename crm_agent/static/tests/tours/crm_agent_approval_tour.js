import { registry } from "@web/core/registry";

// A rep opens a lead, follows the Agent button to what waits for approval, and approves it.
registry.category("web_tour.tours").add("crm_agent_approval_tour", {
    url: "/odoo/crm",
    steps: () => [
        {
            trigger: ".o_kanban_record:contains('Agent tour lead')",
            run: "click",
        },
        {
            trigger: ".o_form_view .oe_stat_button:contains('To approve')",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains('Standardise the phone') button[name='action_approve']",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains('Standardise the phone') .badge:contains('Done')",
        },
    ],
});
