# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class GovDashboard(models.AbstractModel):
    _inherit = "gov.dashboard"

    @api.model
    def _gov_dashboard_sections(self):
        sections = super()._gov_dashboard_sections()
        user = self.env.user
        if user.has_group(
            "gov_base.gov_base_group_integration_manager"
        ) or user.has_group("gov_base.gov_base_group_auditor"):
            sections.append(self._gov_dashboard_exceptions())
        return sections

    @api.model
    def _gov_dashboard_exceptions(self):
        Item = self.env["gov.exception.item"]
        open_domain = [("state", "not in", ("resolved", "ignored"))]
        by_state = dict(Item._read_group(open_domain, ["state"], ["__count"]))
        open_count = sum(by_state.values())
        breached_domain = open_domain + [("sla_breached", "=", True)]
        breached = Item.search_count(breached_domain)
        dead = by_state.get("dead", 0)
        oldest = Item.search(open_domain, order="first_seen", limit=1)
        if oldest:
            hours = (fields.Datetime.now() - oldest.first_seen).total_seconds() / 3600
            oldest_label = self.env._("%s h", round(hours, 1))
        else:
            oldest_label = "-"
        action = "gov_exception.gov_exception_item_action"
        return {
            "key": "exceptions",
            "sequence": 20,
            "title": self.env._("Exception queue"),
            "kpis": [
                self._gov_kpi(
                    self.env._("Open items"),
                    open_count,
                    action=self._gov_action(action, open_domain),
                ),
                self._gov_kpi(
                    self.env._("SLA breached"),
                    breached,
                    severity="danger" if breached else "ok",
                    action=self._gov_action(action, breached_domain),
                ),
                self._gov_kpi(
                    self.env._("Dead-letter"),
                    dead,
                    severity="warning" if dead else "ok",
                    action=self._gov_action(action, [("state", "=", "dead")]),
                ),
                self._gov_kpi(
                    self.env._("Retry scheduled"),
                    by_state.get("retry", 0),
                    action=self._gov_action(action, [("state", "=", "retry")]),
                ),
                self._gov_kpi(self.env._("Oldest open item"), oldest_label),
            ],
        }
