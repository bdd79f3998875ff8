# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance Approvals for Invoicing",
    "summary": "Vendor bills, vendor refunds and customer credit notes are posted"
    " only once the approval matrix approves them",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": [],
    "depends": ["gov_approval", "account"],
    "auto_install": True,
    "data": [],
    "demo": ["demo/gov_approval_account_demo.xml"],
}
