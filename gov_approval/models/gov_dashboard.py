# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models


class GovDashboard(models.AbstractModel):
    _inherit = "gov.dashboard"

    @api.model
    def _gov_dashboard_sections(self):
        sections = super()._gov_dashboard_sections()
        sections.append(self._gov_dashboard_approvals())
        return sections

    @api.model
    def _gov_dashboard_approvals(self):
        """Backlog, overdue steps, cycle time: what this user may see."""
        Request = self.env["gov.approval.request"]
        mine = Request.search_count([("can_decide", "=", True)])
        kpis = [
            self._gov_kpi(
                self.env._("Awaiting my approval"),
                mine,
                severity="warning" if mine else "ok",
                action=self._gov_action(
                    "gov_approval.gov_approval_request_action_mine"
                ),
            )
        ]
        user = self.env.user
        if user.has_group("gov_base.gov_base_group_matrix_manager") or user.has_group(
            "gov_base.gov_base_group_auditor"
        ):
            all_action = "gov_approval.gov_approval_request_action_all"
            pending = [("state", "=", "pending")]
            overdue = [("is_overdue", "=", True)]
            since = fields.Datetime.now() - timedelta(days=30)
            decided = [
                ("date_decided", ">=", since),
                ("state", "in", ("approved", "rejected")),
            ]
            stats = dict(Request._read_group(decided, ["state"], ["__count"]))
            [[cycle]] = Request._read_group(decided, [], ["cycle_hours:avg"])
            total = sum(stats.values())
            rejected_rate = (
                round(100 * stats.get("rejected", 0) / total) if total else 0
            )
            overdue_count = Request.search_count(overdue)
            kpis += [
                self._gov_kpi(
                    self.env._("Pending requests"),
                    Request.search_count(pending),
                    action=self._gov_action(all_action, pending),
                ),
                self._gov_kpi(
                    self.env._("Overdue (SLA)"),
                    overdue_count,
                    severity="danger" if overdue_count else "ok",
                    action=self._gov_action(all_action, overdue),
                ),
                self._gov_kpi(
                    self.env._("Cycle time, 30 days"),
                    self.env._("%s h", round(cycle or 0.0, 1)),
                    help_text=self.env._("Average hours from request to decision."),
                ),
                self._gov_kpi(
                    self.env._("Rejected, 30 days"),
                    f"{rejected_rate} %",
                    action=self._gov_action(
                        all_action, [*decided[:1], ("state", "=", "rejected")]
                    ),
                ),
            ]
        return {
            "key": "approvals",
            "sequence": 10,
            "title": self.env._("Approvals"),
            "kpis": kpis,
        }
