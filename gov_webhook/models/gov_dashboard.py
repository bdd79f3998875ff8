# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The webhooks section of the governance dashboard: success rates of
inbound and outbound traffic and the latency of deliveries, this week
against the week before, and by week."""

from datetime import timedelta

from odoo import api, fields, models

PERIOD_DAYS = 7


class GovDashboard(models.AbstractModel):
    _inherit = "gov.dashboard"

    @api.model
    def _gov_dashboard_sections(self):
        sections = super()._gov_dashboard_sections()
        if self.env["gov.webhook.inbox"].has_access("read"):
            sections.append(self._gov_dashboard_webhooks())
        return sections

    @api.model
    def _gov_deliveries_action(self, domain, views=None):
        return self._gov_action(
            "gov_webhook.gov_webhook_delivery_action", domain, views=views or ["list"]
        )

    @api.model
    def _gov_delivery_stats(self, start, end):
        """Finished deliveries created in ``[start, end)``: their domain,
        how many, the share sent (%) and the average latency (ms)."""
        Delivery = self.env["gov.webhook.delivery"]
        domain = [
            ("create_date", ">=", fields.Datetime.to_string(start)),
            ("create_date", "<", fields.Datetime.to_string(end)),
            ("state", "in", ("sent", "dead")),
        ]
        by_state = dict(Delivery._read_group(domain, ["state"], ["__count"]))
        finished = sum(by_state.values())
        [[latency]] = Delivery._read_group(
            [*domain[:2], ("state", "=", "sent")], [], ["duration_ms:avg"]
        )
        return {
            "domain": domain,
            "finished": finished,
            "sent": by_state.get("sent", 0),
            "dead": by_state.get("dead", 0),
            "rate": round(100 * by_state.get("sent", 0) / finished, 1)
            if finished
            else None,
            "latency": round(latency) if latency is not None else None,
        }

    @api.model
    def _gov_inbound_rate(self, start, end):
        domain = [
            ("received_at", ">=", fields.Datetime.to_string(start)),
            ("received_at", "<", fields.Datetime.to_string(end)),
        ]
        inbox = dict(
            self.env["gov.webhook.inbox"]._read_group(domain, ["state"], ["__count"])
        )
        received = sum(inbox.values())
        ok = inbox.get("done", 0) + inbox.get("ignored", 0)
        return domain, received, round(100 * ok / received, 1) if received else None

    @api.model
    def _gov_dashboard_webhooks(self):
        # the current period ends a second from now: dates are stored to
        # the second, so a delivery of this very second counts
        now = fields.Datetime.now() + timedelta(seconds=1)
        since, before = self._gov_periods(PERIOD_DAYS)
        current = self._gov_delivery_stats(since, now)
        previous = self._gov_delivery_stats(before, since)
        in_domain, received, in_rate = self._gov_inbound_rate(since, now)
        _domain, received_before, in_rate_before = self._gov_inbound_rate(before, since)
        kpis = []
        if received or received_before:
            kpis.append(
                self._gov_kpi(
                    self.env._("Inbound accepted, %s days", PERIOD_DAYS),
                    f"{in_rate} %" if in_rate is not None else "-",
                    severity="warning"
                    if in_rate is not None and in_rate < 95
                    else "ok",
                    action=self._gov_action(
                        "gov_webhook.gov_webhook_inbox_action", in_domain
                    ),
                    trend=self._gov_trend(
                        in_rate, in_rate_before, lower_is_better=False, days=PERIOD_DAYS
                    ),
                    help_text=self.env._(
                        "%s requests received; accepted: processed or ignored"
                        " on purpose.",
                        received,
                    ),
                )
            )
        if current["finished"] or previous["finished"]:
            kpis += [
                self._gov_kpi(
                    self.env._("Deliveries sent, %s days", PERIOD_DAYS),
                    f"{current['rate']} %" if current["rate"] is not None else "-",
                    severity="warning"
                    if current["rate"] is not None and current["rate"] < 95
                    else "ok",
                    action=self._gov_deliveries_action(current["domain"]),
                    trend=self._gov_trend(
                        current["rate"],
                        previous["rate"],
                        lower_is_better=False,
                        days=PERIOD_DAYS,
                    ),
                    help_text=self.env._(
                        "Share of the %s finished deliveries that the receiver"
                        " accepted (the others are dead-letter).",
                        current["finished"],
                    ),
                ),
                self._gov_kpi(
                    self.env._("Delivery latency, %s days", PERIOD_DAYS),
                    f"{current['latency']} ms"
                    if current["latency"] is not None
                    else "-",
                    action=self._gov_deliveries_action(
                        [*current["domain"][:2], ("state", "=", "sent")]
                    ),
                    trend=self._gov_trend(
                        current["latency"], previous["latency"], days=PERIOD_DAYS
                    ),
                    help_text=self.env._("Average answer time of the receivers."),
                ),
            ]
        dead = self.env["gov.webhook.delivery"].search_count([("state", "=", "dead")])
        if dead:
            kpis.append(
                self._gov_kpi(
                    self.env._("Outbound dead-letter"),
                    dead,
                    severity="danger",
                    action=self._gov_deliveries_action([("state", "=", "dead")]),
                )
            )
        return {
            "key": "webhooks",
            "sequence": 30,
            "title": self.env._("Webhooks"),
            "kpis": kpis,
            "charts": self._gov_webhook_charts(),
            "analysis": self._gov_action(
                "gov_webhook.gov_webhook_delivery_action", views=["graph", "pivot"]
            ),
        }

    @api.model
    def _gov_webhook_charts(self):
        outcome_rows, latency_rows = [], []
        for start, end, label in self._gov_weeks():
            stats = self._gov_delivery_stats(start, end)
            sent_domain = [*stats["domain"][:2], ("state", "=", "sent")]
            dead_domain = [*stats["domain"][:2], ("state", "=", "dead")]
            outcome_rows.append(
                {
                    "label": label,
                    "values": [
                        self._gov_bar(
                            stats["sent"],
                            self._gov_deliveries_action(sent_domain)
                            if stats["sent"]
                            else None,
                        ),
                        self._gov_bar(
                            stats["dead"],
                            self._gov_deliveries_action(dead_domain)
                            if stats["dead"]
                            else None,
                        ),
                    ],
                }
            )
            latency_rows.append(
                {
                    "label": label,
                    "values": [
                        self._gov_bar(
                            stats["latency"] or 0,
                            self._gov_deliveries_action(sent_domain)
                            if stats["sent"]
                            else None,
                        )
                    ],
                }
            )
        return [
            self._gov_chart(
                "delivery_outcome",
                self.env._("Deliveries by week"),
                outcome_rows,
                series=[self.env._("Sent"), self.env._("Dead-letter")],
            ),
            self._gov_chart(
                "delivery_latency",
                self.env._("Delivery latency by week, ms"),
                latency_rows,
                unit="ms",
            ),
        ]

    @api.model
    def _gov_dashboard_checklist(self):
        checklist = super()._gov_dashboard_checklist()
        tested = (
            self.env["gov.webhook.inbox"]
            .sudo()
            .search_count([("state", "=", "done")], limit=1)
        )
        checklist.append(
            {
                "key": "endpoint",
                "label": self.env._("Test an inbound endpoint"),
                "help": self.env._(
                    "Send Test on an endpoint signs a delivery and receives it."
                ),
                "done": bool(tested),
                "action": self._gov_action("gov_webhook.gov_webhook_endpoint_action"),
            }
        )
        return checklist
