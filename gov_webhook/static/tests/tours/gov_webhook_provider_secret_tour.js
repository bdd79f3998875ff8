import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("gov_webhook_provider_secret_tour", {
    steps: () => [
        ...stepUtils.goToAppSteps("gov_base.gov_base_menu_root", "Open Governance"),
        {
            content: "Open the Integrations menu",
            trigger: ".o_main_navbar [data-menu-xmlid='gov_webhook.gov_webhook_menu_root']",
            run: "click",
        },
        {
            content: "Open the public URL",
            trigger: ".dropdown-item[data-menu-xmlid='gov_webhook.gov_webhook_public_url_menu']",
            run: "click",
        },
        {
            content: "Give the address senders reach us at",
            trigger: ".modal .o_field_widget[name=public_url] input",
            run: "edit https://erp.tour.example.com/",
        },
        {
            content: "Save it",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "Open the Integrations menu again",
            trigger: "body:not(:has(.modal)) .o_main_navbar [data-menu-xmlid='gov_webhook.gov_webhook_menu_root']",
            run: "click",
        },
        {
            content: "Open the endpoints",
            trigger: ".dropdown-item[data-menu-xmlid='gov_webhook.gov_webhook_endpoint_menu']",
            run: "click",
        },
        {
            content: "Open the Stripe endpoint",
            trigger: ".o_list_view .o_data_row td[name=name]:contains('Tour Stripe payments')",
            run: "click",
        },
        {
            content: "Its URL starts with the public URL",
            trigger: ".o_field_widget[name=url]:contains('https://erp.tour.example.com/gov/webhook/')",
        },
        {
            content: "Enter the secret Stripe issued",
            trigger: ".o_form_statusbar button[name=action_enter_provider_secret]",
            run: "click",
        },
        {
            content: "Paste something that is not a Stripe secret",
            trigger: ".modal .o_field_widget[name=secret] input",
            run: "edit sk_live_not_a_signing_secret",
        },
        {
            content: "Try to save it",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The format is explained",
            trigger: ".modal:contains('A Stripe signing secret is whsec_')",
        },
        {
            content: "Close the error",
            trigger: ".modal:contains('A Stripe signing secret is whsec_') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Paste the signing secret",
            trigger: ".modal .o_field_widget[name=secret] input",
            run: "edit whsec_TourStripeSecret0123456789abcdef",
        },
        {
            content: "Save it",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=name]",
        },
    ],
});
