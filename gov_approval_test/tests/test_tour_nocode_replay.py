# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""In a browser, a Matrix Manager governs the archiving of contacts and the
change of their tax ID without code, replays the first over history while
it is a draft, and activates it; screenshots go to the test results."""

import base64
import os
from pathlib import Path

from odoo.tests import HttpCase, new_test_user, tagged

SCREENSHOT = "gov-screenshot:"


def results_dir():
    here = Path(__file__).resolve().parents[2]
    return Path(os.environ.get("GOV_RESULTS_DIR") or here / "test-results")


@tagged("post_install", "-at_install")
class TestNocodeReplayTour(HttpCase):
    def authenticate(self, user, password, browser=None):
        if browser is not None:
            self._take_screenshots(browser)
        return super().authenticate(user, password, browser=browser)

    def _take_screenshots(self, browser):
        """Save a screenshot where the tour logs ``gov-screenshot:<name>``."""
        handle = browser._handlers["Runtime.consoleAPICalled"]
        folder = results_dir() / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        self.screenshots = []

        def save(name):
            def done(future):
                data = future.result(timeout=0)["data"]
                (folder / f"{name}.png").write_bytes(base64.b64decode(data))
                self.screenshots.append(name)

            return done

        def console(**params):
            args = params.get("args")
            first = args and browser._from_remoteobject(args[0])
            if isinstance(first, str) and first.startswith(SCREENSHOT):
                name = first[len(SCREENSHOT) :]
                future = browser._websocket_send(
                    "Page.captureScreenshot", with_future=True
                )
                future.add_done_callback(save(name))
            return handle(**params)

        browser._handlers["Runtime.consoleAPICalled"] = console

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
        # made, given its step, archived as a draft, activated: each a version
        self.assertEqual(
            button.version_ids.sorted("number").mapped("is_active_matrix"),
            [True, True, False, True],
        )
        replay = self.env["gov.approval.replay"].search([("matrix_id", "=", button.id)])
        self.assertGreaterEqual(replay.document_count, 5)
        self.assertEqual(replay.proposed_count, replay.document_count)
        fields_matrix = Matrix.search([("name", "=", "Tour contact tax ID")])
        self.assertEqual(fields_matrix.field_ids.mapped("name"), ["vat"])
        self.assertEqual(fields_matrix.route_key, "res.partner:field_change")
        # the gate holds: a contact is archived only once approved
        partner = self.env["res.partner"].create({"name": "Tour gated contact"})
        partner.with_user(manager).action_archive()
        self.assertTrue(partner.active)
        self.assertEqual(
            set(self.screenshots),
            {
                "nocode_button_matrix",
                "nocode_replay_report",
                "nocode_replay_graph",
                "nocode_button_active",
                "nocode_field_matrix",
                "nocode_matrix_list",
            },
        )
