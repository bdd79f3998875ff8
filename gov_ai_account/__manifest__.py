# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance AI for Invoicing",
    "summary": "Ready-to-use AI checks for payables and receivables: duplicate"
    " and unusual vendor bills, refund risk of customer credit notes",
    "version": "19.0.1.2.0",
    "category": "Accounting/Accounting",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "maintainers": [],
    "depends": ["gov_ai", "account"],
    "data": [
        "data/gov_ai_use_case_data.xml",
        "data/base_automation_data.xml",
        "views/account_move_views.xml",
        "views/gov_ai_use_case_views.xml",
    ],
    "demo": ["demo/gov_ai_account_demo.xml"],
    "assets": {
        "web.assets_tests": ["gov_ai_account/static/tests/tours/**/*"],
    },
}
