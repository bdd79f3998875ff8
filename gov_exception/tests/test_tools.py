# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The queue's plain algorithms, without a database."""

from odoo.tests import BaseCase, tagged

from odoo.addons.gov_exception.exceptions import (
    PERMANENT_ERRORS,
    GovHandlerError,
    GovPermanentError,
    GovRetryableError,
)
from odoo.addons.gov_exception.tools.failure import (
    HandlerFailure,
    describe_error,
    fingerprint_of,
    run_outcome,
)
from odoo.addons.gov_exception.tools.payload import DEFAULT_MASK_PATTERNS


@tagged("post_install", "-at_install")
class TestFailureTools(BaseCase):
    def test_fingerprint_is_stable_and_tells_failures_apart(self):
        parts = ["handler", "module", "tests", None, {"b": 1, "a": 2}]
        self.assertEqual(fingerprint_of(parts), fingerprint_of(list(parts)))
        self.assertEqual(len(fingerprint_of(parts)), 64)
        self.assertEqual(
            fingerprint_of([{"a": 2, "b": 1}]), fingerprint_of([{"b": 1, "a": 2}])
        )
        self.assertNotEqual(fingerprint_of(parts), fingerprint_of(parts[:-1]))

    def test_error_description_masks_secrets(self):
        self.assertEqual(describe_error(None, DEFAULT_MASK_PATTERNS), (False, False))
        message, trace = describe_error(
            "GET /v1?api_key=K123 refused", DEFAULT_MASK_PATTERNS
        )
        self.assertEqual(message, "GET /v1?api_key=*** refused")
        self.assertFalse(trace)
        try:
            raise RuntimeError("expired, token=abc123")
        except RuntimeError as exc:
            error = exc
        message, trace = describe_error(error, DEFAULT_MASK_PATTERNS)
        self.assertEqual(message, "RuntimeError: expired, token=***")
        self.assertIn("Traceback", trace)
        self.assertNotIn("abc123", trace)
        # an exception never raised has no traceback; an empty one is named
        self.assertEqual(
            describe_error(KeyError(), DEFAULT_MASK_PATTERNS),
            ("KeyError: KeyError", False),
        )
        self.assertEqual(len(describe_error("x" * 5000, ())[0]), 4000)

    def test_a_handler_failure_keeps_what_the_queue_needs(self):
        try:
            raise GovRetryableError("busy, token=abc123", retry_after=30)
        except GovRetryableError as exc:
            failure = HandlerFailure.of(exc, DEFAULT_MASK_PATTERNS)
        self.assertEqual(failure, ("GovRetryableError: busy, token=***", False, 30))
        self.assertTrue(HandlerFailure.of(KeyError("k"), ()).permanent)
        self.assertEqual(
            HandlerFailure.of(KeyError(), ()).message, "KeyError: KeyError"
        )

    def test_outcome_of_a_handler_run(self):
        busy, broken = GovRetryableError("busy"), GovPermanentError("broken")

        def outcome(error, kind="retry", state="retry", retryable=True, attempt=1):
            return run_outcome(
                error and HandlerFailure.of(error, ()),
                kind=kind,
                state=state,
                retryable=retryable,
                attempt=attempt,
                max_attempts=3,
            )

        self.assertEqual(outcome(None), "success")
        self.assertEqual(outcome(busy), "retry")
        self.assertEqual(outcome(ZeroDivisionError()), "retry")
        self.assertEqual(outcome(busy, attempt=3), "dead", "attempts exhausted")
        self.assertEqual(outcome(broken), "dead")
        self.assertEqual(outcome(ValueError("bad")), "dead", "no retry fixes it")
        self.assertEqual(outcome(busy, retryable=False), "dead")
        # by hand, an item that was not retrying is left to a person
        self.assertEqual(outcome(busy, kind="manual", state="new"), "retry")
        self.assertEqual(
            outcome(busy, kind="manual", state="new", retryable=False), "failed"
        )
        self.assertEqual(outcome(broken, kind="replay", state="dead"), "dead")


@tagged("post_install", "-at_install")
class TestHandlerErrors(BaseCase):
    def test_one_base_for_what_handlers_raise(self):
        retry = GovRetryableError("busy", retry_after=30)
        for error in (retry, GovPermanentError("broken")):
            self.assertIsInstance(error, GovHandlerError)
        self.assertEqual(retry.retry_after, 30)
        self.assertIsInstance(GovPermanentError("x"), PERMANENT_ERRORS)
        self.assertNotIsInstance(retry, PERMANENT_ERRORS)
