# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Automation rules that cost a save little.

Odoo looks for the rules of a model each time one of its records is created,
written or has a stored field recomputed (dozens of times per vendor bill
saved once the suite's AI rules watch bills), and checks every rule of the
model after each recomputation. Here the rules' ids are cached per model and
trigger (any change to a rule clears the cache), and a model whose rules all
watch fields that no computation sets is not watched during recomputations,
where none of its rules could fire.

A save writes its record several times (a vendor bill: its lines, its
totals, its sequence), and Odoo evaluates each rule's filter after every one
of these writes before it looks whether the write changed a field the rule
watches. Here the watched fields' names are cached with the rules, and the
filter of a write is evaluated only on the records where a watched field
changed: the others would be dropped right after it anyway."""

from odoo import api, models, tools

from odoo.addons.base_automation.models.base_automation import (
    CREATE_TRIGGERS,
    WRITE_TRIGGERS,
)

# Changing these changes which rules a save runs.
LOOKUP_FIELDS = frozenset({"model_id", "model_name", "trigger", "active", "sequence"})
# Changing these changes which fields a rule watches.
WATCH_FIELDS = frozenset({"trigger_field_ids"})


class BaseAutomation(models.Model):
    _inherit = "base.automation"

    def _get_actions(self, records, triggers):
        """The active rules of ``triggers`` on the model of ``records``, as
        Odoo returns them (with the context that tracks what was done)."""
        rules = self.browse(self._gov_rule_ids(records._name, tuple(triggers)))
        if "__action_done" not in self.env.context:
            rules = rules.with_context(__action_done={})
        return rules

    @api.model
    @tools.ormcache("model_name", "triggers")
    def _gov_rule_ids(self, model_name, triggers):
        rules = (
            self.with_context(active_test=True)
            .sudo()
            .search([("model_name", "=", model_name), ("trigger", "in", triggers)])
        )
        return tuple(rules.ids)

    @api.model
    @tools.ormcache("rule_id")
    def _gov_watched_names(self, rule_id):
        """The names of the fields rule ``rule_id`` watches (none: all)."""
        return frozenset(self.sudo().browse(rule_id).trigger_field_ids.mapped("name"))

    def _check_trigger_fields(self, record):
        """Odoo's check, with the watched fields' names from the cache."""
        names = self._gov_watched_names(self.id)
        old_values = self.env.context.get("old_values")
        if not names or old_values is None:
            # all fields are watched, or a creation changes them all
            return True
        old_vals = old_values.get(record.id, {})
        return any(
            name in old_vals and record[name] != old_vals[name] for name in names
        )

    def _filter_post_export_domain(self, records, feedback=False):
        """Evaluate the filter only on the records of a write where a watched
        field changed (``_process`` keeps no other)."""
        if records and self.env.context.get("old_values") is not None:
            records = records.filtered(self._check_trigger_fields)
            if not records:
                return records, None
        return super()._filter_post_export_domain(records, feedback=feedback)

    def _process(self, records, domain_post=None):
        """Tell the AI engine which records were just created: a creation
        rule runs on them, from Odoo's creation hook (the only caller that
        runs creation rules with ``old_values`` set to nothing)."""
        if (
            records
            and self.env.context.get("old_values", ()) is None
            and self.sudo().trigger in CREATE_TRIGGERS
        ):
            self.env["gov.ai.recommendation"]._note_created(records.filtered("id"))
        return super()._process(records, domain_post=domain_post)

    def _register_hook(self):
        super()._register_hook()
        self._gov_unwatch_idle_recomputations()

    def _gov_unwatch_idle_recomputations(self):
        """Take back Odoo's hook on the recomputations of a model whose
        active rules all watch stored fields that no computation sets: a
        recomputation cannot change such a field, so none of these rules
        could fire there (each would check its filter, then find no watched
        field changed)."""
        rules = self.with_context(active_test=True).search(
            [("trigger", "in", WRITE_TRIGGERS)]
        )
        for model_name in set(rules.mapped("model_name")):
            Model = self.env.get(model_name)
            ModelClass = self.env.registry.get(model_name)
            if Model is None or "_compute_field_value" not in vars(ModelClass):
                continue
            own = rules.filtered(lambda rule, name=model_name: rule.model_name == name)
            if all(rule._gov_watches_set_fields_only(Model) for rule in own):
                delattr(ModelClass, "_compute_field_value")

    def _gov_watches_set_fields_only(self, Model):
        """Whether this rule fires only on changes of named fields, none of
        them computed (a rule without trigger fields watches them all)."""
        self.ensure_one()
        names = self.trigger_field_ids.mapped("name")
        return bool(names) and all(
            name in Model._fields and not Model._fields[name].compute for name in names
        )

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        return rules

    def write(self, vals):
        result = super().write(vals)
        if (LOOKUP_FIELDS | WATCH_FIELDS) & set(vals):
            self.env.registry.clear_cache()
        if "trigger_field_ids" in vals and not set(vals) & set(self.CRITICAL_FIELDS):
            # which fields a rule watches decides whether recomputations
            # are watched (Odoo re-reads it only on a critical change)
            self._update_registry()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
