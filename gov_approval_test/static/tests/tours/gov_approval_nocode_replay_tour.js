import { registry } from "@web/core/registry";
import { screenStep } from "@gov_base/../tests/tours/tour_screens";

function pickSelection(field, label) {
    return [
        {
            content: `Open ${field}`,
            trigger: `.o_field_widget[name=${field}] .o_select_menu_toggler`,
            run: "click",
        },
        {
            content: `Pick ${label}`,
            trigger: `.o_select_menu_item:contains('${label}')`,
            run: "click",
        },
    ];
}

function pickMany2one(selector, typed, label) {
    return [
        {
            content: `Type ${typed}`,
            trigger: `${selector} input`,
            run: `edit ${typed}`,
        },
        {
            content: `Pick ${label}`,
            trigger: `.o-autocomplete--dropdown-item a:text(${label})`,
            run: "click",
        },
    ];
}

function bandWithStep(stepName, approver) {
    return [
        {
            content: "Add a band for every amount",
            trigger: ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "From 0",
            trigger: ".modal .o_field_widget[name=min_amount] input",
            run: "edit 0",
        },
        {
            content: "Add a step",
            trigger: ".modal .o_field_widget[name=step_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Name the step",
            trigger: ".modal .o_field_widget[name=step_ids] .o_data_row .o_field_widget[name=name] input",
            run: `edit ${stepName}`,
        },
        {
            content: "Pick the approver",
            trigger: ".modal .o_field_widget[name=step_ids] .o_data_row .o_field_widget[name=user_ids] input",
            run: `edit ${approver}`,
        },
        {
            content: "from the suggestions",
            trigger: `.o-autocomplete--dropdown-item:contains('${approver}')`,
            run: "click",
        },
        {
            content: "Save the band",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The band shows its route",
            trigger: `.o_field_widget[name=line_ids] .o_data_row td:contains('${stepName}')`,
        },
        {
            content: "Save the matrix",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The policy reads as a sentence",
            trigger: `.o_form_saved .o_gov_approval_policy:contains('Any amount'):contains('${stepName}')`,
        },
    ];
}

registry.category("web_tour.tours").add("gov_approval_nocode_replay_tour", {
    steps: () => [
        // 1. a button of contacts, governed without code
        {
            content: "Create a matrix",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour archiving contacts",
        },
        ...pickSelection("kind", "Action on Any Model"),
        ...pickMany2one(".o_field_widget[name=res_model_id]", "Contact", "Contact"),
        ...pickMany2one(".o_field_widget[name=button_id]", "Archive", "Archive (action_archive)"),
        ...bandWithStep("Tour controller", "Tour Approver"),
        screenStep("nocode_button_matrix"),
        // a new matrix is a draft: replayed before it governs
        {
            content: "The new matrix is a draft",
            trigger: ".o_form_view .ribbon:contains('Draft')",
        },
        {
            content: "Replay it over history",
            trigger: ".o_form_view button[name=action_open_replay]",
            run: "click",
        },
        {
            content: "Run the replay",
            trigger: ".o_form_view button[name=action_replay]",
            run: "click",
        },
        {
            content: "The replay says what would have needed approval",
            trigger: ".o_gov_approval_replay_summary:contains('would need approval')",
        },
        screenStep("nocode_replay_report"),
        {
            content: "Open the graph",
            trigger: ".o_form_view button[name=action_open_graph]",
            run: "click",
        },
        {
            content: "The graph of the load",
            trigger: ".o_graph_renderer canvas",
        },
        screenStep("nocode_replay_graph"),
        {
            content: "Back to the replay",
            trigger: ".o_graph_renderer canvas",
            run() {
                history.back();
            },
        },
        {
            content: "Back to the matrix",
            trigger: ".o_gov_approval_replay_summary",
            run() {
                document.querySelector(".o_field_widget[name=matrix_id] a").click();
            },
        },
        {
            content: "Activate the draft",
            trigger: ".o_form_view .ribbon:contains('Draft')",
            run() {
                document.querySelector(".o_form_view button[name=action_activate]").click();
            },
        },
        {
            content: "Active: no ribbon, a version",
            trigger: ".o_form_view:not(:has(.ribbon)) button[name=action_open_versions]",
        },
        screenStep("nocode_button_active"),
        // 2. four eyes on a field of contacts
        {
            content: "Back to the matrices",
            trigger: ".o_form_view:not(:has(.ribbon))",
            run: "goToUrl /odoo/action-gov_approval.gov_approval_matrix_action",
            expectUnloadPage: true,
        },
        {
            content: "Create another matrix",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour contact tax ID",
        },
        ...pickSelection("kind", "Field Changes"),
        ...pickMany2one(".o_field_widget[name=res_model_id]", "Contact", "Contact"),
        {
            content: "Open the governed fields",
            trigger: ".o_notebook a:contains('Governed Fields')",
            run: "click",
        },
        {
            content: "Add a field",
            trigger: ".o_field_widget[name=field_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Type Tax ID",
            trigger: ".modal .o_searchview_input",
            run: "edit Tax ID",
        },
        {
            content: "Search the field for it",
            trigger: ".o_searchview_autocomplete .o-dropdown-item.focus:contains('Tax ID')",
            run: "click",
        },
        {
            content: "Pick it once the list is filtered",
            trigger: ".modal .o_searchview .o_facet_value:contains('Tax ID')",
        },
        {
            content: "Pick it",
            trigger: ".modal .o_data_row td:contains('vat')",
            run: "click",
        },
        {
            content: "Back to the bands",
            trigger: ".o_notebook a:contains('Threshold Bands')",
            run: "click",
        },
        ...bandWithStep("Tour four eyes", "Tour Approver"),
        {
            content: "Back to the governed fields",
            trigger: ".o_form_saved .o_notebook a:contains('Governed Fields')",
            run: "click",
        },
        {
            content: "The field is kept",
            trigger: ".o_field_widget[name=field_ids] .o_data_row td:contains('vat')",
        },
        screenStep("nocode_field_matrix"),
        {
            content: "Back to the list of matrices",
            trigger: ".o_form_saved",
            run: "goToUrl /odoo/action-gov_approval.gov_approval_matrix_action",
            expectUnloadPage: true,
        },
        {
            content: "The list shows the order of each matrix",
            trigger: ".o_list_view td[name=precedence_display]",
        },
        screenStep("nocode_matrix_list"),
    ],
});
