# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The exception queue's section of the governance dashboard: depth, SLA
breaches, inflow against outflow by week and the age of open items."""

from odoo import api, fields, models

CLOSED = ("resolved", "ignored")


class GovDashboard(models.AbstractModel):
    _inherit = "gov.dashboard"

    @api.model
    def _gov_dashboard_sections(self):
        sections = super()._gov_dashboard_sections()
        if self._gov_overseer("integration_manager"):
            sections.append(self._gov_dashboard_exceptions())
        return sections

    @api.model
    def _gov_items_action(self, domain, views=None):
        return self._gov_action(
            "gov_exception.gov_exception_item_action", domain, views=views or ["list"]
        )

    @api.model
    def _gov_dashboard_exceptions(self):
        Item = self.env["gov.exception.item"]
        open_domain = [("state", "not in", CLOSED)]
        by_state = dict(Item._read_group(open_domain, ["state"], ["__count"]))
        open_count = sum(by_state.values())
        breached_domain = open_domain + [("sla_breached", "=", True)]
        breached = Item.search_count(breached_domain)
        since, before = self._gov_periods()
        new_now = [("first_seen", ">=", fields.Datetime.to_string(since))]
        new_before = [
            ("first_seen", ">=", fields.Datetime.to_string(before)),
            ("first_seen", "<", fields.Datetime.to_string(since)),
        ]
        raised = Item.search_count(new_now)
        raised_before = Item.search_count(new_before)
        kpis = [
            self._gov_kpi(
                self.env._("Open items"),
                open_count,
                action=self._gov_items_action(open_domain),
            ),
            self._gov_kpi(
                self.env._("SLA breached"),
                breached,
                severity="danger" if breached else "ok",
                action=self._gov_items_action(breached_domain),
            ),
        ]
        if raised or raised_before:
            kpis.append(
                self._gov_kpi(
                    self.env._("New, %s days", self.PERIOD_DAYS),
                    raised,
                    action=self._gov_items_action(new_now),
                    trend=self._gov_trend(raised, raised_before),
                )
            )
        # counters that only mean something when they are not zero
        for state, label, severity in (
            ("dead", self.env._("Dead-letter"), "warning"),
            ("retry", self.env._("Retry scheduled"), "ok"),
        ):
            if by_state.get(state):
                kpis.append(
                    self._gov_kpi(
                        label,
                        by_state[state],
                        severity=severity,
                        action=self._gov_items_action([("state", "=", state)]),
                    )
                )
        oldest = Item.search(open_domain, order="first_seen", limit=1)
        if oldest:
            hours = (fields.Datetime.now() - oldest.first_seen).total_seconds() / 3600
            kpis.append(
                self._gov_kpi(
                    self.env._("Oldest open item"),
                    self.env._("%s h", round(hours, 1)),
                    action=self._gov_items_action(open_domain, views=["list"]),
                )
            )
        return {
            "key": "exceptions",
            "sequence": 20,
            "title": self.env._("Exception queue"),
            "kpis": kpis,
            "charts": [
                self._gov_chart_exception_flow(),
                self._gov_chart_exception_age(),
            ],
            "analysis": self._gov_action(
                "gov_exception.gov_exception_item_action_analysis"
            ),
        }

    @api.model
    def _gov_chart_exception_flow(self):
        Item = self.env["gov.exception.item"]
        rows = []
        for start, end, label in self._gov_weeks():
            bounds = (fields.Datetime.to_string(start), fields.Datetime.to_string(end))
            values = []
            for field_name in ("first_seen", "closed_date"):
                domain = [(field_name, ">=", bounds[0]), (field_name, "<", bounds[1])]
                count = Item.search_count(domain)
                values.append(
                    self._gov_bar(
                        count, self._gov_items_action(domain) if count else None
                    )
                )
            rows.append({"label": label, "values": values})
        return self._gov_chart(
            "exception_flow",
            self.env._("Raised and closed by week"),
            rows,
            series=[self.env._("Raised"), self.env._("Closed")],
        )

    @api.model
    def _gov_chart_exception_age(self):
        rows = self._gov_age_rows(
            "gov.exception.item",
            [("state", "not in", CLOSED)],
            "first_seen",
            self._gov_items_action,
        )
        return self._gov_chart("exception_age", self.env._("Open items by age"), rows)
