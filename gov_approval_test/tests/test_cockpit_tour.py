# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An Auditor reads the operations cockpit in a browser and drills down."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_base.tests.tour_screens import TourScreensMixin

from .common import TesterCase
from .test_dashboard_trends import AgedRequestsMixin


@tagged("post_install", "-at_install")
class TestCockpitTour(TourScreensMixin, AgedRequestsMixin, TesterCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.auditor = new_test_user(
            cls.env,
            login="tst_cockpit_auditor",
            name="Audrey Cockpit",
            groups="gov_base.gov_base_group_auditor",
        )

    def test_auditor_reads_the_cockpit_and_drills_down(self):
        self.start_tour(
            "/odoo/governance", "gov_base_cockpit_tour", login=self.auditor.login
        )
        self.assertIn("cockpit_auditor", self.screens_taken)
