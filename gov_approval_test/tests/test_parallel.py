# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Steps that run in parallel: a stage opens together, each step needs its
own quorum, any rejection rejects, the next stage follows both; one decision
per user and request; escalation, mass decisions, links and the decision's
query budget with parallel steps."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common import TesterCase


class ParallelCase(TesterCase):
    """From 50,000: Legal (two of two board members) and Finance (one of
    manager 2 and a board member) together, then the director."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.band = cls.matrix.line_ids[2]
        cls.band.max_amount = 50000
        cls.parallel_band = cls.env["gov.approval.matrix.line"].create(
            {
                "matrix_id": cls.matrix.id,
                "sequence": 5,
                "min_amount": 50000,
                "step_ids": [
                    Command.create(
                        cls.step(
                            "Legal", [cls.board[0], cls.board[1]], 10, min_approvals=2
                        )
                    ),
                    Command.create(
                        cls.step(
                            "Finance",
                            [cls.manager_2, cls.board[2]],
                            20,
                            parallel=True,
                        )
                    ),
                    Command.create(cls.step("Director", cls.director, 30)),
                ],
            }
        )

    def pending_doc(self, amount=60000):
        doc = self.make_doc(amount)
        self.confirm(doc)
        return doc

    def steps_of(self, doc):
        return {step.name: step for step in self.request_of(doc).step_ids.sorted("id")}


@tagged("post_install", "-at_install")
class TestParallelSteps(ParallelCase):
    def test_the_band_shows_its_stages(self):
        self.assertEqual(self.parallel_band.route_display, "Legal + Finance → Director")
        event = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.matrix_changed")], order="id desc", limit=1
        )
        self.assertTrue(event, "step changes are audited")
        self.assertIn('"parallel":', event.details or "")

    def test_a_stage_opens_together_and_needs_every_quorum(self):
        doc = self.pending_doc()
        request = self.request_of(doc)
        steps = self.steps_of(doc)
        legal, finance, director = steps["Legal"], steps["Finance"], steps["Director"]
        self.assertEqual((legal.stage, finance.stage, director.stage), (1, 1, 2))
        self.assertEqual(
            (legal.state, finance.state, director.state),
            ("pending", "pending", "waiting"),
        )
        self.assertEqual(request.current_step_ids, legal | finance)
        self.assertEqual(request.current_step_names, "Legal + Finance")
        waiting = self.board[0] | self.board[1] | self.board[2] | self.manager_2
        self.assertEqual(request.pending_approver_ids, waiting)
        # every approver of the stage is told and finds it in My Approvals
        self.assertEqual(request.activity_ids.user_id, waiting)
        mails = self.env["mail.mail"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertEqual(
            set(mails.mapped("email_to")), set(waiting.mapped("email_formatted"))
        )
        for user in waiting:
            mine = self.Request.with_user(user).search([("can_decide", "=", True)])
            self.assertIn(request, mine, user.login)
        self.assertNotIn(
            request,
            self.Request.with_user(self.director).search([("can_decide", "=", True)]),
        )
        # the banner names both steps
        self.assertIn("Waiting for Legal: 0 of 2", doc.gov_approval_summary)
        self.assertIn("Waiting for Finance: 0 of 1", doc.gov_approval_summary)
        with self.assertRaisesRegex(AccessError, "not an approver"):
            self.decide(doc, self.director, reason="too early")

        # Finance reaches its quorum first: Legal still waits, the director too
        self.decide(doc, self.manager_2)
        self.assertEqual((legal.state, finance.state), ("pending", "approved"))
        self.assertEqual(director.state, "waiting")
        self.assertEqual(request.current_step_ids, legal)
        # Finance's other approver has nothing left to do; Legal's keep theirs
        self.assertEqual(request.activity_ids.user_id, self.board[0] | self.board[1])
        self.assertNotIn(
            request,
            self.Request.with_user(self.board[2]).search([("can_decide", "=", True)]),
        )
        self.decide(doc, self.board[0])
        self.assertEqual(legal.state, "pending")
        self.assertEqual(director.state, "waiting")
        self.decide(doc, self.board[1])
        # both quorums reached: the next stage opens
        self.assertEqual(legal.state, "approved")
        self.assertEqual(director.state, "pending")
        self.assertEqual(request.current_step_ids, director)
        self.assertEqual(request.activity_ids.user_id, self.director)
        self.decide(doc, self.director, reason="Within budget")
        self.assertEqual(request.state, "approved")
        self.assertEqual(doc.state, "confirmed")
        self.assertEqual(len(request.decision_ids), 4)

    def test_a_rejection_on_any_parallel_step_rejects_the_request(self):
        doc = self.pending_doc()
        request = self.request_of(doc)
        steps = self.steps_of(doc)
        self.decide(doc, self.board[2])
        self.assertEqual(steps["Finance"].state, "approved")
        self.decide(doc, self.board[0], "reject", reason="Clause 4 is unacceptable")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(
            (steps["Legal"].state, steps["Finance"].state, steps["Director"].state),
            ("rejected", "approved", "cancelled"),
        )
        self.assertFalse(request.activity_ids)
        self.assertEqual(doc.state, "draft")
        with self.assertRaisesRegex(UserError, "no longer waiting"):
            self.decide(doc, self.board[1])

    def test_a_rejection_while_the_other_step_waits(self):
        doc = self.pending_doc()
        request = self.request_of(doc)
        self.decide(doc, self.manager_2, "reject", reason="No budget")
        self.assertEqual(request.state, "rejected")
        self.assertFalse(request.step_ids.filtered(lambda s: s.state == "pending"))
        self.assertFalse(request.step_ids.pending_approver_ids)

    def test_stages_are_frozen_with_the_route(self):
        doc = self.pending_doc()
        # the band becomes sequential: the open request keeps its stages
        self.parallel_band.step_ids.filtered(
            lambda s: s.name == "Finance"
        ).parallel = False
        request = self.request_of(doc)
        self.assertEqual(len(request.current_step_ids), 2)
        later = self.pending_doc(70000)
        self.assertEqual(
            self.request_of(later).current_step_ids.mapped("name"), ["Legal"]
        )
        self.assertEqual(self.request_of(later).current_step_names, "Legal")


@tagged("post_install", "-at_install")
class TestOneDecisionPerRequest(ParallelCase):
    """The manager has a place on both Legal and Finance."""

    def setUp(self):
        super().setUp()
        legal, finance = self.parallel_band.step_ids[:2]
        legal.write(
            {
                "user_ids": [Command.set([self.manager.id, self.board[0].id])],
                "min_approvals": 1,
            }
        )
        finance.user_ids = [Command.set([self.manager.id, self.board[1].id])]

    def test_the_decision_counts_on_the_first_step_only(self):
        doc = self.pending_doc()
        request = self.request_of(doc)
        steps = self.steps_of(doc)
        self.decide(doc, self.manager)
        self.assertEqual(steps["Legal"].state, "approved")
        self.assertEqual(steps["Finance"].state, "pending")
        self.assertEqual(steps["Finance"].approved_count, 0)
        self.assertEqual(request.decision_ids.step_id, steps["Legal"])
        # never a second time, on the other step
        with self.assertRaisesRegex(AccessError, "already decided"):
            self.decide(doc, self.manager)
        with self.assertRaisesRegex(AccessError, "already decided"):
            request.with_user(self.manager)._decide("approve", step=steps["Finance"])
        self.assertNotIn(
            request,
            self.Request.with_user(self.manager).search([("can_decide", "=", True)]),
        )
        self.assertEqual(len(request.decision_ids), 1)
        self.decide(doc, self.board[1])
        self.assertEqual(steps["Director"].state, "pending")

    def test_the_approver_picks_the_step(self):
        doc = self.pending_doc()
        request = self.request_of(doc)
        steps = self.steps_of(doc)
        wizard = (
            self.env["gov.approval.decision.wizard"]
            .with_user(self.manager)
            .with_context(active_model=request._name, active_ids=request.ids)
            .create({"decision": "approve"})
        )
        self.assertEqual(wizard.step_choice_ids, steps["Legal"] | steps["Finance"])
        self.assertEqual(wizard.step_choice_count, 2)
        wizard.step_id = steps["Finance"]
        self.assertEqual(wizard.action_confirm()["params"]["type"], "success")
        self.assertEqual(steps["Finance"].state, "approved")
        self.assertEqual(steps["Legal"].state, "pending")
        self.assertEqual(request.decision_ids.step_id, steps["Finance"])
        # a step that is not open is refused
        self.decide(doc, self.board[0])
        other = self.pending_doc(65000)
        with self.assertRaisesRegex(UserError, "no longer waits for step Director"):
            self.request_of(other).with_user(self.manager)._decide(
                "approve", step=self.steps_of(other)["Director"]
            )

    def test_a_delegate_casts_one_vote_for_the_approver(self):
        now = fields.Datetime.now()
        self.env["gov.approval.delegation"].with_user(self.manager).create(
            {
                "user_id": self.manager.id,
                "delegate_id": self.director.id,
                "date_from": now - timedelta(hours=1),
                "date_to": now + timedelta(days=1),
            }
        )
        doc = self.make_doc(5000)  # one step, the manager's: a one-step band
        self.confirm(doc)
        parallel_doc = self.pending_doc()
        request = self.request_of(parallel_doc)
        request.with_user(self.director)._decide("approve")
        self.assertEqual(request.decision_ids.approver_id, self.manager)
        self.assertEqual(request.decision_ids.step_id.name, "Legal")
        with self.assertRaisesRegex(AccessError, "already decided|not an approver"):
            request.with_user(self.manager)._decide("approve")


@tagged("post_install", "-at_install")
class TestParallelEscalationAndMass(ParallelCase):
    def test_a_parallel_step_escalates_on_its_own(self):
        finance = self.parallel_band.step_ids.filtered(lambda s: s.name == "Finance")
        finance.write(
            {
                "sla_hours": 4,
                "escalation_user_id": self.matrix_manager.id,
                "escalation_add_approver": True,
            }
        )
        start = fields.Datetime.now()
        with freeze_time(start):
            doc = self.pending_doc()
        request = self.request_of(doc)
        steps = self.steps_of(doc)
        self.assertEqual(steps["Finance"].deadline, start + timedelta(hours=4))
        self.assertFalse(steps["Legal"].deadline)
        self.assertEqual(request.deadline, start + timedelta(hours=4))
        with freeze_time(start + timedelta(hours=5)):
            request.invalidate_recordset(["is_overdue"])
            self.assertTrue(request.is_overdue)
            self.assertIn(request, self.Request.search([("is_overdue", "=", True)]))
            self.assertEqual(self.Request._escalate_due(), steps["Finance"])
        self.assertTrue(steps["Finance"].escalated)
        self.assertFalse(steps["Legal"].escalated)
        self.assertIn(self.matrix_manager, steps["Finance"].approver_ids)
        self.assertNotIn(self.matrix_manager, steps["Legal"].approver_ids)
        # told once, by a digest naming the request
        digest = self.env["mail.activity"].search(
            [
                ("user_id", "=", self.matrix_manager.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("gov_approval.mail_activity_type_escalation").id,
                ),
            ]
        )
        self.assertIn(request.name, digest.note)
        # the escalation target decides Finance; Legal still waits for its two
        self.decide(doc, self.matrix_manager)
        self.assertEqual(steps["Finance"].state, "approved")
        self.assertEqual(steps["Legal"].state, "pending")

    def test_mass_approval_counts_on_each_request_s_step(self):
        docs = self.pending_doc() | self.pending_doc(61000)
        requests = self.Request.search(
            [("res_model", "=", docs._name), ("res_id", "in", docs.ids)]
        )
        wizard = (
            self.env["gov.approval.decision.wizard"]
            .with_user(self.board[2])
            .with_context(active_model=requests._name, active_ids=requests.ids)
            .create({"decision": "approve"})
        )
        self.assertEqual(wizard.step_choice_count, 0)
        result = wizard.action_confirm()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(set(requests.decision_ids.step_id.mapped("name")), {"Finance"})
        self.assertEqual(len(requests.decision_ids), 2)
        for request in requests:
            self.assertEqual(request.current_step_names, "Legal")
        # the other Finance approver has nothing left to decide
        refused = requests.with_user(self.manager_2)._decide_all("approve")
        self.assertEqual(set(refused), set(requests))

    def test_re_route_completes_a_parallel_step_and_keeps_the_other(self):
        doc = self.pending_doc()
        request = self.request_of(doc)
        self.decide(doc, self.board[0])
        legal = self.parallel_band.step_ids.filtered(lambda s: s.name == "Legal")
        legal.min_approvals = 1
        request.with_user(self.matrix_manager).action_reroute()
        steps = self.steps_of(doc)
        self.assertEqual(steps["Legal"].state, "approved")
        self.assertEqual(steps["Finance"].state, "pending")
        self.assertEqual(steps["Director"].state, "waiting")
        self.assertEqual(request.activity_ids.user_id, self.manager_2 | self.board[2])


@tagged("post_install", "-at_install")
class TestParallelLinks(ParallelCase, HttpCase):
    def test_a_link_decides_on_the_step_it_was_sent_for(self):
        self.matrix.allow_email_links = True
        finance = self.parallel_band.step_ids.filtered(lambda s: s.name == "Finance")
        finance.user_ids = [Command.set([self.board[0].id, self.board[2].id])]
        doc = self.pending_doc()
        request = self.request_of(doc)
        steps = self.steps_of(doc)
        mails = self.env["mail.mail"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        # board 0 sits on both steps: one link per step
        self.assertEqual(
            len(mails.filtered(lambda m: m.email_to == self.board[0].email_formatted)),
            2,
        )
        token = request._link_token(steps["Finance"], self.board[0])
        other = request._link_token(steps["Legal"], self.board[0])
        response = self.url_open(
            f"/gov/approval/link/{token}", data={"decision": "approve"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(request.decision_ids.step_id, steps["Finance"])
        self.assertEqual(steps["Finance"].state, "approved")
        self.assertEqual(request.decision_ids.channel, "email")
        # the link of the other step decides nothing: one decision per request
        response = self.url_open(
            f"/gov/approval/link/{other}", data={"decision": "approve"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("already decided", response.text)
        self.assertEqual(len(request.decision_ids), 1)
        self.assertEqual(steps["Legal"].approved_count, 0)


@tagged("post_install", "-at_install")
class TestParallelQueryBudget(ParallelCase):
    def test_a_decision_on_a_parallel_step_costs_what_one_on_a_single_step_does(
        self,
    ):
        def decide_first(amount):
            doc = self.pending_doc(amount)
            request = self.request_of(doc)
            self.env.invalidate_all()
            request.with_user(self.board[0])._decide("approve")
            return request

        self.matrix.line_ids[1].step_ids.write(
            {
                "user_ids": [Command.set([self.board[0].id, self.board[1].id])],
                "min_approvals": 2,
            }
        )
        for _index in range(2):
            decide_first(60000)
            decide_first(5000)
        costs = {}
        for name, amount in (("parallel", 60000), ("single", 5000)):
            doc = self.make_doc(amount)
            self.confirm(doc)
            request = self.request_of(doc)
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            request.with_user(self.board[0])._decide("approve")
            costs[name] = self.env.cr.sql_log_count - start
            self.assertEqual(request.state, "pending")
            self.assertEqual(len(request.decision_ids), 1)
        self.assertLessEqual(costs["parallel"], costs["single"] + 1, costs)
        self.assertLessEqual(costs["parallel"], 17, costs)
