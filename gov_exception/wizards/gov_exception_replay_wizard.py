# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class GovExceptionReplayWizard(models.TransientModel):
    """Edit an item's payload, check it, and run the handler again."""

    _name = "gov.exception.replay.wizard"
    _description = "Edit and Replay an Exception"

    item_id = fields.Many2one("gov.exception.item", required=True, ondelete="cascade")
    payload_is_json = fields.Boolean(related="item_id.payload_is_json")
    payload = fields.Text(
        compute="_compute_payload", store=True, readonly=False, required=True
    )
    error_message = fields.Text(related="item_id.last_error")

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # only people who may work the item open it (never auditors)
        wizards.item_id._work_as()
        return wizards

    @api.depends("item_id")
    def _compute_payload(self):
        for wizard in self:
            wizard.payload = (
                wizard.item_id._get_payload_text() if wizard.item_id else False
            )

    @api.constrains("payload")
    def _check_payload(self):
        for wizard in self:
            if wizard.payload_is_json:
                try:
                    json.loads(wizard.payload or "")
                except ValueError as exc:
                    raise ValidationError(
                        self.env._("The payload is not valid JSON: %s", exc)
                    ) from exc

    def action_replay(self):
        self.ensure_one()
        attempt = self.item_id.replay_with_payload(self.payload)
        return self.item_id._notify_outcome([attempt])
