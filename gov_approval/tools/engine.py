# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The models the approval engine owns, the grant to write them, and the
state the engine keeps while it runs (bypass, resumed action, batch)."""

from contextlib import contextmanager
from contextvars import ContextVar

from odoo.exceptions import UserError

from odoo.addons.gov_base.tools.engine import engine_writes

ENGINE_MODELS = (
    "gov.approval.request",
    "gov.approval.request.step",
    "gov.approval.decision",
    "gov.approval.change",
)


def approval_writes():
    """Open the approval engine's grant (see ``gov_base/tools/engine.py``).

    Only the engine's entry points open it, after their own checks: the gate
    and the guard of governed documents, a decision, a withdrawal, a re-route,
    the scheduled escalation and reminders.
    """
    return engine_writes(*ENGINE_MODELS)


# State the engine keeps for the duration of a Python block. It lives in
# contextvars, never in the ORM context or on the cursor (``env.cr.cache``),
# which code evaluated by Odoo can reach.
_bypass = ContextVar("gov_approval_bypass", default=0)
_resuming = ContextVar("gov_approval_resuming", default=None)
_batch = ContextVar("gov_approval_batch", default=None)


@contextmanager
def bypass_scope():
    """Governed actions run without approval inside (the audited bypass)."""
    token = _bypass.set(_bypass.get() + 1)
    try:
        yield
    finally:
        _bypass.reset(token)


def bypassed():
    return _bypass.get() > 0


@contextmanager
def resuming(key, request_id):
    """The engine runs the approved action ``key`` = (model, id, action) for
    request ``request_id`` inside the block."""
    token = _resuming.set({**(_resuming.get() or {}), key: request_id})
    try:
        yield
    finally:
        _resuming.reset(token)


def resumed_request_id(key):
    return (_resuming.get() or {}).get(key)


@contextmanager
def decision_batch(env):
    """Collect the activities, e-mails, chatter notes and audit events of
    decisions and write them in one go when the block ends without error
    (one decision, many in a mass approval, or a request just made), then
    resume the actions approved: their notes come before what the action
    writes. Inside a batch already open, add to that one."""
    current = _batch.get()
    if current is not None:
        yield current
        return
    batch = {
        "activities": [],
        "mails": [],
        "messages": [],
        "clear": [],
        "events": [],
        "resume": [],
    }
    token = _batch.set(batch)
    try:
        yield batch
    finally:
        _batch.reset(token)
    env["gov.approval.request"]._flush_batch(batch)


def current_batch():
    return _batch.get()


@contextmanager
def technical_bypass(env, reason):
    """Let governed actions run without approval inside the block.

    For data migrations and imports only: a Python function, out of reach of
    RPC and of code Odoo evaluates, and each use is written to the audit log.
    """
    if not (reason or "").strip():
        raise UserError(env._("A technical bypass needs a reason."))
    env["gov.audit.event"].record(
        "approval.bypass",
        env._("Approval gate bypassed: %(reason)s", reason=reason),
        details={"reason": reason},
    )
    with bypass_scope():
        yield
