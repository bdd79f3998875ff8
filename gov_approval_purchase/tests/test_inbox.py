# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the order shows while it waits, and what its approvers see of it."""

from lxml import etree

from odoo.tests import tagged

from .common import ApprovalCase


@tagged("post_install", "-at_install")
class TestInbox(ApprovalCase):
    def test_confirm_order_gives_way_to_a_waiting_state(self):
        arch = etree.fromstring(
            self.env["purchase.order"].get_view(view_type="form")["arch"]
        )
        waiting = "gov_approval_state == 'pending' and gov_approval_show_banner"
        confirms = arch.xpath("//header/button[@name='button_confirm']")
        self.assertTrue(confirms)
        for button in confirms:
            self.assertIn(waiting, button.get("invisible"))
        [state] = arch.xpath("//header/button[hasclass('o_gov_approval_waiting')]")
        self.assertEqual(state.get("name"), "action_gov_approval_requests")
        self.assertIn("gov_approval_can_decide", state.get("invisible"))

    def test_request_names_the_vendor_and_shows_the_lines(self):
        order = self.make_po(5000)
        self.confirm(order)
        request = self.request_of(order)
        self.assertEqual(request.partner_id, self.partner)
        summary = str(request.with_user(self.manager).document_summary)
        self.assertIn("o_gov_approval_lines", summary)
        self.assertIn("Governed Widget", summary)
        self.assertIn("5,000.00", summary)
        # the currency is told by the amounts, not by a row of its own
        self.assertNotIn("<th>Currency</th>", summary)
