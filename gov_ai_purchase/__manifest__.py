# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance AI for Purchase Bills",
    "summary": "The duplicate bill check reads the purchase order: parts of one"
    " order billed within the received quantities are no duplicates, billing"
    " above them is a finding",
    "version": "19.0.1.0.0",
    "category": "Inventory/Purchase",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "maintainers": [],
    "depends": ["gov_ai_account", "purchase"],
    "auto_install": True,
    "data": [],
}
