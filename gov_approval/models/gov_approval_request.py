# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import hashlib
import hmac
import json
import logging
import time
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command, Domain
from odoo.tools import SQL, float_repr
from odoo.tools.misc import hmac as odoo_hmac

from odoo.addons.gov_base.tools import keyring
from odoo.addons.gov_base.tools.engine import check_acting_user, engine_paused

from ..tools.engine import approval_writes, bypassed, current_batch, resuming

_logger = logging.getLogger(__name__)

STATES = [
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
    ("superseded", "Superseded"),
]
CHANNELS = [
    ("ui", "User Interface"),
    ("email", "E-mail Link"),
    ("mass", "Mass Action"),
    ("webhook", "Webhook"),
    ("api", "API"),
]
# Channels where the approver cannot be asked for their password.
OUTSIDE_CHANNELS = ("email", "webhook", "api")
LIVE_STATES = ("pending", "approved")
# Fields of gov.approval.mixin computed from the requests
GOVERNED_FIELDS = (
    "gov_approval_state",
    "gov_approval_request_id",
    "gov_approval_can_decide",
    "gov_approval_summary",
    "gov_approval_request_count",
)
LINK_SCOPE = "gov_approval.link"
SEAL_PURPOSE = "approval.seal"
ESCALATION_BATCH = 200


class GovApprovalRequest(models.Model):
    """One approval of one governed action on one document.

    The route (steps and approvers) is frozen when the request is made; only
    the engine writes requests, steps and decisions (``gov.engine.mixin``),
    and history is never deleted: a reset, cancel or change supersedes. An
    approved request carries a seal keyed outside the database: the gate
    uses no approval whose seal does not hold.
    """

    _name = "gov.approval.request"
    _description = "Approval Request"
    _inherit = ["gov.engine.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="res_model", required=True, readonly=True
    )
    document_ref = fields.Reference(
        selection="_selection_document_ref",
        string="Document",
        compute="_compute_document_ref",
    )
    action = fields.Char(string="Action Key", required=True, readonly=True, index=True)
    action_label = fields.Char(string="Action", readonly=True)
    matrix_id = fields.Many2one("gov.approval.matrix", readonly=True, index=True)
    line_id = fields.Many2one("gov.approval.matrix.line", string="Band", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    requester_id = fields.Many2one(
        "res.users", required=True, readonly=True, index=True
    )
    amount = fields.Monetary(readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_company = fields.Monetary(
        string="Amount (Company Currency)",
        currency_field="company_currency_id",
        readonly=True,
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    snapshot = fields.Json(readonly=True)
    snapshot_display = fields.Text(
        string="Approved Values", compute="_compute_snapshot_display"
    )
    snapshot_hash = fields.Char(readonly=True)
    document_summary = fields.Html(
        compute="_compute_document_summary",
        sanitize=False,
        help="What the current approvers decide on, including delegates who"
        " may not read the document itself.",
    )
    state = fields.Selection(
        STATES, default="pending", required=True, readonly=True, index=True
    )
    step_ids = fields.One2many(
        "gov.approval.request.step", "request_id", string="Steps", readonly=True
    )
    decision_ids = fields.One2many(
        "gov.approval.decision", "request_id", string="Decisions", readonly=True
    )
    current_step_id = fields.Many2one(
        "gov.approval.request.step",
        compute="_compute_current_step_id",
        store=True,
        help="The open step: stored from the steps' states, so that opening"
        " the steps of many requests writes them in one go.",
    )
    deadline = fields.Datetime(related="current_step_id.deadline")
    pending_approver_ids = fields.Many2many(
        related="current_step_id.pending_approver_ids", string="Waiting For"
    )
    date_decided = fields.Datetime(readonly=True)
    action_done = fields.Boolean(
        readonly=True, help="The approved action ran: this approval is used."
    )
    superseded_by_id = fields.Many2one("gov.approval.request", readonly=True)
    close_reason = fields.Text(readonly=True)
    resume_error = fields.Text(readonly=True)
    can_decide = fields.Boolean(
        compute="_compute_can_decide", search="_search_can_decide"
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    cycle_hours = fields.Float(
        string="Cycle Time (Hours)", readonly=True, aggregator="avg"
    )
    approval_seal = fields.Char(
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="HMAC of what was approved, under a key the database does not"
        " hold: an approval written outside the engine has no valid seal.",
    )
    rerouted_by_ids = fields.Many2many(
        "res.users",
        relation="gov_approval_request_rerouter_rel",
        column1="request_id",
        column2="user_id",
        string="Re-routed By",
        readonly=True,
        help="Whoever re-routed a request cannot decide it.",
    )
    # read with the request's columns: the decision path reads the users who
    # re-routed only for the few requests that were re-routed
    rerouted = fields.Boolean(readonly=True)

    _one_pending = models.UniqueIndex(
        "(res_model, res_id, action) WHERE state = 'pending'",
        "This document already has a pending request for this action.",
    )
    _document_idx = models.Index("(res_model, res_id, id)")

    @api.model
    def _selection_document_ref(self):
        return [
            (model, model)
            for model in self.env.registry.descendants(
                ["gov.approval.mixin"], "_inherit"
            )
            if not self.env[model]._abstract
        ]

    @api.depends("res_model", "res_id")
    def _compute_document_ref(self):
        for request in self:
            request.document_ref = (
                f"{request.res_model},{request.res_id}"
                if request.res_model in self.env
                else False
            )

    @api.depends("step_ids.state")
    def _compute_current_step_id(self):
        for request in self:
            request.current_step_id = request.step_ids.filtered(
                lambda s: s.state == "pending"
            )[:1]

    @api.depends_context("uid")
    @api.depends("res_model", "res_id", "state", "current_step_id")
    def _compute_document_summary(self):
        """The document's name and watched fields, read by the engine for the
        users who may decide now (approvers and their delegates): a delegate
        decides on what they can see, even without rights on the document."""
        deciding = self.filtered("id").filtered("can_decide")
        for request in self:
            request.document_summary = (
                request._render_document_summary() if request in deciding else False
            )

    def _render_document_summary(self):
        if self.res_model not in self.env:
            return False
        document = self.sudo()._document().exists()
        if not document:
            return False
        rows = []
        for name in document._gov_approval_snapshot_fields():
            field = document._fields[name]
            value = document[name]
            if field.type == "monetary":
                currency = document[field.get_currency_field(document)]
                shown = (
                    tools.format_amount(self.env, value, currency)
                    if currency
                    else value
                )
            elif field.type in ("many2one", "many2many", "one2many"):
                shown = ", ".join(value.mapped("display_name"))
            elif field.type == "selection":
                shown = dict(field._description_selection(self.env)).get(value, "")
            else:
                shown = value if value or value == 0 else ""
            rows.append(
                Markup("<tr><th>%s</th><td>%s</td></tr>")
                % (field._description_string(self.env), shown)
            )
        return Markup(
            "<p><strong>%s</strong></p><table class='table table-sm'>%s</table>"
        ) % (
            document.display_name,
            Markup("").join(rows),
        )

    @api.depends("snapshot")
    def _compute_snapshot_display(self):
        for request in self:
            request.snapshot_display = "\n".join(
                f"{key}: {value}" for key, value in (request.snapshot or {}).items()
            )

    @api.depends_context("uid")
    @api.depends("state", "current_step_id")
    def _compute_can_decide(self):
        allowed = self.search([("id", "in", self.ids), ("can_decide", "=", True)])
        for request in self:
            request.can_decide = request in allowed

    def _search_can_decide(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        user = self.env.user

        def waiting_for(users):
            # the engine reads the open step for the user: no step rule applies
            return Domain(
                "current_step_id", "any!", [("pending_approver_ids", "in", users.ids)]
            )

        reachable = waiting_for(user)
        for delegation in self.env["gov.approval.delegation"]._active_to(user):
            scope = waiting_for(delegation.user_id)
            if delegation.matrix_ids:
                scope &= Domain("matrix_id", "in", delegation.matrix_ids.ids)
            if delegation.request_id:
                scope &= Domain("id", "=", delegation.request_id.id)
            reachable |= scope
        domain = (
            Domain("state", "=", "pending")
            & Domain("requester_id", "!=", user.id)
            & reachable
        )
        return domain if (operator == "=") == value else ~domain

    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_overdue = bool(
                request.state == "pending"
                and request.deadline
                and request.deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        domain = Domain("state", "=", "pending") & Domain(
            "current_step_id.deadline", "<", fields.Datetime.now()
        )
        return domain if (operator == "=") == value else ~domain

    def _document(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id)

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        requests._invalidate_documents()
        return requests

    def write(self, vals):
        res = super().write(vals)
        self._invalidate_documents()
        return res

    def _invalidate_documents(self):
        """Governed documents show their approval status from the requests."""
        for res_model, res_ids in self.grouped("res_model").items():
            if res_model in self.env:
                self.env[res_model].browse(
                    res_ids.mapped("res_id")
                ).invalidate_recordset(list(GOVERNED_FIELDS))

    # ------------------------------------------------------------------
    # Routing and creation
    # ------------------------------------------------------------------
    @api.model
    def _route(self, record, action):
        """(matrix, band, amount in company currency) governing ``record``.

        The matrix is the first active matrix of the document's company whose
        filter matches; the band may be empty when no band matches.
        """
        Matrix = self.env["gov.approval.matrix"].sudo()
        company = record._gov_approval_company()
        key = f"{record._name}:{action}"
        for matrix in Matrix.browse(Matrix._matrix_ids_for(key, company.id)):
            if not matrix._applies_to(record):
                continue
            amount = record._gov_approval_amount_company(matrix, company)
            return matrix, matrix._match_line(amount, record), amount
        return Matrix, self.env["gov.approval.matrix.line"], 0.0

    @api.model
    def _snapshot_of(self, record):
        """What an approval of ``record`` covers, as plain JSON, and its hash:
        the amount, the watched fields and, when the document declares them,
        its lines with their watched fields (product, quantity, price, taxes,
        analytic distribution...)."""
        values = {
            name: self._snapshot_value(record, name)
            for name in record._gov_approval_snapshot_fields()
        }
        line_field = record._gov_approval_line_field
        if line_field:
            # read by the engine: the lines are compared, not shown
            names = record._gov_approval_line_watched_fields
            values[line_field] = [
                [line.id, *(self._snapshot_value(line, name) for name in names)]
                for line in record.sudo()[line_field].sorted("id")
            ]
        digest = hashlib.sha256(
            json.dumps(values, sort_keys=True, default=str).encode()
        ).hexdigest()
        return values, digest

    @api.model
    def _snapshot_value(self, record, name):
        field = record._fields[name]
        value = record[name]
        if field.type in ("many2one", "many2many", "one2many"):
            return sorted(value.ids) if field.type != "many2one" else value.id
        if field.type == "monetary":
            currency = (
                record[field.get_currency_field(record)]
                or record.env.company.currency_id
            )
            return float_repr(value, currency.decimal_places)
        if field.type == "float":
            return float_repr(value, 6)
        if field.type in ("date", "datetime"):
            return fields.Datetime.to_string(value) if value else False
        if field.type == "json":
            return json.dumps(value, sort_keys=True, default=str) if value else False
        return value

    @api.model
    def _create_for(self, record, action, matrix, line, amount_company):
        """Open a request with its frozen route; notify the first approvers."""
        requester = self.env.user
        company = record._gov_approval_company()
        steps_vals = []
        route = line._route_steps()._resolve_route(record, requester)
        for step, approvers in route.items():
            config = step._config()
            steps_vals.append(
                {
                    "sequence": config["sequence"],
                    "name": config["name"],
                    "step_id": step.id,
                    "company_id": company.id,
                    "approver_ids": [Command.set(approvers.ids)],
                    "pending_approver_ids": [Command.set(approvers.ids)],
                    "min_approvals": step._resolved_min(approvers),
                    "sla_hours": config["sla_hours"],
                    "escalation_user_id": config["escalation_user_id"],
                    "escalation_add_approver": config["escalation_add_approver"],
                    "rationale_required": config["rationale_required"],
                    "state": "waiting",
                }
            )
        if steps_vals:
            # the first step opens with the request: one write less
            steps_vals[0]["state"] = "pending"
            steps_vals[0]["deadline"] = self._step_deadline(steps_vals[0]["sla_hours"])
        snapshot, digest = self._snapshot_of(record)
        spec = record._gov_approval_actions[action]
        currency = record._gov_approval_currency(matrix)
        request = (
            self.sudo()
            .with_context(mail_create_nolog=True, tracking_disable=True)
            .create(
                {
                    "name": f"{record.display_name}: {spec['label']}",
                    "res_model": record._name,
                    "res_id": record.id,
                    "action": action,
                    "action_label": spec["label"],
                    "matrix_id": matrix.id,
                    "line_id": line.id,
                    "company_id": company.id,
                    "requester_id": requester.id,
                    "amount": record[record._gov_approval_amount_field_name(matrix)],
                    "currency_id": currency.id,
                    "amount_company": amount_company,
                    "snapshot": snapshot,
                    "snapshot_hash": digest,
                    "step_ids": [Command.create(vals) for vals in steps_vals],
                }
            )
        )
        # the approvers' and the requester's partners, read once for the
        # audit, the chatter and the e-mails below
        requester.union(*route.values()).partner_id.mapped("name")
        request._audit(
            "approval.requested",
            self.env._("Approval requested: %(name)s", name=request.name),
            details={
                "band": line._route_name(),
                "amount": snapshot.get(record._gov_approval_amount_field_name(matrix)),
                "route": [
                    {
                        "step": s.name,
                        "approvers": s.approver_ids.mapped("login"),
                        "needed": s.min_approvals,
                    }
                    for s in request.step_ids
                ],
            },
        )
        request._post_on_document(
            self.env._(
                "Approval requested from %(approvers)s (%(band)s).",
                approvers=", ".join(request.step_ids[:1].approver_ids.mapped("name")),
                band=line._route_name(),
            ),
            "gov_approval.mt_approval_requested",
        )
        request._start_step(request.step_ids[:1])
        return request

    # ------------------------------------------------------------------
    # Decisions: the only way an approval happens
    # ------------------------------------------------------------------
    def _decide(self, decision, reason=None, channel="ui"):
        """Record one decision of the current user on the current step.

        Every segregation-of-duties check lives in :meth:`_decide_all`,
        whatever the channel; here a refusal is raised.
        """
        self.ensure_one()
        self._decide_all(decision, reason, channel)
        return self.sudo()

    def _decide_all(self, decision, reason=None, channel="mass"):
        """Record the current user's decision on the current step of each
        request; return ``{request: error}`` for the requests refused.

        The current steps are locked first, so that two approvers deciding
        at the same moment are counted exactly (the later one is serialized
        and retried by Odoo's request retry). Each request is checked on its
        own; the writes of all of them are grouped (mass approval). With one
        request, a refusal is raised instead.
        """
        assert decision in ("approve", "reject")
        assert channel in dict(CHANNELS)
        # the decider is the user who signed in (or whom a token proves):
        # code cannot decide in another's name with with_user()
        check_acting_user(self.env, what=self.env._("an approval decision"))
        with approval_writes():
            return self._record_decisions(decision, reason, channel)

    def _record_decisions(self, decision, reason, channel):
        """The body of :meth:`_decide_all`, inside the engine's grant."""
        user = self.env.user
        requests = self.sudo()
        reason = (reason or "").strip()
        steps = requests.filtered(lambda r: r.state == "pending").current_step_id
        requests._lock_steps(steps)
        # Odoo runs transactions in REPEATABLE READ: had another decision
        # changed these steps since our snapshot, the lock above would have
        # failed; what we read is current.
        # who the checks, the audit and the e-mails read, in one go: the
        # approvers of the steps, the decider and the requesters
        approvers = steps.with_context(active_test=False).approver_ids
        (approvers | user | requests.requester_id).partner_id.mapped("name")
        # the decisions already made on these requests, in one read
        Decision = self.env["gov.approval.decision"].sudo()
        decided = Decision.search_fetch(
            [("request_id", "in", requests.ids)],
            ["request_id", "user_id", "approver_id"],
        ).grouped("request_id")
        failures, accepted = {}, []
        for request in requests:
            try:
                step = request._check_decision(user, decision, reason, channel)
                slot = request._decision_slot(
                    step, user, decided.get(request, Decision)
                )
            except (UserError, AccessError) as error:
                if len(requests) == 1:
                    raise
                failures[request] = error
                continue
            accepted.append((request, step, slot))
        if not accepted:
            return failures
        Decision.create(
            [
                {
                    "request_id": request.id,
                    "step_id": step.id,
                    "company_id": request.company_id.id,
                    "user_id": user.id,
                    "approver_id": slot.id,
                    "on_behalf_of_id": slot.id if slot != user else False,
                    "decision": decision,
                    "reason": reason or False,
                    "channel": channel,
                }
                for request, step, slot in accepted
            ]
        )
        if decision == "reject":
            for request, step, slot in accepted:
                request._apply_rejection(step, slot, reason, channel)
        else:
            self._apply_approvals(accepted, reason, channel)
        return failures

    @api.model
    def _lock_steps(self, steps):
        # a concurrent decision that committed first makes this a serialization
        # failure: an expected conflict, retried by Odoo, not an error to log
        if steps:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM gov_approval_request_step"
                    " WHERE id IN %s ORDER BY id FOR UPDATE",
                    tuple(steps.ids),
                ),
                log_exceptions=False,
            )

    def _check_decision(self, user, decision, reason, channel="ui"):
        """The step ``user`` decides on now; an error when the request no
        longer waits, the reason is missing, or the matrix wants approvers
        to confirm their password and the decision does not come from Odoo's
        interface (where the password is asked)."""
        step = self.current_step_id
        if self.state != "pending" or not step:
            raise UserError(
                self.env._(
                    "%(name)s is no longer waiting for a decision.", name=self.name
                )
            )
        if channel in OUTSIDE_CHANNELS and self._confirms_identity():
            raise AccessError(
                self.env._(
                    "%(name)s is decided in Odoo only, after the approver"
                    " confirms their password.",
                    name=self.name,
                )
            )
        if decision == "reject" and not reason:
            raise UserError(self.env._("Tell the requester why you reject."))
        if decision == "approve" and step.rationale_required and not reason:
            raise UserError(
                self.env._(
                    "Step %(step)s asks for a reason to approve.", step=step.name
                )
            )
        return step

    def _confirms_identity(self):
        """Whether approvers confirm their password to decide on this request."""
        self.ensure_one()
        return bool(self.matrix_id) and self.matrix_id._config()["confirm_identity"]

    def _decision_details(self, step, slot, decision, reason):
        user = self.env.user
        return {
            "step": step.name,
            "decision": decision,
            "reason": reason,
            "on_behalf_of": slot.login if slot != user else None,
        }

    def _apply_rejection(self, step, slot, reason, channel):
        user = self.env.user
        step.write(
            {
                "state": "rejected",
                "date_done": fields.Datetime.now(),
                "pending_approver_ids": [Command.clear()],
            }
        )
        self._close("rejected", reason)
        self._audit(
            "approval.rejected",
            self.env._("%(user)s rejected %(name)s", user=user.name, name=self.name),
            details=self._decision_details(step, slot, "reject", reason),
            channel=channel,
            on_behalf_of=slot if slot != user else None,
        )
        self._post_on_document(
            self.env._(
                "Rejected by %(user)s: %(reason)s", user=user.name, reason=reason
            ),
            "gov_approval.mt_approval_rejected",
        )

    @api.model
    def _apply_approvals(self, accepted, reason, channel):
        """Count approvals ``[(request, step, slot)]``: steps with the same
        outcome are written together, completed steps advance their request."""
        user = self.env.user
        now = fields.Datetime.now()
        Step = self.env["gov.approval.request.step"].sudo()
        grouped = defaultdict(list)
        done = []
        for request, step, slot in accepted:
            approved = step.approved_count + 1
            if approved >= step.min_approvals:
                grouped[(approved, None)].append(step.id)
                done.append(request.id)
            else:
                grouped[(approved, slot.id)].append(step.id)
        for (approved, slot_id), step_ids in grouped.items():
            steps = Step.browse(step_ids)
            if slot_id is None:
                vals = {
                    "state": "approved",
                    "date_done": now,
                    "pending_approver_ids": [Command.clear()],
                }
            else:
                vals = {"pending_approver_ids": [Command.unlink(slot_id)]}
            steps.write(dict(vals, approved_count=approved))
        for request, step, slot in accepted:
            request._audit(
                "approval.approved_step",
                self.env._(
                    "%(user)s approved %(step)s of %(name)s",
                    user=user.name,
                    step=step.name,
                    name=request.name,
                ),
                details=request._decision_details(step, slot, "approve", reason),
                channel=channel,
                on_behalf_of=slot if slot != user else None,
            )
            if request.id not in done:
                request._clear_activities(slot | user)
        self.sudo().browse(done)._advance()

    def _decision_slot(self, step, user, decided=None):
        """The approver whose vote ``user`` casts on ``step``, or an error.

        The user votes for themselves when they are an approver of the step,
        otherwise for an approver who delegated to them. Nobody decides on a
        request they made or re-routed, nobody decides twice on one request
        (across its steps, directly or through a delegation), and auditors
        and users holding an active conflicting pair of roles decide nothing.
        ``decided`` is the request's decisions, when the caller has read them
        already.
        """
        self.ensure_one()
        requester = self.requester_id
        refusal = self._decider_refusal(user)
        if refusal:
            raise AccessError(refusal)
        if self.rerouted and user in self.rerouted_by_ids:
            raise AccessError(
                self.env._(
                    "You re-routed %(name)s: someone else decides it.", name=self.name
                )
            )
        if decided is None:
            decided = self.decision_ids
        if user in decided.user_id or user in decided.approver_id:
            raise AccessError(
                self.env._("You have already decided on %(name)s.", name=self.name)
            )
        if user in step.approver_ids:
            return user
        delegations = self.env["gov.approval.delegation"]._active_to(user, request=self)
        candidates = (
            (step.pending_approver_ids & delegations.user_id)
            - decided.approver_id
            - requester
        )
        if not candidates:
            raise AccessError(
                self.env._(
                    "You are not an approver of the current step of %(name)s.",
                    name=self.name,
                )
            )
        slot = candidates[:1]
        # the delegation used must still hold when the decision commits: a
        # concurrent end or change of it serializes with this decision
        delegations.filtered(lambda d: d.user_id == slot)._lock_for_decision()
        return slot

    def _decider_refusal(self, user):
        """Why ``user`` may not decide on these requests, or ``False``.

        The same rules hold for approvers and for their delegates, when a
        delegation is given and when the delegate decides.
        """
        if user.share:
            return self.env._("Portal and public users do not decide approvals.")
        if user in self.requester_id:
            return self.env._("You cannot decide on your own request.")
        if user._has_group("gov_base.gov_base_group_auditor"):
            return self.env._("Auditors review approvals; they do not decide them.")
        if self._in_sod_conflict(user):
            return self.env._(
                "You hold conflicting governance roles (see Segregation of"
                " Duties Violations); you cannot decide on approvals."
            )
        return False

    @api.model
    def _in_sod_conflict(self, user):
        """Whether ``user`` holds both groups of an active SoD rule (cached
        group ids: no query on the decision path)."""
        held = set(user._get_group_ids())
        return any(
            a in held and b in held
            for _rule, a, b in self.env["gov.sod.rule"]._get_active_pairs()
        )

    def _advance(self):
        """After an approved step, open the next one or approve the request."""
        if not self:
            return
        # one query for the steps and what opening the next one reads
        steps = (
            self.env["gov.approval.request.step"]
            .sudo()
            .search_fetch(
                [("request_id", "in", self.ids)],
                ["request_id", "name", "state", "sla_hours"],
            )
        )
        by_request = steps.grouped("request_id")
        following_of = {}
        for request in self:
            waiting = by_request.get(request, steps.browse()).filtered(
                lambda s: s.state == "waiting"
            )
            following_of[request] = waiting[:1]
        # the approvers of every step that opens now and the requesters they
        # are told about, read once for all
        opening = steps.browse().union(*following_of.values())
        if opening:
            approvers = opening.with_context(active_test=False).pending_approver_ids
            (approvers | opening.request_id.requester_id).partner_id.mapped("email")
        for request in self:
            request_steps = by_request.get(request, steps.browse())
            following = following_of[request]
            if following:
                request._clear_activities()
                request._start_step(following)
                continue
            request._close("approved")
            request._audit(
                "approval.approved",
                self.env._("%(name)s approved", name=request.name),
                details={"steps": request_steps.mapped("name")},
            )
            request._post_on_document(
                self.env._(
                    "Approved. %(action)s can proceed.", action=request.action_label
                ),
                "gov_approval.mt_approval_approved",
            )
            if request.matrix_id._config()["auto_resume"]:
                request._resume()

    @api.model
    def _step_deadline(self, sla_hours):
        if not sla_hours:
            return False
        return fields.Datetime.now() + timedelta(hours=sla_hours)

    def _start_step(self, step):
        if not step:
            return
        if step.state != "pending":
            step.write(
                {"state": "pending", "deadline": self._step_deadline(step.sla_hours)}
            )
        self._schedule_activities(step, step.pending_approver_ids)
        self._notify_approvers(step, step.pending_approver_ids)

    def _close(self, state, reason=None):
        now = fields.Datetime.now()
        self.write(
            {
                "state": state,
                "date_decided": now,
                "close_reason": reason or False,
                "cycle_hours": (now - self.create_date).total_seconds() / 3600,
            }
        )
        if state == "approved":
            for request in self:
                request.sudo().approval_seal = request._seal_signature()
        if state in ("rejected", "cancelled", "superseded"):
            self.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write(
                {"state": "cancelled", "pending_approver_ids": [Command.clear()]}
            )
        self._clear_activities()

    def _supersede_forged(self):
        """An approved request whose seal does not hold was not approved by
        the engine: it is superseded, and the audit log says so."""
        for request in self:
            request._audit(
                "approval.seal_invalid",
                self.env._(
                    "%(name)s: its approval seal does not hold; the approval is"
                    " not used",
                    name=request.name,
                ),
                details={"state": request.state},
            )
        self._supersede(self.env._("its approval was not made by the approval engine"))

    def _supersede(self, reason, by=None):
        """Retire live requests (history stays): the document changed or reset."""
        for request in self.filtered(lambda r: r.state in LIVE_STATES):
            was = request.state
            request._close("superseded", reason)
            if by:
                request.write({"superseded_by_id": by.id})
            request._audit(
                "approval.superseded",
                self.env._("%(name)s superseded", name=request.name),
                details={"was": was, "reason": reason},
            )
            request._post_on_document(
                self.env._("Approval superseded: %(reason)s", reason=reason),
                "gov_approval.mt_approval_superseded",
            )

    def _seal_message(self):
        """What an approval seal covers: the request, its document and action,
        what was approved, and the decisions that approved it."""
        self.ensure_one()
        decisions = ",".join(
            f"{d.id}:{d.approver_id.id}:{d.decision}"
            for d in self.sudo().decision_ids.sorted("id")
        )
        return "|".join(
            (
                str(self.id),
                self.res_model,
                str(self.res_id),
                self.action,
                self.snapshot_hash or "",
                "approved",
                decisions,
            )
        )

    def _seal_signature(self):
        return keyring.sign(self.env.cr.dbname, SEAL_PURPOSE, self._seal_message())

    def _seal_holds(self):
        """Whether this approved request was approved by the engine."""
        self.ensure_one()
        return keyring.verify(
            self.env.cr.dbname,
            SEAL_PURPOSE,
            self._seal_message(),
            self.sudo().approval_seal,
        )

    def _resume(self):
        """Run the approved action as the requester; a failure is reported."""
        document = self._document().with_user(self.requester_id)
        method = document._gov_approval_actions[self.action]["method"]
        # the gate and the guard of the document know this request is the
        # approval being used: they do not route the document again
        key = (self.res_model, self.res_id, self.action)
        try:
            # the document's action runs other people's code: no grant there
            with (
                self.env.cr.savepoint(),
                resuming(key, self.id),
                engine_paused(),
            ):
                getattr(document, method)()
        except (UserError, AccessError) as error:
            message = str(error.args[0] if error.args else error)
            self.write({"resume_error": message})
            self._post_on_document(
                self.env._(
                    "Approved, but %(action)s could not run: %(error)s",
                    action=self.action_label,
                    error=message,
                ),
                "gov_approval.mt_approval_approved",
                partner=self.requester_id.partner_id,
            )

    @api.model
    def _bypassed(self):
        """Whether the audited technical bypass is open (``tools/engine.py``)."""
        return bypassed()

    # ------------------------------------------------------------------
    # Notifications
    # ------------------------------------------------------------------
    def _post_on_document(self, body, subtype, partner=None):
        """A message in the document's chatter, with the approval subtype.

        Without people to notify it is only logged (one insert, no recipients
        to compute); with ``partner`` they are notified.
        """
        document = self._document().sudo()
        if not hasattr(document, "message_post"):
            return
        if partner:
            document.message_post(
                body=body,
                subtype_xmlid=subtype,
                message_type="notification",
                partner_ids=partner.ids,
            )
            return
        self.env["mail.message"].sudo().create(
            {
                "model": document._name,
                "res_id": document.id,
                "body": body,
                "message_type": "notification",
                "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(subtype),
                "author_id": self.env.user.partner_id.id,
                # given, so that the message does not look them up
                "email_from": self._sender(),
                "reply_to": self._sender(),
            }
        )

    def _sender(self):
        return (
            self.env.user.email_formatted or self.env.company.email_formatted or False
        )

    @api.model
    def _activity_type_id(self):
        return self.env["ir.model.data"]._xmlid_to_res_id(
            "gov_approval.mail_activity_type_approval"
        )

    def _schedule_activities(self, step, users):
        if not users:
            return
        model_id = self.env["ir.model"]._get_id(self._name)
        deadline = (step.deadline or fields.Datetime.now()).date()
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": self.id,
                # given, so that they are not computed by more queries
                "res_model": self._name,
                "res_name": self.name,
                "activity_type_id": self._activity_type_id(),
                "user_id": user.id,
                "date_deadline": deadline,
                "summary": self.env._("Approve: %(name)s", name=self.name),
            }
            for user in users
        ]
        batch = current_batch()
        if batch is not None:
            batch["activities"].extend(vals_list)
            return
        self._create_activities(vals_list)

    @api.model
    def _create_activities(self, vals_list):
        # approvers are told by _notify_approvers, one short e-mail each, and
        # reach their requests through the activity: they do not follow them
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True, gov_approval_no_follow=True
        ).create(vals_list)

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if self.env.context.get("gov_approval_no_follow"):
            return True
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    def _clear_activities(self, users=None):
        """Archive the approval activities of the requests (of ``users``
        only, when given), as Odoo does with done activities: they stay in
        the history."""
        batch = current_batch()
        if batch is not None:
            batch["clear"].extend((request.id, users) for request in self)
            return
        self._archive_activities([(request.id, users) for request in self])

    @api.model
    def _archive_activities(self, targets):
        """Archive in one go the activities of ``[(request id, users or None)]``."""
        domain = (
            Domain("res_model", "=", self._name)
            & Domain("res_id", "in", list({request_id for request_id, _u in targets}))
            & Domain("activity_type_id", "=", self._activity_type_id())
        )
        # with what archiving them reads (responsible, deadline, done date)
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search_fetch(
                domain, ["res_id", "user_id", "date_deadline", "date_done", "active"]
            )
        )
        wanted = defaultdict(set)
        for request_id, users in targets:
            wanted[request_id].add(None if users is None else frozenset(users.ids))
        activities.filtered(
            lambda a: any(
                who is None or a.user_id.id in who for who in wanted[a.res_id]
            )
        ).write({"active": False})

    def _audit(
        self, event_type, summary, details=None, channel=None, on_behalf_of=None
    ):
        Event = self.env["gov.audit.event"]
        batch = current_batch()
        write = (
            batch["events"].append
            if batch is not None
            else (lambda vals: Event._create_events([vals]))
        )
        write(
            Event._prepare_event_vals(
                event_type,
                summary,
                record=self,
                details=dict(details or {}, document=f"{self.res_model},{self.res_id}"),
                # the audit log knows no "mass" channel: it is the user interface
                channel={"mass": "ui"}.get(channel, channel),
                on_behalf_of=on_behalf_of,
                company=self.company_id,
            )
        )

    # ------------------------------------------------------------------
    # Batches: many decisions, their side effects written once
    # ------------------------------------------------------------------
    @api.model
    def _flush_batch(self, batch):
        if batch["clear"]:
            self._archive_activities(batch["clear"])
        if batch["activities"]:
            self._create_activities(batch["activities"])
        if batch["mails"]:
            self.env["mail.mail"].sudo().create(batch["mails"])
        if batch["events"]:
            self.env["gov.audit.event"]._create_events(batch["events"])

    def _notify_requester(self):
        """Tell requesters the outcome (used by a shipped automation rule)."""
        for request in self:
            state = dict(STATES)[request.state]
            request = request.sudo()
            sender = request._sender()
            request.message_notify(
                partner_ids=request.requester_id.partner_id.ids,
                # given, so that they are not looked up
                author_id=self.env.user.partner_id.id,
                email_from=sender,
                reply_to=sender,
                record_company_id=request.company_id.id,
                record_alias_domain_id=request.company_id.alias_domain_id.id,
                subject=self.env._(
                    "%(name)s: %(state)s", name=request.name, state=state
                ),
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Your request %(name)s is %(state)s. %(reason)s",
                    name=request.name,
                    state=state.lower(),
                    reason=request.close_reason or "",
                ),
                model_description=self.env._("Approval"),
            )

    # ------------------------------------------------------------------
    # E-mail links: signed, expiring, single use
    # ------------------------------------------------------------------
    def _link_token(self, step, user, validity_hours=None):
        hours = (
            validity_hours
            or (self.matrix_id and self.matrix_id._config()["link_validity_hours"])
            or 72
        )
        payload = f"{step.id}:{user.id}:{int(time.time() + hours * 3600)}"
        signature = odoo_hmac(self.env(su=True), LINK_SCOPE, payload)
        encoded = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
        return f"{encoded}.{signature}"

    @api.model
    def _from_link_token(self, token):
        """(request step, user) a link stands for; an error when it is not valid."""
        invalid = UserError(self.env._("This approval link is not valid."))
        encoded, _sep, signature = (token or "").partition(".")
        try:
            payload = base64.urlsafe_b64decode(
                encoded + "=" * (-len(encoded) % 4)
            ).decode()
            step_id, user_id, expiry = (int(part) for part in payload.split(":"))
        except (ValueError, UnicodeDecodeError) as error:
            raise invalid from error
        expected = odoo_hmac(self.env(su=True), LINK_SCOPE, payload)
        if not hmac.compare_digest(expected, signature):
            raise invalid
        if expiry < time.time():
            raise UserError(self.env._("This approval link has expired."))
        step = self.env["gov.approval.request.step"].sudo().browse(step_id).exists()
        user = self.env["res.users"].sudo().browse(user_id).exists()
        if not step or not user or not user.active:
            raise invalid
        if step.decision_ids.filtered(lambda d: user in (d.user_id | d.approver_id)):
            raise UserError(self.env._("This approval link has already been used."))
        if step.state != "pending":
            raise UserError(self.env._("This request no longer waits for this step."))
        return step, user

    def _notify_approvers(self, step, users):
        """E-mail each approver: a signed link when the matrix allows it,
        otherwise a link to the request in Odoo."""
        base_url = self.get_base_url()
        links = bool(self.matrix_id) and self.matrix_id._config()["allow_email_links"]
        mails = []
        # the approvers' and the requester's partners in one read
        (users | self.requester_id).partner_id.mapped("email")
        for user in users.filtered("email"):
            if links:
                token = self._link_token(step, user)
                url = f"{base_url}/gov/approval/link/{token}"
            else:
                url = f"{base_url}/mail/view?model={self._name}&res_id={self.id}"
            body = self.env["ir.qweb"]._render(
                "gov_approval.approval_link_mail",
                {
                    "approval": self,
                    "step": step,
                    "user": user,
                    "url": url,
                    "signed_link": links,
                },
            )
            mails.append(
                {
                    "subject": self.env._("Approval needed: %(name)s", name=self.name),
                    "email_to": user.email_formatted,
                    "body_html": body,
                    "auto_delete": True,
                    "model": self._name,
                    "res_id": self.id,
                    "email_from": self._sender(),
                    "reply_to": self._sender(),
                }
            )
        batch = current_batch()
        if batch is not None:
            batch["mails"].extend(mails)
        elif mails:
            self.env["mail.mail"].sudo().create(mails)

    # ------------------------------------------------------------------
    # Escalation and reminders
    # ------------------------------------------------------------------
    @api.model
    def _run_batches(self, take_batch, batch_size):
        """Run ``take_batch(batch_size) -> (done, remaining)`` until no work is
        left or the scheduled action's time is up, committing each batch."""
        cron = self.env["ir.cron"]
        while True:
            done, remaining = take_batch(batch_size)
            if not done:
                cron._commit_progress(remaining=0)
                return
            if not cron._commit_progress(done, remaining=remaining):
                return

    @api.model
    def _cron_escalate(self, batch_size=ESCALATION_BATCH):
        """Scheduled action: escalate overdue steps, batch by batch."""
        self._run_batches(self._escalate_due, batch_size)

    @api.model
    def _escalate_due(self, batch_size=ESCALATION_BATCH):
        """Escalate one batch of overdue steps nobody else holds, each once.

        Returns how many steps were escalated and how many remain.
        """
        Step = self.env["gov.approval.request.step"].sudo()
        domain = [
            ("state", "=", "pending"),
            ("escalated", "=", False),
            ("deadline", "<=", fields.Datetime.now()),
        ]
        steps = Step.search(domain, limit=batch_size * 2, order="deadline, id")
        steps = steps.try_lock_for_update(limit=batch_size)
        with approval_writes():
            for step in steps:
                step.request_id._escalate(step)
        return len(steps), Step.search_count(domain) if steps else 0

    def _escalate(self, step):
        target = step.escalation_user_id
        vals = {"escalated": True}
        added = self.env["res.users"]
        if (
            target
            and step.escalation_add_approver
            and target != self.requester_id
            and target not in step.approver_ids
        ):
            added = target
            vals["approver_ids"] = [Command.link(target.id)]
            vals["pending_approver_ids"] = [Command.link(target.id)]
        step.write(vals)
        notify = target | step.pending_approver_ids
        if added:
            self._schedule_activities(step, added)
            self._notify_approvers(step, added)
        body = self.env._(
            "Step %(step)s is overdue (deadline %(deadline)s).%(extra)s",
            step=step.name,
            deadline=fields.Datetime.to_string(step.deadline),
            extra=self.env._(" %(user)s can now approve.", user=target.name)
            if added
            else "",
        )
        self._post_on_document(
            body, "gov_approval.mt_approval_escalated", partner=notify.partner_id
        )
        if target and not added:
            self._schedule_activities(step, target)
        self._audit(
            "approval.escalated",
            self.env._("%(name)s escalated", name=self.name),
            details={
                "step": step.name,
                "to": target.login or None,
                "added_as_approver": bool(added),
            },
        )

    @api.model
    def _cron_remind(self, batch_size=ESCALATION_BATCH):
        """Scheduled action: remind approvers, batch by batch."""
        self._run_batches(self._remind_due, batch_size)

    @api.model
    def _remind_due(self, batch_size=ESCALATION_BATCH):
        """Remind the approvers of one batch of steps due a reminder.

        A step is due when it has waited ``reminder_hours`` (of its matrix)
        since it opened or since its last reminder. Returns how many steps
        were reminded and how many remain.
        """
        now = fields.Datetime.now()
        self.env["gov.approval.request.step"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """SELECT s.id FROM gov_approval_request_step s
                     JOIN gov_approval_request r ON r.id = s.request_id
                     JOIN gov_approval_matrix m ON m.id = r.matrix_id
                    WHERE s.state = 'pending' AND m.reminder_hours > 0
                      AND COALESCE(s.last_reminder_date, s.write_date)
                          <= %s - make_interval(hours => m.reminder_hours)
                    ORDER BY s.id
                    LIMIT %s
                      FOR UPDATE OF s SKIP LOCKED""",
                now,
                batch_size + 1,
            )
        )
        ids = [row[0] for row in rows]
        steps = self.env["gov.approval.request.step"].sudo().browse(ids[:batch_size])
        with approval_writes():
            steps.write({"last_reminder_date": now})
        for step in steps:
            step.request_id._post_on_document(
                self.env._(
                    "Reminder: %(name)s waits for your decision.",
                    name=step.request_id.name,
                ),
                "gov_approval.mt_approval_requested",
                partner=step.pending_approver_ids.partner_id,
            )
        return len(steps), max(len(ids) - len(steps), 0)

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    @api.private
    def _demo_flow(self, document, method, requester_id, decisions=()):
        """Demo data only: ``requester_id`` runs the governed ``method`` of
        ``document`` (an ``(model, id)`` pair), then each ``(user id,
        decision, reason)`` is decided in turn, through the same checks as
        in the user interface."""
        model, res_id = document
        record = self.env[model].browse(res_id).with_user(requester_id)
        getattr(record, method)()
        for user_id, decision, reason in decisions:
            request = self.sudo().search(
                [
                    ("res_model", "=", model),
                    ("res_id", "=", res_id),
                    ("state", "=", "pending"),
                ],
                limit=1,
            )
            request.with_user(user_id)._decide(decision, reason, channel="ui")

    # ------------------------------------------------------------------
    # Re-route (matrix managers), UI actions
    # ------------------------------------------------------------------
    def action_reroute(self):
        """Resolve the open steps again from the band's current route (audited).

        Whoever re-routes a request cannot decide it afterwards.
        """
        if not self.env.user.has_group("gov_base.gov_base_group_matrix_manager"):
            raise AccessError(self.env._("Only matrix managers re-route requests."))
        check_acting_user(self.env, what=self.env._("a re-route"))
        with approval_writes():
            self._reroute()
        return True

    def _reroute(self):
        user = self.env.user
        for request in self.sudo().filtered(lambda r: r.state == "pending"):
            request.write(
                {"rerouted": True, "rerouted_by_ids": [Command.link(user.id)]}
            )
            document = request._document()
            before, after = {}, {}
            config = {s.id: s for s in request.line_id.step_ids}
            for step in request.step_ids.filtered(
                lambda s: s.state in ("waiting", "pending")
            ):
                source = config.get(step.step_id.id)
                if not source:
                    continue
                approvers = source._resolve_approvers(document, request.requester_id)
                decided = step.decision_ids.approver_id
                before[step.name] = step.approver_ids.mapped("login")
                step.write(
                    {
                        "approver_ids": [Command.set((approvers | decided).ids)],
                        "pending_approver_ids": [
                            Command.set((approvers - decided).ids)
                        ],
                        "min_approvals": source._resolved_min(approvers | decided),
                    }
                )
                after[step.name] = step.approver_ids.mapped("login")
                if step.state == "pending":
                    new = step.pending_approver_ids - request.activity_ids.user_id
                    request._clear_activities()
                    request._schedule_activities(step, step.pending_approver_ids)
                    request._notify_approvers(step, new)
            request._audit(
                "approval.rerouted",
                self.env._("%(name)s re-routed", name=request.name),
                details={"before": before, "after": after},
            )
            current = request.current_step_id
            if current and current.approved_count >= current.min_approvals:
                # fewer approvers needed now: what was decided completes the step
                current.write(
                    {
                        "state": "approved",
                        "date_done": fields.Datetime.now(),
                        "pending_approver_ids": [Command.clear()],
                    }
                )
                request._advance()

    def action_cancel(self):
        """Requesters withdraw their own pending request."""
        check_acting_user(self.env, what=self.env._("a withdrawal"))
        with approval_writes():
            self._withdraw()
        return True

    def _withdraw(self):
        for request in self.sudo():
            if request.requester_id != self.env.user and not self.env.user.has_group(
                "gov_base.gov_base_group_matrix_manager"
            ):
                raise AccessError(
                    self.env._("Only the requester can withdraw a request.")
                )
            if request.state != "pending":
                continue
            request._close(
                "cancelled",
                self.env._("Withdrawn by %(user)s", user=self.env.user.name),
            )
            request._audit(
                "approval.cancelled",
                self.env._("%(name)s withdrawn", name=request.name),
            )

    def action_approve(self):
        return self._open_decision_wizard("approve")

    def action_reject(self):
        return self._open_decision_wizard("reject")

    def action_delegate(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Delegate"),
            "res_model": "gov.approval.delegation",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_request_id": self.id,
                "default_user_id": self.env.user.id,
            },
        }

    def _open_decision_wizard(self, decision):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve")
            if decision == "approve"
            else self.env._("Reject"),
            "res_model": "gov.approval.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_decision": decision,
                "default_request_ids": self.ids,
            },
        }

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
