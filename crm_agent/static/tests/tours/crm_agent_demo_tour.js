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
            content: "The agent's note says what it merged",
            trigger: ".o-mail-Message:contains('Merged')",
        },
        {
            content: "The merged contact is still open, with no approval left",
            trigger: ".o_form_view .o_field_widget[name='name']",
            run: () => {
                if (document.querySelector(".o-mail-Activity .o-mail-Activity-markDone")) {
                    const left = document.querySelector(".o-mail-Activity").textContent;
                    if (left.includes("Merge")) {
                        throw new Error("the merge approval is still open");
                    }
                }
            },
        },
    ],
});
