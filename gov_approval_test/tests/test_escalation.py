# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Overdue steps and reminders: the batch functions for the logic, and the
scheduled actions as Odoo's scheduler runs them (one committed batch per
call, which the test cursor of an HTTP test allows).

What an auditor relies on after an escalation: the step is marked, the
target is an approver when the matrix says so (never the requester), the
target is told once per batch (one digest activity, one e-mail with a link
per request it can decide), and the audit log names every step escalated,
its request and document, in one chained event per target.
"""

import json
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import TesterCase

REMINDER = "Reminder:"
ESCALATION_BATCH_QUERIES = 20


class EscalationCase(TesterCase):
    def setUp(self):
        super().setUp()
        self.matrix.line_ids[1].step_ids.write(
            {
                "sla_hours": 4,
                "escalation_user_id": self.director.id,
                "escalation_add_approver": True,
            }
        )

    def waiting_since(self, start, amount=5000):
        """A document confirmed at ``start``: its request waits since then."""
        with freeze_time(start):
            doc = self.make_doc(amount)
            self.confirm(doc)
        step = self.request_of(doc).step_ids[:1]
        # the reminders count from the step's last write, stamped by the
        # database clock: move it back to ``start`` too
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE gov_approval_request_step SET write_date = %s WHERE id = %s",
            (start, step.id),
        )
        step.invalidate_recordset()
        return doc

    def digests(self, user):
        """The escalation digests (activities) of ``user``."""
        return self.env["mail.activity"].search(
            [
                ("user_id", "=", user.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("gov_approval.mail_activity_type_escalation").id,
                ),
            ]
        )

    def mails_to(self, user, subject):
        return self.env["mail.mail"].search(
            [("email_to", "ilike", user.email), ("subject", "ilike", subject)]
        )

    def escalation_events(self):
        return self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.escalated")]
        )

    def escalated_in(self, event):
        """{request id: step entry} of an escalation audit event."""
        return {step["request_id"]: step for step in json.loads(event.details)["steps"]}

    def reminders(self, doc):
        """The reminder e-mails naming ``doc``'s request."""
        name = self.request_of(doc).name
        return self.mails_to(self.manager, REMINDER).filtered(
            lambda m: name in m.body_html
        )


@tagged("post_install", "-at_install")
class TestEscalation(EscalationCase):
    def test_overdue_step_escalates_once(self):
        start = fields.Datetime.now()
        doc = self.waiting_since(start)
        request = self.request_of(doc)
        step = request.step_ids
        self.assertEqual(step.deadline, start + timedelta(hours=4))
        with freeze_time(start + timedelta(hours=3)):
            self.assertFalse(self.Request._escalate_due())
        self.assertFalse(step.escalated)
        self.assertFalse(request.is_overdue)
        with freeze_time(start + timedelta(hours=5)):
            request.invalidate_recordset(["is_overdue"])
            self.assertTrue(request.is_overdue)
            self.assertIn(request, self.Request.search([("is_overdue", "=", True)]))
            self.assertEqual(self.Request._escalate_due(), step)
            self.assertFalse(self.Request._escalate_due())
        self.assertTrue(step.escalated)
        self.assertEqual(step.approver_ids, self.manager | self.director)
        # the target is told by one digest, not by an activity per request
        self.assertEqual(request.activity_ids.user_id, self.manager)
        digest = self.digests(self.director)
        self.assertEqual(len(digest), 1)
        self.assertFalse(digest.res_model)
        self.assertIn(request.name, digest.note)
        self.assertIn("can now decide", digest.note)
        [mail] = self.mails_to(self.director, "overdue")
        self.assertIn(request.name, mail.body_html)
        self.assertIn("Review and decide", mail.body_html)
        # nothing in the document's chatter: the audit log holds the record
        subtype = self.env.ref("gov_approval.mt_approval_escalated")
        self.assertFalse(doc.message_ids.filtered(lambda m: m.subtype_id == subtype))
        [event] = self.escalation_events()
        self.assertTrue(event.entry_signature)
        self.assertEqual(json.loads(event.details)["to"], self.director.login)
        entry = self.escalated_in(event)[request.id]
        self.assertEqual(entry["document"], f"{doc._name},{doc.id}")
        self.assertEqual(entry["step"], step.name)
        self.assertIs(entry["added_as_approver"], True)
        # the escalation target now decides
        self.decide(doc, self.director)
        self.assertEqual(doc.state, "confirmed")

    def test_escalation_only_tells_when_the_target_cannot_approve(self):
        self.matrix.line_ids[1].step_ids.escalation_add_approver = False
        start = fields.Datetime.now()
        doc = self.waiting_since(start)
        with freeze_time(start + timedelta(hours=5)):
            self.Request._escalate_due()
        request = self.request_of(doc)
        self.assertTrue(request.step_ids.escalated)
        self.assertEqual(request.step_ids.approver_ids, self.manager)
        # the target is told through its digest, and cannot decide
        digest = self.digests(self.director)
        self.assertEqual(len(digest), 1)
        self.assertIn(request.name, digest.note)
        self.assertIn("cannot decide", digest.note)
        self.assertFalse(self.mails_to(self.director, "overdue"))
        [event] = self.escalation_events()
        self.assertIs(self.escalated_in(event)[request.id]["added_as_approver"], False)

    def test_escalation_never_makes_the_requester_an_approver(self):
        self.matrix.line_ids[1].step_ids.escalation_user_id = self.requester
        start = fields.Datetime.now()
        doc = self.waiting_since(start)
        with freeze_time(start + timedelta(hours=5)):
            self.Request._escalate_due()
        step = self.request_of(doc).step_ids
        self.assertTrue(step.escalated)
        self.assertEqual(step.approver_ids, self.manager)
        [event] = self.escalation_events()
        entry = self.escalated_in(event)[step.request_id.id]
        self.assertIs(entry["added_as_approver"], False)

    def test_decided_and_withdrawn_requests_do_not_escalate(self):
        start = fields.Datetime.now()
        decided, withdrawn, waiting = (self.waiting_since(start) for _n in range(3))
        self.decide(decided, self.manager)
        self.request_of(withdrawn).with_user(self.requester).action_cancel()
        with freeze_time(start + timedelta(hours=5)):
            escalated = self.Request._escalate_due()
        self.assertEqual(escalated, self.request_of(waiting).step_ids)

    def test_one_batch_per_call(self):
        start = fields.Datetime.now()
        docs = [self.waiting_since(start) for _n in range(3)]
        with freeze_time(start + timedelta(hours=5)):
            first = self.Request._escalate_due(batch_size=2)
            second = self.Request._escalate_due(batch_size=2)
            third = self.Request._escalate_due(batch_size=2)
        self.assertEqual((len(first), len(second), len(third)), (2, 1, 0))
        steps = self.Request.browse([self.request_of(doc).id for doc in docs]).step_ids
        self.assertEqual(first | second, steps)
        self.assertEqual(set(steps.mapped("escalated")), {True})

    def test_a_batch_tells_each_target_once(self):
        start = fields.Datetime.now()
        docs = [self.waiting_since(start) for _n in range(3)]
        requests = self.Request.browse([self.request_of(doc).id for doc in docs])
        with freeze_time(start + timedelta(hours=5)):
            self.assertEqual(len(self.Request._escalate_due()), 3)
        digest = self.digests(self.director)
        self.assertEqual(len(digest), 1)
        self.assertIn("3 overdue", digest.summary)
        [mail] = self.mails_to(self.director, "overdue")
        [event] = self.escalation_events()
        self.assertEqual(set(self.escalated_in(event)), set(requests.ids))
        for request in requests:
            self.assertIn(request.name, digest.note)
            self.assertIn(request.name, mail.body_html)
            self.assertIn(self.director, request.step_ids.pending_approver_ids)

    def test_a_batch_costs_the_same_queries_whatever_its_size(self):
        start = fields.Datetime.now()
        for _n in range(6):
            self.waiting_since(start)
        counts = []
        with freeze_time(start + timedelta(hours=5)):
            # the first batch fills the caches of the configuration
            self.assertEqual(len(self.Request._escalate_due(1)), 1)
            for size in (1, 4):
                self.env.flush_all()
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                with self.assertQueryCount(ESCALATION_BATCH_QUERIES):
                    self.assertEqual(len(self.Request._escalate_due(size)), size)
                    self.env.flush_all()
                counts.append(self.env.cr.sql_log_count - before)
        # not one more query for four times the steps
        self.assertLessEqual(counts[1], counts[0])

    def test_reminders_follow_the_matrix_cadence(self):
        self.matrix.reminder_hours = 24
        start = fields.Datetime.now()
        doc = self.waiting_since(start)
        step = self.request_of(doc).step_ids
        with freeze_time(start + timedelta(hours=23)):
            self.assertFalse(self.Request._remind_due())
        self.assertFalse(self.reminders(doc))
        with freeze_time(start + timedelta(hours=25)):
            self.assertEqual(self.Request._remind_due(), step)
            self.assertFalse(self.Request._remind_due())
        reminders = self.reminders(doc)
        self.assertEqual(len(reminders), 1)
        self.assertIn(self.manager.email, reminders.email_to)
        self.assertEqual(step.last_reminder_date, start + timedelta(hours=25))
        # the next one a cadence after the last reminder
        with freeze_time(start + timedelta(hours=48)):
            self.assertFalse(self.Request._remind_due())
        with freeze_time(start + timedelta(hours=50)):
            self.assertEqual(self.Request._remind_due(), step)
        self.assertEqual(len(self.reminders(doc)), 2)

    def test_no_reminders_when_the_matrix_sends_none(self):
        self.matrix.reminder_hours = 0
        start = fields.Datetime.now()
        doc = self.waiting_since(start)
        with freeze_time(start + timedelta(days=30)):
            self.assertFalse(self.Request._remind_due())
        self.assertFalse(self.reminders(doc))


@tagged("post_install", "-at_install")
class TestScheduledActions(EscalationCase, HttpCase):
    """The scheduled actions run by Odoo's scheduler: its progress record,
    a commit per batch, and the server action sandbox."""

    def run_cron(self, xmlid):
        cron = self.env.ref(xmlid)
        self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()
        return cron

    def test_the_escalation_cron_escalates_overdue_steps(self):
        past = fields.Datetime.now() - timedelta(hours=5)
        overdue = self.waiting_since(past)
        on_time = self.waiting_since(fields.Datetime.now())
        self.run_cron("gov_approval.ir_cron_escalate")
        step = self.request_of(overdue).step_ids
        self.assertTrue(step.escalated)
        self.assertEqual(step.approver_ids, self.manager | self.director)
        self.assertEqual(len(self.digests(self.director)), 1)
        [event] = self.escalation_events()
        self.assertEqual(event.channel, "cron")
        self.assertEqual(set(self.escalated_in(event)), {step.request_id.id})
        self.assertFalse(self.request_of(on_time).step_ids.escalated)
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", self.env.ref("gov_approval.ir_cron_escalate").id)],
            order="id desc",
            limit=1,
        )
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        # a second run finds nothing left
        self.run_cron("gov_approval.ir_cron_escalate")
        self.assertEqual(len(self.digests(self.director)), 1)
        self.assertEqual(len(self.escalation_events()), 1)

    def test_the_reminder_cron_reminds_waiting_approvers(self):
        self.matrix.reminder_hours = 24
        waiting = self.waiting_since(fields.Datetime.now() - timedelta(hours=25))
        recent = self.waiting_since(fields.Datetime.now() - timedelta(hours=2))
        self.run_cron("gov_approval.ir_cron_remind")
        self.assertEqual(len(self.reminders(waiting)), 1)
        self.assertTrue(self.request_of(waiting).step_ids.last_reminder_date)
        # (the tester's documents share their name: told apart by the step)
        self.assertFalse(self.request_of(recent).step_ids.last_reminder_date)
        self.run_cron("gov_approval.ir_cron_remind")
        self.assertEqual(len(self.reminders(waiting)), 1)
