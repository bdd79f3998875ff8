# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The actions of a model a matrix can govern, by the label people see.

Read from the model's views (``<button type="object">`` and its label),
plus Archive and Unarchive on models that can be archived, so that a matrix
manager picks "Confirm" rather than a method name. The catalogue is
derived data: only the engine writes it, after checking that each method
is one a matrix may govern (:meth:`_governable_method`).
"""

from lxml import etree

from odoo import api, fields, models

from odoo.addons.gov_base.tools.engine import engine_writes

from ..tools.nocode import FRAMEWORK_METHODS

# models a matrix cannot govern without code: Odoo's technical models, the
# suite's own and the mail and bus plumbing
EXCLUDED_PREFIXES = ("ir.", "gov.", "base.", "bus.", "mail.", "res.users.")


class GovApprovalButton(models.Model):
    """One action method of a model, with its label."""

    _name = "gov.approval.button"
    _description = "Governable Action"
    _inherit = ["gov.engine.mixin"]
    _order = "res_model, name, id"
    _rec_names_search = ["name", "method"]

    name = fields.Char(string="Label", required=True, readonly=True)
    method = fields.Char(required=True, readonly=True)
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)

    _unique_method = models.UniqueIndex("(res_model, method)")

    @api.depends("name", "method")
    def _compute_display_name(self):
        for button in self:
            button.display_name = f"{button.name} ({button.method})"

    @api.model
    def _governable_model(self, model_name):
        """Whether a matrix may govern ``model_name`` without code."""
        if model_name not in self.env or model_name.startswith(EXCLUDED_PREFIXES):
            return False
        model = self.env[model_name]
        return not (model._transient or model._abstract or not model._auto)

    @api.model
    def _governable_method(self, model_name, method):
        """Whether ``method`` of ``model_name`` is an action a matrix may
        govern: public, callable on records, neither Odoo's own create,
        write, read and search methods (creation and field changes are
        matrix kinds of their own) nor a method RPC may not call."""
        if not method or method.startswith("_") or method in FRAMEWORK_METHODS:
            return False
        if not self._governable_model(model_name):
            return False
        function = getattr(type(self.env[model_name]), method, None)
        if not callable(function) or isinstance(function, type):
            return False
        if getattr(function, "_api_model", False) or getattr(
            function, "_api_private", False
        ):
            return False
        # Odoo's generic methods: only the archive buttons are actions
        return method in ("action_archive", "action_unarchive") or not hasattr(
            models.BaseModel, method
        )

    @api.model
    def _sync_model(self, model_name):
        """Add the actions of ``model_name`` found in its views; return them."""
        if not self._governable_model(model_name):
            return self.browse()
        found = {}
        if "active" in self.env[model_name]._fields:
            found["action_archive"] = self.env._("Archive")
            found["action_unarchive"] = self.env._("Unarchive")
        views = (
            self.env["ir.ui.view"]
            .sudo()
            .search_fetch(
                [
                    ("model", "=", model_name),
                    ("type", "in", ("form", "list", "kanban")),
                ],
                ["arch_db"],
                order="priority, id",
            )
        )
        for view in views:
            try:
                arch = etree.fromstring(view.arch_db.encode())
            except (etree.XMLSyntaxError, ValueError):
                continue
            for node in arch.iter("button"):
                method = node.get("name")
                if node.get("type") != "object" or method in found:
                    continue
                label = node.get("string") or " ".join(node.itertext()).strip()
                found[method] = label or method
        known = self.search([("res_model", "=", model_name)])
        missing = [
            {"res_model": model_name, "method": method, "name": label}
            for method, label in found.items()
            if method not in known.mapped("method")
            and self._governable_method(model_name, method)
        ]
        if missing:
            with engine_writes(self._name):
                known |= self.sudo().create(missing)
        return known
