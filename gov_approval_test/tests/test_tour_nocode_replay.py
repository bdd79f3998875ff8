# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""In a browser, a Matrix Manager governs the archiving of contacts and the
change of their tax ID without code, replays the first over history while
it is a draft, and activates it; its screens are saved for people to look at."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_base.tests.tour_screens import TourScreensMixin


@tagged("post_install", "-at_install")
class TestNocodeReplayTour(TourScreensMixin, HttpCase):
    def test_matrix_manager_governs_replays_and_activates(self):
        manager = new_test_user(
            self.env,
            login="tour_nocode",
            password="tour_nocode",
            name="Tour Matrix Manager",
            groups="gov_base.gov_base_group_matrix_manager,base.group_partner_manager",
        )
        new_test_user(
            self.env,
            login="tour_nocode_approver",
            name="Tour Approver",
            groups="gov_base.gov_base_group_approver",
        )
        self.env["res.partner"].create(
            [{"name": f"Tour history contact {n}"} for n in range(5)]
        )
        self.start_tour(
            "/odoo/action-gov_approval.gov_approval_matrix_action",
            "gov_approval_nocode_replay_tour",
            login="tour_nocode",
        )
        Matrix = self.env["gov.approval.matrix"]
        button = Matrix.search([("name", "=", "Tour archiving contacts")])
        self.assertTrue(button.active)
        self.assertEqual(button.route_key, "res.partner:button:action_archive")
        self.assertEqual(button.line_ids.step_ids.user_ids.name, "Tour Approver")
        self.assertEqual(button.create_uid, manager)
        # made as a draft, given its band and step, replayed: no version
        # until it is activated
        self.assertEqual(
            button.version_ids.sorted("number").mapped("is_active_matrix"), [True]
        )
        replay = self.env["gov.approval.replay"].search([("matrix_id", "=", button.id)])
        self.assertGreaterEqual(replay.document_count, 5)
        self.assertEqual(replay.proposed_count, replay.document_count)
        fields_matrix = Matrix.with_context(active_test=False).search(
            [("name", "=", "Tour contact tax ID")]
        )
        self.assertEqual(fields_matrix.status, "draft")
        self.assertEqual(fields_matrix.field_ids.mapped("name"), ["vat"])
        self.assertEqual(fields_matrix.route_key, "res.partner:field_change")
        # the gate holds: a contact is archived only once approved
        partner = self.env["res.partner"].create({"name": "Tour gated contact"})
        partner.with_user(manager).action_archive()
        self.assertTrue(partner.active)
        self.assertEqual(
            set(self.screens_taken),
            {
                "nocode_button_matrix",
                "nocode_replay_report",
                "nocode_replay_graph",
                "nocode_button_active",
                "nocode_field_matrix",
                "nocode_matrix_list",
            },
        )
