# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.engine import approval_writes

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
    approval whatever the caller (other buttons, RPC, sudo code). What the
    engine asks a document (its company, amount, route, the gate) is
    answered in ``base.py`` for every model; a bridge tunes it with the
    class attributes below.
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
    # Gate and guard (the gate itself is in ``base.py``: any model has it)
    # ------------------------------------------------------------------
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
