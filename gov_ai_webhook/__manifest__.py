# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance AI Recommendations over Webhooks",
    "summary": "Asynchronous AI provider: questions leave through a signed webhook"
    " subscription (n8n), answers come back on a signed inbound endpoint",
    "version": "19.0.1.0.0",
    "category": "Productivity",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "maintainers": [],
    "depends": ["gov_ai", "gov_webhook"],
    "auto_install": True,
    "data": ["views/gov_ai_provider_views.xml"],
}
