# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The plain helpers of integrations, without a database: Retry-After,
event timestamps, secret formats, the public URL and Ed25519 keys."""

import base64
import secrets
import unittest
from datetime import UTC, date, datetime, timedelta, timezone

from odoo.addons.gov_webhook.tools.public_url import normalize_public_url
from odoo.addons.gov_webhook.tools.retry_after import (
    MAX_RETRY_AFTER,
    parse_retry_after,
)
from odoo.addons.gov_webhook.tools.secret_formats import check_secret
from odoo.addons.gov_webhook.tools.signatures import (
    new_signing_key,
    public_key_of,
    standard_signatures,
    verify_standard,
)
from odoo.addons.gov_webhook.tools.timestamps import rfc3339

NOW = datetime(2026, 10, 21, 7, 26, 0, tzinfo=UTC).timestamp()


def whsec(size=32):
    return "whsec_" + base64.b64encode(secrets.token_bytes(size)).decode()


class TestRetryAfter(unittest.TestCase):
    def test_seconds_and_http_dates(self):
        self.assertEqual(parse_retry_after("120", now=NOW), 120)
        self.assertEqual(parse_retry_after(" 7 ", now=NOW), 7)
        # RFC 9110's preferred form, and the two obsolete ones it accepts
        self.assertEqual(
            parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now=NOW), 120
        )
        self.assertEqual(
            parse_retry_after("Wednesday, 21-Oct-26 07:28:00 GMT", now=NOW), 120
        )
        self.assertEqual(parse_retry_after("Wed Oct 21 07:28:00 2026", now=NOW), 120)

    def test_past_dates_mean_now_and_far_ones_are_capped(self):
        self.assertEqual(parse_retry_after("Wed, 21 Oct 2026 07:00:00 GMT", now=NOW), 0)
        self.assertEqual(
            parse_retry_after("Fri, 21 Oct 2050 07:28:00 GMT", now=NOW),
            MAX_RETRY_AFTER,
        )
        self.assertEqual(parse_retry_after("99999999", now=NOW), MAX_RETRY_AFTER)

    def test_garbage_says_nothing(self):
        for value in (None, "", "soon", "-5", "1.5", "Wed, 99 Foo 2026 07:28:00 GMT"):
            self.assertIsNone(parse_retry_after(value, now=NOW), value)


class TestTimestamps(unittest.TestCase):
    def test_rfc3339_with_zone(self):
        self.assertEqual(
            rfc3339(datetime(2026, 12, 3, 12, 48, 6, 123456)), "2026-12-03T12:48:06Z"
        )
        paris = timezone(timedelta(hours=1))
        self.assertEqual(
            rfc3339(datetime(2026, 12, 3, 13, 48, 6, tzinfo=paris)),
            "2026-12-03T12:48:06Z",
        )
        self.assertEqual(rfc3339(date(2026, 12, 3)), "2026-12-03")
        self.assertIsNone(rfc3339(False))
        with self.assertRaises(TypeError):
            rfc3339("2026-12-03 12:48:06")


class TestSecretFormats(unittest.TestCase):
    def test_standard_webhooks(self):
        secret = whsec(24)
        self.assertEqual(check_secret("standard", f"  {secret}\n"), (secret, None))
        # Svix prints its secrets without base64 padding
        unpadded = "whsec_" + base64.b64encode(b"x" * 25).decode().rstrip("=")
        self.assertIsNone(check_secret("standard", unpadded)[1])
        self.assertEqual(check_secret("standard", "whsec_%%%")[1], "standard_base64")
        self.assertEqual(check_secret("standard", whsec(8))[1], "standard_length")
        self.assertEqual(check_secret("standard", "abc" * 10)[1], "standard_prefix")
        self.assertEqual(check_secret("standard", "")[1], "empty")
        self.assertEqual(check_secret("standard", "whsec_ab cd")[1], "whitespace")
        private, public = new_signing_key()
        self.assertIsNone(check_secret("standard", public)[1])
        self.assertEqual(check_secret("standard", private)[1], "private_key")
        self.assertEqual(check_secret("standard", "whpk_AAAA")[1], "public_key")
        # a receiver gives an HMAC secret, never a key
        self.assertIsNone(check_secret("receiver", secret)[1])
        self.assertEqual(check_secret("receiver", public)[1], "standard_prefix")

    def test_stripe_and_others(self):
        stripe = "whsec_" + "a1B2" * 8
        self.assertEqual(check_secret("stripe", stripe), (stripe, None))
        self.assertEqual(check_secret("stripe", "sk_live_abc")[1], "stripe_format")
        self.assertEqual(check_secret("stripe", "whsec_ab/+")[1], "stripe_format")
        self.assertIsNone(check_secret("shopify", "shpss_" + "0f" * 16)[1])
        self.assertEqual(check_secret("github", "short")[1], "too_short")
        self.assertEqual(check_secret("token", "x" * 2000)[1], "too_long")


class TestPublicUrl(unittest.TestCase):
    def test_normalised_or_refused(self):
        self.assertEqual(
            normalize_public_url(" https://erp.example.com/ "),
            "https://erp.example.com",
        )
        self.assertEqual(
            normalize_public_url("http://erp.example.com:8443/odoo/"),
            "http://erp.example.com:8443/odoo",
        )
        self.assertEqual(normalize_public_url(""), "")
        for bad in (
            "erp.example.com",
            "ftp://erp.example.com",
            "https://user:pw@erp.example.com",
            "https://erp.example.com/?a=1",
            "https://erp.example.com/#x",
            "https://erp.example.com:99999",
            "https://erp example.com",
            "javascript:alert(1)",
        ):
            self.assertIsNone(normalize_public_url(bad), bad)


class TestEd25519(unittest.TestCase):
    def test_v1a_signs_and_verifies_beside_v1(self):
        private, public = new_signing_key()
        self.assertEqual(public_key_of(private), public)
        hmac_secret = whsec()
        body = b'{"type": "x"}'
        header = standard_signatures(
            [private, hmac_secret], "msg_1", "1700000000", body
        )
        self.assertRegex(header, r"^v1a,\S+ v1,\S+$")
        headers = {
            "webhook-id": "msg_1",
            "webhook-timestamp": "1700000000",
            "webhook-signature": header,
        }
        self.assertEqual(verify_standard([public], headers, body), (True, 1700000000))
        self.assertEqual(verify_standard([hmac_secret], headers, body)[0], True)
        self.assertFalse(verify_standard([public], headers, body + b" ")[0])
        _other_private, other_public = new_signing_key()
        self.assertFalse(verify_standard([other_public], headers, body)[0])
        # a v1a signature is not accepted as a v1 one, nor the reverse
        swapped = dict(headers, **{"webhook-signature": header.replace("v1a,", "v1,")})
        self.assertFalse(verify_standard([public], swapped, body)[0])
