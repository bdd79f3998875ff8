# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Custom fields computed by code an administrator wrote compute sandboxed
(see ``tools/engine.py``)."""

from odoo import models

from ..tools.engine import sandboxed


def _sandbox(compute):
    def compute_sandboxed(records):
        with sandboxed(records.env.uid):
            return compute(records)

    compute_sandboxed._depends = getattr(compute, "_depends", ())
    return compute_sandboxed


class IrModelFields(models.Model):
    _inherit = "ir.model.fields"

    def _instanciate_attrs(self, field_data):
        attrs = super()._instanciate_attrs(field_data)
        if attrs and callable(attrs.get("compute")):
            attrs["compute"] = _sandbox(attrs["compute"])
        return attrs
