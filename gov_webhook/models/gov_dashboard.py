# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models


class GovDashboard(models.AbstractModel):
    _inherit = "gov.dashboard"

    @api.model
    def _gov_dashboard_sections(self):
        sections = super()._gov_dashboard_sections()
        if self.env["gov.webhook.inbox"].has_access("read"):
            sections.append(self._gov_dashboard_webhooks())
        return sections

    @api.model
    def _gov_dashboard_webhooks(self):
        since = fields.Datetime.to_string(fields.Datetime.now() - timedelta(days=1))
        inbox = dict(
            self.env["gov.webhook.inbox"]._read_group(
                [("received_at", ">=", since)], ["state"], ["__count"]
            )
        )
        received = sum(inbox.values())
        ok = inbox.get("done", 0) + inbox.get("ignored", 0)
        rate = f"{100.0 * ok / received:.1f} %" if received else "-"
        outbox = dict(
            self.env["gov.webhook.delivery"]._read_group(
                [("create_date", ">=", since)], ["state"], ["__count"]
            )
        )
        dead = self.env["gov.webhook.delivery"].search_count([("state", "=", "dead")])
        return {
            "key": "webhooks",
            "sequence": 30,
            "title": self.env._("Webhooks"),
            "kpis": [
                self._gov_kpi(
                    self.env._("Inbound, last 24 hours"),
                    received,
                    action=self._gov_action(
                        "gov_webhook.gov_webhook_inbox_action",
                        [("received_at", ">=", since)],
                    ),
                ),
                self._gov_kpi(self.env._("Inbound success rate"), rate),
                self._gov_kpi(
                    self.env._("Outbound sent, last 24 hours"), outbox.get("sent", 0)
                ),
                self._gov_kpi(
                    self.env._("Outbound dead-letter"),
                    dead,
                    severity="danger" if dead else "ok",
                    action=self._gov_action(
                        "gov_webhook.gov_webhook_delivery_action",
                        [("state", "=", "dead")],
                    ),
                ),
            ],
        }
