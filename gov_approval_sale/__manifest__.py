# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance Approvals for Sales",
    "summary": "Sales order confirmation waits for the approval matrix: bands"
    " on the amount, conditions on discounts and margins",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Governed Operations",
    "website": "https://governed-operations.example",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": [],
    # margins (sale_margin) are conditions of the bands; the bridge installs
    # itself as soon as Sales is there
    "depends": ["gov_approval", "sale", "sale_margin"],
    "auto_install": ["gov_approval", "sale"],
    "data": ["data/gov_approval_matrix_data.xml"],
    "demo": ["demo/gov_approval_sale_demo.xml"],
    "assets": {
        "web.assets_tests": ["gov_approval_sale/static/tests/tours/**/*"],
    },
}
