# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The expression index behind the duplicate search: the normalised reference
of the target table, created when a duplicate use case is saved, so that
finding a bill's twins stays an index lookup on large histories."""

from odoo import api, models
from odoo.tools import SQL
from odoo.tools.sql import add_index, index_exists, make_identifier

from .detectors.duplicate import normalised_reference_sql


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        use_cases = super().create(vals_list)
        use_cases._ensure_search_indexes()
        return use_cases

    def write(self, vals):
        res = super().write(vals)
        if {"task", "reference_field_id", "model_id", "active"} & set(vals):
            self._ensure_search_indexes()
        return res

    def _search_index_name(self):
        table = self.env[self.model_name]._table
        return make_identifier(
            f"gov_ai_{table}_{self.reference_field_id.name}_normref_idx"
        )

    def _ensure_search_indexes(self):
        """Index the normalised reference the duplicate search compares, so
        that finding a bill's twins stays an index lookup on large histories.

        One expression index per table and reference field, shared by the
        use cases that need it; created when such a use case is saved.
        """
        for use_case in self.filtered(
            lambda u: u.active and u.task == "duplicate" and u.reference_field_id
        ):
            Model = self.env[use_case.model_name]
            field = Model._fields.get(use_case.reference_field_id.name)
            if not field or not field.store or field.translate:
                continue
            index = use_case._search_index_name()
            if index_exists(self.env.cr, index):
                continue
            add_index(
                self.env.cr,
                index,
                Model._table,
                SQL(
                    "USING btree ((%s))",
                    normalised_reference_sql(SQL.identifier(field.name)),
                ),
                unique=False,
                comment="gov_ai: normalised reference of duplicate detection",
            )
