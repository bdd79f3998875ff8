# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.gov_exception.exceptions import GovPermanentError

MAPPABLE_TYPES = (
    "char",
    "text",
    "html",
    "selection",
    "integer",
    "float",
    "monetary",
    "boolean",
    "date",
    "datetime",
    "many2one",
)


class GovWebhookFieldMap(models.Model):
    """One field of the target record, read from a dotted path of the payload."""

    _name = "gov.webhook.field.map"
    _description = "Webhook Field Mapping"
    _order = "endpoint_id, sequence, id"

    endpoint_id = fields.Many2one(
        "gov.webhook.endpoint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="endpoint_id.company_id", store=True, index=True
    )
    sequence = fields.Integer(default=10)
    model_id = fields.Many2one(related="endpoint_id.map_model_id")
    field_id = fields.Many2one(
        "ir.model.fields",
        required=True,
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('store', '=', True),"
        " ('readonly', '=', False), ('ttype', 'in', ('char', 'text', 'html',"
        " 'selection', 'integer', 'float', 'monetary', 'boolean', 'date',"
        " 'datetime', 'many2one'))]",
    )
    json_path = fields.Char(
        string="Payload Path",
        required=True,
        help="Dotted path in the payload, e.g. data.customer.email or"
        " data.lines.0.sku.",
    )
    is_key = fields.Boolean(
        string="Key", help="Records are matched on the key fields to be updated."
    )
    required = fields.Boolean(help="A payload without this value is quarantined.")

    @api.constrains("field_id")
    def _check_field(self):
        for line in self:
            if line.field_id.ttype not in MAPPABLE_TYPES:
                raise ValidationError(
                    self.env._(
                        "%(field)s cannot be mapped from a payload.",
                        field=line.field_id.field_description,
                    )
                )
            if line.field_id.model_id != line.endpoint_id.map_model_id:
                raise ValidationError(
                    self.env._("Map fields of the endpoint's target model only.")
                )

    def _convert(self, raw, model):
        """The payload value as the field expects it, or a permanent error."""
        field = model._fields[self.field_id.name]
        kind = field.type
        try:
            if kind in ("char", "text", "html", "selection"):
                if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
                    raise ValueError("expected text")
                value = str(raw)
                if kind == "selection":
                    allowed = {
                        key for key, _label in field._description_selection(model.env)
                    }
                    if value not in allowed:
                        raise ValueError(f"expected one of {sorted(allowed)}")
                return value
            if kind == "integer":
                if isinstance(raw, bool) or not isinstance(raw, int):
                    raise ValueError("expected an integer")
                return raw
            if kind in ("float", "monetary"):
                if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                    raise ValueError("expected a number")
                return float(raw)
            if kind == "boolean":
                if not isinstance(raw, bool):
                    raise ValueError("expected true or false")
                return raw
            if kind == "date":
                return fields.Date.to_date(raw)
            if kind == "datetime":
                return fields.Datetime.to_datetime(raw)
            return self._convert_many2one(raw, model.env[field.comodel_name])
        except (ValueError, TypeError) as error:
            raise GovPermanentError(
                self.env._(
                    "%(path)s cannot fill %(field)s: %(error)s",
                    path=self.json_path,
                    field=self.field_id.field_description,
                    error=error,
                )
            ) from error

    def _convert_many2one(self, raw, comodel):
        """An id, or an exact display name that matches one record."""
        if isinstance(raw, int) and not isinstance(raw, bool):
            record = comodel.browse(raw).exists()
            if not record:
                raise ValueError(f"no {comodel._description} with id {raw}")
            return record.id
        if isinstance(raw, str):
            found = comodel.name_search(raw, operator="=", limit=2)
            if len(found) != 1:
                raise ValueError(f"{len(found)} {comodel._description} named {raw!r}")
            return found[0][0]
        raise ValueError("expected an id or a name")
