# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json
import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import float_repr

from odoo.addons.gov_base.tools import keyring
from odoo.addons.gov_base.tools.engine import engine_paused

from ..tools.engine import bypassed, decision_batch, resuming

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
ESCALATION_BATCH = 1000


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
    _inherit = ["gov.engine.mixin", "gov.chatter.mixin", "mail.activity.mixin"]
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
    matrix_version_id = fields.Many2one(
        "gov.approval.matrix.version",
        readonly=True,
        index="btree_not_null",
        help="The version of the matrix that routed the request.",
    )
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
        help="The first open step: stored from the steps' states, so that"
        " opening the steps of many requests writes them in one go. Steps"
        " that run in parallel are open together (Open Steps).",
    )
    current_step_ids = fields.Many2many(
        "gov.approval.request.step",
        string="Open Steps",
        compute="_compute_open_steps",
    )
    current_step_names = fields.Char(string="Waiting On", compute="_compute_open_steps")
    deadline = fields.Datetime(compute="_compute_open_steps")
    pending_approver_ids = fields.Many2many(
        "res.users",
        string="Waiting For",
        compute="_compute_open_steps",
        search="_search_pending_approver_ids",
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
            (model, self.env[model]._description)
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
            if field.type == "many2one" and field.comodel_name == "res.currency":
                continue  # the amounts show their currency
            shown = self._shown_value(document, name)
            rows.append(
                Markup("<tr><th>%s</th><td>%s</td></tr>")
                % (field._description_string(self.env), shown)
            )
        return Markup(
            "<p><strong>%s</strong></p><table class='table table-sm'>%s</table>%s%s"
        ) % (
            document.display_name,
            Markup("").join(rows),
            self._render_lines(document),
            self._render_findings(),
        )

    @api.depends("snapshot")
    def _compute_snapshot_display(self):
        for request in self:
            request.snapshot_display = "\n".join(
                f"{key}: {value}" for key, value in (request.snapshot or {}).items()
            )

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
        filter matches, in precedence order (``_route_candidates``); the band
        may be empty when no band matches.
        """
        Matrix = self.env["gov.approval.matrix"].sudo()
        company = record._gov_approval_company()
        for matrix in Matrix._route_candidates(record, action):
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
                for line in record._gov_approval_lines().sorted("id")
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
            # the decimals of an active currency come from Odoo's cached
            # list of currencies: the currency is not read for them
            known = self.env["res.currency"].get_all_currencies().get(currency.id)
            places = known["digits"][1] if known else currency.decimal_places
            return float_repr(value, places)
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
        stage = 0
        for step, approvers in route.items():
            config = step._config()
            # a step that runs with the previous one shares its stage
            if not (config["parallel"] and stage):
                stage += 1
            steps_vals.append(
                {
                    "sequence": config["sequence"],
                    "stage": stage,
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
        for vals in steps_vals:
            # the first stage opens with the request: one write less
            if vals["stage"] == 1:
                vals["state"] = "pending"
                vals["deadline"] = self._step_deadline(vals["sla_hours"])
        snapshot, digest = self._snapshot_of(record)
        spec = record._gov_approval_action_spec(action)
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
                    "matrix_version_id": matrix._config().get("version_id"),
                    "company_id": company.id,
                    "requester_id": requester.id,
                    "partner_id": record._gov_approval_partner().id,
                    # the currency before the amount: Odoo rounds the amount
                    # with it when it caches the new request (no read back)
                    "currency_id": currency.id,
                    "amount": record._gov_approval_amount(matrix),
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
        # the audit event, the note, the activities and the e-mails are
        # written together, as a decision's are
        with decision_batch(self.env):
            request._audit(
                "approval.requested",
                self.env._("Approval requested: %(name)s", name=request.name),
                details={
                    "band": line._route_name(),
                    "amount": snapshot.get(
                        record._gov_approval_amount_field_name(matrix)
                    ),
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
                record._gov_approval_body_requested(request, line._route_name()),
                "gov_approval.mt_approval_requested",
            )
            request._start_steps(request.step_ids.filtered(lambda s: s.stage == 1))
        return request

    # ------------------------------------------------------------------
    # Decisions: the only way an approval happens
    # ------------------------------------------------------------------

    def _close(self, state, reason=None):
        now = fields.Datetime.now()
        self.write(
            {
                "state": state,
                "date_decided": now,
                "close_reason": reason or False,
                # create_date comes from the database clock, to the
                # microsecond: never below zero within the same second
                "cycle_hours": max((now - self.create_date).total_seconds(), 0) / 3600,
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
        if state in ("approved", "rejected"):
            self._notify_requester()

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
                request._document()._gov_approval_body_superseded(request, reason),
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
        method = document._gov_approval_action_spec(self.action)["method"]
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
                self._document()._gov_approval_body_resume_failed(self, message),
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

    # ------------------------------------------------------------------
    # Batches: many decisions, their side effects written once
    # ------------------------------------------------------------------

    # ------------------------------------------------------------------
    # E-mail links: signed, expiring, single use
    # ------------------------------------------------------------------

    # ------------------------------------------------------------------
    # Escalation and reminders
    # ------------------------------------------------------------------

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------

    # ------------------------------------------------------------------
    # Re-route (matrix managers), UI actions
    # ------------------------------------------------------------------
