# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance Approvals by Manager",
    "summary": "Approval steps routed to the requester's manager, from the"
    " employee records of the document's company",
    "version": "19.0.1.0.0",
    "category": "Human Resources",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": [],
    "depends": ["gov_approval", "hr"],
    "auto_install": True,
    "data": ["views/gov_approval_matrix_line_views.xml"],
}
