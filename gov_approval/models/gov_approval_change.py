# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A held change of governed fields (four-eyes on master data).

The values proposed are kept here, with what the record held then, until
the request decides: applied by the engine once approved (as the requester,
under their access rights), kept as history when rejected, withdrawn or
superseded. Only the engine writes changes (``gov.engine.mixin``): nobody
edits the values waiting for approval, the requester included.
"""

import json

from markupsafe import Markup

from odoo import api, fields, models, tools

CHANGE_STATES = [
    ("pending", "Waiting Approval"),
    ("applied", "Applied"),
    ("rejected", "Rejected"),
    ("cancelled", "Withdrawn"),
    ("superseded", "Superseded"),
    ("failed", "Not Applied"),
]
# the request's outcome -> the change's
CLOSED_AS = {
    "rejected": "rejected",
    "cancelled": "cancelled",
    "superseded": "superseded",
}


class GovApprovalChange(models.Model):
    """The values of a change of governed fields, held for approval."""

    _name = "gov.approval.change"
    _description = "Held Change"
    _inherit = ["gov.engine.mixin"]
    _order = "id desc"
    _check_company_auto = True

    request_id = fields.Many2one(
        "gov.approval.request",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    requester_id = fields.Many2one("res.users", required=True, readonly=True)
    state = fields.Selection(
        CHANGE_STATES, default="pending", required=True, readonly=True, index=True
    )
    proposed_values = fields.Json(
        readonly=True,
        groups="base.group_system",
        help="The values to write once approved, as the requester sent them.",
    )
    diff = fields.Json(
        readonly=True,
        help="[field label, value before, value proposed] when proposed.",
    )
    diff_html = fields.Html(
        string="Change", compute="_compute_diff_html", sanitize=False
    )
    date_applied = fields.Datetime(readonly=True)
    error = fields.Text(readonly=True)

    _one_per_request = models.UniqueIndex("(request_id)")

    @api.depends("diff")
    def _compute_diff_html(self):
        for change in self:
            change.diff_html = change._render_diff()

    def _render_diff(self):
        if not self.diff:
            return False
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            self.env._("Field"),
            self.env._("Current Value"),
            self.env._("Proposed Value"),
        )
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td><strong>%s</strong></td></tr>")
            % (label, before, after)
            for label, before, after in self.diff
        )
        return Markup(
            "<table class='table table-sm o_gov_approval_diff'>"
            "<thead>%s</thead><tbody>%s</tbody></table>"
        ) % (head, rows)

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    @api.model
    def _propose(self, request, record, changes):
        """Keep ``changes`` of ``record`` for ``request`` (inside the grant)."""
        values = {
            name: self._plain(record._fields[name], value)
            for name, value in changes.items()
        }
        return self.sudo().create(
            {
                "request_id": request.id,
                "company_id": request.company_id.id,
                "res_model": record._name,
                "res_id": record.id,
                "requester_id": request.requester_id.id,
                "proposed_values": values,
                "diff": self._diff(record, values),
            }
        )

    @api.model
    def _plain(self, field, value):
        """``value`` as JSON can keep it (ids for records, text for dates)."""
        if isinstance(value, models.BaseModel):
            return value.ids if field.type in ("one2many", "many2many") else value.id
        if field.type in ("date", "datetime") and value:
            return field.to_string(
                field.to_date(value)
                if field.type == "date"
                else field.to_datetime(value)
            )
        return json.loads(json.dumps(value, default=str))

    @api.model
    def _diff(self, record, values):
        """[label, before, after] of each field, read by the engine for the
        approvers (who may not read the record)."""
        record = record.sudo()
        try:
            proposed = record.new(values, origin=record)
        except (ValueError, TypeError, KeyError):
            proposed = None
        rows = []
        for name, value in values.items():
            try:
                after = self._shown(proposed, name) if proposed else str(value)
            except (ValueError, TypeError, KeyError):
                after = str(value)
            rows.append(
                [
                    record._fields[name]._description_string(self.env),
                    self._shown(record, name),
                    after,
                ]
            )
        return rows

    @api.model
    def _shown(self, record, name):
        field = record._fields[name]
        value = record[name]
        if field.type in ("many2one", "many2many", "one2many"):
            return ", ".join(value.mapped("display_name"))
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "")
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if field.type == "monetary":
            currency = record[field.get_currency_field(record)]
            return tools.format_amount(self.env, value, currency) if currency else value
        if field.type in ("date", "datetime"):
            return field.to_string(value) if value else ""
        return "" if value is False or value is None else str(value)

    def _values_to_write(self):
        self.ensure_one()
        return dict(self.sudo().proposed_values or {})
