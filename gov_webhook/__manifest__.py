# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance Webhook Gateway",
    "summary": "Signed inbound webhook endpoints (store first, dedupe, answer exactly)"
    " and a reliable outbound outbox for n8n and SaaS receivers",
    "version": "19.0.1.0.0",
    "category": "Productivity",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": [],
    "depends": ["gov_exception"],
    "external_dependencies": {"python": ["cryptography", "jsonschema", "requests"]},
    "data": [
        "security/ir.model.access.csv",
        "security/gov_webhook_security.xml",
        "data/res_users_data.xml",
        "data/ir_cron_data.xml",
        "views/gov_webhook_endpoint_views.xml",
        "views/gov_webhook_inbox_views.xml",
        "views/gov_webhook_subscription_views.xml",
        "views/ir_actions_server_views.xml",
        "wizards/gov_webhook_secret_wizard_views.xml",
        "wizards/gov_webhook_secret_entry_wizard_views.xml",
        "wizards/gov_webhook_public_url_wizard_views.xml",
        "views/res_config_settings_views.xml",
        "views/gov_webhook_menus.xml",
        "data/base_automation_data.xml",
    ],
    "demo": ["demo/gov_webhook_demo.xml"],
    "assets": {
        "web.assets_tests": ["gov_webhook/static/tests/tours/**/*"],
    },
}
