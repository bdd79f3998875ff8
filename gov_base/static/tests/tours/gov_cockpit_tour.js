import { registry } from "@web/core/registry";

/** Pause so that the screenshot asked for shows the screen it names. */
function screenshot(name, delay = 1500) {
    return async () => {
        // charts animate: let them settle before the picture is taken
        await new Promise((resolve) => setTimeout(resolve, delay));
        console.log(`gov-screen:${name}`);
        await new Promise((resolve) => setTimeout(resolve, 700));
    };
}

/**
 * An Auditor reads the operations cockpit: trends with their comparison,
 * charts, then drills down from a bar to the records behind it and opens
 * the analysis of a section.
 */
registry.category("web_tour.tours").add("gov_base_cockpit_tour", {
    steps: () => [
        {
            content: "The approvals section shows its trends",
            trigger:
                ".o_gov_dashboard_section[data-section=approvals] .o_gov_kpi:contains('Cycle time') .o_gov_kpi_trend",
        },
        {
            content: "Cycle time by week is drawn",
            trigger:
                ".o_gov_chart[data-chart=cycle_by_week] .o_gov_bar.cursor-pointer .o_gov_bar_fill",
            run: screenshot("cockpit_auditor"),
        },
        {
            content: "Open the requests waiting for 3 to 7 days",
            trigger:
                ".o_gov_chart[data-chart=backlog_by_age] .o_gov_chart_row:contains('3 to 7 days') .o_gov_bar.cursor-pointer",
            run: "click",
        },
        {
            content: "The list shows the request behind the bar",
            trigger: ".o_list_view .o_data_row:first",
            run: screenshot("cockpit_drilldown"),
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Open the approval analysis",
            trigger: ".o_gov_dashboard_section[data-section=approvals] .o_gov_analysis",
            run: "click",
        },
        {
            content: "The analysis is a graph of cycle time",
            trigger: ".o_graph_renderer canvas",
            run: screenshot("cockpit_analysis", 4000),
        },
    ],
});
