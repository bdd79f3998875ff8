# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class IrActionsServer(models.Model):
    """Server action type "Send Event (reliable)", for Automation Rules."""

    _inherit = "ir.actions.server"

    state = fields.Selection(
        selection_add=[("gov_webhook_event", "Send Event (reliable)")],
        ondelete={"gov_webhook_event": "cascade"},
    )
    gov_webhook_event_type = fields.Char(
        string="Event Type",
        help="Subscriptions listening to this type receive the record's whitelisted"
        " fields, e.g. account.move.posted.",
    )

    def _run_action_gov_webhook_event_multi(self, eval_context=None):
        records = self._gov_records(eval_context)
        if not records:
            return False
        Subscription = self.env["gov.webhook.subscription"]
        for record in records:
            Subscription.emit(
                self.gov_webhook_event_type or "odoo.event", record=record
            )
        return False
