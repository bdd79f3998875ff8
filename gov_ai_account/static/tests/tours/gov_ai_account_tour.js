import { registry } from "@web/core/registry";
import { screenStep } from "@gov_base/../tests/tours/tour_screens";

registry.category("web_tour.tours").add("gov_ai_account_duplicate_bill_tour", {
    steps: () => [
        {
            content: "The bill warns that it may be a duplicate",
            trigger: ".o_gov_ai_duplicate_hint:contains('Possible duplicate of')",
        },
        {
            content: "Open the AI recommendations of the bill",
            trigger: ".o_form_view button[name=action_gov_ai_recommendations]",
            run: "click",
        },
        {
            content: "The bill's duplicate recommendation waits for a review",
            trigger: ".o_list_view .o_data_row:contains('possible duplicate') td:contains('To Review')",
            run: "click",
        },
        {
            content: "Its explanation is there to check",
            trigger: ".o_form_view .o_field_widget[name=explanation]:contains('Looks like')",
        },
        {
            content: "The reviewer agrees: it is a duplicate",
            trigger: ".o_form_view button[name=action_accept]",
            run: "click",
        },
        {
            content: "It is accepted",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Accepted')",
        },
        {
            content: "Back to the bill",
            trigger: ".o_breadcrumb .breadcrumb-item:first-child a",
            run: "click",
        },
        {
            content: "The bill says who confirmed the duplicate",
            trigger: ".o_gov_ai_duplicate_review.alert-danger:contains('Bill Reviewer confirmed')",
        },
        {
            content: "Confirm is no longer the main button",
            trigger: ".o_statusbar_buttons button.o_gov_ai_confirm_anyway:not(.btn-primary)",
        },
        {
            content: "The chatter keeps the verdict",
            trigger: ".o-mail-Message:contains('is a duplicate')",
        },
        screenStep("bill_confirmed_duplicate", ".o_gov_ai_duplicate_review.alert-danger"),
    ],
});
