# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance Approvals with AI Conditions",
    "summary": "Approval bands that ask an AI use case first: a confident,"
    " low-risk answer on a low-impact band is approved by the AI policy",
    "version": "19.0.1.0.0",
    "category": "Productivity",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "maintainers": [],
    "depends": ["gov_ai_account", "gov_approval_account"],
    "auto_install": True,
    "data": ["views/gov_approval_matrix_views.xml"],
    "demo": ["demo/gov_approval_ai_demo.xml"],
}
