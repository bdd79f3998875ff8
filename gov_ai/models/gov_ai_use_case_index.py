# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The indexes behind the duplicate search, created when a duplicate use case
is saved, so that finding a bill's twins stays a few index lookups on large
histories: the normalised reference of the target table, its counterpart
with the date and with the amount (the closest records of one vendor), and
the name keys of partners (their twin records: the same name, and a similar
one where PostgreSQL has pg_trgm)."""

from odoo import api, models
from odoo.tools import SQL
from odoo.tools.sql import add_index, index_exists, make_identifier

from .detectors.common import name_key_sql
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
        for use_case in self.filtered(lambda u: u.active and u.task == "duplicate"):
            use_case._ensure_reference_index()
            use_case._ensure_counterpart_indexes()

    def _column(self, role_field):
        """The column of a role's field, when it is one (stored, not
        translated), else ``None``."""
        if not role_field:
            return None
        field = self.env[self.model_name]._fields.get(role_field.name)
        if not field or not field.store or field.translate:
            return None
        return field.name

    def _ensure_reference_index(self):
        column = self._column(self.reference_field_id)
        index = column and self._search_index_name()
        if not index or index_exists(self.env.cr, index):
            return
        add_index(
            self.env.cr,
            index,
            self.env[self.model_name]._table,
            SQL("USING btree ((%s))", normalised_reference_sql(SQL.identifier(column))),
            unique=False,
            comment="gov_ai: normalised reference of duplicate detection",
        )

    def _ensure_counterpart_indexes(self):
        """The counterpart's records by date and by amount (the closest
        candidates are one range scan each), and partners by the key of
        their name (their twin records)."""
        partner = self._column(self.partner_field_id)
        if not partner:
            return
        table = self.env[self.model_name]._table
        for role_field in (self.date_field_id, self.amount_field_id):
            column = self._column(role_field)
            index = column and make_identifier(f"gov_ai_{table}_{partner}_{column}_idx")
            if index and not index_exists(self.env.cr, index):
                add_index(
                    self.env.cr,
                    index,
                    table,
                    SQL(
                        "USING btree (%s, %s)",
                        SQL.identifier(partner),
                        SQL.identifier(column),
                    ),
                    unique=False,
                    comment="gov_ai: a counterpart's records, duplicate detection",
                )
        if self.partner_field_id.relation == "res.partner":
            self._ensure_partner_name_indexes()

    def _ensure_partner_name_indexes(self):
        """Partners by the key of their name (the same name), and by the
        trigrams of its loose key (a similar name) where PostgreSQL has
        pg_trgm."""
        indexes = {
            "gov_ai_res_partner_name_key_idx": SQL(
                "USING btree ((%s))", name_key_sql(SQL.identifier("name"))
            ),
        }
        if self.env.registry.has_trigram:
            indexes["gov_ai_res_partner_name_trgm_idx"] = SQL(
                "USING gin ((%s) gin_trgm_ops)",
                name_key_sql(SQL.identifier("name"), loose=True),
            )
        for index, definition in indexes.items():
            if not index_exists(self.env.cr, index):
                add_index(
                    self.env.cr,
                    index,
                    "res_partner",
                    definition,
                    unique=False,
                    comment="gov_ai: twin partner records, duplicate detection",
                )
