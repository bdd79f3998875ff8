# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class IrActionsServer(models.Model):
    """Server action type "Write Audit Event", for Automation Rules."""

    _inherit = "ir.actions.server"

    state = fields.Selection(
        selection_add=[("gov_audit_event", "Write Audit Event")],
        ondelete={"gov_audit_event": "cascade"},
    )
    gov_audit_event_type = fields.Char(
        string="Audit Event Type",
        default="automation.event",
        help="Dotted code of the event, e.g. vendor.bank_changed.",
    )
    gov_audit_summary = fields.Char(
        string="Audit Summary",
        help="What happened, in one line; the record's name is appended.",
    )
    gov_audit_field_ids = fields.Many2many(
        "ir.model.fields",
        relation="ir_act_server_gov_audit_field_rel",
        column1="action_id",
        column2="field_id",
        string="Fields to Record",
        domain="[('model_id', '=', model_id), ('store', '=', True)]",
        help="Their current values are stored in the event's details.",
    )

    def _run_action_gov_audit_event_multi(self, eval_context=None):
        eval_context = eval_context or {}
        records = eval_context.get("records") or eval_context.get("record")
        if not records:
            return False
        names = self.gov_audit_field_ids.mapped("name")
        values = {}
        if names:
            values = {row["id"]: row for row in records.sudo().read(names, load=None)}
        summary = self.gov_audit_summary or self.name
        Event = self.env["gov.audit.event"]
        for record in records:
            details = {"action": self.name}
            if names:
                row = dict(values[record.id])
                row.pop("id", None)
                details["values"] = row
            Event.record(
                self.gov_audit_event_type or "automation.event",
                f"{summary}: {record.display_name}",
                record=record,
                details=details,
            )
        return False
