# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The inbound endpoint through the real HTTP stack, against hostile input.

Numbers in test names refer to the 25 hostile inputs of the suite's research
on webhook gateways.
"""

import gzip
import io
import json
import socket
import time
import unittest
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import config

from odoo.addons.gov_webhook.controllers.main import read_at_most
from odoo.addons.gov_webhook.tools.signatures import (
    github_sign,
    shopify_sign,
    standard_sign,
    stripe_sign,
)

from .common import WebhookFixtures, new_secret


class CountingStream(io.RawIOBase):
    """An endless body that counts what was read of it."""

    def __init__(self):
        self.read_bytes = 0

    def readinto(self, buffer):
        buffer[:] = b"x" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


class TestBodyReading(unittest.TestCase):
    def test_reads_the_limit_and_one_byte_at_most(self):
        stream = CountingStream()
        self.assertIsNone(read_at_most(stream, 200_000))
        self.assertEqual(stream.read_bytes, 200_001)
        self.assertEqual(read_at_most(io.BytesIO(b"x" * 10), 10), b"x" * 10)
        self.assertIsNone(read_at_most(io.BytesIO(b"x" * 11), 10))
        self.assertEqual(read_at_most(io.BytesIO(b""), 10), b"")


@tagged("post_install", "-at_install")
class TestInboundHttp(WebhookFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_webhook_fixtures()
        cls.Inbox = cls.env["gov.webhook.inbox"]

    def send(self, body, headers=None, method="POST", endpoint=None, sign=True):
        endpoint = endpoint or self.endpoint
        headers = dict(headers or {})
        if sign:
            headers = {**self.signed_headers(body), **headers}
        return self.opener.request(
            method,
            f"{self.base_url()}/gov/webhook/{endpoint.path_key}",
            data=body,
            headers=headers,
            timeout=30,
        )

    def stored(self, endpoint=None):
        return self.Inbox.search([("endpoint_id", "=", (endpoint or self.endpoint).id)])

    def process(self):
        return self.Inbox._process_pending()

    def rejections(self, reason):
        return self.env["gov.webhook.rejection"].search_count(
            [("endpoint_id", "=", self.endpoint.id), ("reason", "=", reason)]
        )

    # -- the happy path -------------------------------------------------
    def test_store_first_answer_202_then_process(self):
        response = self.send(self.body("Happy Path Contact"))
        self.assertEqual(response.status_code, 202, response.text)
        self.assertEqual(response.json()["status"], "accepted")
        inbox = self.stored()
        self.assertEqual(inbox.state, "received")
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Happy Path Contact")])
        )
        self.process()
        self.assertEqual(inbox.state, "done")
        self.assertEqual(inbox.outcome_code, 200)
        partner = self.env["res.partner"].search([("name", "=", "Happy Path Contact")])
        self.assertEqual(partner.create_uid, self.runner, "runs as the technical user")
        self.assertNotIn(
            'webhook-signature": "v1', inbox.headers, "signatures are masked"
        )

    # -- 1 to 6: authentication ------------------------------------------
    def test_01_missing_credentials(self):
        response = self.send(
            self.body(), {"Content-Type": "application/json"}, sign=False
        )
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json(), {"error": "unauthorized"})
        self.assertFalse(self.stored())
        self.assertEqual(self.rejections("authentication"), 1)

    def test_02_bad_signatures_get_the_same_answer(self):
        body = self.body()
        answers = []
        # wrong secret
        answers.append(self.send(body, self.signed_headers(body, secret=new_secret())))
        # one byte tampered after signing
        headers = self.signed_headers(body)
        answers.append(self.send(body.replace(b"Webhook", b"Webhoak"), headers))
        # body re-serialised with other whitespace
        reformatted = json.dumps(json.loads(body), indent=2).encode()
        answers.append(self.send(reformatted, headers))
        self.assertEqual({r.status_code for r in answers}, {401})
        self.assertEqual({r.text for r in answers}, {answers[0].text})
        self.assertFalse(self.stored())

    def test_03_malformed_signature_headers(self):
        body = self.body()
        base = self.signed_headers(body)
        for signature in ("", "v0,abc", "v1,not base64!", "v1", "v1,", "garbage"):
            response = self.send(body, {**base, "webhook-signature": signature})
            self.assertEqual(response.status_code, 401, signature)
        # several signatures: any valid v1 is enough (rotation on the sender side)
        good = base["webhook-signature"]
        response = self.send(body, {**base, "webhook-signature": f"v1,AAAA {good}"})
        self.assertEqual(response.status_code, 202)

    def test_04_another_endpoints_secret(self):
        other = self.make_endpoint("Other")
        other_secret = new_secret()
        other._set_secret(other_secret)
        body = self.body()
        response = self.send(body, self.signed_headers(body, secret=other_secret))
        self.assertEqual(response.status_code, 401)
        ok = self.send(
            body, self.signed_headers(body, secret=other_secret), endpoint=other
        )
        self.assertEqual(ok.status_code, 202)

    def test_05_06_timestamps_outside_the_window(self):
        body = self.body()
        now = int(time.time())
        for timestamp in (
            now - 301,
            now + 301,
            f"{now}000",
            f"{now}.5",
            "-5",
            "1e10",
            "",
        ):
            headers = self.signed_headers(body, timestamp=timestamp)
            self.assertEqual(self.send(body, headers).status_code, 401, timestamp)
        self.assertEqual(
            self.send(body, self.signed_headers(body, timestamp=now - 200)).status_code,
            202,
        )

    # -- 7 to 10: duplicates and delivery ids ----------------------------
    def test_07_replayed_delivery_answers_the_stored_outcome(self):
        body = self.body("Replayed Contact")
        headers = self.signed_headers(body)
        self.assertEqual(self.send(body, headers).status_code, 202)
        self.process()
        again = self.send(body, headers)
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.headers["Idempotent-Replayed"], "true")
        self.assertEqual(again.json()["state"], "done")
        self.assertEqual(again.json()["outcome_code"], 200)
        self.assertEqual(len(self.stored()), 1)
        self.process()
        self.assertEqual(
            self.env["res.partner"].search_count([("name", "=", "Replayed Contact")]), 1
        )

    def test_09_same_id_with_another_body(self):
        body = self.body("First Body")
        headers = self.signed_headers(body, msg_id="msg_reused")
        self.assertEqual(self.send(body, headers).status_code, 202)
        other = self.body("Second Body")
        response = self.send(other, self.signed_headers(other, msg_id="msg_reused"))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(len(self.stored()), 1)
        item = self.env["gov.exception.item"].search(
            [("category", "=", "security"), ("correlation_id", "=", "msg_reused")]
        )
        self.assertEqual(len(item), 1)
        payload = json.loads(item.payload)
        self.assertNotEqual(payload["stored_body_hash"], payload["new_body_hash"])

    def test_10_required_idempotency_key(self):
        token = "tok-" + "x" * 30
        endpoint = self.make_endpoint(
            "Token", profile="token", require_delivery_id=True
        )
        endpoint._set_secret(token)
        auth = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        body = self.body()
        missing = self.send(body, auth, endpoint=endpoint, sign=False)
        self.assertEqual(missing.status_code, 400)
        too_long = self.send(
            body, {**auth, "Idempotency-Key": "k" * 256}, endpoint=endpoint, sign=False
        )
        self.assertEqual(too_long.status_code, 400)
        non_ascii = self.send(
            body,
            {**auth, "Idempotency-Key": "clé".encode().decode("latin-1")},
            endpoint=endpoint,
            sign=False,
        )
        self.assertEqual(non_ascii.status_code, 400)
        ok = self.send(
            body, {**auth, "Idempotency-Key": "key-1"}, endpoint=endpoint, sign=False
        )
        self.assertEqual(ok.status_code, 202)
        wrong = self.send(
            body,
            {
                "Content-Type": "application/json",
                "Authorization": "Bearer nope",
                "Idempotency-Key": "k2",
            },
            endpoint=endpoint,
            sign=False,
        )
        self.assertEqual(wrong.status_code, 401)

    # -- 11 and 12: size, encoding, content type -------------------------
    def test_11_oversized_chunked_and_compressed(self):
        self.endpoint.max_body_bytes = 1000
        big = self.body("x" * 2000)
        self.assertEqual(self.send(big).status_code, 413)

        def chunks():
            yield big[:600]
            yield big[600:]

        response = self.opener.post(
            f"{self.base_url()}/gov/webhook/{self.endpoint.path_key}",
            data=chunks(),
            headers=self.signed_headers(big),
            timeout=30,
        )
        self.assertEqual(response.status_code, 413)
        small = self.body()
        compressed = gzip.compress(small)
        response = self.send(
            compressed, {**self.signed_headers(compressed), "Content-Encoding": "gzip"}
        )
        self.assertEqual(response.status_code, 415)
        self.assertFalse(self.stored())
        self.assertEqual(self.rejections("too_large"), 2)

    def test_11_chunked_body_refused_before_it_ends(self):
        self.endpoint.max_body_bytes = 1000
        self.env.flush_all()
        url = urlsplit(self.base_url())
        chunk = b"x" * 5000
        with (
            self.allow_requests(),
            socket.create_connection((url.hostname, url.port), timeout=10) as sock,
        ):
            head = (
                f"POST /gov/webhook/{self.endpoint.path_key} HTTP/1.1\r\n"
                f"Host: {url.netloc}\r\n"
                "Content-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\n"
                f"Cookie: test_request_key={self.http_request_key}\r\n"
                "\r\n"
            )
            sock.sendall(head.encode() + b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            # the body goes on (no last chunk): the answer must not wait for it
            answer = b""
            while b"\r\n" not in answer:
                received = sock.recv(4096)
                if not received:
                    break
                answer += received
        self.assertTrue(answer.startswith(b"HTTP/1.1 413"), answer[:200])
        self.assertFalse(self.stored())
        self.assertEqual(self.rejections("too_large"), 1)

    def test_11_chunked_body_within_the_limit(self):
        body = self.body("Chunked Contact")

        def chunks():
            for start in range(0, len(body), 7):
                yield body[start : start + 7]

        response = self.opener.post(
            f"{self.base_url()}/gov/webhook/{self.endpoint.path_key}",
            data=chunks(),
            headers=self.signed_headers(body),
            timeout=30,
        )
        self.assertEqual(response.status_code, 202, response.text)
        self.assertEqual(self.stored().size, len(body))

    def test_12_wrong_content_types(self):
        body = self.body()
        for content_type in (
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=utf-16",
        ):
            response = self.send(
                body, {**self.signed_headers(body), "Content-Type": content_type}
            )
            self.assertEqual(response.status_code, 415, content_type)
        for content_type in (
            "application/json; charset=UTF-8",
            "application/cloudevents+json",
        ):
            response = self.send(
                body, {**self.signed_headers(body), "Content-Type": content_type}
            )
            self.assertEqual(response.status_code, 202, content_type)

    # -- 13 to 20: authentic but malformed payloads are quarantined ------
    def _quarantined(self, raw, expected_reason, expected_code=400):
        response = self.send(raw)
        self.assertEqual(response.status_code, 202, "stored before parsing")
        self.process()
        inbox = self.Inbox.search(
            [("endpoint_id", "=", self.endpoint.id)], order="id desc", limit=1
        )
        self.assertEqual(inbox.state, "quarantined", raw[:40])
        self.assertEqual(inbox.error_reason, expected_reason, raw[:40])
        self.assertEqual(inbox.outcome_code, expected_code)
        self.assertEqual(inbox.size, len(raw), "raw bytes kept")
        item = inbox.exception_item_id
        self.assertEqual(item.category, "malformed")
        self.assertEqual(item.res_id, inbox.id)
        return inbox

    def test_13_invalid_encodings(self):
        self._quarantined(
            b'{"type": "x", "data": {"name": "\xc3\x28"}}', "encoding_invalid"
        )
        self._quarantined(b'\xef\xbb\xbf{"type": "x"}', "encoding_invalid")
        self._quarantined('{"type": "x"}'.encode("utf-16"), "encoding_invalid")

    def test_14_invalid_json(self):
        for raw in (b'{"type": "x", "data": {', b'{"a": 1,}', b"", b"{'a': 1}"):
            self._quarantined(raw, "json_invalid")

    def test_15_non_interoperable_json(self):
        self._quarantined(b'{"type": "x", "amount": NaN}', "json_non_interoperable")
        self._quarantined(
            b'{"type": "x", "amount": Infinity}', "json_non_interoperable"
        )
        self._quarantined(b'{"amount": 1, "amount": 1000}', "json_duplicate_key")

    def test_16_pathological_nesting(self):
        self._quarantined(b"[" * 50000, "json_too_deep")

    def test_17_pathological_numbers(self):
        self._quarantined(b'{"n": ' + b"9" * 5000 + b"}", "json_number_too_large")
        self._quarantined(b'{"n": 1e400}', "json_number_too_large")

    def test_18_wrong_top_level_shape(self):
        for raw in (b"[1, 2]", b'"text"', b"null"):
            self._quarantined(raw, "json_shape")

    def test_19_schema_violations_and_unknown_types(self):
        self.endpoint.json_schema = json.dumps(
            {
                "type": "object",
                "required": ["type", "data"],
                "properties": {
                    "type": {"enum": ["order.created", "order.paid"]},
                    "data": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {"name": {"type": "string", "maxLength": 40}},
                    },
                },
            }
        )
        inbox = self._quarantined(
            b'{"type": "order.created", "data": {"name": 5}}', "schema", 422
        )
        errors = json.loads(inbox.outcome)
        self.assertEqual(errors[0]["loc"], ["data", "name"])
        self.assertEqual(errors[0]["type"], "type")
        self.endpoint.event_types = "order.created"
        response = self.send(b'{"type": "order.paid", "data": {"name": "Paid"}}')
        self.assertEqual(response.status_code, 202)
        self.process()
        self.assertEqual(self.stored()[0].state, "ignored")

    def test_20_unicode_hazards(self):
        self._quarantined(
            b'{"type": "x", "data": {"name": "\\ud800"}}', "json_lone_surrogate", 422
        )
        self._quarantined(
            b'{"type": "x", "data": {"name": "a\\u0000b"}}', "json_nul_character", 422
        )

    # -- 21 to 23: method, unknown endpoints, floods ----------------------
    def test_21_disallowed_methods(self):
        for method in ("GET", "PUT", "DELETE", "OPTIONS", "PATCH"):
            response = self.send(b"", method=method, sign=False)
            self.assertEqual(response.status_code, 405, method)
            self.assertEqual(response.headers["Allow"], "POST")
        response = self.opener.head(
            f"{self.base_url()}/gov/webhook/{self.endpoint.path_key}", timeout=30
        )
        self.assertEqual(response.status_code, 405)
        self.assertFalse(self.stored())

    def test_22_unknown_and_retired_endpoints(self):
        body = self.body()
        unknown = self.opener.post(
            f"{self.base_url()}/gov/webhook/no-such-key",
            data=body,
            headers=self.signed_headers(body),
            timeout=30,
        )
        self.assertEqual(unknown.status_code, 404)
        self.assertEqual(unknown.json(), {"error": "not_found"})
        self.endpoint.active = False
        self.assertEqual(self.send(body).status_code, 410)

    def test_23_rate_limit(self):
        self.endpoint.rate_limit_per_minute = 3
        codes = [
            self.send(self.body(f"Burst {index}")).status_code for index in range(5)
        ]
        self.assertEqual(codes[:3], [202, 202, 202])
        self.assertEqual(codes[3:], [429, 429])
        response = self.send(self.body("Burst again"))
        self.assertEqual(response.status_code, 429)
        self.assertGreaterEqual(int(response.headers["Retry-After"]), 1)
        self.assertEqual(len(self.stored()), 3)

    def test_23_rate_limit_is_shared_between_worker_processes(self):
        # three worker processes share a limit of 6 per minute: 2 each
        endpoint = self.make_endpoint("Shared limit", rate_limit_per_minute=6)
        endpoint._set_secret(self.secret)
        workers = config.get("workers")
        config["workers"] = 3
        self.addCleanup(config.__setitem__, "workers", workers)
        codes = [
            self.send(self.body(f"Shared {index}"), endpoint=endpoint).status_code
            for index in range(3)
        ]
        self.assertEqual(codes, [202, 202, 429])

    # -- 24 and 25: grants and transient failures -------------------------
    def test_24_handler_cannot_leave_its_grant(self):
        self.action.code = (
            'env["res.users"].browse(2).write({"name": payload["data"]["name"]})'
        )
        self.endpoint.processing = "sync"
        response = self.send(self.body("Hijack"))
        self.assertEqual(response.status_code, 403, self.stored().outcome)
        self.assertNotEqual(self.env["res.users"].browse(2).name, "Hijack")

    def test_25_transient_failure_sync_rolls_back_and_answers_503(self):
        self.action.code = (
            'env["res.partner"].create({"name": payload["data"]["name"]})\n'
            'raise GovRetryableError("downstream busy")'
        )
        self.endpoint.processing = "sync"
        response = self.send(self.body("Half Done"))
        self.assertEqual(response.status_code, 503)
        self.assertTrue(response.headers["Retry-After"])
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Half Done")]))
        inbox = self.stored()
        self.assertEqual(inbox.state, "failed")
        item = inbox.exception_item_id
        self.assertEqual(item.state, "retry", "the queue retries it with backoff")
        # the downstream recovers: the queue's retry processes the delivery
        self.action.code = (
            'env["res.partner"].create({"name": payload["data"]["name"]})'
        )
        item.action_retry_now()
        self.assertEqual(item.state, "resolved", item.last_error)
        self.assertEqual(inbox.state, "done")
        self.assertEqual(
            self.env["res.partner"].search_count([("name", "=", "Half Done")]), 1
        )

    def test_25_transient_failure_async_is_retried_by_the_queue(self):
        self.action.code = 'raise GovRetryableError("downstream busy")'
        self.assertEqual(self.send(self.body("Later")).status_code, 202)
        self.process()
        inbox = self.stored()
        self.assertEqual(inbox.state, "failed")
        self.assertEqual(inbox.outcome_code, 503)
        self.assertTrue(inbox.exception_item_id.retryable)

    # -- rotation, replay from the queue, test delivery --------------------
    def test_secret_rotation_with_grace(self):
        old = self.secret
        new = new_secret()
        self.endpoint._set_secret(new, grace_hours=1)
        body = self.body()
        self.assertEqual(
            self.send(body, self.signed_headers(body, secret=old)).status_code, 202
        )
        self.assertEqual(
            self.send(body, self.signed_headers(body, secret=new)).status_code, 202
        )
        self.endpoint.sudo().previous_secret_until = fields.Datetime.now() - timedelta(
            seconds=1
        )
        self.env.registry.clear_cache()
        self.assertEqual(
            self.send(body, self.signed_headers(body, secret=old)).status_code, 401
        )
        event = self.env["gov.audit.event"].search(
            [
                ("res_model", "=", "gov.webhook.endpoint"),
                ("res_id", "=", self.endpoint.id),
            ],
            limit=1,
        )
        self.assertEqual(event.event_type, "webhook.secret_rotated")

    def test_secrets_cannot_be_read_back(self):
        manager = self.env["res.users"].create(
            {
                "name": "Reader",
                "login": "webhook_reader",
                "group_ids": [
                    (
                        6,
                        0,
                        [
                            self.env.ref(
                                "gov_base.gov_base_group_integration_manager"
                            ).id
                        ],
                    )
                ],
            }
        )
        endpoint = self.endpoint.with_user(manager)
        self.assertTrue(endpoint.has_secret)
        with self.assertRaises(Exception):  # noqa: B017 - AccessError or ValueError
            endpoint.read(["secret"])

    def test_quarantined_payload_fixed_and_replayed_from_the_queue(self):
        self.send(b'{"type": "order.created", "data": {"name": "Fixed Later",}}')
        self.process()
        inbox = self.stored()
        item = inbox.exception_item_id
        self.assertEqual(inbox.state, "quarantined")
        item.replay_with_payload(
            '{"type": "order.created", "data": {"name": "Fixed Later"}}'
        )
        self.assertEqual(item.state, "resolved", item.last_error)
        self.assertEqual(inbox.state, "done")
        self.assertTrue(self.env["res.partner"].search([("name", "=", "Fixed Later")]))

    def test_send_test_delivery_from_the_form(self):
        result = self.endpoint.action_send_test()
        self.assertEqual(result["params"]["type"], "success")
        inbox = self.stored()
        self.assertTrue(inbox.delivery_id.startswith("msg_test_"))

    def test_standard_webhooks_signature_vector(self):
        # the example of the Standard Webhooks specification
        self.assertEqual(
            standard_sign(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "1614265330",
                b'{"test": 2432232314}',
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        )

    def test_other_profiles_verify_their_own_schemes(self):
        body = self.body("Profile Contact")
        now = int(time.time())
        secret = "profile-secret-0123456789"
        signed_now = stripe_sign(secret, now, body)
        signed_old = stripe_sign(secret, now - 400, body)
        cases = {
            "stripe": (
                {"Stripe-Signature": f"t={now},v1=00ff,v1={signed_now}"},
                {"Stripe-Signature": f"t={now - 400},v1={signed_old}"},
            ),
            "github": (
                {
                    "X-Hub-Signature-256": github_sign(secret, body),
                    "X-GitHub-Delivery": "gh-1",
                },
                {
                    "X-Hub-Signature-256": github_sign("other", body),
                    "X-GitHub-Delivery": "gh-2",
                },
            ),
            "shopify": (
                {
                    "X-Shopify-Hmac-Sha256": shopify_sign(secret, body),
                    "X-Shopify-Webhook-Id": "sh-1",
                },
                {
                    "X-Shopify-Hmac-Sha256": shopify_sign(secret, body + b" "),
                    "X-Shopify-Webhook-Id": "sh-2",
                },
            ),
            "token": (
                {"Authorization": f"Bearer {secret}"},
                {"Authorization": f"Basic {secret}"},
            ),
        }
        for profile, (good, bad) in cases.items():
            endpoint = self.make_endpoint(f"Profile {profile}", profile=profile)
            endpoint._set_secret(secret)
            json_type = {"Content-Type": "application/json"}
            ok = self.send(body, {**json_type, **good}, endpoint=endpoint, sign=False)
            self.assertEqual(ok.status_code, 202, profile)
            refused = self.send(
                body, {**json_type, **bad}, endpoint=endpoint, sign=False
            )
            self.assertEqual(refused.status_code, 401, profile)
        github = self.Inbox.search([("delivery_id", "=", "gh-1")])
        self.assertEqual(github.endpoint_id.profile, "github")
