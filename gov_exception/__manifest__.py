# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance Exception Queue",
    "summary": "One governed queue for everything that failed or needs a human:"
    " owners, SLA, dedup, retry with backoff, replay, retention",
    "version": "19.0.1.0.0",
    "category": "Productivity",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": [],
    "depends": ["gov_base", "mail", "base_automation"],
    "data": [
        # Security
        "security/ir.model.access.csv",
        "security/gov_exception_security.xml",
        # Data
        "data/ir_config_parameter_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "data/base_automation_data.xml",
        # Views
        "views/gov_exception_item_views.xml",
        "views/gov_exception_analysis_views.xml",
        "views/gov_exception_policy_views.xml",
        "views/ir_actions_server_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/gov_exception_replay_wizard_views.xml",
        "wizards/gov_exception_close_wizard_views.xml",
        "views/gov_exception_menus.xml",
    ],
    "demo": ["demo/gov_exception_demo.xml"],
    "assets": {
        "web.assets_tests": ["gov_exception/static/tests/tours/**/*"],
    },
}
