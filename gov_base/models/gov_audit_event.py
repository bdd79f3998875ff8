# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Append-only, hash-chained audit log shared by every module of the suite.

Events are inserted by :meth:`GovAuditEvent.record` in the business
transaction, so a rolled-back change leaves no event. Their writer checks in
whose name they are written and signs their content with a key the database
does not hold (``entry_signature``). Right after commit a short transaction
*seals* the new events: it gives each one the next chain position and
``hash = HMAC(key, canonical(event) + position + previous hash)``; an event
without a valid entry signature (inserted over SQL) is never sealed. Sealing
runs under an advisory lock in READ COMMITTED isolation, so concurrent writers
never fork the chain and never fail on each other. A scheduled action seals
whatever a crash left unsealed. The database refuses UPDATE, DELETE and
TRUNCATE on the table; the one UPDATE it accepts fills the seal columns of an
unsealed row.
"""

import json
import logging

from odoo import api, fields, models, modules, sql_db
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.tools import SQL

from ..tools.chain import (
    GENESIS_HASH,
    KEYED_CHAIN_VERSION,
    canonical_json,
    entry_signature,
    event_hash,
    same_digest,
)
from ..tools.engine import check_acting_user, engine_writes, is_granted
from ..tools.keyring import derive_key

_logger = logging.getLogger(__name__)

CHANNELS = [
    ("ui", "User interface"),
    ("email", "E-mail link"),
    ("webhook", "Webhook"),
    ("cron", "Scheduled action"),
    ("api", "API"),
    ("system", "System"),
]
# Columns that sealing fills once; everything else is frozen at insert.
SEAL_COLUMNS = ("sequence", "prev_hash", "hash", "sealed_date", "chain_version")
# Advisory lock key that serialises sealers (any constant bigint works).
CHAIN_LOCK_KEY = 7_305_118_201
SEAL_BATCH = 2000
# Uses of the suite's key (tools/keyring.py): chain hashes, entry signatures.
CHAIN_KEY_PURPOSE = "audit.chain"
ENTRY_KEY_PURPOSE = "audit.entry"
# Fields an event's writer fills, by type (normalised before they are signed,
# so that the signature covers exactly what the database stores).
_USER_FIELDS = ("user_id", "on_behalf_of_id", "company_id")
_TEXT_FIELDS = (
    "event_type",
    "res_model",
    "record_name",
    "summary",
    "channel",
    "correlation_id",
)


def chain_key(env):
    """The key of the chain hashes of this database."""
    return derive_key(env.cr.dbname, CHAIN_KEY_PURPOSE)


def entry_key(env):
    """The key of the entry signatures of this database."""
    return derive_key(env.cr.dbname, ENTRY_KEY_PURPOSE)


def _as_id(value):
    if isinstance(value, models.BaseModel):
        return value.id or False
    return int(value) if value else False


def _vet(Event, vals):
    """Check in whose name ``vals`` are written, then sign them.

    A module function, not a method: code Odoo evaluates can call methods
    whose name starts with one underscore, and must never obtain a signature
    for values it chose without this check.
    """
    Event._check_attribution(vals)
    vals["entry_signature"] = entry_signature(entry_key(Event.env), vals)
    return vals


def seal_pending(Event, limit=None, trust_unsigned=False):
    """Seal unsealed events in id order in the current transaction.

    Only events whose entry signature is valid are chained; the others were
    not written by the suite and stay out (the verification reports them).
    ``trust_unsigned`` also chains events written without any signature, by
    the first version of the module: the upgrade passes it, once.
    """
    cr = Event.env.cr
    Event.flush_model()
    cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", CHAIN_LOCK_KEY))
    cr.execute(
        SQL(
            "SELECT sequence, hash FROM gov_audit_event"
            " WHERE sequence IS NOT NULL ORDER BY sequence DESC LIMIT 1"
        )
    )
    head = cr.fetchone()
    sequence, prev = head if head else (0, GENESIS_HASH)
    hash_key, signing_key = chain_key(Event.env), entry_key(Event.env)
    sealed, last_id = 0, 0
    while limit is None or sealed < limit:
        batch = SEAL_BATCH if limit is None else min(SEAL_BATCH, limit - sealed)
        rows = Event._fetch_chain_rows(
            SQL("hash IS NULL AND id > %s", last_id), SQL("id"), batch
        )
        if not rows:
            break
        last_id = rows[-1]["id"]
        values = []
        for row in rows:
            trusted = (trust_unsigned and not row["entry_signature"]) or same_digest(
                entry_signature(signing_key, row), row["entry_signature"]
            )
            if not trusted:
                continue
            sequence += 1
            row.update(
                sequence=sequence, prev_hash=prev, chain_version=KEYED_CHAIN_VERSION
            )
            prev = event_hash(row, hash_key)
            values.append(
                SQL("(%s, %s, %s, %s)", row["id"], sequence, row["prev_hash"], prev)
            )
        if values:
            cr.execute(
                SQL(
                    """
                    UPDATE gov_audit_event e
                       SET sequence = v.seq, prev_hash = v.prev, hash = v.hash,
                           chain_version = %s,
                           sealed_date = now() AT TIME ZONE 'UTC'
                      FROM (VALUES %s) AS v(id, seq, prev, hash)
                     WHERE e.id = v.id
                    """,
                    KEYED_CHAIN_VERSION,
                    SQL(", ").join(values),
                )
            )
        sealed += len(values)
    if sealed:
        Event.invalidate_model(list(SEAL_COLUMNS))
    return sealed


class GovAuditEvent(models.Model):
    _name = "gov.audit.event"
    _description = "Governance Audit Event"
    _order = "event_date desc, id desc"
    _rec_name = "summary"

    event_date = fields.Datetime(
        string="Time",
        required=True,
        readonly=True,
        index=True,
        default=fields.Datetime.now,
    )
    user_id = fields.Many2one(
        "res.users", readonly=True, index=True, ondelete="restrict"
    )
    on_behalf_of_id = fields.Many2one("res.users", readonly=True, ondelete="restrict")
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, ondelete="restrict"
    )
    event_type = fields.Char(required=True, readonly=True, index=True)
    res_model = fields.Char(string="Related Model", readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Related Record ID", model_field="res_model", readonly=True, index=True
    )
    record_name = fields.Char(string="Related Record", readonly=True)
    summary = fields.Char(required=True, readonly=True)
    details = fields.Text(
        readonly=True, help="Canonical JSON: what changed, before and after."
    )
    details_display = fields.Text(
        string="Details (formatted)", compute="_compute_details_display"
    )
    channel = fields.Selection(CHANNELS, required=True, readonly=True, default="system")
    correlation_id = fields.Char(readonly=True, index=True)
    sequence = fields.Integer(string="Chain Position", readonly=True, copy=False)
    prev_hash = fields.Char(string="Previous Hash", readonly=True, copy=False)
    hash = fields.Char(readonly=True, copy=False)
    sealed_date = fields.Datetime(readonly=True, copy=False)
    # no default: a new column with a default would rewrite every existing
    # row, which the database refuses (and must refuse)
    chain_version = fields.Integer(
        readonly=True,
        copy=False,
        help="2: sealed with the key the database does not hold (HMAC-SHA256)."
        " Empty: sealed by the first version of the module with plain SHA-256.",
    )
    entry_signature = fields.Char(
        readonly=True,
        copy=False,
        help="Given by the suite when it wrote the event; an event without a"
        " valid one was not written by the suite and is never sealed.",
    )
    is_sealed = fields.Boolean(compute="_compute_is_sealed", search="_search_is_sealed")

    _sequence_uniq = models.UniqueIndex(
        "(sequence) WHERE sequence IS NOT NULL",
        "Two audit events cannot hold the same chain position.",
    )
    _unsealed_idx = models.Index("(id) WHERE hash IS NULL")
    _res_idx = models.Index("(res_model, res_id)")

    def _compute_details_display(self):
        for event in self:
            try:
                data = json.loads(event.details) if event.details else None
            except ValueError:
                data = None
            event.details_display = (
                json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
                if data is not None
                else event.details
            )

    @api.depends("hash")
    def _compute_is_sealed(self):
        for event in self:
            event.is_sealed = bool(event.hash)

    def _search_is_sealed(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        sealed = (operator == "=") == bool(value)
        return [("hash", "!=" if sealed else "=", False)]

    # ------------------------------------------------------------------
    # Append-only guards (ORM side; the database guards itself in init()).
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # the grant is opened by _create_events() only, after its checks
        if not is_granted(self._name):
            raise AccessError(
                self.env._("Audit events can only be written by the suite itself.")
            )
        return super().create(vals_list)

    def write(self, vals):
        """Events are never changed, by anyone (the database refuses too)."""
        if vals:
            raise AccessError(self.env._("Audit events cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_audit(self):
        raise AccessError(self.env._("Audit events cannot be deleted."))

    def init(self):
        """Make the table append-only for everyone, database owners included."""
        res = super().init()
        self.env.cr.execute(
            SQL(
                """
CREATE OR REPLACE FUNCTION gov_audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.sequence IS NOT NULL
       AND (to_jsonb(NEW) - %(seal)s::text[]) = (to_jsonb(OLD) - %(seal)s::text[])
    THEN
        RETURN NEW;  -- sealing: fills the chain columns of a new event once
    END IF;
    RAISE EXCEPTION 'gov_audit_event is append-only: %% refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS gov_audit_event_append_only ON gov_audit_event;
CREATE TRIGGER gov_audit_event_append_only
    BEFORE UPDATE OR DELETE ON gov_audit_event
    FOR EACH ROW EXECUTE FUNCTION gov_audit_event_append_only();
DROP TRIGGER IF EXISTS gov_audit_event_no_truncate ON gov_audit_event;
CREATE TRIGGER gov_audit_event_no_truncate
    BEFORE TRUNCATE ON gov_audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION gov_audit_event_append_only();
""",
                seal=list(SEAL_COLUMNS),
            )
        )
        return res

    # ------------------------------------------------------------------
    # The public API
    # ------------------------------------------------------------------
    @api.model
    @api.private
    def record(self, event_type, summary, **options):
        """Append one audit event and return it.

        :param event_type: dotted code, e.g. ``"approval.decision"``
        :param summary: one line a person can read
        :param options: the keyword arguments of :meth:`_prepare_event_vals`:
            ``record`` (the related record, any model), ``details``
            (JSON-serialisable, typically ``{"before", "after"}``), ``channel``
            (one of :data:`CHANNELS`, guessed from the request when omitted),
            ``on_behalf_of`` (the user a delegate acted for), ``company``
            (defaults to the record's, then the current one),
            ``correlation_id`` (ties events of one flow together) and ``user``
            (the acting user, by default the current one; another user is
            refused unless they signed in, see ``_check_attribution``; an
            empty recordset records no person)
        """
        return self._create_events(
            [self._prepare_event_vals(event_type, summary, **options)]
        )

    @api.model
    def _prepare_event_vals(
        self,
        event_type,
        summary,
        *,
        record=None,
        details=None,
        channel=None,
        on_behalf_of=None,
        company=None,
        correlation_id=None,
        user=None,
    ):
        """The values of one event, checked and signed, for ``_create_events``.

        The acting user is the environment's; another one (``user``, or
        ``on_behalf_of``) must be the user who authenticated the transaction.
        An empty ``user`` records no person (the system, a policy).
        """
        if record is not None and len(record) > 1:
            raise ValueError("an audit event relates to at most one record")
        if company is None and record and "company_id" in record._fields:
            company = record.sudo().company_id
        acting = user if user is not None else self.env.user
        vals = {
            "event_date": fields.Datetime.now(),
            "event_type": event_type,
            "summary": (summary or "")[:1000],
            "res_model": record._name if record else False,
            "res_id": record.id if record else False,
            "record_name": record.sudo().display_name if record else False,
            "details": canonical_json(details) if details is not None else False,
            "channel": channel or self._guess_channel(),
            "user_id": acting.id or False,
            "on_behalf_of_id": on_behalf_of.id if on_behalf_of else False,
            "company_id": (company or self.env.company).id or False,
            "correlation_id": correlation_id or False,
        }
        return _vet(self, self._normalize_event_vals(vals))

    @api.model
    def _check_attribution(self, vals):
        """Nobody writes an event in another user's name.

        The acting user (``user_id``) is the environment's, or no one; another
        user must pass ``check_acting_user`` (only trusted Python, or that user
        signed in). The same holds for ``on_behalf_of_id``, unless the engine
        that owns the related record vouches for it: it opened its grant (a
        delegate's decision, checked by the approval engine).
        """
        user_id = vals.get("user_id") or False
        if user_id and user_id != self.env.uid:
            check_acting_user(
                self.env,
                user_id,
                what=self.env._("writing an audit event as another user"),
            )
        on_behalf_of_id = vals.get("on_behalf_of_id") or False
        if (
            on_behalf_of_id
            and on_behalf_of_id != self.env.uid
            and not is_granted(vals.get("res_model") or "")
        ):
            check_acting_user(
                self.env,
                on_behalf_of_id,
                what=self.env._("writing an audit event on another user's behalf"),
            )

    @api.model
    def _normalize_event_vals(self, vals):
        """A copy of ``vals`` with the types the database stores, so that the
        entry signature covers exactly the stored row."""
        refused = set(vals) & set(SEAL_COLUMNS)
        if refused:
            raise AccessError(
                self.env._(
                    "The chain columns of an audit event are filled by sealing"
                    " only (refused: %(columns)s).",
                    columns=", ".join(sorted(refused)),
                )
            )
        vals = dict(vals)
        for name in _USER_FIELDS:
            if name in vals:
                vals[name] = _as_id(vals[name])
        if "res_id" in vals:
            vals["res_id"] = int(vals["res_id"]) if vals["res_id"] else False
        for name in _TEXT_FIELDS:
            if vals.get(name):
                vals[name] = str(vals[name])
        details = vals.get("details")
        if details and not isinstance(details, str):
            vals["details"] = canonical_json(details)
        vals["channel"] = vals.get("channel") or self._guess_channel()
        if vals.get("event_date"):
            vals["event_date"] = fields.Datetime.to_datetime(vals["event_date"])
        return vals

    @api.model
    def _create_events(self, vals_list):
        """Insert events and schedule their sealing after commit.

        ``vals_list`` holds values from ``_prepare_event_vals`` (checked and
        signed: they must arrive unchanged) or raw values, checked and signed
        here. Only then is the grant to create events opened.
        """
        signing_key = entry_key(self.env)
        checked = []
        for vals in vals_list:
            vals = self._normalize_event_vals(vals)
            signature = vals.get("entry_signature")
            if signature:
                if not same_digest(entry_signature(signing_key, vals), signature):
                    raise AccessError(
                        self.env._(
                            "The values of an audit event were changed after they"
                            " were prepared."
                        )
                    )
            else:
                if vals.get("event_date"):
                    raise AccessError(
                        self.env._(
                            "The time of an audit event is the time it is written."
                        )
                    )
                vals["event_date"] = fields.Datetime.now()
                _vet(self, vals)
            checked.append(vals)
        with engine_writes(self._name):
            events = self.sudo().create(checked)
        self._schedule_seal()
        return events.with_env(self.env)

    @api.model
    def _guess_channel(self):
        if self.env.context.get("gov_audit_channel"):
            return self.env.context["gov_audit_channel"]
        if self.env.context.get("cron_id"):
            return "cron"
        if request:
            path = request.httprequest.path or ""
            if path.startswith(("/json/2/", "/xmlrpc", "/jsonrpc")):
                return "api"
            if path.startswith(("/web", "/odoo", "/mail")):
                return "ui"
        return "system"

    # ------------------------------------------------------------------
    # Sealing
    # ------------------------------------------------------------------
    @api.model
    def _schedule_seal(self):
        postcommit = self.env.cr.postcommit
        if postcommit.data.get("gov_base.audit_seal"):
            return
        postcommit.data["gov_base.audit_seal"] = True
        registry = self.env.registry
        postcommit.add(lambda: self._seal_in_new_transaction(registry))

    @api.model
    def _seal_in_new_transaction(self, registry=None):
        """Seal committed events in a short READ COMMITTED transaction.

        READ COMMITTED lets the sealer see the head written by the sealer it
        waited for; the advisory lock makes sealers take turns.
        """
        registry = registry or self.env.registry
        try:
            with registry.cursor() as cr:
                if isinstance(cr, sql_db.Cursor):
                    # (browser tests hand out cursors inside their own
                    # transaction, whose isolation is already set)
                    cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                return env["gov.audit.event"]._seal_pending()
        except Exception:
            # Nothing is lost: the events stay unsealed and the scheduled
            # action seals them on its next run.
            _logger.warning("Sealing audit events failed; will retry", exc_info=True)
            return 0

    @api.model
    def _seal_pending(self, limit=None):
        """Seal unsealed events in id order in the current transaction."""
        return seal_pending(self, limit=limit)

    @api.model
    def _fetch_chain_rows(self, where, order, limit):
        """Rows as dicts with the columns the chain hash and the entry
        signature cover, and the seal."""
        return self.env.execute_query_dict(
            SQL(
                """
                SELECT id, sequence, prev_hash, hash, chain_version,
                       entry_signature, event_date, user_id, on_behalf_of_id,
                       company_id, event_type, res_model, res_id, record_name,
                       summary, details, channel, correlation_id
                  FROM gov_audit_event
                 WHERE %s ORDER BY %s LIMIT %s
                """,
                where,
                order,
                limit,
            )
        )

    @api.model
    def _cron_seal_pending(self):
        if modules.module.current_test:
            return self._seal_pending()
        return self._seal_in_new_transaction()

    # ------------------------------------------------------------------
    # Helpers for the UI
    # ------------------------------------------------------------------
    def action_open_record(self):
        self.ensure_one()
        if not self.res_model or not self.res_id or self.res_model not in self.env:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
            "target": "current",
        }
