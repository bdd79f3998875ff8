# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance Base",
    "summary": "Governance roles, segregation of duties and a tamper-evident audit log",
    "version": "19.0.1.1.0",
    "category": "Productivity",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": [],
    "depends": ["base_setup", "mail"],
    "data": [
        # Security
        "security/gov_base_groups.xml",
        "security/ir.model.access.csv",
        "security/gov_base_security.xml",
        # Data
        "data/gov_sod_rule_data.xml",
        "data/ir_cron_data.xml",
        # Views
        "views/gov_dashboard_views.xml",
        "views/gov_audit_event_views.xml",
        "views/gov_audit_verification_views.xml",
        "views/gov_sod_rule_views.xml",
        "views/gov_sod_violation_views.xml",
        "views/ir_actions_server_views.xml",
        "views/res_config_settings_views.xml",
        "views/gov_base_menus.xml",
    ],
    "demo": ["demo/res_users_demo.xml"],
    "assets": {
        "web.assets_backend": ["gov_base/static/src/**/*"],
        "web.assets_tests": ["gov_base/static/tests/tours/**/*"],
    },
}
