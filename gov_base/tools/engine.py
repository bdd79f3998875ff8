# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who may write engine-owned records, and in whose name a person acts.

Two promises rest on this module:

* Records that an engine owns (approval requests, steps and decisions,
  exception items, webhook inbox and deliveries, AI recommendations) are
  created, written and deleted by that engine only. The engine opens a
  *grant* for its models around its own writes (``engine_writes``); the
  guard of ``gov.engine.mixin`` refuses anything else, under ``sudo()`` too.
* Nobody acts in another's name: a decision, a delegation or an audit event
  is attributed to the user who authenticated the transaction (the HTTP
  session, the API key, the XML-RPC login, the scheduled action's user), or
  to the user a signed token was issued to (``acting_as``), never to a user
  chosen with ``with_user()`` by code that Odoo evaluates for an
  administrator.

Both live in :mod:`contextvars`, never in the ORM context: code evaluated by
Odoo (server actions, automation rules, scheduled actions, QWeb and mail
templates, record rules) cannot import a module, read or assign an attribute
outside its sandbox, nor name anything containing a double underscore, so it
can neither open a grant nor pin a principal. Where Odoo evaluates such code,
the suite runs it ``sandboxed``: grants are closed and the principal is
pinned to the user running it.

What stays possible, by design of Odoo and PostgreSQL (see SECURITY.md): a
person with shell access to the server runs any Python, and a code server
action can send SQL through ``env.cr``. The approval seals and the audit chain
are keyed with a key the database does not hold (:mod:`.keyring`), so such
writes are detected, not prevented.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError

# models the running engine code may write now
_grants = ContextVar("gov_engine_grants", default=frozenset())
# user id every decision must come from, when pinned
_principal = ContextVar("gov_engine_principal", default=None)


@contextmanager
def engine_writes(*models):
    """Let the code inside the block create, write and delete records of
    ``models`` (model names). Engines open it around their own writes, after
    their checks; it nests."""
    token = _grants.set(_grants.get() | frozenset(models))
    try:
        yield
    finally:
        _grants.reset(token)


@contextmanager
def sandboxed(uid):
    """Run code Odoo evaluates for an administrator: no grant is open inside,
    and ``uid`` is the only user that can act there."""
    grants = _grants.set(frozenset())
    principal = _principal.set(uid)
    try:
        yield
    finally:
        _principal.reset(principal)
        _grants.reset(grants)


@contextmanager
def engine_paused():
    """Close every grant inside the block: the engine runs other people's
    code there (a governed document's action, notifications)."""
    token = _grants.set(frozenset())
    try:
        yield
    finally:
        _grants.reset(token)


@contextmanager
def acting_as(uid):
    """Inside the block, ``uid`` acts: a controller proved who it is by a
    signed token (an e-mail link, a webhook decision token)."""
    token = _principal.set(uid)
    try:
        yield
    finally:
        _principal.reset(token)


def is_granted(model_name):
    return model_name in _grants.get()


def check_granted(records, operation):
    """Refuse ``operation`` on ``records`` unless their engine opened a grant."""
    if records._name in _grants.get():
        return
    raise AccessError(
        records.env._(
            "%(model)s records are written by the suite's engine only"
            " (refused: %(operation)s).",
            model=records._description,
            operation=operation,
        )
    )


def principal_uid(env):
    """The user who authenticated this transaction, or ``None`` for trusted
    Python (module installation, tests, the shell).

    Pinned by ``sandboxed``/``acting_as`` when set; otherwise the transaction's
    default environment, which Odoo sets from the HTTP session, the API key or
    the RPC login before any model code runs, and which sandboxed code cannot
    assign.
    """
    pinned = _principal.get()
    if pinned is not None:
        return pinned
    default = env.transaction.default_env
    uid = default.uid if default is not None else None
    if not isinstance(uid, int) or uid == SUPERUSER_ID:
        return None
    return uid


def check_acting_user(env, user_id=None, what=None):
    """Refuse when ``user_id`` (default: the environment's user) is not the
    user who authenticated the transaction."""
    user_id = env.uid if user_id is None else user_id
    principal = principal_uid(env)
    if principal is None or principal == user_id:
        return
    raise AccessError(
        env._(
            "Nobody acts in another user's name: %(what)s must be done by"
            " the user themselves.",
            what=what or env._("this"),
        )
    )
