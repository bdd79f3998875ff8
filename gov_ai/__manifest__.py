# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance AI Recommendations",
    "summary": "AI recommends, policy decides: use cases, offline built-in"
    " detectors, confidence thresholds, human review, full audit",
    "version": "19.0.1.2.0",
    "category": "Productivity",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "maintainers": [],
    "depends": ["gov_base", "gov_exception", "base_automation", "mail"],
    "data": [
        # Security
        "security/ir.model.access.csv",
        "security/gov_ai_security.xml",
        # Data
        "data/gov_ai_provider_data.xml",
        "data/ir_cron_data.xml",
        # Views
        "views/gov_ai_recommendation_views.xml",
        "views/gov_ai_use_case_views.xml",
        "views/gov_ai_provider_views.xml",
        "views/ir_actions_server_views.xml",
        "wizards/gov_ai_decision_wizard_views.xml",
        "wizards/gov_ai_provider_key_wizard_views.xml",
        "views/gov_ai_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["gov_ai/static/tests/tours/**/*"],
    },
}
