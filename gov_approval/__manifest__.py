# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Governance Approval Matrix",
    "summary": "Threshold-band approval matrices with multi-level steps, N-of-M,"
    " SLA escalation, delegation and segregation of duties enforced in code",
    "version": "19.0.1.1.0",
    "category": "Productivity",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": [],
    "depends": ["gov_base", "mail", "base_automation"],
    "data": [
        # Security
        "security/ir.model.access.csv",
        "security/gov_approval_security.xml",
        # Data
        "data/mail_message_subtype_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        # Views
        "wizards/gov_approval_matrix_designer_views.xml",
        "views/gov_approval_matrix_views.xml",
        "views/gov_approval_request_views.xml",
        "views/gov_approval_analysis_views.xml",
        "views/gov_approval_nocode_views.xml",
        "views/gov_approval_matrix_precedence_views.xml",
        "views/gov_approval_matrix_version_views.xml",
        "views/gov_approval_delegation_views.xml",
        "views/gov_approval_link_templates.xml",
        "views/gov_approval_digest_templates.xml",
        "views/res_users_views.xml",
        "views/ir_actions_server_views.xml",
        "wizards/gov_approval_decision_wizard_views.xml",
        "wizards/gov_approval_simulate_wizard_views.xml",
        "wizards/gov_approval_reassign_wizard_views.xml",
        "wizards/gov_approval_replay_views.xml",
        "views/gov_approval_menus.xml",
    ],
}
