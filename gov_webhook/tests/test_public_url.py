# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The public URL for integrations: set by Integration Managers without
Settings rights (audited), by administrators in Settings, and used by every
URL of the suite that leaves for a sender or a receiver."""

import json

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.gov_base.tests.rpc import RpcRoutesMixin
from odoo.addons.gov_webhook.tools.public_url import PUBLIC_URL_PARAM

from .common import WebhookFixtures

WIZARD = "gov.webhook.public.url.wizard"


@tagged("post_install", "-at_install")
class TestPublicUrl(WebhookFixtures, HttpCase, RpcRoutesMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()
        cls.params = cls.env["ir.config_parameter"].sudo()
        cls.params.set_param(PUBLIC_URL_PARAM, False)
        cls.manager = new_test_user(
            cls.env,
            login="url_integration",
            groups="gov_base.gov_base_group_integration_manager",
        )
        cls.plain = new_test_user(cls.env, login="url_plain", groups="base.group_user")
        cls.auditor = new_test_user(
            cls.env, login="url_auditor", groups="gov_base.gov_base_group_auditor"
        )

    def set_as(self, user, url, route="call_kw"):
        """Open the dialog and save ``url`` as ``user`` over ``route``."""
        created = self.rpc(
            route, user, WIZARD, "create", vals_list=[{"public_url": url}]
        )
        if not created:
            return created
        ids = created.value if isinstance(created.value, list) else [created.value]
        return self.rpc(route, user, WIZARD, "action_apply", ids=ids)

    def endpoint_url_as(self, user):
        result = self.rpc(
            "json2",
            user,
            "gov.webhook.endpoint",
            "search_read",
            domain=[("id", "=", self.endpoint.id)],
            fields=["url"],
        )
        self.assertTrue(result, result.error)
        return result.value[0]["url"]

    def test_endpoint_url_follows_the_server_base_url_by_default(self):
        base = self.params.get_param("web.base.url")
        self.assertEqual(
            self.endpoint_url_as(self.manager),
            f"{base}/gov/webhook/{self.endpoint.path_key}",
        )

    def test_integration_managers_set_it_over_rpc_audited(self):
        for route, url in (
            ("call_kw", "https://erp.example.com/"),
            ("json2", "https://hooks.example.org:8443"),
            ("jsonrpc", "https://erp.example.net"),
            ("xmlrpc", "https://erp.example.com"),
        ):
            result = self.set_as(self.manager, url, route)
            self.assertTrue(result, f"{route}: {result.error}")
            expected = url.rstrip("/")
            self.assertEqual(self.params.get_param(PUBLIC_URL_PARAM), expected)
            self.assertEqual(
                self.endpoint_url_as(self.manager),
                f"{expected}/gov/webhook/{self.endpoint.path_key}",
                route,
            )
        events = self.env["gov.audit.event"].search(
            [("event_type", "=", "webhook.public_url_set")], order="id"
        )
        self.assertEqual(len(events), 4)
        self.assertEqual(events.user_id, self.manager)
        self.assertEqual(
            json.loads(events[-1].details),
            {"old": "https://erp.example.net", "new": "https://erp.example.com"},
        )
        # the endpoint still answers at its path: only the address shown changed
        body = self.body("Public URL Contact")
        response = self.url_open(
            f"/gov/webhook/{self.endpoint.path_key}",
            data=body,
            headers=self.signed_headers(body),
        )
        self.assertEqual(response.status_code, 202, response.text)

    def test_nobody_else_sets_it(self):
        self.params.set_param(PUBLIC_URL_PARAM, "https://erp.example.com")
        for user in (self.plain, self.auditor):
            for route in ("call_kw", "json2"):
                result = self.set_as(user, "https://evil.example.com", route)
                self.assertFalse(result, f"{user.login} over {route}")
        # not through another manager's dialog either
        wizard = (
            self.env[WIZARD]
            .with_user(self.manager)
            .create({"public_url": "https://evil.example.com"})
        )
        result = self.rpc("json2", self.auditor, WIZARD, "action_apply", ids=wizard.ids)
        self.assertFalse(result)
        self.assertEqual(
            self.params.get_param(PUBLIC_URL_PARAM), "https://erp.example.com"
        )
        self.assertFalse(
            self.env["gov.audit.event"].search_count(
                [("event_type", "=", "webhook.public_url_set")]
            )
        )

    def test_malformed_urls_are_refused_with_a_clear_error(self):
        for url in ("erp.example.com", "javascript:alert(1)", "https://a@b.example"):
            result = self.set_as(self.manager, url, "json2")
            self.assertFalse(result, url)
        self.assertFalse(self.params.get_param(PUBLIC_URL_PARAM))
        with self.assertRaisesRegex(Exception, "http or https address"):
            self.env[WIZARD].with_user(self.manager).create(
                {"public_url": "ftp://erp.example.com"}
            ).action_apply()

    def test_administrators_set_it_in_settings_and_empty_falls_back(self):
        settings = self.env["res.config.settings"].create(
            {"gov_webhook_public_url": "https://settings.example.com/"}
        )
        settings.execute()
        self.assertEqual(
            self.params.get_param(PUBLIC_URL_PARAM), "https://settings.example.com"
        )
        self.assertEqual(
            self.env["res.config.settings"].create({}).gov_webhook_public_url,
            "https://settings.example.com",
        )
        self.assertTrue(
            self.endpoint.url.startswith("https://settings.example.com/gov/webhook/")
        )
        self.env["res.config.settings"].create({"gov_webhook_public_url": ""}).execute()
        self.endpoint.invalidate_recordset(["url"])
        base = self.params.get_param("web.base.url")
        self.assertEqual(
            self.endpoint.url, f"{base}/gov/webhook/{self.endpoint.path_key}"
        )
        self.assertEqual(
            self.env["gov.audit.event"].search_count(
                [("event_type", "=", "webhook.public_url_set")]
            ),
            2,
        )
