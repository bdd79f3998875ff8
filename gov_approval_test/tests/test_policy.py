# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The matrix in words, the policy designer and the life of a draft matrix."""

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.gov_base.tools.domain_text import describe_domain

from .common import TesterCase

ACTION = "gov.approval.tester:confirm"


@tagged("post_install", "-at_install")
class TestPolicyWords(TesterCase):
    def test_matrix_policy_reads_as_sentences(self):
        html = str(self.matrix.policy_html)
        self.assertIn("Confirm tester document, for every document:", html)
        self.assertIn("Below", html)
        self.assertIn("no approval needed", html)
        self.assertIn("and above", html)
        # the top band: the manager, then the director, each named
        self.assertIn(
            f"Manager ({self.manager.name}), then Director ({self.director.name})",
            html,
        )
        self.assertNotIn("[", html)

    def test_open_band_is_named_and_above(self):
        top = self.matrix.line_ids.filtered(lambda band: not band.max_amount)
        self.assertIn("and above", top.name)
        self.assertNotIn("≥", top.name)

    def test_parallel_steps_and_quorum_in_words(self):
        matrix = self.make_matrix(
            [
                (
                    0,
                    0,
                    [
                        self.step("Legal", self.manager, sequence=10),
                        self.step(
                            "Finance",
                            self.board,
                            sequence=20,
                            min_approvals=2,
                            parallel=True,
                        ),
                    ],
                )
            ],
            name="Parallel words",
            sequence=99,
        )
        html = str(matrix.policy_html)
        self.assertIn("Any amount", html)
        names = ", ".join(user.name for user in self.board)
        self.assertIn(f"Finance (2 of {names}) at the same time", html)

    def test_conditions_in_words(self):
        band = self.matrix.line_ids[1]
        band.domain = f"[('partner_id', '=', {self.partner.id})]"
        self.assertEqual(band.conditions_display, "Partner is Tester Partner")
        self.assertIn("when Partner is Tester Partner", str(self.matrix.policy_html))
        self.assertEqual(self.matrix.line_ids[0].conditions_display, "Any document")
        self.assertEqual(self.matrix.conditions_display, "every document")

    def test_describe_domain_operators(self):
        env = self.env
        model = "gov.approval.tester"
        self.assertEqual(describe_domain(env, model, "[]"), "")
        self.assertEqual(
            describe_domain(env, model, [("state", "in", ["draft", "cancel"])]),
            "State is one of (Draft, Cancelled)",
        )
        self.assertEqual(
            describe_domain(env, model, [("user_id", "=", False)]),
            "Responsible is not set",
        )
        self.assertEqual(
            describe_domain(
                env,
                model,
                ["|", ("amount", ">=", 500), ("partner_id.name", "ilike", "acme")],
            ),
            "(Amount is at least 500 or Partner › Name contains acme)",
        )
        self.assertEqual(
            describe_domain(env, model, [("amount", "<", 5), ("name", "!=", "x")]),
            "Amount is below 5 and Name is not x",
        )
        # what it cannot read it says as written, never an error
        self.assertEqual(describe_domain(env, model, "[('a', '=',"), "[('a', '=',")


@tagged("post_install", "-at_install")
class TestPolicyDesigner(TesterCase):
    def designer(self, template, user=None, **vals):
        Designer = self.env["gov.approval.matrix.designer"].with_user(
            user or self.matrix_manager
        )
        form = Form(Designer)
        form.template = template
        form.action = ACTION
        for name, value in vals.items():
            setattr(form, name, value)
        return form

    def draft_from_100(self):
        """A draft from scratch: from 100, the manager approves."""
        form = self.designer("custom")
        with form.level_ids.new() as level:
            level.min_amount = 100
            level.user_ids.add(self.manager)
        return self.env["gov.approval.matrix"].browse(
            form.save().action_create()["res_id"]
        )

    def test_three_band_template_makes_a_draft_ladder(self):
        form = self.designer("three_bands")
        self.assertEqual(len(form.level_ids), 3)
        with form.level_ids.edit(2) as level:
            level.approver_type = "user"
            level.user_ids.add(self.director)
        self.assertIn(
            f"Finance Director ({self.director.name})", str(form.preview_html)
        )
        designer = form.save()
        action = designer.action_create()
        matrix = self.env["gov.approval.matrix"].browse(action["res_id"])
        self.assertFalse(matrix.active)
        self.assertEqual(matrix.status, "draft")
        self.assertEqual(matrix.name, "Confirm tester document")
        bands = matrix.line_ids.sorted("min_amount")
        self.assertEqual(
            [(b.min_amount, b.max_amount) for b in bands],
            [(0, 5000), (5000, 50000), (50000, 0)],
        )
        self.assertFalse(bands[0].step_ids)
        self.assertEqual(bands[1].step_ids.mapped("name"), ["Controller"])
        self.assertEqual(
            bands[2].step_ids.mapped("name"), ["Controller", "Finance Director"]
        )
        self.assertEqual(bands[2].step_ids[1].user_ids, self.director)
        self.assertEqual(
            bands[1].step_ids.group_id,
            self.env.ref("gov_base.gov_base_group_approver"),
        )

    def test_a_draft_governs_nothing_until_activated(self):
        self.matrix.active = False
        matrix = self.draft_from_100()
        doc = self.make_doc(500)
        self.confirm(doc)
        self.assertEqual(doc.state, "confirmed")  # the draft held nothing
        matrix.with_user(self.matrix_manager).action_activate()
        self.assertTrue(matrix.active)
        self.assertEqual(matrix.status, "active")
        self.assertEqual(matrix.version_ids.mapped("state"), ["applied"])
        doc = self.make_doc(500)
        self.confirm(doc)
        self.assertEqual(doc.state, "draft")
        self.assertEqual(self.request_of(doc).matrix_id, matrix)
        matrix.with_user(self.matrix_manager).action_archive()
        self.assertEqual(matrix.status, "archived")

    def test_activation_waits_for_four_eyes(self):
        self.company.gov_approval_matrix_four_eyes = True
        matrix = self.draft_from_100()
        matrix.with_user(self.matrix_manager).action_activate()
        self.assertFalse(matrix.active)
        self.assertEqual(matrix.status, "draft")
        self.assertEqual(matrix.version_ids.state, "pending")

    def test_levels_without_approvers_above_the_first_are_refused(self):
        form = self.designer("custom")
        with form.level_ids.new() as level:
            level.min_amount = 100
        with self.assertRaisesRegex(UserError, "Say who approves from"):
            form.save().action_create()
        self.assertFalse(
            self.env["gov.approval.matrix"]
            .with_context(active_test=False)
            .search([("id", ">", self.matrix.id)])
        )

    def test_only_own_level_when_not_cumulative(self):
        form = self.designer("two_levels", cumulative=False)
        with form.level_ids.edit(1) as level:
            level.user_ids.add(self.director)
        matrix = self.env["gov.approval.matrix"].browse(
            form.save().action_create()["res_id"]
        )
        top = matrix.line_ids.filtered(lambda band: not band.max_amount)
        self.assertEqual(top.step_ids.mapped("name"), ["Director"])
        self.assertEqual(top.step_ids.user_ids, self.director)

    def test_board_template_needs_enough_members(self):
        form = self.designer("board")
        with form.level_ids.edit(1) as level:
            level.user_ids.add(self.board[0])
        with self.assertRaisesRegex(Exception, "needs 2 approvals from 1"):
            form.save().action_create()

    def test_designer_is_for_matrix_managers(self):
        with self.assertRaises(AccessError):
            self.env["gov.approval.matrix.designer"].with_user(self.manager).create(
                {"action": ACTION, "level_ids": [Command.create({"min_amount": 0})]}
            )

    def test_a_matrix_made_on_its_screen_starts_as_draft(self):
        action = self.env.ref("gov_approval.gov_approval_matrix_action")
        Matrix = self.env["gov.approval.matrix"].with_user(self.matrix_manager)
        form = Form(Matrix.with_context(**safe_eval(action.context or "{}")))
        form.name = "From the screen"
        form.action = ACTION
        matrix = form.save()
        self.assertEqual(matrix.status, "draft")


@tagged("post_install", "-at_install")
class TestMatrixDefaults(TesterCase):
    def test_new_matrices_take_the_hours_of_the_settings(self):
        settings = self.env["res.config.settings"].create(
            {"gov_approval_reminder_hours": 6, "gov_approval_link_validity_hours": 12}
        )
        settings.execute()
        matrix = self.make_matrix([(0, 0, [])], name="Defaults", sequence=50)
        self.assertEqual(matrix.reminder_hours, 6)
        self.assertEqual(matrix.link_validity_hours, 12)
        self.assertEqual(self.matrix.reminder_hours, 24, "made before: unchanged")
        # 0 is a value (no reminders), kept as such, shown as such
        self.env["res.config.settings"].create(
            {"gov_approval_reminder_hours": 0}
        ).execute()
        self.assertEqual(
            self.env["res.config.settings"].create({}).gov_approval_reminder_hours, 0
        )
        matrix = self.make_matrix([(0, 0, [])], name="Never remind", sequence=52)
        self.assertEqual(matrix.reminder_hours, 0)
        self.env["ir.config_parameter"].set_param("gov_approval.reminder_hours", "x")
        matrix = self.make_matrix([(0, 0, [])], name="Unreadable", sequence=51)
        self.assertEqual(matrix.reminder_hours, 24)


@tagged("post_install", "-at_install")
class TestDraftsNeverGovern(TesterCase):
    def test_a_caller_context_never_lets_a_draft_govern(self):
        """``active_test`` in a caller's context (any RPC client can send it)
        reaches routing: the cached list of matrices must still hold only
        the active ones."""
        self.matrix.active = False
        draft = self.make_matrix(
            [(0, 0, [self.step("Draft step", self.manager)])],
            name="Lax draft",
            active=False,
        )
        self.env.registry.clear_cache()
        doc = self.make_doc(500)
        doc.with_user(self.requester).with_context(active_test=False).action_confirm()
        self.assertEqual(doc.state, "confirmed")
        self.assertFalse(self.request_of(doc))
        self.assertEqual(draft.status, "draft")

    def test_the_list_shows_drafts_with_matrices_in_force(self):
        draft = self.make_matrix([(0, 0, [])], name="Listed draft", active=False)
        archived = self.make_matrix([(0, 0, [])], name="Listed archived")
        archived.action_archive()
        self.assertEqual(archived.status, "archived")
        current = self.env["gov.approval.matrix"].search(
            ["|", ("active", "=", True), ("status", "=", "draft")]
        )
        self.assertIn(draft, current)
        self.assertIn(self.matrix, current)
        self.assertNotIn(archived, current)
