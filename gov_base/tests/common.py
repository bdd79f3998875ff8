# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

ROLES = {
    "plain": "base.group_user",
    "user": "gov_base.gov_base_group_user",
    "approver": "gov_base.gov_base_group_approver",
    "matrix_manager": "gov_base.gov_base_group_matrix_manager",
    "integration_manager": "gov_base.gov_base_group_integration_manager",
    "auditor": "gov_base.gov_base_group_auditor",
    "admin": "gov_base.gov_base_group_admin",
}


class GovBaseCase(TransactionCase):
    """One test user per governance role, and handy group references."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.groups = {role: cls.env.ref(xmlid) for role, xmlid in ROLES.items()}
        cls.users = {
            role: new_test_user(cls.env, login=f"gov_test_{role}", groups=xmlid)
            for role, xmlid in ROLES.items()
        }
        cls.Event = cls.env["gov.audit.event"]

    def record_events(self, count, **kwargs):
        events = self.Event
        for index in range(count):
            events |= self.Event.record(
                kwargs.get("event_type", "test.event"),
                f"Test event {index}",
                details={"index": index, "amount": "12.50"},
            )
        return events
