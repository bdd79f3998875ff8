# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance Approvals for Vendor Bank Accounts",
    "summary": "Four eyes on vendor bank accounts: new accounts and changed"
    " account numbers wait for approval, and no payment goes to them meanwhile",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": [],
    "depends": ["gov_approval", "account"],
    "auto_install": True,
    "data": ["data/gov_approval_matrix_data.xml"],
    "demo": ["demo/gov_approval_partner_bank_demo.xml"],
    "assets": {
        "web.assets_tests": ["gov_approval_partner_bank/static/tests/tours/**/*"],
    },
}
