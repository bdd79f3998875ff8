import { registry } from "@web/core/registry";
import { screenStep } from "@gov_base/../tests/tours/tour_screens";

registry.category("web_tour.tours").add("gov_approval_sale_confirm_tour", {
    steps: () => [
        {
            content: "The quotation offers Confirm",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Quotation')",
        },
        {
            content: "Confirm the quotation with its 25% discount",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "A notice says the order waits for approval",
            trigger: ".o_notification:contains('Approval required'):contains('wait for approval')",
        },
        {
            content: "The banner says whom the order waits for",
            trigger: ".o_gov_approval_banner:contains('Waiting for Sales manager'):contains('Tour Sales Manager')",
        },
        {
            content: "and that it is confirmed by itself once approved",
            trigger: ".o_gov_approval_banner:contains('is done automatically')",
        },
        {
            content: "Confirm gives way to Waiting for Approval",
            trigger: ".o_statusbar_buttons button.o_gov_approval_waiting",
        },
        {
            content: "Confirm is not offered while the order waits",
            trigger: ".o_statusbar_buttons:not(:has(button[name=action_confirm]))",
        },
        {
            content: "The order is still a quotation",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Quotation')",
        },
        screenStep("sale_order_waiting_approval", ".o_notification:contains('Approval required')"),
    ],
});

registry.category("web_tour.tours").add("gov_approval_sale_approve_tour", {
    steps: () => [
        {
            content: "My Approvals lists the quotation, its customer and its total",
            trigger: ".o_list_view .o_data_row:contains('Tour Customer'):contains('750.00')",
        },
        screenStep("sale_my_approvals_list", ".o_list_view .o_data_row:contains('Tour Customer')"),
        {
            content: "Approve it from its row",
            trigger: ".o_data_row:contains('Tour Customer') button.o_gov_approval_quick_approve",
            run: "click",
        },
        {
            content: "The dialog shows the discounted line without opening the order",
            trigger: ".modal .o_field_widget[name=document_summary] .o_gov_approval_lines:contains('Tour Service')",
        },
        {
            content: "Give a reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Launch discount agreed with the customer",
        },
        screenStep("sale_approve_dialog", ".modal .o_field_widget[name=reason] textarea"),
        {
            content: "Confirm the decision",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The decision is recorded",
            trigger: ".o_notification:contains('1 of 1 requests decided')",
        },
        {
            content: "Nothing waits any more",
            trigger: ".o_view_nocontent:contains('Nothing waits for your approval')",
        },
    ],
});

registry.category("web_tour.tours").add("gov_approval_sale_confirmed_tour", {
    steps: () => [
        {
            content: "The salesperson finds the order confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
        {
            content: "without the approval banner",
            trigger: ".o_form_view:not(:has(.o_gov_approval_banner))",
        },
        {
            content: "The approval is in the history",
            trigger: ".o-mail-Message:contains('Launch discount agreed with the customer')",
        },
        screenStep("sale_order_confirmed", ".o-mail-Message:contains('Launch discount')"),
    ],
});
