# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance Approvals over Webhooks",
    "summary": "Approvers decide from chat tools through n8n: approval events out,"
    " signed per-approver decisions in, with the same checks as in Odoo",
    "version": "19.0.1.0.0",
    "category": "Productivity",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": [],
    "depends": ["gov_approval", "gov_webhook"],
    "auto_install": True,
    "data": ["views/gov_webhook_subscription_views.xml"],
}
