# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What-if replay of a draft matrix or a pending change over past
documents: counts per band, step and approver, against today's routing."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import TesterCase


@tagged("post_install", "-at_install")
class TestReplay(TesterCase):
    def setUp(self):
        super().setUp()
        today = fields.Date.today()
        # documents of the last months (and one too old to count)
        for amount, days in ((500, 10), (5000, 40), (5000, 70), (20000, 100)):
            self.make_doc(amount, date=today - timedelta(days=days))
        self.make_doc(20000, date=today - timedelta(days=800))
        # a stricter draft: everything from 100 goes to the board member
        self.draft = self.make_matrix(
            [(0, 100, []), (100, 0, [self.step("Board", self.board[0])])],
            name="Stricter",
            active=False,
            sequence=1,
        )

    def replay(self, matrix, version=None, user=None):
        action = (version or matrix).with_user(user or self.matrix_manager)
        context = action.action_open_replay()["context"]
        Replay = self.env["gov.approval.replay"].with_user(user or self.matrix_manager)
        replay = Replay.with_context(**context).create({})
        replay.action_replay()
        return replay

    def figures(self, replay, level):
        return {
            line.name: (line.proposed_count, line.current_count)
            for line in replay.line_ids
            if line.level == level
        }

    def test_replay_a_draft_before_activation(self):
        replay = self.replay(self.draft)
        self.assertEqual(replay.document_count, 4)
        self.assertEqual((replay.proposed_count, replay.current_count), (4, 3))
        self.assertEqual(replay.difference, 1)
        bands = self.figures(replay, "band")
        self.assertEqual(bands[f"Stricter: {self.draft.line_ids[1].name}"], (4, 0))
        middle = self.matrix.line_ids[1].name
        self.assertEqual(bands[f"Test tester matrix: {middle}"], (0, 2))
        approvers = self.figures(replay, "approver")
        self.assertEqual(approvers[self.board[0].name], (4, 0))
        self.assertEqual(approvers[self.manager.name], (0, 3))
        self.assertEqual(approvers[self.director.name], (0, 1))
        self.assertIn("4 would need approval", replay.summary)
        graph = replay.action_open_graph()
        self.assertEqual(graph["res_model"], "gov.approval.replay.line")

    def test_replay_a_pending_change(self):
        self.company.gov_approval_matrix_four_eyes = True
        manager_step = self.matrix.line_ids[1].step_ids
        self.matrix.with_user(self.matrix_manager).write(
            {
                "line_ids": [
                    Command.update(
                        self.matrix.line_ids[1].id,
                        {
                            "step_ids": [
                                Command.update(
                                    manager_step.id,
                                    {"user_ids": [Command.set(self.manager_2.ids)]},
                                )
                            ]
                        },
                    )
                ]
            }
        )
        pending = self.env["gov.approval.matrix.version"].search(
            [("matrix_id", "=", self.matrix.id), ("state", "=", "pending")]
        )
        replay = self.replay(self.matrix, pending)
        self.assertEqual((replay.proposed_count, replay.current_count), (3, 3))
        approvers = self.figures(replay, "approver")
        self.assertEqual(approvers[self.manager_2.name], (2, 0))
        self.assertEqual(approvers[self.manager.name], (1, 3))

    def test_replays_and_figures_are_their_owners(self):
        replay = self.replay(self.draft)
        with self.assertRaises(AccessError):
            replay.with_user(self.requester).action_replay()
        other = self.env["res.users"].create(
            {
                "name": "Other Matrix Manager",
                "login": "tst_other_mm",
                "group_ids": [
                    Command.link(
                        self.env.ref("gov_base.gov_base_group_matrix_manager").id
                    )
                ],
            }
        )
        with self.assertRaises(AccessError):
            replay.with_user(other).read(["summary"])
        self.assertFalse(
            self.env["gov.approval.replay.line"]
            .with_user(other)
            .search([("replay_id", "=", replay.id)])
        )
        with self.assertRaises(AccessError):
            replay.line_ids[:1].with_user(self.matrix_manager).write(
                {"proposed_count": 0}
            )
