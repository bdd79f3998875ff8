# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a use case hands to a provider: the minimised input (only the visible
fields, fingerprinted), its masked copy for providers outside the database,
and, for LLM providers, the instructions and the output schema answers must
match."""

import hashlib
import json
from datetime import date
from decimal import Decimal

from odoo import api, models, tools
from odoo.exceptions import ValidationError

from odoo.addons.gov_base.tools.chain import canonical_json

from ..tools import llm, masking


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Minimised input
    # ------------------------------------------------------------------
    def _minimised_input(self, record):
        """The visible fields' values of ``record``, and their fingerprint."""
        self.ensure_one()
        names = self._visible_field_names(self.id)
        values = {}
        if names:
            row = record.sudo().read(names, load=None)[0]
            values = {name: jsonable(row[name]) for name in names}
        data = {"model": record._name, "values": values}
        fingerprint = hashlib.sha256(canonical_json(data).encode()).hexdigest()
        return data, fingerprint

    @api.model
    @tools.ormcache("use_case_id")
    def _visible_field_names(self, use_case_id):
        """The names of the fields a use case may see, sorted (read once per
        process: every save of a watched record asks for them)."""
        use_case = self.sudo().browse(use_case_id)
        return tuple(sorted(use_case.field_ids.mapped("name")))

    def write(self, vals):
        result = super().write(vals)
        if "field_ids" in vals:
            self.env.registry.clear_cache()
        return result

    def _external_input(self, data):
        """What a provider outside the database receives of ``data`` (the
        minimised input): personal data masked unless the use case opts out;
        ``masked`` names the fields replaced whole."""
        self.ensure_one()
        if not self.mask_personal_data:
            return data
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        values, names = masking.mask_values(secret, data["model"], data["values"])
        return dict(data, values=values, masked=names)

    # ------------------------------------------------------------------
    # Instructions and output schema of LLM providers
    # ------------------------------------------------------------------
    @api.constrains("output_schema")
    def _check_output_schema(self):
        for use_case in self.filtered("output_schema"):
            try:
                llm.check_schema(use_case._llm_custom_schema())
            except llm.SchemaProblem as exc:
                raise ValidationError(
                    self.env._(
                        "Use case %(name)s: %(error)s",
                        name=use_case.name,
                        error=str(exc),
                    )
                ) from exc

    def _llm_instructions(self):
        """The system prompt of this use case for an LLM provider."""
        self.ensure_one()
        return llm.instructions(
            self.task,
            self.prompt_template,
            model=self.model_name,
            fields=", ".join(sorted(self.field_ids.mapped("name"))),
        )

    def _llm_custom_schema(self):
        """The use case's own output schema, decoded, or ``None``."""
        self.ensure_one()
        if not (self.output_schema or "").strip():
            return None
        try:
            return json.loads(self.output_schema)
        except ValueError as exc:
            raise llm.SchemaProblem(f"the output schema is not JSON ({exc})") from exc

    def _llm_schema(self):
        """The JSON Schema answers to this use case must match."""
        self.ensure_one()
        return llm.answer_schema(self._llm_custom_schema())


def jsonable(value):
    """A field value as the JSON of the minimised input (dates in ISO form,
    decimals as floats, binary values left out)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return None
    return value
