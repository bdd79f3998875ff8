# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance Approvals for Inventory Adjustments",
    "summary": "Counted quantities are applied once approved, with the value of"
    " the difference as the amount of the approval matrix",
    "version": "19.0.1.0.0",
    "category": "Inventory/Inventory",
    "author": "Governed Operations",
    "website": "https://governed-operations.example",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": [],
    "depends": ["gov_approval", "stock"],
    "auto_install": True,
    "data": [
        "security/ir.model.access.csv",
        "security/gov_stock_adjustment_security.xml",
        "data/ir_sequence_data.xml",
        "data/gov_approval_matrix_data.xml",
        "views/gov_stock_adjustment_views.xml",
        "views/stock_quant_views.xml",
    ],
    "demo": ["demo/gov_approval_stock_demo.xml"],
    "assets": {
        "web.assets_tests": ["gov_approval_stock/static/tests/tours/**/*"],
    },
}
