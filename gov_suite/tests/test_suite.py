# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSuiteApplication(TransactionCase):
    def test_listed_as_an_application(self):
        module = self.env["ir.module.module"].search([("name", "=", "gov_suite")])
        self.assertTrue(module.application)
        self.assertEqual(module.state, "installed")
        self.assertIn("gov_base", module.dependencies_id.mapped("name"))
        self.assertIn("gov_exception", module.dependencies_id.mapped("name"))
        self.assertIn("gov_webhook", module.dependencies_id.mapped("name"))
        self.assertIn("gov_approval", module.dependencies_id.mapped("name"))
        # the Apps page says what the suite does, with a screenshot
        for heading in (
            "Approvals by threshold matrix",
            "One exception queue",
            "Signed webhooks",
            "AI that only recommends",
            "segregation of duties",
        ):
            self.assertIn(heading, module.description_html)
        self.assertIn(
            "/gov_suite/static/description/cockpit.png", module.description_html
        )
        self.assertFalse(module.website)

    def test_governance_menu_has_an_icon(self):
        menu = self.env.ref("gov_base.gov_base_menu_root")
        self.assertEqual(menu.web_icon, "gov_base,static/description/icon.png")
        self.assertTrue(menu.web_icon_data)
