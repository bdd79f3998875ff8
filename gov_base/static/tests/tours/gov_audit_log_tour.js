import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("gov_base_audit_log_tour", {
    steps: () => [
        {
            content: "The audit log lists recent events",
            trigger: ".o_list_view .o_data_row td:contains('Unrelated event')",
        },
        {
            content: "Open the filters",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Keep only events received through a webhook",
            trigger: ".o_filter_menu .o_menu_item:contains('Webhook')",
            run: "click",
        },
        {
            content: "The other event is filtered out",
            trigger:
                ".o_list_view:not(:has(td:contains('Unrelated event'))) .o_data_row td:contains('Vendor bank account changed')",
        },
        {
            content: "Open the event",
            trigger: ".o_data_row td:contains('Vendor bank account changed')",
            run: "click",
        },
        {
            content: "The form shows the before and after values",
            trigger: ".o_form_view .o_field_widget[name=details_display]:contains('DE00 2222')",
        },
        {
            content: "and the channel",
            trigger: ".o_form_view .o_field_widget[name=channel]:contains('Webhook')",
        },
    ],
});
