# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governed Operations",
    "summary": "Approvals, exceptions, integrations and AI, governed and audited",
    "version": "19.0.1.0.0",
    "category": "Productivity",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": [],
    "depends": ["gov_base", "gov_exception", "gov_webhook", "gov_approval", "gov_ai"],
    "application": True,
    "installable": True,
}
