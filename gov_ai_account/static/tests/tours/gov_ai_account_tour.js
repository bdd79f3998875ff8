import { registry } from "@web/core/registry";

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
            trigger: ".o_list_view .o_data_row:contains('possible duplicate'):contains('To Review')",
        },
    ],
});
