# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The asynchronous provider *n8n*: questions go out as webhook events."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.gov_webhook.tools.timestamps import rfc3339

REQUEST_EVENT = "ai.recommendation.requested"


class GovAiProvider(models.Model):
    """The asynchronous provider: the question goes out through a webhook
    subscription, the answer comes back on an inbound endpoint."""

    _inherit = "gov.ai.provider"

    kind = fields.Selection(
        selection_add=[("n8n", "n8n (asynchronous)")],
        ondelete={"n8n": "set default"},
    )
    webhook_subscription_id = fields.Many2one(
        "gov.webhook.subscription",
        string="Send Questions Through",
        ondelete="restrict",
        help=f"Receives the event {REQUEST_EVENT} with the minimised input,"
        " the instructions, the answer schema and the correlation id.",
    )
    webhook_endpoint_id = fields.Many2one(
        "gov.webhook.endpoint",
        string="Answers Arrive On",
        ondelete="restrict",
        domain="[('handler_type', '=', 'ai_answer')]",
        help="Its URL is sent with each question; answers must be signed.",
    )

    @api.constrains("kind", "webhook_subscription_id", "webhook_endpoint_id")
    def _check_webhooks(self):
        for provider in self.filtered(lambda p: p.kind == "n8n"):
            if not (provider.webhook_subscription_id and provider.webhook_endpoint_id):
                raise ValidationError(
                    self.env._(
                        "Provider %s needs a subscription to send questions"
                        " through and an endpoint for the answers.",
                        provider.name,
                    )
                )
            if provider.webhook_endpoint_id.handler_type != "ai_answer":
                raise ValidationError(
                    self.env._(
                        "The endpoint of provider %s must answer AI recommendations.",
                        provider.name,
                    )
                )

    def _gov_ai_is_async(self):
        return self.kind == "n8n" or super()._gov_ai_is_async()

    def _gov_ai_request(self, recommendation, use_case, record):
        """Write the question to the outbox of the provider's subscription.

        Only the use case's visible fields leave (the recommendation's
        minimised input, personal data masked); the subscription signs the
        delivery.
        """
        if self.kind != "n8n":
            return super()._gov_ai_request(recommendation, use_case, record)
        subscription = self.webhook_subscription_id.sudo()
        data = {
            "correlation_id": recommendation.correlation_id,
            "answer_url": self.webhook_endpoint_id.sudo().url,
            "deadline": rfc3339(recommendation.answer_deadline),
            "use_case": {
                "id": use_case.id,
                "name": use_case.name,
                "task": use_case.task,
            },
            "model": self.model_name or None,
            "instructions": use_case._llm_instructions(),
            "answer_schema": use_case._llm_schema(),
            "input": use_case._external_input(recommendation.input_data),
        }
        deliveries = (
            self.env["gov.webhook.subscription"]
            .sudo()
            .emit(
                REQUEST_EVENT,
                record=recommendation,
                data=data,
                company=recommendation.company_id,
            )
        )
        if subscription not in deliveries.subscription_id:
            raise UserError(
                self.env._(
                    "Subscription %(name)s did not take the question: it must be"
                    " active, in the company of the record, and listen to"
                    " %(event)s.",
                    name=subscription.name,
                    event=REQUEST_EVENT,
                )
            )
        return deliveries
