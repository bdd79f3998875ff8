import { registry } from "@web/core/registry";
import { screenStep } from "@gov_base/../tests/tours/tour_screens";

const ROW = ".o_list_view .o_data_row:contains('Tour Pallet')";

registry.category("web_tour.tours").add("gov_approval_stock_count_tour", {
    steps: () => [
        {
            content: "The physical inventory lists the pallets to count",
            trigger: `${ROW} td.o_data_cell[name=quantity]:contains('10')`,
        },
        {
            content: "and the crates, also to count",
            trigger: ".o_list_view .o_data_row:contains('Tour Crate')",
        },
        {
            content: "Open the counted quantity",
            trigger: `${ROW} td.o_data_cell[name=inventory_quantity]`,
            run: "click",
        },
        {
            content: "Count 25 pallets",
            trigger: `${ROW} .o_field_widget[name=inventory_quantity] input`,
            run: "edit 25",
        },
        {
            content: "Apply the count",
            trigger: `${ROW} button[name=action_apply_inventory]`,
            run: "click",
        },
        {
            content: "A notice says the adjustment waits for approval",
            trigger: ".o_notification:contains('Approval required'):contains('wait for approval')",
        },
        {
            content: "The count is marked as waiting for approval",
            trigger: `${ROW}.text-info td.o_data_cell[name=gov_approval_waiting]:contains('Waiting for Approval')`,
        },
        {
            content: "The quantity on hand has not changed",
            trigger: `${ROW} td.o_data_cell[name=quantity]:contains('10.00')`,
        },
        screenStep("stock_count_waiting_approval", `${ROW} td[name=gov_approval_waiting] .badge`),
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Show only the counts waiting for approval",
            trigger: ".o_filter_menu .o-dropdown-item:contains('Waiting for Approval')",
            run: "click",
        },
        {
            content: "The filter is applied",
            trigger: ".o_searchview_facet:contains('Waiting for Approval')",
        },
        {
            content: "Close the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "The filters are closed",
            trigger: "body:not(:has(.o_filter_menu))",
        },
        {
            content: "The waiting count is listed, the other product is not",
            trigger: ".o_list_view:has(.o_data_row:contains('Tour Pallet')):not(:has(.o_data_row:contains('Tour Crate')))",
        },
        screenStep("stock_filter_waiting_approval", ".o_searchview_facet:contains('Waiting for Approval')"),
    ],
});

registry.category("web_tour.tours").add("gov_approval_stock_approve_tour", {
    steps: () => [
        {
            content: "My Approvals lists the adjustment of the storekeeper",
            trigger: ".o_list_view .o_data_row:contains('Tour Storekeeper'):contains('1,500.00')",
        },
        {
            content: "Open the request",
            trigger: ".o_list_view .o_data_row:contains('Tour Storekeeper') td.o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "The request shows the counted line and its value",
            trigger: ".o_form_view .o_gov_approval_lines:contains('Tour Pallet')",
        },
        screenStep("stock_adjustment_request", ".o_form_view .o_gov_approval_lines"),
        {
            content: "Approve the adjustment",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        {
            content: "Give a reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Recount confirmed",
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
        screenStep("stock_adjustment_approved", ".o_form_view .o_statusbar_status"),
    ],
});

registry.category("web_tour.tours").add("gov_approval_stock_applied_tour", {
    steps: () => [
        {
            content: "Applied counts are no longer assigned: leave My Counts",
            trigger: ".o_searchview_facet:contains('My Counts') .o_facet_remove",
            run: "click",
        },
        {
            content: "Look for the pallets",
            trigger: ".o_searchview_input",
            run: "edit Tour Pallet",
        },
        {
            content: "in the products",
            trigger: ".o_searchview_autocomplete .o-dropdown-item.focus",
            run: "click",
        },
        {
            content: "The approved count is on hand",
            trigger: `${ROW} td.o_data_cell[name=quantity]:contains('25.00')`,
        },
        {
            content: "and no longer waits",
            trigger: `${ROW}:not(.text-info) td.o_data_cell[name=gov_approval_waiting]:not(:has(.badge))`,
        },
        screenStep("stock_count_applied", `${ROW} td.o_data_cell[name=quantity]`),
    ],
});
