# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Matrices that govern a model without code: one of its actions, the
creation of its records, or changes of some of its fields.

Routing (bands, steps, segregation of duties) is the engine's, unchanged;
this file owns what such a matrix names, the checks on it, the cached
configuration the wrapped methods read, and the wrapping itself
(``tools/nocode.py``), redone in this worker and announced to the others
whenever such a matrix changes.
"""

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools import nocode
from .gov_approval_matrix import PRECEDENCE_ORDER

KINDS = [
    ("bridge", "Action of a Governed Document"),
    ("button", "Action on Any Model"),
    ("create", "Record Creation"),
    ("fields", "Field Changes"),
]
CREATE_ACTION = "record_create"
FIELDS_ACTION = "field_change"
BUTTON_PREFIX = "button:"
# what a change of these means is not the record's business content
UNGOVERNABLE_FIELDS = frozenset(
    {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name"}
)
NOCODE_FIELDS = {"kind", "res_model_id", "button_id", "field_ids", "active"}


def is_nocode_action(action):
    return action in (CREATE_ACTION, FIELDS_ACTION) or action.startswith(BUTTON_PREFIX)


class GovApprovalMatrix(models.Model):
    _inherit = "gov.approval.matrix"  # pylint: disable=consider-merging-classes-inherited

    kind = fields.Selection(
        KINDS,
        string="Governs",
        default="bridge",
        required=True,
        help="An action a bridge declares for its documents, or, on any model"
        " and without code: one of its actions, the creation of its records"
        " (created archived, activated once approved), or changes of some of"
        " its fields (held until approved, then applied).",
    )
    action = fields.Selection(required=False)
    res_model_id = fields.Many2one(
        "ir.model",
        string="Model",
        ondelete="cascade",
        domain="[('transient', '=', False)]",
    )
    button_id = fields.Many2one(
        "gov.approval.button",
        string="Action",
        ondelete="restrict",
        domain="[('res_model', '=', res_model)]",
    )
    field_ids = fields.Many2many(
        "ir.model.fields",
        relation="gov_approval_matrix_field_rel",
        column1="matrix_id",
        column2="field_id",
        string="Governed Fields",
        domain="[('model', '=', res_model), ('store', '=', True),"
        " ('ttype', 'not in', ('binary', 'html'))]",
        help="A change of these fields waits for approval; the record keeps"
        " its values until then. Other fields of the same change are saved"
        " at once.",
    )
    route_key = fields.Char(
        compute="_compute_route_key",
        store=True,
        index=True,
        help="model:action of a matrix that governs without code.",
    )

    @api.depends("action", "kind", "res_model_id")
    def _compute_res_model(self):
        for matrix in self:
            if matrix.kind == "bridge":
                matrix.res_model = (matrix.action or "").partition(":")[0] or False
            else:
                matrix.res_model = matrix.res_model_id.model or False

    @api.depends("kind", "res_model", "button_id")
    def _compute_route_key(self):
        for matrix in self:
            key = matrix._nocode_action_key()
            matrix.route_key = f"{matrix.res_model}:{key}" if key else False

    def _nocode_action_key(self):
        self.ensure_one()
        if not self.res_model:
            return False
        if self.kind == "button":
            return self.button_id.method and f"{BUTTON_PREFIX}{self.button_id.method}"
        return {"create": CREATE_ACTION, "fields": FIELDS_ACTION}.get(self.kind)

    @api.onchange("res_model_id")
    def _onchange_res_model_id(self):
        """Offer the actions of the model chosen, read from its views."""
        if self.res_model_id:
            self.env["gov.approval.button"]._sync_model(self.res_model_id.model)
        if self.button_id.res_model != self.res_model_id.model:
            self.button_id = False
        self.field_ids = self.field_ids.filtered(
            lambda f: f.model == self.res_model_id.model
        )

    @api.constrains("kind", "action", "res_model_id", "button_id", "field_ids")
    def _check_nocode(self):
        Button = self.env["gov.approval.button"]
        for matrix in self:
            if matrix.kind == "bridge":
                if not matrix.action:
                    raise ValidationError(
                        self.env._(
                            "Choose the governed action of %(name)s.", name=matrix.name
                        )
                    )
                continue
            model = matrix.res_model
            if not model or not Button._governable_model(model):
                raise ValidationError(
                    self.env._(
                        "%(name)s: choose a model whose records an approval can"
                        " govern (not a technical or transient model).",
                        name=matrix.name,
                    )
                )
            if matrix.kind == "button" and (
                matrix.button_id.res_model != model
                or not Button._governable_method(model, matrix.button_id.method)
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s: choose one of the actions of %(model)s.",
                        name=matrix.name,
                        model=matrix.res_model_id.name,
                    )
                )
            if matrix.kind == "create" and "active" not in self.env[model]._fields:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the creation of %(model)s records cannot be"
                        " governed: they cannot be archived, so they cannot be"
                        " held until approved.",
                        name=matrix.name,
                        model=matrix.res_model_id.name,
                    )
                )
            if matrix.kind == "fields":
                wrong = matrix.field_ids.filtered(
                    lambda f, m=model: (
                        f.model != m or not f.store or f.name in UNGOVERNABLE_FIELDS
                    )
                )
                if wrong or not matrix.field_ids:
                    raise ValidationError(
                        self.env._(
                            "%(name)s: choose the stored fields of %(model)s"
                            " whose changes need an approval.",
                            name=matrix.name,
                            model=matrix.res_model_id.name,
                        )
                    )

    def _audit_values(self):
        values = super()._audit_values()
        values.update(
            kind=self.kind,
            model=self.res_model or False,
            button=self.button_id.method or False,
            fields=sorted(self.field_ids.mapped("name")),
        )
        return values

    # ------------------------------------------------------------------
    # Configuration read by the wrapped methods and by routing
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache()
    def _nocode_config(self):
        """``{model: {buttons, create, fields, labels, snapshot}}`` of the
        active matrices governing models without code, in any company."""
        config = {}
        matrices = self.sudo().search([("kind", "!=", "bridge"), ("active", "=", True)])
        for matrix in matrices:
            model = matrix.res_model
            if model not in self.env:
                continue
            entry = config.setdefault(
                model,
                {
                    "buttons": {},
                    "create": False,
                    "fields": set(),
                    "labels": {},
                    "snapshot": set(),
                },
            )
            if matrix.kind == "button" and matrix.button_id:
                entry["buttons"][matrix.button_id.method] = matrix.button_id.name
            elif matrix.kind == "create":
                entry["create"] = True
            elif matrix.kind == "fields":
                for field in matrix.field_ids:
                    entry["fields"].add(field.name)
                    entry["labels"][field.name] = field.field_description
            for field in (
                matrix.amount_field_id,
                matrix.currency_field_id,
                *matrix.field_ids,
            ):
                if field.name in self.env[model]._fields:
                    entry["snapshot"].add(field.name)
        return {
            model: {
                "buttons": entry["buttons"],
                "create": entry["create"],
                "fields": frozenset(entry["fields"]),
                "labels": entry["labels"],
                "snapshot": tuple(sorted(entry["snapshot"])),
            }
            for model, entry in config.items()
        }

    @api.model
    def _nocode_action_spec(self, model, action):
        """The label and method of a no-code action (``_resume`` runs it)."""
        config = self._nocode_config().get(model) or {}
        if action == CREATE_ACTION:
            return {
                "label": self.env._("Creation"),
                "method": "_gov_approval_activate_created",
            }
        if action == FIELDS_ACTION:
            return {
                "label": self.env._("Change of fields"),
                "method": "_gov_approval_apply_change",
            }
        if action.startswith(BUTTON_PREFIX):
            method = action[len(BUTTON_PREFIX) :]
            return {
                "label": config.get("buttons", {}).get(method) or method,
                "method": method,
            }
        raise KeyError(action)

    @api.model
    def _matrix_ids_for(self, action, company_id):
        _model, _sep, key = action.partition(":")
        if is_nocode_action(key):
            return self._nocode_matrix_ids_for(action, company_id)
        return super()._matrix_ids_for(action, company_id)

    @api.model
    @tools.ormcache("route_key", "company_id")
    def _nocode_matrix_ids_for(self, route_key, company_id):
        """Active no-code matrices of ``route_key`` in a company, by priority."""
        return tuple(
            self.sudo()
            .search(
                [
                    ("route_key", "=", route_key),
                    ("company_id", "=", company_id),
                    ("active", "=", True),
                ],
                order=PRECEDENCE_ORDER,
            )
            .ids
        )

    def _build_route_config(self):
        config = super()._build_route_config()
        if self.kind in ("create", "fields"):
            # held values and held records are applied once approved
            config["auto_resume"] = True
        return config

    # ------------------------------------------------------------------
    # Wrapping the governed methods, in this worker and the others
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        matrices = super().create(vals_list)
        if any(matrix.kind != "bridge" for matrix in matrices):
            self._update_registry()
        return matrices

    def write(self, vals):
        nocode_before = any(matrix.kind != "bridge" for matrix in self)
        res = super().write(vals)
        if set(vals) & NOCODE_FIELDS and (
            nocode_before or any(matrix.kind != "bridge" for matrix in self)
        ):
            self._update_registry()
        return res

    def unlink(self):
        nocode_matrices = any(matrix.kind != "bridge" for matrix in self)
        res = super().unlink()
        if nocode_matrices:
            self._update_registry()
        return res

    def _update_registry(self):
        """Wrap the methods the matrices now govern, here and, through the
        registry signal, in every other worker (they reload their registry,
        wrapping only what is governed then)."""
        if self.env.registry.ready:
            self.env.flush_all()
            self.env.registry.clear_cache()
            # forms of governed models say what is governed
            self.env.registry.clear_cache("templates")
            self._gov_nocode_register()
            self.env.registry.registry_invalidated = True

    def _register_hook(self):
        res = super()._register_hook()
        self._gov_nocode_register()
        return res

    def _unregister_hook(self):
        self._gov_nocode_unregister()
        return super()._unregister_hook()

    @api.model
    def _gov_nocode_register(self):
        """Wrap, once each, the methods the active matrices govern.

        Wrappers no matrix needs any more stay until the registry reloads:
        they read the configuration and let the call through, at the cost of
        a dictionary lookup. Taking them out here would open the gate in
        this worker when the transaction that archived a matrix rolls back.
        """
        registry = self.env.registry
        for model, config in self._nocode_config().items():
            model_class = registry[model]
            for method in config["buttons"]:
                if callable(getattr(model_class, method, None)):
                    nocode.patch(
                        registry, model_class, method, nocode.make_button(method)
                    )
            if config["create"]:
                nocode.patch(registry, model_class, "create", nocode.make_create())
            if config["create"] or config["fields"]:
                nocode.patch(registry, model_class, "write", nocode.make_write())

    @api.model
    def _gov_nocode_unregister(self):
        nocode.unpatch_all(self.env.registry)
