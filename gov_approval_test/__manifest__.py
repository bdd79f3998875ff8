# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance Approval Engine Tests",
    "summary": "The approval engine's tester model and tests: never install it"
    " in production",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": [],
    "depends": ["gov_approval"],
    "data": [
        "security/gov_approval_test_security.xml",
        "security/ir.model.access.csv",
    ],
    "assets": {
        "web.assets_tests": ["gov_approval_test/static/tests/tours/**/*"],
    },
    "installable": True,
}
