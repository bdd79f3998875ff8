import { registry } from "@web/core/registry";
import { screenStep } from "@gov_base/../tests/tours/tour_screens";

registry.category("web_tour.tours").add("gov_approval_inbox_list_tour", {
    steps: () => [
        {
            content: "My Approvals lists the vendor, the requester and the amount",
            trigger: ".o_list_view .o_data_row:contains('Inbox Vendor A'):contains('1,100.00')",
        },
        screenStep("approver_my_approvals_list", ".o_list_view .o_data_row:contains('Inbox Vendor B')"),
        {
            content: "Approve the first request from its row",
            trigger: ".o_data_row:contains('Inbox Vendor A') button.o_gov_approval_quick_approve",
            run: "click",
        },
        {
            content: "The dialog shows the order's lines without opening it",
            trigger: ".modal .o_field_widget[name=document_summary] .o_gov_approval_lines:contains('Inbox chair')",
        },
        screenStep("approver_list_decision_dialog", ".modal .o_field_widget[name=reason] textarea"),
        {
            content: "Give a reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Within budget",
        },
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
            content: "The approved request leaves My Approvals",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Inbox Vendor A')))",
        },
        {
            content: "Reject the other one from its row",
            trigger: ".o_data_row:contains('Inbox Vendor B') button.o_gov_approval_quick_reject",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name=reason].o_required_modifier textarea",
            run: "edit Wrong vendor",
        },
        {
            content: "Confirm the rejection",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Nothing waits any more",
            trigger: ".o_view_nocontent:contains('Nothing waits for your approval')",
        },
    ],
});

registry.category("web_tour.tours").add("gov_approval_inbox_kanban_tour", {
    steps: () => [
        {
            content: "Switch to the kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "The card shows the vendor and the amount",
            trigger: ".o_kanban_record:contains('Inbox Vendor A'):contains('1,100.00')",
        },
        screenStep("approver_my_approvals_kanban", ".o_kanban_record:contains('Inbox Vendor B')"),
        {
            content: "Approve from the card",
            trigger: ".o_kanban_record:contains('Inbox Vendor A') button.o_gov_approval_quick_approve",
            run: "click",
        },
        {
            content: "The dialog shows the order",
            trigger: ".modal .o_field_widget[name=document_summary]:contains('Inbox Vendor A')",
        },
        {
            content: "Give a reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Agreed in the weekly meeting",
        },
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
            content: "Reject the other one from its card",
            trigger: ".o_kanban_record:contains('Inbox Vendor B') button.o_gov_approval_quick_reject",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name=reason].o_required_modifier textarea",
            run: "edit Duplicate order",
        },
        {
            content: "Confirm the rejection",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "No card waits for a decision any more",
            trigger: ".o_kanban_view:not(:has(button.o_gov_approval_quick_approve))",
        },
        screenStep("approver_kanban_after_decisions"),
    ],
});

registry.category("web_tour.tours").add("gov_approval_inbox_requester_tour", {
    steps: () => [
        {
            content: "The banner names the step now open and its approver",
            trigger: ".o_gov_approval_banner:contains('Waiting for Inbox director'):contains('Inbox Director')",
        },
        {
            content: "and says the order confirms itself once approved",
            trigger: ".o_gov_approval_banner:contains('is done automatically')",
        },
        {
            content: "The order shows it waits instead of offering Confirm Order",
            trigger: ".o_statusbar_buttons button.o_gov_approval_waiting",
        },
        {
            content: "Confirm Order is not offered while the order waits",
            trigger: ".o_statusbar_buttons:not(:has(button[name=button_confirm]:visible))",
        },
        {
            content: "The first approval and its comment are in the chatter",
            trigger: ".o-mail-Message:contains('Inbox manager approved by Inbox Manager: Fine for me')",
        },
        screenStep("requester_order_waiting_banner", ".o-mail-Message:contains('Fine for me')"),
    ],
});

registry.category("web_tour.tours").add("gov_approval_inbox_rejected_tour", {
    steps: () => [
        {
            content: "The banner says who rejected and why",
            trigger: ".o_gov_approval_banner.alert-danger:contains('Rejected by Inbox Manager'):contains('Too expensive')",
        },
        screenStep("requester_order_rejected_banner", ".o_gov_approval_banner.alert-danger"),
    ],
});
