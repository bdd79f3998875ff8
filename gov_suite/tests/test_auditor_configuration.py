# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Auditors reach the configuration they audit, read-only: the menu, lists
and forms without create, edit or delete, and every write refused over RPC."""

from lxml import etree

from odoo.tests import HttpCase, tagged

from odoo.addons.gov_base.tests.common import GovBaseCase
from odoo.addons.gov_base.tests.rpc import RpcRoutesMixin

MENUS = (
    "gov_base.gov_base_menu_config",
    "gov_approval.gov_approval_matrix_menu",
    "gov_ai.gov_ai_use_case_menu",
    "gov_ai.gov_ai_provider_menu",
    "gov_exception.gov_exception_policy_menu",
    "gov_webhook.gov_webhook_endpoint_menu",
    "gov_webhook.gov_webhook_subscription_menu",
)
CONFIGURATION = {
    "gov.approval.matrix": {"name": "Audited"},
    "gov.approval.step": {"name": "Audited"},
    "gov.ai.use.case": {"name": "Audited"},
    "gov.webhook.endpoint": {"name": "Audited"},
    "gov.webhook.subscription": {"name": "Audited"},
    "gov.exception.policy": {"name": "Audited"},
}


@tagged("post_install", "-at_install")
class TestAuditorConfiguration(RpcRoutesMixin, GovBaseCase, HttpCase):
    def test_auditor_sees_the_configuration_menu(self):
        auditor = self.users["auditor"]
        visible = self.env["ir.ui.menu"].with_user(auditor)._visible_menu_ids()
        for xmlid in MENUS:
            with self.subTest(menu=xmlid):
                self.assertIn(self.env.ref(xmlid).id, visible)
        # Settings and segregation-of-duties rules stay with administrators
        self.assertNotIn(self.env.ref("gov_base.gov_base_menu_settings").id, visible)
        plain = self.env["ir.ui.menu"].with_user(self.users["user"])._visible_menu_ids()
        self.assertNotIn(self.env.ref("gov_base.gov_base_menu_config").id, plain)

    def test_screens_offer_no_create_edit_or_delete(self):
        auditor = self.users["auditor"]
        for model in CONFIGURATION:
            if model == "gov.approval.step":
                continue  # edited inside the matrix form
            views = (
                self.env[model]
                .with_user(auditor)
                .get_views([(False, "list"), (False, "form")])["views"]
            )
            for view_type in ("list", "form"):
                root = etree.fromstring(views[view_type]["arch"])
                with self.subTest(model=model, view=view_type):
                    for attribute in ("create", "delete"):
                        self.assertIn(root.get(attribute), ("0", "false", "False"))
                    if view_type == "form":
                        self.assertIn(root.get("edit"), ("0", "false", "False"))

    def test_auditor_reads_and_cannot_write_over_rpc(self):
        auditor = self.users["auditor"]
        for model, values in CONFIGURATION.items():
            with self.subTest(model=model):
                read = self.rpc(
                    "json2", auditor, model, "search_read", domain=[], fields=["id"]
                )
                self.assertTrue(read.ok, read.error)
                created = self.rpc(
                    "call_kw", auditor, model, "create", vals_list=[values]
                )
                self.assertFalse(created.ok)
                self.assertIn("AccessError", created.error)
                self.assertFalse(
                    self.env[model].sudo().search_count([("name", "=", "Audited")])
                )
