# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance AI for Purchase Bills",
    "summary": "The duplicate and amount checks of vendor bills read the purchase"
    " order: parts of one order billed within the received quantities are no"
    " duplicates, billing above them or above the ordered price is a finding",
    "version": "19.0.1.1.0",
    "category": "Inventory/Purchase",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "maintainers": [],
    "depends": ["gov_ai_account", "purchase"],
    "auto_install": True,
    "data": ["views/gov_ai_use_case_views.xml"],
}
