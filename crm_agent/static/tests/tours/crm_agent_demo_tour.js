import { registry } from "@web/core/registry";

// The demo's first five minutes (crm_agent/tests/test_demo_database.py, on the demo database): the
// approver opens the merge approval from the activity menu, approves it, and sees the merged
// contact with the agent's note.
registry.category("web_tour.tours").add("crm_agent_demo_first_minutes", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the activity menu",
            trigger: ".o-mail-ActivityMenu-counter",
            run: "click",
        },
        {
            content: "Open the contacts with an activity",
            trigger: ".o-mail-ActivityGroup[data-model_name='res.partner']",
            run: "click",
        },
        {
            content: "Open the contact the approval is about",
            trigger: ".o_data_row .o_data_cell, .o_kanban_record:not(.o_kanban_ghost)",
            run: "click",
        },
        {
            content: "The approval activity explains the merge",
            trigger: ".o-mail-Activity:contains('Merge') .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "Approve: mark it done",
            trigger: ".o-mail-ActivityMarkAsDone button[aria-label='Done']",
            run: "click",
        },
        {
            content: "The approval is recorded on the contact's chatter",
            trigger: ".o-mail-Message:contains('Approved by')",
        },
        {
            content: "The agent's note says what it merged",
            trigger: ".o-mail-Message:contains('Merged')",
        },
        {
            content: "The merged contact stays open, with no merge approval left",
            trigger: ".o_form_view .o-mail-Chatter:not(:has(.o-mail-Activity:contains('Merge')))",
        },
    ],
});
