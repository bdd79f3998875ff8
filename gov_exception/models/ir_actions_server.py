# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The server action type *Raise Exception to Queue*, and server actions
run as handlers of the exception queue."""

from odoo import api, fields, models

from ..exceptions import GovHandlerError, GovPermanentError, GovRetryableError
from .gov_exception_policy import CATEGORIES, SEVERITIES


class IrActionsServer(models.Model):
    """Server action type "Raise Exception to Queue", for Automation Rules and
    Scheduled Actions (the records of its domain, see gov_base); server
    actions as handlers of the queue."""

    _inherit = "ir.actions.server"

    state = fields.Selection(
        selection_add=[("gov_exception_raise", "Raise Exception to Queue")],
        ondelete={"gov_exception_raise": "cascade"},
    )
    gov_exception_category = fields.Selection(
        CATEGORIES, string="Exception Category", default="business_rule"
    )
    gov_exception_severity = fields.Selection(
        SEVERITIES, string="Exception Severity", default="medium"
    )
    gov_exception_summary = fields.Char(
        string="Exception Summary",
        help="What needs a human, in one line; the record's name is appended.",
    )
    gov_exception_field_ids = fields.Many2many(
        "ir.model.fields",
        relation="ir_act_server_gov_exception_field_rel",
        column1="action_id",
        column2="field_id",
        string="Fields in Payload",
        domain="[('model_id', '=', model_id), ('store', '=', True)]",
        help="Their current values become the item's payload.",
    )

    def _run_action_gov_exception_raise_multi(self, eval_context=None):
        records = self._gov_records(eval_context)
        if not records:
            return False
        values = self._gov_field_values(records, self.gov_exception_field_ids)
        summary = self.gov_exception_summary or self.name
        if self.env.context.get("__action_done"):
            source_type = "automation"
        elif (eval_context or {}).get("records") or (eval_context or {}).get("record"):
            source_type = "server_action"
        else:
            source_type = "cron"  # the records of its domain
        Item = self.env["gov.exception.item"]
        for record in records:
            Item.capture(
                self.gov_exception_category or "other",
                f"{summary}: {record.display_name}",
                source=self.name,
                source_type=source_type,
                record=record,
                payload=values.get(record.id),
                severity=self.gov_exception_severity or "medium",
                fingerprint=f"action:{self.id}:{record._name}:{record.id}",
            )
        return False

    # ------------------------------------------------------------------
    # Server actions as exception-queue handlers
    # ------------------------------------------------------------------
    @api.model
    def _get_eval_context(self, action=None):
        """Code actions see ``payload`` and can ask for a retry or give up."""
        eval_context = super()._get_eval_context(action=action)
        eval_context.update(
            GovRetryableError=GovRetryableError,
            GovPermanentError=GovPermanentError,
        )
        # only when run as a handler: Odoo's own webhook actions set ``payload``
        if "gov_payload" in self.env.context:
            eval_context["payload"] = self.env.context["gov_payload"]
        return eval_context

    def _gov_run_with_payload(self, payload, res_model=None, res_id=None):
        """Run this action with ``payload``; usable as an item's handler.

        ``raise GovRetryableError("...", retry_after=60)`` in a code action
        asks the queue to try again later; the evaluation wrapper is removed
        so that the queue sees the error the action raised.
        """
        self.ensure_one()
        context = {"gov_payload": payload}
        if res_model and res_id:
            context.update(
                active_model=res_model, active_id=res_id, active_ids=[res_id]
            )
        try:
            return self.with_context(**context).run()
        except ValueError as exc:
            # no local name for the cause: a frame that kept it would be on
            # its traceback, a cycle that keeps the whole call alive
            if isinstance(exc.__context__, GovHandlerError):
                raise exc.__context__ from None
            raise
