# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.gov_exception.tools.engine import queue_writes

from .common import GovExceptionCase


@tagged("post_install", "-at_install")
class TestReplay(GovExceptionCase):
    def _audit(self, item, event_type):
        return self.env["gov.audit.event"].search(
            [
                ("res_model", "=", item._name),
                ("res_id", "=", item.id),
                ("event_type", "=", event_type),
            ]
        )

    def test_replay_with_an_edited_payload(self):
        item = self.capture(
            handler=self.handler(self.action_write),
            payload={"name": "Broken", "website": "htp:/bad"},
        )
        manager = self.users["integration_manager"]
        wizard = Form(
            self.env["gov.exception.replay.wizard"]
            .with_user(manager)
            .with_context(default_item_id=item.id)
        )
        self.assertEqual(
            json.loads(wizard.payload), {"name": "Broken", "website": "htp:/bad"}
        )
        wizard.payload = json.dumps(
            {"name": "Fixed By Hand", "website": "https://ok.example"}
        )
        result = wizard.save().action_replay()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(item.state, "resolved")
        self.assertEqual(self.partner.name, "Fixed By Hand")
        self.assertEqual(json.loads(item.payload)["name"], "Fixed By Hand")
        self.assertEqual(json.loads(item.original_payload)["name"], "Broken")
        self.assertEqual(item.attempt_ids.kind, "edited_replay")
        self.assertEqual(item.attempt_ids.user_id, manager)
        event = self._audit(item, "exception.replay")
        self.assertEqual(len(event), 1)
        self.assertEqual(event.user_id, manager)
        details = json.loads(event.details)
        self.assertEqual(details["outcome"], "success")
        self.assertIn(["name", "Broken", "Fixed By Hand"], details["payload_diff"])
        self.assertIn(
            ["website", "htp:/bad", "https://ok.example"], details["payload_diff"]
        )

    def test_invalid_json_is_refused_and_changes_nothing(self):
        item = self.capture(
            handler=self.handler(self.action_write), payload={"name": "Keep"}
        )
        with self.assertRaises(ValidationError):
            item.replay_with_payload('{"name": "oops",')
        with self.assertRaises(ValidationError):
            self.env["gov.exception.replay.wizard"].create(
                {"item_id": item.id, "payload": "{not json"}
            )
        self.assertEqual(item.state, "new")
        self.assertEqual(json.loads(item.payload), {"name": "Keep"})
        self.assertFalse(item.attempt_ids)

    def test_failed_replay_keeps_the_item_open_and_records_why(self):
        item = self.capture(
            handler=self.handler(self.action_write), payload={"name": "x"}
        )
        attempt = item.replay_with_payload(json.dumps({"no_such_field": 1}))
        self.assertEqual(attempt["outcome"], "failed")
        self.assertEqual(item.state, "new")
        self.assertIn("no_such_field", item.last_error)
        self.assertEqual(
            json.loads(self._audit(item, "exception.replay").details)["outcome"],
            "failed",
        )

    def test_replaying_a_dead_letter_item_that_fails_again_stays_dead(self):
        item = self.capture(handler=self.handler(self.action_broken), retryable=True)
        with queue_writes():
            item._run_handlers("retry")
        self.assertEqual(item.state, "dead")
        item.action_replay()
        self.assertEqual(item.state, "dead")
        self.assertEqual(len(item.attempt_ids), 2)

    def test_bulk_replay_as_is(self):
        items = self.Item
        for index in range(3):
            items |= self.capture(
                handler=self.handler(self.action_write),
                payload={"name": f"Bulk {index}"},
            )
        broken = self.capture(
            handler=self.handler(self.action_broken), payload={"x": 1}
        )
        result = (items | broken).action_replay()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("3 succeeded, 1 failed", result["params"]["message"])
        self.assertEqual(set(items.mapped("state")), {"resolved"})
        self.assertEqual(broken.state, "new")
        self.assertEqual(
            len(
                self.env["gov.audit.event"].search(
                    [
                        ("event_type", "=", "exception.replay"),
                        ("res_id", "in", (items | broken).ids),
                    ]
                )
            ),
            4,
        )

    def test_items_without_handler_cannot_be_replayed(self):
        item = self.capture()
        with self.assertRaisesRegex(UserError, "no handler"):
            item.action_replay()

    def test_resolve_without_replay_requires_a_note(self):
        item = self.capture()
        with self.assertRaisesRegex(UserError, "Say why"):
            item.close_items("resolved", "  ")
        wizard = Form(
            self.env["gov.exception.close.wizard"].with_context(
                default_item_ids=item.ids
            )
        )
        wizard.resolution = "ignored"
        wizard.note = "Known test noise"
        wizard.save().action_close()
        self.assertEqual(item.state, "ignored")
        self.assertEqual(item.resolution_note, "Known test noise")
        self.assertEqual(item.closed_by_id, self.env.user)
        self.assertEqual(len(self._audit(item, "exception.ignored")), 1)
        with self.assertRaisesRegex(UserError, "already closed"):
            item.close_items("resolved", "again")

    def test_assign_and_start(self):
        item = self.capture()
        manager = self.users["integration_manager"]
        item.with_user(manager).action_assign_to_me()
        self.assertEqual(item.owner_id, manager)
        self.assertEqual(item.state, "assigned")
        item.with_user(manager).action_start()
        self.assertEqual(item.state, "in_progress")


@tagged("post_install", "-at_install")
class TestQueueAccess(GovExceptionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Item = cls.env["gov.exception.item"]
        cls.owned = Item.capture("other", "owned by user", payload={"k": 1})
        cls.queue_write(cls.owned, {"owner_id": cls.users["user"].id})
        cls.team_item = Item.capture("other", "for approvers", payload={"k": 2})
        cls.queue_write(cls.team_item, {"team_id": cls.groups["approver"].id})
        cls.foreign = Item.capture("other", "someone else's", payload={"k": 3})

    def _visible(self, role):
        return self.Item.with_user(self.users[role]).search(
            [("id", "in", (self.owned | self.team_item | self.foreign).ids)]
        )

    def test_visibility_per_group(self):
        self.assertEqual(self._visible("user"), self.owned)
        self.assertEqual(self._visible("approver"), self.team_item)
        everything = self.owned | self.team_item | self.foreign
        self.assertEqual(self._visible("integration_manager"), everything)
        self.assertEqual(self._visible("auditor"), everything)
        self.assertEqual(self._visible("admin"), everything)
        with self.assertRaises(AccessError):
            self.Item.with_user(self.users["plain"]).search([])

    def test_owners_work_their_own_items_only(self):
        user = self.users["user"]
        self.owned.with_user(user).close_items("resolved", "handled by the owner")
        self.assertEqual(self.owned.state, "resolved")
        with self.assertRaises(AccessError):
            self.foreign.with_user(user).close_items("resolved", "not mine")
        with self.assertRaises(AccessError):
            self.owned.with_user(user).write({"severity": "low"})

    def test_auditors_read_but_never_work(self):
        auditor = self.users["auditor"]
        self.assertEqual(self.foreign.with_user(auditor).name, "someone else's")
        with self.assertRaises(AccessError):
            self.foreign.with_user(auditor).close_items("resolved", "audit")
        with self.assertRaises(AccessError):
            self.foreign.with_user(auditor).action_assign_to_me()
        with self.assertRaises(AccessError):
            self.foreign.with_user(auditor).write({"severity": "low"})
        with self.assertRaises(AccessError):
            self.env["gov.exception.policy"].with_user(auditor).create({"name": "no"})

    def test_policies_belong_to_integration_managers(self):
        policy = (
            self.env["gov.exception.policy"]
            .with_user(self.users["integration_manager"])
            .create({"name": "ok"})
        )
        self.assertTrue(policy)
        with self.assertRaises(AccessError):
            self.env["gov.exception.policy"].with_user(self.users["user"]).search([])

    def test_items_of_other_companies_are_hidden(self):
        other = self.env["res.company"].create({"name": "Queue Hidden Co"})
        hidden = self.Item.capture("other", "elsewhere", company=other)
        manager = self.users["integration_manager"]
        self.assertFalse(self.Item.with_user(manager).search([("id", "=", hidden.id)]))
        manager.company_ids |= other
        self.assertTrue(
            self.Item.with_user(manager)
            .with_context(allowed_company_ids=[self.env.company.id, other.id])
            .search([("id", "=", hidden.id)])
        )
