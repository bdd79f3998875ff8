# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The exception queue item: its fields, states and guards, and the buttons
people use to take an item on.

One item stands for one distinct failure. What happens to it lives in the
files that extend the same model:

* ``gov_exception_item_capture.py``: capture, masking, fingerprint and dedup;
* ``gov_exception_item_retry.py``: the handler runner, the retry schedule and
  the retry scheduled action;
* ``gov_exception_item_replay.py``: retry now, replay (as it is or edited) and
  close without replay, by hand;
* ``gov_exception_item_sla.py``: the SLA scheduled action, notifications and
  retention;
* ``gov_exception_item_demo.py``: items for the demo database.

Items and attempts are written by the queue only (``gov.engine.mixin``): the
entry points open the queue's grant after their own checks; people change the
owner, team, severity and SLA deadline of the items they may work.
"""

from datetime import timedelta

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.gov_base.models.gov_engine_mixin import GovEngineMixin
from odoo.addons.gov_base.tools.batches import lock_batch
from odoo.addons.gov_base.tools.engine import check_acting_user, is_granted

from ..tools.engine import queue_writes
from ..tools.quiet_sql import quiet_sql_errors
from .gov_exception_policy import CATEGORIES, SEVERITIES, SOURCE_TYPES

STATES = [
    ("new", "New"),
    ("assigned", "Assigned"),
    ("in_progress", "In Progress"),
    ("retry", "Retry Scheduled"),
    ("resolved", "Resolved"),
    ("ignored", "Ignored"),
    ("dead", "Dead-Letter"),
]
CLOSED_STATES = ("resolved", "ignored")
# Items a repeat is folded into (the partial unique index covers these).
OPEN_STATES = tuple(code for code, _label in STATES if code not in CLOSED_STATES)
SEVERITY_ORDER = [code for code, _label in SEVERITIES]
# What people who work an item change in it through the ORM; the rest is the
# queue's (see gov.engine.mixin).
PEOPLE_FIELDS = frozenset({"owner_id", "team_id", "severity", "sla_deadline"})
# Times a worker takes its batch again after a conflicting commit.
LOCK_ATTEMPTS = 10


class GovExceptionItem(models.Model):
    """One distinct failure, or anything that needs a human: who owns it, by
    when, what was tried, and what runs it again.

    A repeat of an open item (same fingerprint and company) counts on it
    instead of adding a row; a partial unique index makes that hold under
    concurrency.
    """

    _name = "gov.exception.item"
    _description = "Exception Queue Item"
    _inherit = ["gov.chatter.mixin", "mail.activity.mixin", "gov.engine.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _gov_engine_free_fields = GovEngineMixin._gov_engine_free_fields | PEOPLE_FIELDS

    name = fields.Char(string="Summary", required=True, readonly=True)
    category = fields.Selection(CATEGORIES, required=True, readonly=True, index=True)
    severity = fields.Selection(
        SEVERITIES, required=True, default="medium", tracking=True, index=True
    )
    source_type = fields.Selection(SOURCE_TYPES, default="module", readonly=True)
    source = fields.Char(readonly=True, help="What raised the item, e.g. an endpoint.")
    res_model = fields.Char(string="Related Model", readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Related Record ID", model_field="res_model", readonly=True
    )
    record_name = fields.Char(string="Related Record", readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    owner_id = fields.Many2one(
        "res.users",
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
    )
    team_id = fields.Many2one("res.groups", tracking=True)
    policy_id = fields.Many2one("gov.exception.policy", readonly=True, index=True)
    state = fields.Selection(
        STATES, required=True, default="new", readonly=True, tracking=True, index=True
    )
    sla_deadline = fields.Datetime(string="SLA Deadline", tracking=True)
    sla_breached = fields.Boolean(string="SLA Breached", readonly=True, index=True)
    # Payload: masked at capture; large ones live in an attachment.
    payload = fields.Text(readonly=True)
    payload_is_json = fields.Boolean(string="JSON Payload", readonly=True)
    original_payload = fields.Text(
        readonly=True, help="The payload as captured, kept when a replay edited it."
    )
    payload_attachment_id = fields.Many2one("ir.attachment", readonly=True)
    headers = fields.Text(readonly=True)
    error_message = fields.Text(string="Error", readonly=True)
    error_traceback = fields.Text(string="Traceback", readonly=True)
    last_error = fields.Text(readonly=True)
    correlation_id = fields.Char(readonly=True, index="btree_not_null")
    fingerprint = fields.Char(required=True, readonly=True)
    occurrence_count = fields.Integer(string="Occurrences", default=1, readonly=True)
    first_seen = fields.Datetime(readonly=True, default=fields.Datetime.now)
    last_seen = fields.Datetime(readonly=True, default=fields.Datetime.now)
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    max_attempts = fields.Integer(readonly=True, default=8)
    next_attempt_date = fields.Datetime(string="Next Attempt", readonly=True)
    attempt_ids = fields.One2many("gov.exception.attempt", "item_id", readonly=True)
    # Handler: what a retry or replay runs (set by the engine only).
    handler_model = fields.Char(readonly=True)
    handler_method = fields.Char(readonly=True)
    handler_res_id = fields.Integer(readonly=True)
    handler_args = fields.Text(
        readonly=True, help="JSON: {'args': [...], 'kwargs': {...}}"
    )
    handler_user_id = fields.Many2one(
        "res.users",
        string="Run As",
        readonly=True,
        help="The handler runs as this user.",
    )
    has_handler = fields.Boolean(compute="_compute_has_handler")
    retryable = fields.Boolean(readonly=True)
    resolution_note = fields.Text(readonly=True)
    closed_by_id = fields.Many2one("res.users", readonly=True)
    closed_date = fields.Datetime(string="Closed On", readonly=True, index=True)
    age_hours = fields.Float(
        string="Age (hours)", compute="_compute_age_hours", digits=(16, 1)
    )
    sla_status = fields.Selection(
        [
            ("ok", "On time"),
            ("soon", "Due soon"),
            ("breached", "Breached"),
            ("none", "-"),
        ],
        string="SLA",
        compute="_compute_sla_status",
    )

    # A repeat of an open item must update it, never insert a twin.
    _open_fingerprint_uniq = models.UniqueIndex(
        "(fingerprint, company_id) WHERE state NOT IN ('resolved', 'ignored')",
        "An open item with this fingerprint already exists.",
    )
    _due_idx = models.Index("(next_attempt_date, id) WHERE state = 'retry'")
    _sla_idx = models.Index(
        "(sla_deadline) WHERE sla_breached IS NOT TRUE"
        " AND state NOT IN ('resolved', 'ignored')"
    )

    @api.depends("handler_model", "handler_method")
    def _compute_has_handler(self):
        for item in self:
            item.has_handler = bool(item.handler_model and item.handler_method)

    @api.depends("first_seen", "closed_date")
    def _compute_age_hours(self):
        now = fields.Datetime.now()
        for item in self:
            end = item.closed_date or now
            start = item.first_seen or item.create_date or now
            item.age_hours = (end - start).total_seconds() / 3600.0

    @api.depends("sla_deadline", "sla_breached", "state")
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for item in self:
            if item.sla_breached:
                item.sla_status = "breached"
            elif not item.sla_deadline or item.state in CLOSED_STATES:
                item.sla_status = "none"
            elif item.sla_deadline <= now:
                item.sla_status = "breached"
            elif item.sla_deadline <= now + timedelta(hours=2):
                item.sla_status = "soon"
            else:
                item.sla_status = "ok"

    # ------------------------------------------------------------------
    # ORM: people assign owners, the queue writes the rest
    # ------------------------------------------------------------------
    def write(self, vals):
        if not vals.get("owner_id") or is_granted(self._name):
            return super().write(vals)
        # a person gave new items an owner: the queue moves them on
        new = self.filtered(lambda i: i.state == "new")
        result = super().write(vals)
        if new:
            with queue_writes():
                new.write({"state": "assigned"})
        return result

    # ------------------------------------------------------------------
    # People working the queue
    # ------------------------------------------------------------------
    def _check_open(self):
        closed = self.filtered(lambda i: i.state in CLOSED_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "%s is already closed.", ", ".join(closed.mapped("display_name"))
                )
            )

    def _work_as(self):
        """Check the current user may work these items; return them in sudo.

        Integration Managers work every item; other users only the items they
        own or whose team they belong to. Auditors never change anything.
        Everyone works in their own name.
        """
        check_acting_user(self.env, what=self.env._("working exception items"))
        user = self.env.user
        self.check_access("read")
        if not user.has_group("gov_base.gov_base_group_integration_manager"):
            if user.has_group("gov_base.gov_base_group_auditor"):
                raise AccessError(
                    self.env._("Auditors read the queue; they do not work it.")
                )
            groups = user.all_group_ids
            foreign = self.filtered(
                lambda i: (
                    i.owner_id != user and (not i.team_id or i.team_id not in groups)
                )
            )
            if foreign:
                raise AccessError(
                    self.env._(
                        "You can only work items you own or your team owns: %s",
                        ", ".join(foreign.mapped("display_name")),
                    )
                )
        return self.sudo()

    def action_assign_to_me(self):
        items = self._work_as()
        items._check_open()
        with queue_writes():
            items.write({"owner_id": self.env.uid})
            items.filtered(lambda i: i.state == "new").write({"state": "assigned"})
        return True

    def action_start(self):
        items = self._work_as()
        items._check_open()
        with queue_writes():
            items.filtered(lambda i: not i.owner_id).write({"owner_id": self.env.uid})
            items.write({"state": "in_progress"})
        return True

    # ------------------------------------------------------------------
    # Scheduled actions: how a worker takes its batch
    # ------------------------------------------------------------------
    @api.model
    def _lock_batch(self, domain, batch_size, order):
        """Up to ``batch_size`` items matching ``domain`` that no other worker
        holds, locked for this transaction (``gov_base.tools.batches``).

        Taking a batch is the first thing a worker's transaction does: when
        another transaction committed a change to one of these rows after
        ours began, nothing of ours is pending, so the batch is taken again
        in a fresh transaction.
        """
        for _attempt in range(LOCK_ATTEMPTS):
            try:
                with quiet_sql_errors():
                    return lock_batch(self.sudo(), domain, batch_size, order)
            except psycopg2.errors.SerializationFailure:
                self.env.cr.rollback()
        return self.sudo().browse()

    def action_open_record(self):
        self.ensure_one()
        if not (self.res_model and self.res_id and self.res_model in self.env):
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    def _notify_outcome(self, attempts):
        succeeded = sum(1 for a in attempts if a["outcome"] == "success")
        failed = len(attempts) - succeeded
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if not failed else "warning",
                "message": self.env._(
                    "%(ok)s succeeded, %(failed)s failed.", ok=succeeded, failed=failed
                ),
                "next": {"type": "ir.actions.act_window_close"}
                if len(self) > 1
                else {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
