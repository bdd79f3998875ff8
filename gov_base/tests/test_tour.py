# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAuditTour(HttpCase):
    def test_auditor_browses_the_audit_log(self):
        new_test_user(
            self.env,
            login="tour_auditor",
            password="tour_auditor",
            groups="gov_base.gov_base_group_auditor",
        )
        partner = self.env["res.partner"].create({"name": "Tour Vendor"})
        self.env["gov.audit.event"].record(
            "tour.vendor_bank_changed",
            "Vendor bank account changed",
            record=partner,
            details={"before": {"iban": "DE00 1111"}, "after": {"iban": "DE00 2222"}},
            channel="webhook",
        )
        self.env["gov.audit.event"].record("tour.other", "Unrelated event")
        self.start_tour(
            "/odoo/action-gov_base.gov_audit_event_action",
            "gov_base_audit_log_tour",
            login="tour_auditor",
        )
