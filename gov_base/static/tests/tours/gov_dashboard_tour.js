import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("gov_base_dashboard_tour", {
    steps: () => [
        {
            content: "The dashboard shows the audit log section",
            trigger: ".o_gov_dashboard_section[data-section=audit]",
        },
        {
            content: "The chain was never verified in this database",
            trigger:
                ".o_gov_dashboard_section[data-section=audit] .o_gov_kpi:contains('Chain at last verification') .o_gov_kpi_value[data-severity=warning]",
        },
        {
            content: "Open the events of the last 24 hours",
            trigger:
                ".o_gov_dashboard_section[data-section=audit] .o_gov_kpi:contains('Events, last 24 hours')",
            run: "click",
        },
        {
            content: "The audit log lists them",
            trigger: ".o_list_view .o_data_row td:contains('Dashboard tour event')",
        },
    ],
});
