import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("gov_webhook_endpoint_tour", {
    steps: () => [
        ...stepUtils.goToAppSteps("gov_base.gov_base_menu_root", "Open Governance"),
        {
            content: "Open the Integrations menu",
            trigger: ".o_main_navbar [data-menu-xmlid='gov_webhook.gov_webhook_menu_root']",
            run: "click",
        },
        {
            content: "Open the endpoints",
            trigger: ".dropdown-item[data-menu-xmlid='gov_webhook.gov_webhook_endpoint_menu']",
            run: "click",
        },
        {
            content: "Create an endpoint",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Tour shop orders",
        },
        {
            content: "Standard Webhooks is the default profile",
            trigger: ".o_field_widget[name=profile] input:value(Standard Webhooks)",
        },
        {
            content: "The handler runs a server action",
            trigger: ".o_field_widget[name=handler_type] input:value(Run a server action)",
        },
        {
            content: "Look for the server action",
            trigger: ".o_field_widget[name=server_action_id] input",
            run: "edit Tour: contact",
        },
        {
            content: "Pick it from the suggestions",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour: contact from test delivery')",
            run: "click",
        },
        {
            content: "The handler runs as the technical webhook user",
            trigger: ".o_field_widget[name=run_as_user_id] input:value(Webhook Runner)",
        },
        {
            content: "Save the endpoint",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Generate its secret",
            trigger: ".o_form_saved .o_form_statusbar button[name=action_generate_secret]:contains('Generate Secret')",
            run: "click",
        },
        {
            content: "The secret is shown once",
            trigger: ".modal .o_field_widget[name=secret_shown]:contains('whsec_')",
        },
        {
            content: "Close the dialog",
            trigger: ".modal button[name=action_done]",
            run: "click",
        },
        {
            content: "The endpoint now offers rotation instead of generation",
            trigger: "body:not(:has(.modal)) .o_form_statusbar button[name=action_generate_secret]:contains('Rotate Secret')",
        },
        {
            content: "Send a signed test delivery",
            trigger: ".o_form_statusbar button[name=action_send_test]",
            run: "click",
        },
        {
            content: "The endpoint accepted it",
            trigger: ".o_notification:contains('Test delivery answered 202')",
        },
        {
            content: "Open the endpoint's inbox",
            trigger: "button.oe_stat_button[name=action_open_inbox]:contains('Accepted (24 h)')",
            run: "click",
        },
        {
            content: "The test delivery waits in the inbox",
            trigger: ".o_list_view .o_data_row:contains('Tour shop orders') td[name=delivery_id]:contains('msg_test_')",
        },
    ],
});
