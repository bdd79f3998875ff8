import { registry } from "@web/core/registry";
import { screenStep } from "@gov_base/../tests/tours/tour_screens";

registry.category("web_tour.tours").add("gov_approval_digest_preferences_tour", {
    steps: () => [
        {
            content: "Open the user menu",
            trigger: ".o_user_menu .dropdown-toggle",
            run: "click",
        },
        {
            content: "Open my preferences",
            trigger: ".dropdown-item[data-menu=preferences]",
            run: "click",
        },
        {
            content: "Go to the Approvals tab",
            trigger: ".modal .o_notebook .nav-link:contains('Approvals')",
            run: "click",
        },
        {
            content: "The digest is off",
            trigger: ".modal .o_field_widget[name=gov_approval_digest] input:not(:checked)",
        },
        {
            content: "Ask for the daily digest",
            trigger: ".modal .o_field_widget[name=gov_approval_digest] input",
            run: "click",
        },
        screenStep(
            "approver_preferences_digest",
            ".modal .o_field_widget[name=gov_approval_digest] input:checked"
        ),
        {
            content: "Save the preferences (the web client reloads)",
            trigger: ".modal button[name=preference_save]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back in My Approvals, the preferences closed",
            trigger: "body:not(:has(.modal)) .o_list_view",
        },
    ],
});
