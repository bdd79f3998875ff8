import { registry } from "@web/core/registry";
import { screenStep } from "@gov_base/../tests/tours/tour_screens";

const OLD = "BE71 0961 2345 6769";
const NEW = "FR76 3000 6000 0112 3456 7890 189";

registry.category("web_tour.tours").add("gov_approval_partner_bank_tour", {
    steps: () => [
        {
            content: "My Approvals lists the change asked by the clerk",
            trigger: ".o_list_view .o_data_row:contains('Bank Tour Clerk')",
        },
        {
            content: "Open the request",
            trigger: ".o_list_view .o_data_row:contains('Bank Tour Clerk') td.o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "Show the proposed change",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Proposed Change')",
            run: "click",
        },
        {
            content: "The diff shows the current account number",
            trigger: `.o_form_view .o_gov_approval_diff tbody td:contains('${OLD}')`,
        },
        {
            content: "and the proposed one",
            trigger: `.o_form_view .o_gov_approval_diff tbody td strong:contains('${NEW}')`,
        },
        screenStep("bank_change_diff", ".o_form_view .o_gov_approval_diff"),
        {
            content: "Approve the change",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        {
            content: "Give a reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Confirmed by phone with the vendor",
        },
        {
            content: "Confirm the decision",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The request is approved",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
        {
            content: "and can no longer be decided",
            trigger: ".o_form_view:not(:has(button[name=action_approve]))",
        },
        screenStep("bank_change_approved", ".o_form_view .o_statusbar_status"),
    ],
});
