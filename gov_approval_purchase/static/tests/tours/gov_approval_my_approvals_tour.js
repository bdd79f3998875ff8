import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

function openApprovalsMenu(menuXmlid, description) {
    return [
        ...stepUtils.goToAppSteps("gov_base.gov_base_menu_root", "Open Governance"),
        {
            content: "Open the Approvals menu",
            trigger: ".o_main_navbar [data-menu-xmlid='gov_approval.gov_approval_menu']",
            run: "click",
        },
        {
            content: description,
            trigger: `.dropdown-item[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
}

function selectRow(amount) {
    return {
        content: `Select the request of ${amount}`,
        trigger: `.o_list_view .o_data_row:contains('${amount}') .o_list_record_selector input`,
        run: "click",
    };
}

registry.category("web_tour.tours").add("gov_approval_mass_approve_tour", {
    steps: () => [
        ...openApprovalsMenu(
            "gov_approval.gov_approval_request_menu_mine",
            "Open My Approvals"
        ),
        {
            content: "The list shows what waits for me",
            trigger: ".o_list_view .o_facet_value:contains('To Approve')",
        },
        selectRow("1,100.00"),
        selectRow("1,200.00"),
        selectRow("1,300.00"),
        {
            content: "Three requests are selected",
            trigger: ".o_selection_box:contains('3 selected')",
        },
        {
            content: "Open the actions of the selection",
            trigger: ".o_cp_action_menus button",
            run: "click",
        },
        {
            content: "Approve them all",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Approve')",
            run: "click",
        },
        {
            content: "The wizard counts the three requests",
            trigger: ".modal .o_field_widget[name=request_count]:contains('3')",
        },
        {
            content: "Confirm the decision",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "All three are decided",
            trigger: ".o_notification:contains('3 of 3 requests decided')",
        },
        {
            content: "Nothing waits any more",
            trigger: ".o_view_nocontent:contains('Nothing waits for your approval')",
        },
    ],
});

registry.category("web_tour.tours").add("gov_approval_delegate_tour", {
    steps: () => [
        ...openApprovalsMenu("gov_approval.gov_approval_delegation_menu", "Open Delegations"),
        {
            content: "Delegate my approvals",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "I am the approver",
            trigger: ".o_field_widget[name=user_id] input:value('Tour Approver')",
        },
        {
            content: "Choose the delegate",
            trigger: ".o_field_widget[name=delegate_id] input",
            run: "edit Tour Delegate",
        },
        {
            content: "from the suggestions",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Delegate')",
            run: "click",
        },
        {
            content: "Until next week",
            trigger: ".o_field_widget[name=date_to] input",
            run: `edit ${luxon.DateTime.now()
                .plus({ days: 7 })
                .toFormat("MM/dd/yyyy HH:mm:ss")} && press Escape`,
        },
        {
            content: "Say why",
            trigger: ".o_field_widget[name=note] input",
            run: "edit Annual leave",
        },
        {
            content: "Save the delegation",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The delegation is saved",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Back to the delegations",
            trigger: ".breadcrumb-item.o_back_button a:contains('Delegations')",
            run: "click",
        },
        {
            content: "The delegation is current",
            trigger: ".o_list_view .o_data_row:contains('Tour Delegate'):not(.text-muted)",
        },
    ],
});

registry.category("web_tour.tours").add("gov_approval_delegate_approves_tour", {
    steps: () => [
        ...openApprovalsMenu(
            "gov_approval.gov_approval_request_menu_mine",
            "Open My Approvals"
        ),
        {
            content: "The request of the absent approver waits for me",
            trigger: ".o_list_view .o_data_row:contains('1,200.00'):contains('Tour Approver')",
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_row:contains('1,200.00') td.o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "It waits for the approver's step",
            trigger: ".o_form_view .o_field_widget[name=current_step_id]:contains('Tour step')",
        },
        {
            content: "which I may decide",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        {
            content: "The dialog shows the order I cannot open myself",
            trigger: ".modal .o_field_widget[name=document_summary]:contains('Tour Vendor')",
        },
        {
            content: "The step asks for a reason",
            trigger: ".modal .o_field_widget[name=reason].o_required_modifier textarea",
            run: "edit Approved while the manager is away",
        },
        {
            content: "Confirm the decision",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Having decided, I still see the request, now approved",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
    ],
});

