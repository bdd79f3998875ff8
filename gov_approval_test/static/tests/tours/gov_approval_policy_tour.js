import { registry } from "@web/core/registry";
import { screenStep } from "@gov_base/../tests/tours/tour_screens";

/**
 * A finance manager makes a three-band matrix with its steps, once from a
 * template and once from scratch, each within a budget of 15 clicks and
 * entries: every step that clicks or types counts; the tour fails past it.
 */
const BUDGET = 15;

function withinBudget(steps) {
    const interactions = steps.filter(
        (step) => step.run && !step.content.startsWith("Screenshot:")
    ).length;
    return [
        ...steps,
        {
            content: `At most ${BUDGET} clicks and entries (${interactions})`,
            trigger: "body",
            run() {
                if (interactions > BUDGET) {
                    throw new Error(`${interactions} clicks and entries, over ${BUDGET}`);
                }
                console.log(`gov-clicks:${interactions}`);
            },
        },
    ];
}

function pickAction() {
    return [
        {
            content: "Open the governed actions",
            trigger: ".modal .o_field_widget[name=action] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "Govern the tester documents",
            trigger: ".o_select_menu_item:contains('Confirm tester document')",
            run: "click",
        },
    ];
}

function levelUsers(row, typed, label, open = false) {
    const cell = `.modal .o_field_widget[name=level_ids] .o_data_row:nth-child(${row})`;
    const opening = open
        ? [
              {
                  content: `Edit level ${row}`,
                  trigger: `${cell} td[name=user_ids]`,
                  run: "click",
              },
          ]
        : [];
    return [
        ...opening,
        {
            content: `Approvers of level ${row}`,
            trigger: `.modal .o_field_widget[name=level_ids] .o_data_row:nth-child(${row}) .o_field_widget[name=user_ids] input`,
            run: `edit ${typed}`,
        },
        {
            content: `Pick ${label}`,
            trigger: `.o-autocomplete--dropdown-item:contains('${label}')`,
            run: "click",
        },
    ];
}

function newLevel(row, amount) {
    return [
        {
            content: "Add a level",
            trigger: ".modal .o_field_widget[name=level_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: `From ${amount}`,
            trigger: `.modal .o_field_widget[name=level_ids] .o_data_row:nth-child(${row}) .o_field_widget[name=min_amount] input`,
            run: `edit ${amount}`,
        },
    ];
}

function createAndActivate(name) {
    return [
        {
            content: "Create the draft matrix",
            trigger: ".modal button[name=action_create]",
            run: "click",
        },
        {
            content: "The draft reads as sentences",
            trigger: ".o_form_view:has(.ribbon:contains('Draft')) .o_gov_approval_policy:contains('and above')",
        },
        screenStep(`${name}_draft`, ".o_form_view .o_gov_approval_policy"),
        {
            content: "Activate it",
            trigger: ".o_form_view button[name=action_activate]",
            run: "click",
        },
        {
            content: "Active",
            trigger: ".o_form_view:not(:has(.ribbon)) .o_statusbar_status .o_arrow_button_current:contains('Active')",
        },
    ];
}

registry.category("web_tour.tours").add("gov_approval_policy_template_tour", {
    steps: () =>
        withinBudget([
            {
                content: "New from a template",
                trigger: "button:contains('New from Template')",
                run: "click",
            },
            {
                content: "Three bands is the template offered first",
                trigger: ".modal .o_field_widget[name=template] input[data-value=three_bands]:checked",
            },
            ...pickAction(),
            ...levelUsers(3, "Tour Director", "Tour Director", true),
            {
                content: "The preview says the policy",
                trigger: ".modal .o_gov_approval_policy:contains('Finance Director (Tour Director)')",
            },
            screenStep("policy_template_designer", ".modal .o_gov_approval_policy"),
            ...createAndActivate("policy_template"),
        ]),
});

registry.category("web_tour.tours").add("gov_approval_policy_scratch_tour", {
    steps: () =>
        withinBudget([
            {
                content: "New policy",
                trigger: "button:contains('New from Template')",
                run: "click",
            },
            {
                content: "From scratch",
                trigger: ".modal .o_field_widget[name=template] input[data-value=custom]",
                run: "click",
            },
            ...pickAction(),
            ...newLevel(2, "2000"),
            ...levelUsers(2, "Tour Controller", "Tour Controller"),
            ...newLevel(3, "20000"),
            ...levelUsers(3, "Tour Director", "Tour Director"),
            {
                content: "The preview says the policy",
                trigger: ".modal .o_gov_approval_policy:contains('Tour Controller, then Tour Director')",
            },
            ...createAndActivate("policy_scratch"),
        ]),
});
