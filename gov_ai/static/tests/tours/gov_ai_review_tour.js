import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("gov_ai_review_tour", {
    steps: () => [
        {
            content: "The list opens on the recommendations to review",
            trigger: ".o_searchview .o_facet_value:contains('To Review')",
        },
        {
            content: "Open the first duplicate",
            trigger: ".o_list_view .o_data_row td:contains('Tour bill A')",
            run: "click",
        },
        {
            content: "The explanation names the matching bill",
            trigger: ".o_form_view .o_field_widget[name=explanation]:contains('same reference')",
        },
        {
            content: "Accept it",
            trigger: ".o_form_view button[name=action_accept]",
            run: "click",
        },
        {
            content: "It is accepted",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Accepted')",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Only the second one is left to review",
            trigger: ".o_list_view:not(:has(.o_data_row td:contains('Tour bill A'))) .o_data_row td:contains('Tour bill B')",
            run: "click",
        },
        {
            content: "Override it",
            trigger: ".o_form_view button[name=action_open_override]",
            run: "click",
        },
        {
            content: "Say what it really is",
            trigger: ".modal .o_field_widget[name=override_value] input",
            run: "edit unique && press Tab",
        },
        {
            content: "and why",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Credit note of the first bill, not a duplicate && press Tab",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "It is overridden",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Overridden')",
        },
    ],
});
