# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import safe_eval


class IrActionsServer(models.Model):
    """Server action types of the suite share: which records they act on and
    the values of chosen fields; and the type "Write Audit Event".

    Run by an automation rule or a button, a suite action acts on the records
    it is given. Run by a Scheduled Action, it has none: it acts on the
    records of "Records When Scheduled", a domain on its model (e.g. every
    purchase order waiting for more than three days), at most "Records per
    Run" of them each time.
    """

    _inherit = "ir.actions.server"

    state = fields.Selection(
        selection_add=[("gov_audit_event", "Write Audit Event")],
        ondelete={"gov_audit_event": "cascade"},
    )
    gov_is_suite_type = fields.Boolean(compute="_compute_gov_is_suite_type")
    gov_record_domain = fields.Char(
        string="Records When Scheduled",
        help="When a Scheduled Action runs this action, it acts on the records"
        " of this domain. Automation rules and buttons give their own records.",
    )
    gov_record_limit = fields.Integer(
        string="Records per Run",
        default=500,
        help="At most this many records of the domain are taken each run.",
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

    _check_gov_record_limit = models.Constraint(
        "CHECK (gov_record_limit IS NULL OR gov_record_limit > 0)",
        "Records per Run must be positive.",
    )

    @api.depends("state")
    def _compute_gov_is_suite_type(self):
        for action in self:
            action.gov_is_suite_type = (action.state or "").startswith("gov_")

    @api.constrains("gov_record_domain", "model_id")
    def _check_gov_record_domain(self):
        for action in self.filtered("gov_record_domain"):
            try:
                domain = action._gov_eval_domain()
                action.env[action.model_id.model].sudo().search_count(domain, limit=1)
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "Records When Scheduled of %(action)s is not a valid"
                        " domain of %(model)s: %(error)s",
                        action=action.name,
                        model=action.model_id.name,
                        error=error,
                    )
                ) from error

    def _gov_eval_domain(self):
        context = {
            "datetime": safe_eval.datetime,
            "relativedelta": relativedelta,
            "context_today": lambda: fields.Date.context_today(self),
            "time": safe_eval.time,
            "uid": self.env.uid,
            "user": self.env.user,
        }
        return safe_eval.safe_eval(self.gov_record_domain or "[]", context)

    def _gov_records(self, eval_context):
        """The records a suite action acts on: those it was run on, else (a
        Scheduled Action) those of its domain, within its limit."""
        eval_context = eval_context or {}
        records = eval_context.get("records") or eval_context.get("record")
        if records or not self.gov_record_domain:
            return records
        return self.env[self.model_id.model].search(
            self._gov_eval_domain(), limit=self.gov_record_limit or None
        )

    def _gov_field_values(self, records, field_records):
        """``{record id: {field name: value}}`` of the chosen fields (raw
        values, read once for all records)."""
        names = field_records.mapped("name")
        if not names or not records:
            return {}
        values = {}
        for row in records.sudo().read(names, load=None):
            record_id = row.pop("id")
            values[record_id] = row
        return values

    def _run_action_gov_audit_event_multi(self, eval_context=None):
        records = self._gov_records(eval_context)
        if not records:
            return False
        values = self._gov_field_values(records, self.gov_audit_field_ids)
        summary = self.gov_audit_summary or self.name
        Event = self.env["gov.audit.event"]
        for record in records:
            details = {"action": self.name}
            if record.id in values:
                details["values"] = values[record.id]
            Event.record(
                self.gov_audit_event_type or "automation.event",
                f"{summary}: {record.display_name}",
                record=record,
                details=details,
            )
        return False
