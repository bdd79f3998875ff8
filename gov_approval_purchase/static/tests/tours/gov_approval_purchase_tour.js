import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("gov_approval_approve_order_tour", {
    steps: () => [
        {
            content: "The order tells who it waits for",
            trigger: ".o_gov_approval_banner:contains('Waiting for Tour step')",
        },
        {
            content: "Approve",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_gov_approval_approve]",
            run: "click",
        },
        {
            content: "Give a reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Within the project budget",
        },
        {
            content: "Confirm the decision",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Purchase Order')",
        },
    ],
});

registry.category("web_tour.tours").add("gov_approval_requester_tour", {
    steps: () => [
        {
            content: "The requester sees the order confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Purchase Order')",
        },
        {
            content: "and the approval in the history",
            trigger: ".o-mail-Message:contains('Approved')",
        },
        {
            content: "The approval history is one click away",
            trigger: ".o_form_view button[name=action_gov_approval_requests]",
            run: "click",
        },
        {
            content: "It lists the approved request",
            trigger: ".o_list_view .o_data_row:contains('Approved')",
        },
    ],
});
