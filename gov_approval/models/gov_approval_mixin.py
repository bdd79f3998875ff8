# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.engine import approval_writes, resumed_request_id

APPROVAL_STATES = [
    ("none", "No Approval"),
    ("pending", "Waiting Approval"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]


class GovApprovalMixin(models.AbstractModel):
    """Makes a model governed: its declared actions wait for an approval.

    A bridge inherits this mixin, declares its actions and fields in class
    attributes, and calls :meth:`_gov_approval_gate` at the top of each
    gated method::

        _gov_approval_actions = {
            "confirm": {
                "label": "Confirm purchase order",
                "method": "button_confirm",
                "state_field": "state",
                "from_states": ("draft", "sent", "to approve"),
                "to_states": ("purchase",),
                # optional: the documents of the model this action governs
                "domain": [],
            },
        }

        def button_confirm(self):
            cleared = self._gov_approval_gate("confirm")
            result = super(PurchaseOrder, cleared).button_confirm() if cleared else True
            return self._gov_approval_result(cleared, result)

    The gate makes a request instead of running the action; the state guard
    in ``create``/``write`` refuses the target state without a valid
    approval whatever the caller (other buttons, RPC, sudo code).
    """

    _name = "gov.approval.mixin"
    _description = "Governed by an Approval Matrix"

    _gov_approval_actions = {}
    _gov_approval_amount_field = "amount_total"
    _gov_approval_currency_field = "currency_id"
    _gov_approval_date_field = False
    _gov_approval_company_field = "company_id"
    _gov_approval_watched_fields = ()
    # the document's lines that an approval covers (``gov.approval.line.mixin``
    # on the line model tells the document when they change)
    _gov_approval_line_field = False
    _gov_approval_line_watched_fields = ()

    gov_approval_request_ids = fields.One2many(
        "gov.approval.request",
        "res_id",
        string="Approval Requests",
        readonly=True,
        groups="gov_base.gov_base_group_user",
    )
    gov_approval_state = fields.Selection(
        APPROVAL_STATES,
        string="Approval",
        compute="_compute_gov_approval",
        search="_search_gov_approval_state",
    )
    gov_approval_request_id = fields.Many2one(
        "gov.approval.request",
        string="Approval Request",
        compute="_compute_gov_approval",
    )
    gov_approval_can_decide = fields.Boolean(
        string="Awaits My Approval",
        compute="_compute_gov_approval",
        search="_search_gov_approval_can_decide",
    )
    gov_approval_summary = fields.Char(
        string="Approval Status", compute="_compute_gov_approval"
    )
    gov_approval_request_count = fields.Integer(compute="_compute_gov_approval")
    gov_approval_show_banner = fields.Boolean(compute="_compute_gov_approval")

    # ------------------------------------------------------------------
    # Declarations read by the engine
    # ------------------------------------------------------------------
    def _gov_approval_company(self):
        company = (
            self[self._gov_approval_company_field]
            if self._gov_approval_company_field
            else False
        )
        return company or self.env.company

    def _gov_approval_amount_field_name(self, matrix=None):
        return (
            matrix and matrix._config()["amount_field"]
        ) or self._gov_approval_amount_field

    def _gov_approval_currency(self, matrix=None):
        name = (
            matrix and matrix._config()["currency_field"]
        ) or self._gov_approval_currency_field
        return (
            self[name] if name else False
        ) or self._gov_approval_company().currency_id

    def _gov_approval_amount_company(self, matrix, company):
        """The document amount in the company currency, at the document date."""
        amount = self[self._gov_approval_amount_field_name(matrix)] or 0.0
        currency = self._gov_approval_currency(matrix)
        date = (
            self[self._gov_approval_date_field]
            if self._gov_approval_date_field
            else False
        )
        if currency == company.currency_id:
            return amount
        return currency._convert(
            amount,
            company.currency_id,
            company,
            date or fields.Date.context_today(self),
        )

    def _gov_approval_snapshot_fields(self):
        """What an approval covers on the document: the amount, its currency
        and the date it is converted at (they choose the band), and the
        watched fields."""
        names = [self._gov_approval_amount_field]
        if self._gov_approval_currency_field:
            names.append(self._gov_approval_currency_field)
        if self._gov_approval_date_field:
            names.append(self._gov_approval_date_field)
        names.extend(self._gov_approval_watched_fields)
        return list(dict.fromkeys(names))

    # ------------------------------------------------------------------
    # Gate and guard
    # ------------------------------------------------------------------
    def _gov_approval_is_governed(self):
        """Whether the gate applies now (a matrix exists for the model and the
        audited technical bypass is not open)."""
        return (
            not self.env["gov.approval.request"]._bypassed()
            and self._name in self.env["gov.approval.matrix"]._governed_models()
        )

    def _gov_approval_in_scope(self, action):
        scope = self._gov_approval_actions[action].get("domain")
        return not scope or bool(self.filtered_domain(scope))

    def _gov_approval_evaluate(self, action):
        """Where one document stands for ``action``.

        Returns ``(status, request, route)`` where status is ``free`` (no
        approval needed), ``approved``, ``pending``, ``changed`` (the live
        request no longer matches the document) or ``required``. An approved
        request whose seal does not hold (written outside the engine) is
        superseded and counts for nothing.
        """
        self.ensure_one()
        Request = self.env["gov.approval.request"].sudo()
        if not self._gov_approval_in_scope(action):
            # the action is declared for some documents of the model only
            return "free", Request, (self.env["gov.approval.matrix"], None, 0.0)
        route = Request._route(self, action)
        matrix, line, _amount = route
        if not matrix:
            return "free", Request, route
        if not line:
            if matrix._config()["no_match_policy"] == "allow":
                return "free", Request, route
            raise UserError(
                self.env._(
                    "%(document)s matches no approval band of %(matrix)s, which blocks"
                    " such documents. Ask a matrix manager to add a band.",
                    document=self.display_name,
                    matrix=matrix.name,
                )
            )
        if not line._route_steps():
            return "free", Request, route
        live = Request.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("action", "=", action),
                ("state", "in", ("pending", "approved")),
                ("action_done", "=", False),
            ],
            order="id desc",
            limit=1,
        )
        if not live:
            return "required", live, route
        if live.state == "approved" and not live._seal_holds():
            live._supersede_forged()
            return "required", Request, route
        _values, digest = Request._snapshot_of(self)
        if live.snapshot_hash != digest:
            return "changed", live, route
        return live.state, live, route

    def _gov_approval_resumed(self, action):
        """The approved request the engine is running ``action`` for, when
        the document still matches it; otherwise nothing."""
        self.ensure_one()
        Request = self.env["gov.approval.request"].sudo()
        request_id = resumed_request_id((self._name, self.id, action))
        if not request_id:
            return Request
        request = Request.browse(request_id)
        _values, digest = Request._snapshot_of(self)
        if request.state != "approved" or digest != request.snapshot_hash:
            return Request
        return request

    def _gov_approval_gate(self, action):
        """Documents that may run ``action`` now; request approval for the others."""
        if not self._gov_approval_is_governed():
            return self
        cleared = self.browse()
        with approval_writes():
            for record in self:
                if record._gov_approval_resumed(action):
                    cleared |= record
                    continue
                status, live, route = record._gov_approval_evaluate(action)
                if status in ("free", "approved"):
                    cleared |= record
                elif status in ("changed", "required"):
                    new = record._gov_approval_replace(live, action, route)
                    if new.state == "approved":
                        cleared |= record  # approved as it was made, by a policy
        return cleared

    def _gov_approval_replace(self, live, action, route):
        """A new request for ``action``; the live one it replaces (if any) is
        superseded first: one pending request per document and action."""
        if live:
            live._supersede(self.env._("the document changed since the request"))
            # the unique index of pending requests is checked at the insert
            live.flush_recordset(["state"])
        new = self.env["gov.approval.request"]._create_for(self, action, *route)
        if live:
            live.write({"superseded_by_id": new.id})
        return new

    def _gov_approval_result(self, cleared, result):
        """What a gated button returns: the action's result or a notice."""
        blocked = self - cleared
        if not blocked:
            return result
        names = ", ".join(blocked.mapped("display_name"))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "title": self.env._("Approval required"),
                "message": self.env._(
                    "%(documents)s wait for approval; the approvers have been asked.",
                    documents=names,
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _gov_approval_request(self, action):
        """Ask for approval now (server actions, automation rules) without running."""
        Request = self.env["gov.approval.request"]
        requests = Request
        with approval_writes():
            for record in self:
                status, live, route = record._gov_approval_evaluate(action)
                if status in ("changed", "required"):
                    new = record._gov_approval_replace(live, action, route)
                    if new.state == "approved" and route[0]._config()["auto_resume"]:
                        new._resume()  # approved as it was made, by a policy
                    requests |= new
                elif live:
                    requests |= live
        return requests

    def _gov_approval_guard(self, vals):
        """Refuse a change into a governed state that lacks an approval.

        The governed *target* state is guarded whatever the prior state
        (cancelled, reset, draft...) and whatever the method that writes it.
        """
        if not self._gov_approval_is_governed():
            return
        for action, spec in self._gov_approval_actions.items():
            state_field = spec.get("state_field")
            if not state_field or vals.get(state_field) not in spec.get(
                "to_states", ()
            ):
                continue
            for record in self:
                if record.id and record[state_field] in spec["to_states"]:
                    continue  # already there: nothing is being approved
                with approval_writes():
                    record._gov_approval_consume(action, spec)

    def _gov_approval_consume(self, action, spec):
        """Use the document's approval for ``action`` or refuse."""
        resumed = self._gov_approval_resumed(action)
        if resumed:
            resumed.write({"action_done": True})
            return
        status, live, _route = self._gov_approval_evaluate(action)
        if status == "approved":
            live.write({"action_done": True})
        elif status != "free":
            raise UserError(
                self.env._(
                    "%(document)s cannot %(action)s before it is approved.",
                    document=self.display_name or self._description,
                    action=spec["label"].lower(),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if not records._gov_approval_is_governed():
            return records
        for record, vals in zip(records, vals_list, strict=True):
            for action, spec in self._gov_approval_actions.items():
                if vals.get(spec.get("state_field")) not in spec.get("to_states", ()):
                    continue
                # created straight into a gated state: no approval can exist yet
                status, _live, _route = record._gov_approval_evaluate(action)
                if status != "free":
                    raise UserError(
                        self.env._(
                            "%(document)s cannot be created as %(state)s: it needs an"
                            " approval first.",
                            document=record.display_name,
                            state=vals[spec["state_field"]],
                        )
                    )
        return records

    def write(self, vals):
        self._gov_approval_guard(vals)
        watched = set(vals) & self._gov_approval_change_fields()
        states = {
            spec["state_field"]
            for spec in self._gov_approval_actions.values()
            if spec.get("state_field") in vals
        }
        res = super().write(vals)
        if states:
            self._gov_approval_left_states()
        if watched:
            self._gov_approval_values_changed()
        return res

    def _gov_approval_change_fields(self):
        """Fields whose write may change what an approval covers."""
        names = set(self._gov_approval_snapshot_fields())
        if self._gov_approval_line_field:
            names.add(self._gov_approval_line_field)
        return names

    def _gov_approval_values_changed(self):
        """Approved values changed (on the document or its lines): retire
        the live requests they no longer match, and hold the values a
        document already in its governed state was approved with."""
        if not self or not self._gov_approval_is_governed():
            return
        governed = self.filtered(
            lambda r: any(r._gov_approval_in_scope(a) for a in r._gov_approval_actions)
        )
        if governed:
            governed._gov_approval_supersede_changed()
            governed._gov_approval_check_locked()

    def _gov_approval_supersede_changed(self):
        """Retire live, unused requests whose document no longer matches."""
        Request = self.env["gov.approval.request"].sudo()
        live = Request.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("state", "in", ("pending", "approved")),
                ("action_done", "=", False),
            ]
        )
        if not live:
            return
        with approval_writes():
            for request in live:
                _values, digest = Request._snapshot_of(request._document())
                if digest != request.snapshot_hash:
                    request._supersede(
                        self.env._("the document changed after the request")
                    )

    def _gov_approval_check_locked(self):
        """A document in its governed state keeps the values it was approved
        with: a change that would need an approval is refused (lock after
        approval). Changes the matrix lets through without approval pass."""
        Request = self.env["gov.approval.request"].sudo()
        for action, spec in self._gov_approval_actions.items():
            state_field = spec.get("state_field")
            reached = self.filtered(
                lambda r, f=state_field, s=spec: f and r[f] in s.get("to_states", ())
            )
            for record in reached:
                if not record._gov_approval_in_scope(action):
                    continue
                used = Request.search(
                    [
                        ("res_model", "=", record._name),
                        ("res_id", "=", record.id),
                        ("action", "=", action),
                        ("state", "=", "approved"),
                        ("action_done", "=", True),
                    ],
                    order="id desc",
                    limit=1,
                )
                _values, digest = Request._snapshot_of(record)
                if used and used.snapshot_hash == digest:
                    continue
                with approval_writes():
                    status, _live, _route = record._gov_approval_evaluate(action)
                if status == "free":
                    continue
                raise UserError(
                    self.env._(
                        "%(document)s is past %(action)s: the values it was approved"
                        " (or confirmed) with cannot change in a way that needs an"
                        " approval. Reset or cancel it, change it, and ask for a"
                        " new approval.",
                        document=record.display_name,
                        action=spec["label"].lower(),
                    )
                )

    def _gov_approval_left_states(self):
        """A document cancelled or reset out of an action's flow: its live
        requests for that action are superseded (history stays)."""
        if not self._gov_approval_is_governed():
            return
        Request = self.env["gov.approval.request"].sudo()
        for action, spec in self._gov_approval_actions.items():
            state_field = spec.get("state_field")
            if not state_field:
                continue
            kept = set(spec.get("from_states", ())) | set(spec.get("to_states", ()))
            left = self.filtered(lambda r, f=state_field, k=kept: r[f] not in k)
            if not left:
                continue
            live = Request.search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", left.ids),
                    ("action", "=", action),
                    ("state", "in", ("pending", "approved")),
                    ("action_done", "=", False),
                ]
            )
            with approval_writes():
                for request in live:
                    request._supersede(
                        self.env._(
                            "the document was %(state)s",
                            state=dict(
                                self._fields[state_field]._description_selection(
                                    self.env
                                )
                            ).get(request._document()[state_field], "changed"),
                        )
                    )
