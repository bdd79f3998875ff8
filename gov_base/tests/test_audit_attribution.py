# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Audit events are attributed to whoever acts, never to a user chosen by
code that Odoo evaluates (server actions, automation rules...)."""

import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.gov_base.tools.engine import acting_as, engine_writes, sandboxed

from .common import GovBaseCase


@tagged("post_install", "-at_install")
class TestAuditAttribution(GovBaseCase):
    """Code evaluated for an administrator runs ``sandboxed``: the checks
    are those of a server action, without the HTTP round trip."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.users["admin"]
        cls.other = cls.users["approver"]
        cls.AdminEvent = cls.Event.with_user(cls.admin)

    def forged(self):
        return self.Event.sudo().search_count([("event_type", "=", "test.forged")])

    def test_record_in_another_users_name_is_refused(self):
        with sandboxed(self.admin.id):
            with self.assertRaises(AccessError):
                self.AdminEvent.record("test.forged", "x", user=self.other)
            with self.assertRaises(AccessError):
                self.AdminEvent._prepare_event_vals("test.forged", "x", user=self.other)
            with self.assertRaises(AccessError):
                self.AdminEvent.record("test.forged", "x", on_behalf_of=self.other)
        self.assertEqual(self.forged(), 0)

    def test_record_as_oneself_or_as_nobody_is_allowed(self):
        with sandboxed(self.admin.id):
            own = self.AdminEvent.record("test.own", "mine")
            explicit = self.AdminEvent.record("test.own", "mine", user=self.admin)
            system = self.AdminEvent.record(
                "test.own", "the policy", user=self.env["res.users"]
            )
        self.assertEqual((own | explicit).sudo().user_id, self.admin)
        self.assertFalse(system.sudo().user_id)

    def test_raw_values_in_another_users_name_are_refused(self):
        with sandboxed(self.admin.id):
            for vals in (
                {"user_id": self.other.id},
                {"user_id": self.admin.id, "on_behalf_of_id": self.other.id},
                {"on_behalf_of_id": self.other.id},
            ):
                with self.subTest(vals=vals), self.assertRaises(AccessError):
                    self.AdminEvent._create_events(
                        [{"event_type": "test.forged", "summary": "x", **vals}]
                    )
            # no person at all: the system
            event = self.AdminEvent._create_events(
                [{"event_type": "test.raw", "summary": "x", "user_id": False}]
            )
        self.assertFalse(event.sudo().user_id)
        self.assertEqual(self.forged(), 0)

    def test_prepared_values_cannot_be_changed(self):
        vals = self.AdminEvent._prepare_event_vals("test.forged", "x")
        for change in (
            {"user_id": self.other.id},
            {"summary": "Something else"},
            {"event_date": "2020-01-01 00:00:00"},
            {"entry_signature": False},
        ):
            with self.subTest(change=change), self.assertRaises(AccessError):
                self.AdminEvent._create_events([{**vals, **change}])
        without_signature = dict(vals, user_id=self.other.id)
        del without_signature["entry_signature"], without_signature["event_date"]
        with sandboxed(self.admin.id), self.assertRaises(AccessError):
            self.AdminEvent._create_events([without_signature])
        self.assertEqual(self.forged(), 0)
        self.AdminEvent._create_events([vals])
        self.assertEqual(self.forged(), 1)

    def test_seal_columns_cannot_be_given(self):
        for column, value in (
            ("sequence", 1),
            ("hash", "0" * 64),
            ("prev_hash", "0" * 64),
            ("chain_version", 2),
            ("sealed_date", "2026-01-01 00:00:00"),
        ):
            with self.subTest(column=column), self.assertRaises(AccessError):
                self.Event._create_events(
                    [{"event_type": "test.forged", "summary": "x", column: value}]
                )

    def test_delegate_acts_on_behalf_when_the_engine_vouches(self):
        """A delegate's decision names the absent approver: the engine that
        owns the related record checked the delegation and opened its grant."""
        partner = self.env["res.partner"].create({"name": "Governed"})
        Delegate = self.Event.with_user(self.admin)
        with acting_as(self.admin.id):
            with self.assertRaises(AccessError):
                Delegate.record(
                    "test.forged", "x", record=partner, on_behalf_of=self.other
                )
            with engine_writes("res.partner"):
                vals = Delegate._prepare_event_vals(
                    "test.delegated", "x", record=partner, on_behalf_of=self.other
                )
            # written later, outside the grant (a batch): the signed values hold
            event = Delegate._create_events([vals])
        self.assertEqual(event.sudo().on_behalf_of_id, self.other)

    def test_the_old_context_key_opens_nothing(self):
        Event = self.Event.sudo().with_context(gov_audit_record=True)
        with self.assertRaises(AccessError):
            Event.create({"event_type": "test.forged", "summary": "x"})
        event = self.Event.record("test.own", "Original")
        with engine_writes("gov.audit.event"), self.assertRaises(AccessError):
            event.sudo().write({"summary": "Forged"})
        with engine_writes("gov.audit.event"), self.assertRaises(AccessError):
            event.sudo().unlink()


@tagged("post_install", "-at_install")
class TestAuditAttributionHttp(HttpCase):
    """A code server action run by an administrator through the web client's
    RPC route cannot write an event in another user's name."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.other = new_test_user(cls.env, login="gov_attribution_other")
        cls.Event = cls.env["gov.audit.event"].sudo()

    def run_code(self, code):
        action = self.env["ir.actions.server"].create(
            {
                "name": "Audit from code",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "state": "code",
                "code": "Event = env['gov.audit.event']\n"
                f"Users = env['res.users']\n{code}",
            }
        )
        self.authenticate("admin", "admin")
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/web/dataset/call_kw/ir.actions.server/run",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": {
                            "model": "ir.actions.server",
                            "method": "run",
                            "args": [[action.id]],
                            "kwargs": {},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        return response.json()

    def test_code_action_cannot_write_in_another_users_name(self):
        other = self.other.id
        vals = "{'event_type': 'test.forged', 'summary': 'y'"
        in_name = "Nobody acts in another user's name"
        codes = [
            (f"Event.record('test.forged', 'y', user=Users.browse({other}))", in_name),
            (f"Event._create_events([{vals}, 'user_id': {other}}}])", in_name),
            (f"Event._create_events([{vals}, 'on_behalf_of_id': {other}}}])", in_name),
            (
                "\n".join(
                    (
                        "vals = Event._prepare_event_vals('test.forged', 'y')",
                        f"vals['user_id'] = {other}",
                        "Event._create_events([vals])",
                    )
                ),
                "changed after they were prepared",
            ),
            (
                f"Event.sudo().with_context(gov_audit_record=True).create({vals}}})",
                "can only be written by the suite",
            ),
        ]
        for code, message in codes:
            with self.subTest(code=code):
                error = self.run_code(code).get("error", {}).get("data", {})
                self.assertEqual(error.get("name"), "odoo.exceptions.AccessError")
                self.assertIn(message, error.get("message"))
        self.assertFalse(self.Event.search([("event_type", "=", "test.forged")]))

    def test_code_action_writes_in_its_own_name(self):
        result = self.run_code("Event.record('test.own', 'Mine')")
        self.assertNotIn("error", result)
        event = self.Event.search([("event_type", "=", "test.own")])
        self.assertEqual(event.user_id, self.admin)
        self.assertEqual(event.channel, "ui")
