# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class GovApprovalLineMixin(models.AbstractModel):
    """Lines of a governed document (order lines, invoice lines).

    An approval covers the document's lines as well as its totals: swapping a
    product at the same price, or changing quantity and price to the same
    total, changes what was approved. A line model inherits this mixin and
    names its document field; creating, changing or deleting a line then
    tells the document at once, through whatever route the line was changed
    (the document's form, RPC on the line model, server actions, sudo code).
    """

    _name = "gov.approval.line.mixin"
    _description = "Line of a Governed Document"

    _gov_approval_document_field = False

    def _gov_approval_documents(self):
        return self[self._gov_approval_document_field]

    def _gov_approval_line_relevant(self, names):
        documents = self.env[
            self._fields[self._gov_approval_document_field].comodel_name
        ]
        watched = set(documents._gov_approval_line_watched_fields)
        return bool(watched & set(names)) or self._gov_approval_document_field in names

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._gov_approval_documents()._gov_approval_values_changed()
        return lines

    def write(self, vals):
        if not self._gov_approval_line_relevant(vals):
            return super().write(vals)
        before = self._gov_approval_documents()
        res = super().write(vals)
        (before | self._gov_approval_documents())._gov_approval_values_changed()
        return res

    def unlink(self):
        documents = self._gov_approval_documents()
        res = super().unlink()
        documents.exists()._gov_approval_values_changed()
        return res
