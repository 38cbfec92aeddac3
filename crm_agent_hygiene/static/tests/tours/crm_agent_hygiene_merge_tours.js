import { registry } from "@web/core/registry";

// The approver opens the contact, follows the approval activity to the proposal, compares the two
// contacts side by side, approves, and finds the merged contact with the agent's note.
registry.category("web_tour.tours").add("crm_agent_hygiene_approve_merge_tour", {
    steps: () => [
        {
            content: "the approval activity explains the merge and links to the proposal",
            trigger:
                ".o-mail-Activity .o_crm_agent_proposal:contains('Merge') a:contains('Open the proposal')",
            run: "click",
        },
        {
            content: "the two contacts side by side, named, with the reasons",
            trigger: ".o_hygiene_comparison th:contains('Zorbex Trading Ltd')",
        },
        {
            trigger: ".o_hygiene_comparison th:contains('ZORBEX TRADING')",
        },
        {
            trigger: ".o_form_view button[name='action_approve']",
            run: "click",
        },
        {
            content: "the merge ran",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
        {
            trigger: ".o_form_view button[name='action_open_target']",
            run: "click",
        },
        {
            content: "the merged contact carries the agent's note",
            trigger: ".o-mail-Message:contains('Merged ZORBEX TRADING into Zorbex Trading Ltd')",
        },
    ],
});

// The approver cancels the approval activity: a dialog asks whether the contacts are wrongly
// proposed (not duplicates) or only not now, and why.
registry.category("web_tour.tours").add("crm_agent_hygiene_reject_merge_tour", {
    steps: () => [
        {
            trigger: ".o-mail-Activity:contains('Merge') button:contains('Cancel')",
            run: "click",
        },
        {
            content: "the reject dialog, not an immediate deletion",
            trigger: ".modal div[name='rejection_kind'] input[data-value='wrong']",
            run: "click",
        },
        {
            trigger: ".modal:contains('not duplicates')",
        },
        {
            trigger: ".modal div[name='reason'] textarea",
            run: "edit Two different firms at the same address",
        },
        {
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "the chatter says what the rejection means",
            trigger: ".o-mail-Message:contains('will not propose it again')",
        },
        {
            trigger: ".o-mail-Message:contains('Two different firms at the same address')",
        },
    ],
});
