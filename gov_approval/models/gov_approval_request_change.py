# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Requests about records of models governed without code: the held change
they carry (shown to approvers as a before/after table), and what happens
to it and to a held record when the request closes or is approved.
"""

from odoo import api, fields, models

from .gov_approval_change import CLOSED_AS
from .gov_approval_matrix_nocode import CREATE_ACTION, FIELDS_ACTION
from .gov_approval_request import GOVERNED_FIELDS


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"  # pylint: disable=consider-merging-classes-inherited

    change_ids = fields.One2many(
        "gov.approval.change", "request_id", string="Held Change", readonly=True
    )
    change_diff_html = fields.Html(
        string="Proposed Change",
        compute="_compute_change_diff_html",
        sanitize=False,
        help="The fields the requester asked to change: their current and"
        " proposed values.",
    )

    @api.depends("change_ids.diff")
    def _compute_change_diff_html(self):
        # read by the engine for whoever may read the request: approvers
        # decide on values they may not be allowed to read on the record
        changes = self.sudo().change_ids.grouped("request_id")
        for request in self:
            change = changes.get(request.sudo())
            request.change_diff_html = change[:1]._render_diff() if change else False

    @api.model
    def _selection_document_ref(self):
        selection = super()._selection_document_ref()
        known = {model for model, _label in selection}
        nocode = self.env["gov.approval.matrix"]._nocode_config()
        return selection + [
            (model, self.env[model]._description)
            for model in nocode
            if model not in known
        ]

    def _invalidate_documents(self):
        # only governed documents show their approval status in fields
        return super(
            GovApprovalRequest,
            self.filtered(
                lambda r: (
                    r.res_model in self.env
                    and GOVERNED_FIELDS[0] in self.env[r.res_model]._fields
                )
            ),
        )._invalidate_documents()

    def _close(self, state, reason=None):
        res = super()._close(state, reason)
        if state in CLOSED_AS:
            self.sudo().change_ids.filtered(lambda c: c.state == "pending").write(
                {"state": CLOSED_AS[state]}
            )
        return res

    def _resume(self):
        """Apply a held change (or activate a held record) as the requester,
        once approved; a record changed since in a governed field is not
        overwritten: the request is superseded instead."""
        if self.action not in (CREATE_ACTION, FIELDS_ACTION):
            return super()._resume()
        document = self._document().exists()
        change = self.sudo().change_ids[:1]
        if not document:
            change.write({"state": "failed", "error": self.env._("Record deleted.")})
            return None
        _values, digest = self._snapshot_of(document)
        if digest != self.snapshot_hash:
            self._supersede(
                self.env._(
                    "the record changed in a governed field since the request;"
                    " its values are not overwritten"
                )
            )
            return None
        super()._resume()
        if self.resume_error:
            change.write({"state": "failed", "error": self.resume_error})
            return None
        self.write({"action_done": True})
        change.write({"state": "applied", "date_applied": fields.Datetime.now()})
        return None
