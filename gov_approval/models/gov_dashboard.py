# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The approvals section of the governance dashboard: the reader's own
backlog, and for Matrix Managers and Auditors the cycle time by week and by
matrix, the backlog by age, the slowest approvers and steps and SLA
breaches, compared with the previous period. Every bar opens the requests
it was computed from; record rules apply (the requests read are those the
reader may read)."""

from odoo import api, fields, models
from odoo.tools import SQL

DECIDED = ("approved", "rejected")


class GovDashboard(models.AbstractModel):
    _inherit = "gov.dashboard"

    @api.model
    def _gov_dashboard_sections(self):
        sections = super()._gov_dashboard_sections()
        sections.append(self._gov_dashboard_approvals())
        return sections

    @api.model
    def _gov_approval_overseer(self):
        return self._gov_overseer("matrix_manager")

    @api.model
    def _gov_decided_domain(self, since, before=None):
        domain = [
            ("state", "in", DECIDED),
            ("date_decided", ">=", fields.Datetime.to_string(since)),
        ]
        if before:
            domain.append(("date_decided", "<", fields.Datetime.to_string(before)))
        return domain

    @api.model
    def _gov_dashboard_approvals(self):
        """Backlog, overdue steps, cycle time: what this user may see."""
        Request = self.env["gov.approval.request"]
        kpis = []
        mine = Request.search_count([("can_decide", "=", True)])
        # a backlog of one's own, for those who approve
        if mine or self.env.user.has_group("gov_base.gov_base_group_approver"):
            kpis.append(
                self._gov_kpi(
                    self.env._("Awaiting my approval"),
                    mine,
                    severity="warning" if mine else "ok",
                    action=self._gov_action(
                        "gov_approval.gov_approval_request_action_mine"
                    ),
                )
            )
        section = {
            "key": "approvals",
            "sequence": 10,
            "title": self.env._("Approvals"),
            "kpis": kpis,
        }
        if not self._gov_approval_overseer():
            return section
        all_action = "gov_approval.gov_approval_request_action_all"
        pending = [("state", "=", "pending")]
        overdue = [("is_overdue", "=", True)]
        since, before = self._gov_periods()
        current = self._gov_decided_domain(since)
        previous = self._gov_decided_domain(before, since)
        stats = {}
        for name, domain in (("current", current), ("previous", previous)):
            [[count, cycle]] = Request._read_group(
                domain, [], ["__count", "cycle_hours:avg"]
            )
            rejected = Request.search_count([*domain, ("state", "=", "rejected")])
            stats[name] = {
                "count": count,
                "cycle": round(cycle, 1) if count else None,
                "rejected": round(100 * rejected / count) if count else None,
            }
        overdue_count = Request.search_count(overdue)
        breaches = self._gov_sla_breaches(since)
        breaches_before = self._gov_sla_breaches(before, since)
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
                help_text=self.env._("Pending requests past a step's deadline."),
            ),
        ]
        if breaches or breaches_before:
            kpis.append(
                self._gov_kpi(
                    self.env._("SLA breaches, %s days", self.PERIOD_DAYS),
                    len(breaches),
                    severity="warning" if breaches else "ok",
                    action=self._gov_action(
                        all_action,
                        [("id", "in", breaches)],
                        context={"search_default_group_matrix": 1},
                    ),
                    trend=self._gov_trend(len(breaches), len(breaches_before)),
                    help_text=self.env._(
                        "Requests with a step decided after its deadline."
                    ),
                )
            )
        if stats["current"]["count"]:
            kpis += [
                self._gov_kpi(
                    self.env._("Decided, %s days", self.PERIOD_DAYS),
                    stats["current"]["count"],
                    action=self._gov_action(all_action, current, views=["list"]),
                    trend=self._gov_trend(
                        stats["current"]["count"],
                        stats["previous"]["count"],
                        lower_is_better=False,
                    ),
                ),
                self._gov_kpi(
                    self.env._("Cycle time, %s days", self.PERIOD_DAYS),
                    self.env._("%s h", stats["current"]["cycle"]),
                    action=self._gov_action(
                        "gov_approval.gov_approval_request_action_analysis", current
                    ),
                    trend=self._gov_trend(
                        stats["current"]["cycle"], stats["previous"]["cycle"]
                    ),
                    help_text=self.env._("Average hours from request to decision."),
                ),
                self._gov_kpi(
                    self.env._("Rejected, %s days", self.PERIOD_DAYS),
                    f"{stats['current']['rejected']} %",
                    action=self._gov_action(
                        all_action, [*current, ("state", "=", "rejected")]
                    ),
                    trend=self._gov_trend(
                        stats["current"]["rejected"], stats["previous"]["rejected"]
                    ),
                ),
            ]
        section["charts"] = self._gov_approval_charts()
        section["analysis"] = self._gov_action(
            "gov_approval.gov_approval_request_action_analysis"
        )
        return section

    @api.model
    def _gov_dashboard_checklist(self):
        checklist = super()._gov_dashboard_checklist()
        active = self.env["gov.approval.matrix"].sudo().search_count([], limit=1)
        checklist.append(
            {
                "key": "matrix",
                "label": self.env._("Activate an approval matrix"),
                "help": self.env._(
                    "Shipped matrices are archived: activate one or build your own."
                ),
                "done": bool(active),
                "action": self._gov_action(
                    "gov_approval.gov_approval_matrix_action",
                    context={"search_default_archived": 1},
                ),
            }
        )
        return checklist

    @api.model
    def _gov_approval_charts(self):
        return [
            self._gov_chart_cycle_by_week(),
            self._gov_chart_backlog_by_age(),
            self._gov_chart_cycle_by_matrix(),
            self._gov_chart_waits("user", self.env._("Slowest approvers, hours")),
            self._gov_chart_waits("step", self.env._("Slowest steps, hours")),
        ]

    @api.model
    def _gov_requests_action(self, domain):
        return self._gov_action(
            "gov_approval.gov_approval_request_action_all", domain, views=["list"]
        )

    @api.model
    def _gov_chart_cycle_by_week(self):
        Request = self.env["gov.approval.request"]
        rows = []
        for start, end, label in self._gov_weeks():
            domain = self._gov_decided_domain(start, end)
            [[count, cycle]] = Request._read_group(
                domain, [], ["__count", "cycle_hours:avg"]
            )
            rows.append(
                {
                    "label": label,
                    "values": [
                        self._gov_bar(
                            round(cycle, 1) if count else 0,
                            self._gov_requests_action(domain) if count else None,
                        )
                    ],
                }
            )
        return self._gov_chart(
            "cycle_by_week",
            self.env._("Cycle time by week, hours"),
            rows,
            unit="h",
            help_text=self.env._("Average hours from request to decision."),
        )

    @api.model
    def _gov_chart_cycle_by_matrix(self):
        since, _before = self._gov_periods()
        domain = self._gov_decided_domain(since)
        groups = self.env["gov.approval.request"]._read_group(
            domain, ["matrix_id"], ["cycle_hours:avg"], order="cycle_hours:avg desc"
        )
        rows = [
            {
                "label": matrix.display_name if matrix else self.env._("No matrix"),
                "values": [
                    self._gov_bar(
                        round(cycle or 0.0, 1),
                        self._gov_requests_action(
                            [*domain, ("matrix_id", "=", matrix.id)]
                        ),
                    )
                ],
            }
            for matrix, cycle in groups[:6]
        ]
        return self._gov_chart(
            "cycle_by_matrix",
            self.env._("Cycle time by matrix, %s days, hours", self.PERIOD_DAYS),
            rows,
            unit="h",
        )

    @api.model
    def _gov_chart_backlog_by_age(self):
        rows = self._gov_age_rows(
            "gov.approval.request",
            [("state", "=", "pending")],
            "create_date",
            self._gov_requests_action,
        )
        return self._gov_chart(
            "backlog_by_age", self.env._("Pending requests by age"), rows
        )

    @api.model
    def _gov_waits_query(self, key, since):
        """Hours each decision waited since its step opened (the end of the
        stage before, or the request), grouped by decider or step name."""
        readable = self.env["gov.approval.request"]._search([])
        group = SQL("d.user_id") if key == "user" else SQL("s.name")
        return SQL(
            """
            SELECT %(group)s, AVG(EXTRACT(EPOCH FROM
                       (d.date - COALESCE(prev.done, r.create_date))) / 3600),
                   ARRAY_AGG(DISTINCT r.id)
              FROM gov_approval_decision d
              JOIN gov_approval_request_step s ON s.id = d.step_id
              JOIN gov_approval_request r ON r.id = d.request_id
              LEFT JOIN LATERAL (
                    SELECT MAX(p.date_done) AS done
                      FROM gov_approval_request_step p
                     WHERE p.request_id = s.request_id AND p.stage < s.stage
                   ) prev ON TRUE
             WHERE d.date >= %(since)s AND r.id IN %(readable)s
          GROUP BY %(group)s
          ORDER BY 2 DESC
             LIMIT 5
            """,
            group=group,
            since=since,
            readable=readable.subselect(),
        )

    @api.model
    def _gov_chart_waits(self, key, title):
        since, _before = self._gov_periods()
        self.env["gov.approval.decision"].flush_model()
        self.env["gov.approval.request.step"].flush_model()
        self.env["gov.approval.request"].flush_model()
        found = self.env.execute_query(self._gov_waits_query(key, since))
        users = self.env["res.users"].browse(
            [row[0] for row in found] if key == "user" else []
        )
        names = dict(zip(users.ids, users.sudo().mapped("name"), strict=True))
        rows = [
            {
                "label": names.get(group) if key == "user" else group,
                "values": [
                    self._gov_bar(
                        round(hours or 0.0, 1),
                        self._gov_requests_action([("id", "in", request_ids)]),
                    )
                ],
            }
            for group, hours, request_ids in found
        ]
        return self._gov_chart(
            f"slowest_{key}",
            title,
            rows,
            unit="h",
            help_text=self.env._(
                "Average hours a decision waited since its step opened, %s days.",
                self.PERIOD_DAYS,
            ),
        )

    @api.model
    def _gov_sla_breaches(self, since, before=None):
        """Ids of the requests (readable by the user) with a step decided
        after its deadline in the period."""
        Step = self.env["gov.approval.request.step"]
        Step.flush_model(["date_done", "deadline", "request_id"])
        readable = self.env["gov.approval.request"]._search([])
        query = SQL(
            """
            SELECT DISTINCT s.request_id
              FROM gov_approval_request_step s
             WHERE s.deadline IS NOT NULL AND s.date_done > s.deadline
               AND s.date_done >= %(since)s AND s.date_done < %(before)s
               AND s.request_id IN %(readable)s
            """,
            since=since,
            before=before or fields.Datetime.now(),
            readable=readable.subselect(),
        )
        return sorted(row[0] for row in self.env.execute_query(query))
