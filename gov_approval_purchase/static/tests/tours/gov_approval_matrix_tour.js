import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("gov_approval_matrix_tour", {
    steps: () => [
        {
            content: "Create a matrix",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour purchase matrix",
        },
        {
            content: "Open the governed actions",
            trigger: ".o_field_widget[name=action] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "Govern purchase order confirmation",
            trigger: ".o_select_menu_item:contains('Confirm purchase order')",
            run: "click",
        },
        {
            content: "Add a band",
            trigger: ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "From 1,000",
            trigger: ".modal .o_field_widget[name=min_amount] input",
            run: "edit 1000",
        },
        {
            content: "up to 50,000",
            trigger: ".modal .o_field_widget[name=max_amount] input",
            run: "edit 50000",
        },
        {
            content: "Add a step",
            trigger: ".modal .o_field_widget[name=step_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Name the step",
            trigger: ".modal .o_field_widget[name=step_ids] .o_data_row .o_field_widget[name=name] input",
            run: "edit Tour manager",
        },
        {
            content: "Pick the approver",
            trigger: ".modal .o_field_widget[name=step_ids] .o_data_row .o_field_widget[name=user_ids] input",
            run: "edit Tour Approver",
        },
        {
            content: "from the suggestions",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Approver')",
            run: "click",
        },
        {
            content: "Save the band",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The band shows its route",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td:contains('Tour manager')",
        },
        {
            content: "Save the matrix",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The policy reads as a sentence",
            trigger: ".o_form_saved .o_gov_approval_policy:contains('From'):contains('Tour manager (Tour Approver)')",
        },
        {
            content: "A new matrix is a draft: activate it",
            trigger: ".o_form_view .ribbon:contains('Draft')",
            run() {
                document.querySelector(".o_form_view button[name=action_activate]").click();
            },
        },
        {
            content: "Active",
            trigger: ".o_form_view:not(:has(.ribbon)) .o_statusbar_status .o_arrow_button_current:contains('Active')",
        },
        {
            content: "Simulate",
            trigger: ".o_form_view button[name=action_open_simulator]",
            run: "click",
        },
        {
            content: "An amount of 2,500",
            trigger: ".modal .o_field_widget[name=amount] input",
            run: "edit 2500 && press Tab",
        },
        {
            content: "The route and its approver are shown",
            trigger: ".modal .o_field_widget[name=result_html]:contains('Tour manager'):contains('Tour Approver')",
        },
        {
            content: "An amount above every band",
            trigger: ".modal .o_field_widget[name=amount] input",
            run: "edit 60000 && press Tab",
        },
        {
            content: "matches no band",
            trigger: ".modal .o_field_widget[name=result_html]:contains('matches no band')",
        },
        {
            content: "Close the simulator",
            trigger: ".modal .modal-footer button:contains('Close')",
            run: "click",
        },
        {
            content: "The gap above the last band is pointed out",
            trigger: ".o_form_view .alert-warning:contains('match no band')",
        },
        {
            content: "The matrix reloaded after the simulator holds no unsaved change",
            trigger: "body:not(:has(.o_form_dirty))",
        },
    ],
});
