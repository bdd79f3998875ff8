# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An item nothing can run again (a malformed request kept as received)
says why, on its form and when someone asks to replay it."""

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import GovExceptionCase


@tagged("post_install", "-at_install")
class TestNoReplayNotice(GovExceptionCase):
    def test_malformed_item_refuses_replay_with_a_reason(self):
        item = self.capture(
            category="malformed",
            summary="Body is not valid JSON",
            payload='{"order": 1042,',
        )
        self.assertFalse(item.has_handler)
        manager = self.users["integration_manager"]
        with self.assertRaisesRegex(UserError, "no handler to run again"):
            item.with_user(manager).action_replay()
        with self.assertRaisesRegex(UserError, "no handler to run again"):
            item.with_user(manager).action_open_replay_wizard()
        self.assertEqual(item.state, "new")
        arch = (
            self.env["gov.exception.item"]
            .with_user(manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        [notice] = etree.fromstring(arch).xpath(
            "//div[hasclass('o_gov_exception_no_replay')]"
        )
        self.assertIn("Nothing to retry or replay", "".join(notice.itertext()))
        self.assertEqual(
            notice.get("invisible"), "has_handler or state in ('resolved', 'ignored')"
        )
