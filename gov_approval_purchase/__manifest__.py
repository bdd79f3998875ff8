# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance Approvals for Purchase",
    "summary": "Purchase order confirmation waits for the approval matrix",
    "version": "19.0.1.0.0",
    "category": "Inventory/Purchase",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": [],
    "depends": ["gov_approval", "purchase"],
    "auto_install": True,
    "data": [],
    "demo": ["demo/gov_approval_purchase_demo.xml"],
    "assets": {
        "web.assets_tests": ["gov_approval_purchase/static/tests/tours/**/*"],
    },
}
