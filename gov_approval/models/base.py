# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the approval engine asks of a record, for any model.

Bridges make a model governed in code (``gov.approval.mixin``); a matrix
can also govern a model no bridge knows (an action method, record
creation, changes of fields: ``base_nocode.py``). The engine reads both
the same way: the record's company, amount and currency, what an approval
covers, the action's label and method, and the gate that asks for an
approval instead of running the action. A bridge tunes them with class
attributes or overrides them on its model.
"""

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools.engine import approval_writes, resumed_request_id


class Base(models.AbstractModel):
    _inherit = "base"

    # what a bridge declares (gov.approval.mixin); a model governed by a
    # matrix only has none of these, the matrix says it instead
    _gov_approval_actions = {}
    _gov_approval_amount_field = False
    _gov_approval_currency_field = False
    _gov_approval_date_field = False
    _gov_approval_company_field = "company_id"
    _gov_approval_watched_fields = ()
    # the document's partner (vendor, customer...) shown to approvers
    _gov_approval_partner_field = "partner_id"
    # the columns of the document's lines shown to approvers
    _gov_approval_line_summary_fields = ()
    _gov_approval_line_field = False
    _gov_approval_line_watched_fields = ()

    # ------------------------------------------------------------------
    # Declarations read by the engine
    # ------------------------------------------------------------------
    def _gov_approval_action_spec(self, action):
        """The label and method of ``action`` (a bridge's declaration, or
        the no-code action a matrix names)."""
        return self._gov_approval_actions.get(action) or self.env[
            "gov.approval.matrix"
        ]._nocode_action_spec(self._name, action)

    def _gov_approval_company(self):
        name = self._gov_approval_company_field
        company = self[name] if name in self._fields else False
        return company or self.env.company

    def _gov_approval_partner(self):
        """The partner the document is about, shown to its approvers."""
        name = self._gov_approval_partner_field
        field = self._fields.get(name) if name else None
        if field is None or field.comodel_name != "res.partner":
            return self.env["res.partner"]
        return self.sudo()[name][:1]

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

    def _gov_approval_amount(self, matrix=None):
        """The document amount in its currency; 0 without an amount field
        (a matrix of such a model has one band, from 0)."""
        name = self._gov_approval_amount_field_name(matrix)
        return (self[name] or 0.0) if name else 0.0

    def _gov_approval_amount_company(self, matrix, company):
        """The document amount in the company currency, at the document date."""
        amount = self._gov_approval_amount(matrix)
        currency = self._gov_approval_currency(matrix)
        date = (
            self[self._gov_approval_date_field]
            if self._gov_approval_date_field
            else False
        )
        # what the conversion reads of the company, not its whole row: the
        # gate reads nothing else of it
        company.fetch(["currency_id", "root_id"])
        if currency == company.currency_id:
            return amount
        return currency._convert(
            amount,
            company.currency_id,
            company,
            date or fields.Date.context_today(self),
        )

    def _gov_approval_snapshot_fields(self):
        """What an approval covers on a record of a model governed without
        code: the amount and currency fields its matrices name and the
        fields whose changes they govern."""
        config = self.env["gov.approval.matrix"]._nocode_config().get(self._name)
        return list(config["snapshot"]) if config else []

    def _gov_approval_lines(self):
        """The lines an approval of this record covers (sudo), read as its
        one2many reads them but with their columns in the same query: the
        snapshot reads them all."""
        self.ensure_one()
        name = self._gov_approval_line_field
        record = self.sudo()
        field = self._fields[name]
        if (
            field.type == "one2many"
            and field.store
            and isinstance(record.id, int)
            and any(field._cache_missing_ids(record))
        ):
            Lines = self.env[field.comodel_name].sudo()
            lines = Lines.with_context(active_test=False, **field.context).search_fetch(
                field.get_comodel_domain(record)
                & Domain(field.inverse_name, "=", record.id)
            )
            field._insert_cache(record, [lines._ids])
        return record[name]

    # ------------------------------------------------------------------
    # Gate
    # ------------------------------------------------------------------
    def _gov_approval_is_governed(self):
        """Whether the gate applies now (a matrix exists for the model and the
        audited technical bypass is not open)."""
        return (
            not self.env["gov.approval.request"]._bypassed()
            and self._name in self.env["gov.approval.matrix"]._governed_models()
        )

    def _gov_approval_in_scope(self, action):
        scope = self._gov_approval_action_spec(action).get("domain")
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
