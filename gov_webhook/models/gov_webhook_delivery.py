# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Outbound deliveries (the outbox) and the scheduled sender.

Retry schedule after a failed attempt, each wait spread by +/- 10%:
5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 20 h: ten attempts over about
three days (71.6 h), then the delivery is dead-lettered to the exception queue.
A ``Retry-After`` of the receiver (seconds or an HTTP date, at most a day)
lengthens a wait after 429 and 503. The sender is woken at the earliest retry
a transaction schedules (one trigger, none when an earlier one waits).
"""

import json
import logging
import random
import time
from datetime import timedelta

import requests

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.gov_base.tools.batches import lock_batch, run_batch
from odoo.addons.gov_base.tools.engine import check_granted, engine_writes
from odoo.addons.gov_base.tools.params import int_param
from odoo.addons.gov_exception.exceptions import GovPermanentError, GovRetryableError
from odoo.addons.gov_exception.tools.payload import MASK, mask_payload

from ..tools.late_secrets import (
    MARKER,
    has_markers,
    materialize,
    redact,
    restore_masked,
)
from ..tools.retry_after import parse_retry_after
from ..tools.signatures import standard_signatures

_logger = logging.getLogger(__name__)

RETRY_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 72000)
JITTER = 0.1
SEND_BATCH = 20
SEND_CRON = "gov_webhook.ir_cron_gov_webhook_send"
STATES = [
    ("pending", "Pending"),
    ("retry", "Retry Scheduled"),
    ("sent", "Sent"),
    ("dead", "Dead-Letter"),
    ("cancelled", "Cancelled"),
]


class GovWebhookDelivery(models.Model):
    """One event for one subscription: the outbox row the sender delivers.

    Written by the engine only (``gov.engine.mixin``): events create
    deliveries, the scheduled sender, the exception queue and the Resend
    action change them.

    **Late secrets.** Event data may carry a secret the receiver needs (a
    decision token, a one-time link) as a marker
    ``{"$secret": "<kind>", "ref": <JSON value>}``, anywhere in nested objects
    and lists. The marker is what the payload stores and what the interface
    and RPC show; each attempt (retries and resends too) replaces it, in the
    body sent only, by the text :meth:`_resolve_secret` returns for
    ``(kind, ref)``; the signature covers that body. Modules add kinds by
    extending :meth:`_resolve_secret`. A kind nobody resolves dead-letters
    the delivery: it is never sent with the marker.
    """

    _name = "gov.webhook.delivery"
    _inherit = ["gov.engine.mixin"]
    _description = "Outbound Webhook Delivery"
    _order = "id desc"
    _rec_name = "webhook_id"

    subscription_id = fields.Many2one(
        "gov.webhook.subscription",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    event_type = fields.Char(required=True, readonly=True, index=True)
    webhook_id = fields.Char(
        string="Webhook Id", required=True, readonly=True, help="Stable across retries."
    )
    payload = fields.Text(readonly=True)
    res_model = fields.Char(readonly=True)
    res_id = fields.Many2oneReference(model_field="res_model", readonly=True)
    state = fields.Selection(STATES, required=True, readonly=True, index=True)
    attempts = fields.Integer(readonly=True)
    next_attempt_date = fields.Datetime(readonly=True)
    last_status = fields.Integer(string="Last HTTP Status", readonly=True)
    last_error = fields.Text(readonly=True)
    last_response = fields.Text(readonly=True)
    sent_at = fields.Datetime(readonly=True)
    duration_ms = fields.Integer(
        string="Duration (ms)", readonly=True, aggregator="avg"
    )
    exception_item_id = fields.Many2one("gov.exception.item", readonly=True)

    _due_idx = models.Index(
        "(next_attempt_date, id) WHERE state IN ('pending', 'retry')"
    )

    def _wake_sender(self):
        self.env["ir.cron"]._gov_wake_once(SEND_CRON)

    @api.model
    def _wake_sender_at(self, when):
        """Make sure the sender runs at ``when`` (a retry), once per
        transaction for its earliest retry."""
        self.env["ir.cron"]._gov_wake_at(SEND_CRON, when)

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    @api.model
    def _due_domain(self):
        return [
            ("state", "in", ("pending", "retry")),
            ("next_attempt_date", "<=", fields.Datetime.now()),
        ]

    @api.model
    def _take_due(self, batch_size):
        """Up to ``batch_size`` due deliveries nobody else holds, locked."""
        return lock_batch(
            self.sudo(), self._due_domain(), batch_size, "next_attempt_date, id"
        )

    @api.model
    def _cron_send(self, batch_size=SEND_BATCH):
        """Scheduled action: send one batch of due deliveries per call."""

        def take(size):
            batch = self._take_due(size)
            self._plan_next_wake()
            return batch

        with engine_writes(self._name):
            return run_batch(
                self.env,
                take,
                batch_size=batch_size,
                process=lambda delivery: delivery._send_once(),
                count_remaining=lambda: self.sudo().search_count(self._due_domain()),
            )

    @api.model
    def _plan_next_wake(self):
        """Wake the sender when the next waiting delivery is due, so that a
        retry scheduled by an earlier run is not left to the interval."""
        self.env.cr.execute(
            SQL(
                """SELECT min(next_attempt_date) FROM gov_webhook_delivery
                    WHERE state IN ('pending', 'retry') AND next_attempt_date > %s""",
                fields.Datetime.now(),
            )
        )
        when = self.env.cr.fetchone()[0]
        if when:
            self._wake_sender_at(when)

    @api.model
    def _send_due(self, batch_size=SEND_BATCH):
        """Lock and send up to ``batch_size`` due deliveries, without
        committing; returns them."""
        deliveries = self._take_due(batch_size)
        with engine_writes(self._name):
            for delivery in deliveries:
                with self.env.cr.savepoint():
                    delivery._send_once()
        return deliveries

    def _send_once(self, manual=False):
        """One HTTP attempt; records the outcome. Returns the new state.

        Only inside the engine's grant: nothing leaves otherwise.
        """
        self.ensure_one()
        check_granted(self, "write")
        subscription = self.subscription_id.with_context(active_test=False)
        if not subscription.active:
            self.write({"state": "cancelled", "next_attempt_date": False})
            return "cancelled"
        started = time.monotonic()
        status, error, response_text, retry_after, permanent = self._attempt(
            subscription
        )
        attempt = self.attempts + 1
        vals = {
            "attempts": attempt,
            "last_status": status or 0,
            "last_error": error or False,
            "last_response": response_text or False,
            "duration_ms": int((time.monotonic() - started) * 1000),
        }
        if status is not None and 200 <= status < 300:
            vals.update(
                state="sent", sent_at=fields.Datetime.now(), next_attempt_date=False
            )
        elif status == 410:
            vals.update(state="dead", next_attempt_date=False)
            self._disable_gone(subscription)
        elif permanent or attempt > len(RETRY_SCHEDULE):
            vals.update(state="dead", next_attempt_date=False)
        else:
            wait = RETRY_SCHEDULE[attempt - 1] * (1 + random.uniform(-JITTER, JITTER))
            if retry_after and status in (429, 503):
                wait = max(wait, retry_after)
            vals.update(
                state="retry",
                next_attempt_date=fields.Datetime.now() + timedelta(seconds=wait),
            )
            self._wake_sender_at(vals["next_attempt_date"])
        self.write(vals)
        if vals["state"] == "dead" and not manual:
            self._dead_letter()
        return vals["state"]

    def _attempt(self, subscription):
        """POST the payload once, its late secrets resolved.

        :return: ``(status, error, response text, retry after, permanent)``;
            the error and the response text never hold a resolved secret.
        """
        resolved = []
        status = error = response_text = retry_after = None
        permanent = False
        try:
            self.env["gov.webhook.allowed.host"]._check_url(subscription.target_url)
            body = self._body_to_send(resolved)
            response = requests.post(
                subscription.target_url,
                data=body,
                headers=self._headers(subscription, body),
                timeout=subscription.timeout,
                allow_redirects=False,
            )
            status = response.status_code
            response_text = redact(response.text, resolved)[:2000]
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
        except ValidationError as exc:
            error, permanent = str(exc), True
        except GovRetryableError as exc:
            error = str(exc)
        except GovPermanentError as exc:
            error, permanent = str(exc), True
        except requests.RequestException as exc:
            error = f"{exc.__class__.__name__}: {exc}"
        return status, redact(error, resolved), response_text, retry_after, permanent

    def _body_to_send(self, resolved):
        """The bytes to send: the payload, each late secret marker replaced by
        its secret (appended to ``resolved``). Never stored.

        A resolver's failure is this delivery's outcome, not the batch's:
        :class:`GovRetryableError` tries again later, anything else
        dead-letters it.
        """
        if f'"{MARKER}"' not in self.payload:
            return self.payload.encode()
        payload = json.loads(self.payload)
        if not has_markers(payload):
            return self.payload.encode()
        try:
            with self.env.cr.savepoint():
                value = materialize(payload, self._resolve_secret, resolved)
        except (GovRetryableError, GovPermanentError):
            raise
        except Exception as exc:  # noqa: BLE001 - reported on the delivery
            raise GovPermanentError(
                redact(f"{exc.__class__.__name__}: {exc}", resolved)
            ) from None
        return json.dumps(value, default=str, sort_keys=True).encode()

    def _resolve_secret(self, kind, ref):
        """The secret a late secret marker ``{"$secret": kind, "ref": ref}``
        stands for, as text, computed at send time (each attempt).

        Modules extend it for their kinds::

            def _resolve_secret(self, kind, ref):
                if kind == "my_kind":
                    return ...  # the secret, from ref
                return super()._resolve_secret(kind, ref)

        Raise :class:`GovRetryableError` to try again later; any other error
        dead-letters the delivery. Unknown kinds are refused here.
        """
        raise GovPermanentError(
            self.env._(
                "No installed module resolves late secrets of kind “%(kind)s”:"
                " the delivery is not sent with the marker.",
                kind=kind,
            )
        )

    def _headers(self, subscription, body):
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Odoo-Governed-Operations",
            "webhook-id": self.webhook_id,
            "webhook-timestamp": timestamp,
            # during a rotation: signed with the new and the previous secret
            "webhook-signature": standard_signatures(
                subscription._signing_secrets(), self.webhook_id, timestamp, body
            ),
            "Idempotency-Key": self.webhook_id,
        }
        if subscription.extra_headers:
            extra = json.loads(subscription.extra_headers)
            protected = {k.lower() for k in headers}
            headers.update(
                {k: v for k, v in extra.items() if k.lower() not in protected}
            )
        return headers

    def _disable_gone(self, subscription):
        subscription.sudo().write(
            {
                "active": False,
                "disabled_reason": self.env._("The receiver answered 410 Gone."),
            }
        )
        subscription.sudo().message_post(
            body=self.env._(
                "Disabled: the receiver answered 410 Gone to %s.", self.webhook_id
            )
        )

    def _dead_letter(self):
        item = (
            self.env["gov.exception.item"]
            .sudo()
            .capture(
                "delivery",
                self.env._(
                    "%(subscription)s: %(event)s could not be delivered",
                    subscription=self.subscription_id.name,
                    event=self.event_type,
                ),
                source=f"subscription:{self.subscription_id.name}",
                source_type="subscription",
                record=self,
                payload=json.loads(self.payload),
                error=self.last_error or f"HTTP {self.last_status}",
                handler={
                    "model": self._name,
                    "method": "_gov_resend",
                    "res_id": self.id,
                },
                severity="high",
                correlation_id=self.webhook_id,
                company=self.company_id,
            )
        )
        self.write({"exception_item_id": item.id})

    def _gov_resend(self, payload):
        """Exception-queue handler: send again now, with the same webhook id.

        ``payload`` is the delivery as the queue shows it, secrets masked: as
        it is, the stored payload is sent; edited, the values still masked
        (late secret markers among them) keep what the payload stores.
        """
        self.ensure_one()
        delivery = self.sudo()
        if not delivery.exception_item_id:
            raise GovPermanentError(
                self.env._("Only deliveries in the exception queue are resent from it.")
            )
        with engine_writes(self._name):
            edited = delivery._edited_payload(payload)
            if edited is not None:
                delivery.write(
                    {"payload": json.dumps(edited, default=str, sort_keys=True)}
                )
            state = delivery._send_once(manual=True)
        if state != "sent":
            raise (
                GovRetryableError(delivery.last_error or f"HTTP {delivery.last_status}")
                if state == "retry"
                else GovPermanentError(
                    delivery.last_error or f"HTTP {delivery.last_status}"
                )
            )
        return state

    def _edited_payload(self, payload):
        """The payload to store for a replay with ``payload``, or None when it
        is the stored one as the exception queue shows it."""
        if payload is None:
            return None
        stored = json.loads(self.payload)
        patterns = self.env["gov.exception.item"]._mask_patterns()
        if payload == json.loads(mask_payload(stored, patterns)[0]):
            return None
        edited = restore_masked(payload, stored, MASK)
        return None if edited == stored else edited

    def action_resend(self):
        """Schedule the deliveries again now (the sender picks them up)."""
        if not self.env.user.has_group("gov_base.gov_base_group_integration_manager"):
            raise AccessError(
                self.env._("Only Integration Managers resend deliveries.")
            )
        self.check_access("read")
        if self.filtered(lambda d: d.state in ("pending",)):
            raise UserError(
                self.env._("Some deliveries are already waiting to be sent.")
            )
        with engine_writes(self._name):
            self.sudo().write(
                {
                    "state": "pending",
                    "next_attempt_date": fields.Datetime.now(),
                    "attempts": 0,
                }
            )
        for delivery in self:
            self.env["gov.audit.event"].record(
                "webhook.delivery_resent",
                self.env._("Delivery %s scheduled again", delivery.webhook_id),
                record=delivery,
            )
        self._wake_sender()
        return True

    @api.autovacuum
    def _gc_sent_deliveries(self):
        """Sent and cancelled deliveries are kept as long as the settings say
        (30 days unless told; 0 keeps them); dead ones stay."""
        days = int_param(self.env, "gov_webhook.delivery_retention_days", 30)
        if days <= 0:
            return
        limit = fields.Datetime.now() - timedelta(days=days)
        deliveries = self.sudo().search(
            [("state", "in", ("sent", "cancelled")), ("write_date", "<", limit)],
            limit=10000,
        )
        with engine_writes(self._name):
            deliveries.unlink()
