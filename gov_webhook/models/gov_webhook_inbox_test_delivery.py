# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The test delivery of the endpoint form: a message signed with the
endpoint's own secret, received through the whole request path."""

import json
import time
import uuid

from odoo import api, models
from odoo.exceptions import UserError

from ..tools.signatures import HMAC_PREFIX, standard_sign


class GovWebhookInbox(models.Model):
    _inherit = "gov.webhook.inbox"

    @api.model
    def _send_test(self, endpoint):
        endpoint.check_access("write")
        config = endpoint.sudo()._config_for_key(endpoint.path_key)
        secrets_ = endpoint.sudo()._secrets_for(config)
        if (
            not secrets_
            or endpoint.profile != "standard"
            or not secrets_[0].startswith(HMAC_PREFIX)
        ):
            raise UserError(
                self.env._(
                    "A test delivery is signed with a Standard Webhooks secret:"
                    " generate one first."
                )
            )
        body = json.dumps(
            {
                "type": "gov.test",
                "id": str(uuid.uuid4()),
                "data": {"sent_by": self.env.user.name},
            }
        ).encode()
        msg_id = f"msg_test_{uuid.uuid4().hex}"
        timestamp = str(int(time.time()))
        headers = {
            "content-type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": timestamp,
            "webhook-signature": standard_sign(secrets_[0], msg_id, timestamp, body),
        }
        reply = self._receive(
            endpoint.path_key,
            "POST",
            headers,
            lambda limit: body[: limit + 1],
            len(body),
            "test",
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if reply.status in (200, 202) else "danger",
                "message": self.env._("Test delivery answered %s.", reply.status),
            },
        }
