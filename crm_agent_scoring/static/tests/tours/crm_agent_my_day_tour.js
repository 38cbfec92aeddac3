import { registry } from "@web/core/registry";

// A rep opens My day, opens the top lead, reviews the drafted reply in the mail composer,
// rewrites a sentence, sends it (which approves the draft) and finds it in the lead's chatter.
registry.category("web_tour.tours").add("crm_agent_my_day_tour", {
    steps: () => [
        {
            content: "My day lists the lead worth calling now",
            trigger: ".o_crm_agent_my_day_leads .o_data_row:first:contains('NBA tour deal')",
        },
        {
            content: "Open the top lead",
            trigger:
                ".o_crm_agent_my_day_leads .o_data_row:first button[name='action_agent_open_lead']",
            run: "click",
        },
        {
            content: "The lead has a proposal waiting",
            trigger: ".o_form_view .oe_stat_button:contains('To approve')",
            run: "click",
        },
        {
            content: "Open the drafted mail",
            trigger: ".o_data_row:contains('Mail to Nina Tour') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The draft is shown in full",
            trigger: ".o_form_view .o_field_widget[name='draft_body']:contains('Hello Nina,')",
        },
        {
            content: "Review it in the composer",
            trigger: ".o_form_view button[name='action_open_send_email_composer']",
            run: "click",
        },
        {
            content: "Rewrite a sentence",
            trigger: ".modal .odoo-editor-editable p:contains('Would a short call')",
            run: "editor Can we talk on Thursday at 10:00?",
        },
        {
            content: "Send it: this approves the draft",
            trigger: ".modal button[name='action_send_mail']:contains('Send'):enabled",
            run: "click",
        },
        {
            content: "The action is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        {
            content: "Back to the lead",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('NBA tour deal')",
            run: "click",
        },
        {
            content: "The mail, as edited, is in the chatter",
            trigger: ".o-mail-Message-body:contains('Can we talk on Thursday at 10:00?')",
        },
    ],
});
