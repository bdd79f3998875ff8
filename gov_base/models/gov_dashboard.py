# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The governance dashboard: sections of figures, charts and a first-run
checklist, each contributed by the module that owns the records behind it."""

from datetime import timedelta

from odoo import api, fields, models


class GovDashboard(models.AbstractModel):
    """Process health of the suite, one section per module.

    Each module extends :meth:`_gov_dashboard_sections` with ``super()`` and
    appends the sections its reader may see; every figure is an aggregate
    query, never a loop over records, and every figure or bar carries the
    action that lists the records behind it.
    """

    _name = "gov.dashboard"
    _description = "Governance Dashboard"

    # periods the trends compare: this one against the one before
    PERIOD_DAYS = 30
    WEEKS = 8

    @api.model
    @api.readonly
    def get_dashboard_data(self):
        sections = [
            s
            for s in self._gov_dashboard_sections()
            if s.get("kpis") or s.get("charts") or s.get("checklist")
        ]
        for section in sections:
            section.setdefault("kpis", [])
            section.setdefault("charts", [])
        return sorted(sections, key=lambda s: (s.get("sequence", 100), s["key"]))

    @api.model
    def _gov_dashboard_sections(self):
        user = self.env.user
        sections = []
        if user.has_group("gov_base.gov_base_group_admin"):
            checklist = self._gov_dashboard_checklist()
            if not all(item["done"] for item in checklist):
                sections.append(
                    {
                        "key": "first_run",
                        "sequence": 0,
                        "title": self.env._("Getting started"),
                        "checklist": checklist,
                    }
                )
        if not self._gov_overseer():
            return sections
        return [*sections, self._gov_dashboard_audit(), self._gov_dashboard_sod()]

    @api.model
    def _gov_overseer(self, role=None):
        """Whether the user sees a section: auditors and administrators see
        every one, ``role`` (a group of gov_base, ``approver``,
        ``matrix_manager``...) the section of its own work."""
        groups = ["auditor", "admin", *([role] if role else [])]
        return any(
            self.env.user.has_group(f"gov_base.gov_base_group_{group}")
            for group in groups
        )

    # ------------------------------------------------------------------
    # Building blocks of the sections
    # ------------------------------------------------------------------
    @api.model
    def _gov_kpi(
        self, label, value, *, severity="ok", action=None, help_text="", trend=None
    ):
        """One figure of a section; ``action`` is what a click opens and
        ``trend`` its comparison with the previous period
        (:meth:`_gov_trend`)."""
        return {
            "label": label,
            "value": value,
            "severity": severity,
            "action": action,
            "help": help_text,
            "trend": trend,
        }

    @api.model
    def _gov_trend(self, current, previous, *, lower_is_better=True, days=None):
        """How a figure moved since the previous period of ``days`` days:
        ``{"text", "direction", "good"}``, or ``None`` without a previous
        figure to compare with."""
        if current is None or previous is None:
            return None
        days = days or self.PERIOD_DAYS
        if current == previous:
            direction, good = "flat", True
            change = self.env._("same as the previous %s days", days)
        else:
            direction = "up" if current > previous else "down"
            good = (current < previous) == lower_is_better
            if previous:
                percent = round(100 * abs(current - previous) / abs(previous))
                change = self.env._(
                    "%(sign)s%(percent)s%% vs the previous %(days)s days",
                    sign="+" if current > previous else "-",
                    percent=percent,
                    days=days,
                )
            else:
                change = self.env._("none in the previous %s days", days)
        return {"text": change, "direction": direction, "good": good}

    @api.model
    def _gov_chart(self, key, title, rows, *, unit="", series=None, help_text=""):
        """A bar chart of a section. ``rows`` are ``{"label", "values"}``,
        each value ``{"value", "action"}`` (one per series); the bars are
        drawn to scale in the browser and open their action on a click."""
        series = series or [""]
        top = max((v["value"] or 0 for row in rows for v in row["values"]), default=0)
        for row in rows:
            for value in row["values"]:
                value["width"] = round(100 * (value["value"] or 0) / top) if top else 0
        return {
            "key": key,
            "title": title,
            "rows": rows,
            "unit": unit,
            "series": series,
            "help": help_text,
            "empty": not top,
        }

    @api.model
    def _gov_bar(self, value, action=None):
        return {"value": value, "action": action}

    @api.model
    def _gov_action(self, xmlid, domain=None, context=None, views=None):
        """The window action ``xmlid``, narrowed to ``domain``; ``views``
        (e.g. ``["graph", "list"]``) puts these view types first."""
        action = self.env["ir.actions.actions"]._for_xml_id(xmlid)
        if domain is not None:
            action["domain"] = domain
        action["context"] = context or {}
        if views:
            known = {mode: view_id for view_id, mode in action.get("views", [])}
            ordered = [(known.get(mode, False), mode) for mode in views]
            ordered += [(v, m) for m, v in known.items() if m not in views]
            action["views"] = ordered
            action["view_mode"] = ",".join(m for _v, m in ordered)
        return action

    @api.model
    def _gov_weeks(self, count=None):
        """The last ``count`` weeks (Monday to Monday, the current one
        last), as ``(start, end, label)`` with UTC datetimes."""
        count = count or self.WEEKS
        today = fields.Date.context_today(self)
        monday = today - timedelta(days=today.weekday())
        weeks = []
        for index in range(count - 1, -1, -1):
            start = monday - timedelta(weeks=index)
            weeks.append(
                (
                    fields.Datetime.to_datetime(start),
                    fields.Datetime.to_datetime(start + timedelta(weeks=1)),
                    start.strftime("%d %b"),
                )
            )
        return weeks

    @api.model
    def _gov_periods(self, days=None):
        """``(since, before)``: the start of the current period of ``days``
        days and of the one before it."""
        days = days or self.PERIOD_DAYS
        now = fields.Datetime.now()
        return now - timedelta(days=days), now - timedelta(days=2 * days)

    @api.model
    def _gov_age_brackets(self):
        """Age brackets of backlogs: ``(label, min_hours, max_hours)``."""
        return [
            (self.env._("Under a day"), 0, 24),
            (self.env._("1 to 3 days"), 24, 72),
            (self.env._("3 to 7 days"), 72, 168),
            (self.env._("Over a week"), 168, None),
        ]

    @api.model
    def _gov_age_rows(self, model_name, domain, field_name, action):
        """Bars of a backlog by age: how many records of ``domain`` fall in
        each bracket of ``field_name``, each bar opening ``action(domain)``
        of its records (no link for an empty bar)."""
        Model = self.env[model_name]
        rows = []
        for label, low, high in self._gov_age_brackets():
            bracket = [*domain, *self._gov_age_domain(field_name, low, high)]
            count = Model.search_count(bracket)
            action_value = action(bracket) if count else None
            rows.append(
                {"label": label, "values": [self._gov_bar(count, action_value)]}
            )
        return rows

    @api.model
    def _gov_age_domain(self, field_name, min_hours, max_hours):
        """Records whose ``field_name`` lies between these ages."""
        now = fields.Datetime.now()
        domain = [
            (
                field_name,
                "<=",
                fields.Datetime.to_string(now - timedelta(hours=min_hours)),
            )
        ]
        if max_hours is not None:
            domain.append(
                (
                    field_name,
                    ">",
                    fields.Datetime.to_string(now - timedelta(hours=max_hours)),
                )
            )
        return domain

    # ------------------------------------------------------------------
    # First run
    # ------------------------------------------------------------------
    @api.model
    def _gov_dashboard_checklist(self):
        """What an administrator sets up before the suite governs anything:
        ``{"key", "label", "done", "help", "action"}`` items, extended by
        each module."""
        Users = self.env["res.users"].sudo()
        roles = ("approver", "auditor")
        assigned = all(
            Users.search_count(
                [
                    (
                        "group_ids",
                        "in",
                        self.env.ref(f"gov_base.gov_base_group_{role}").id,
                    ),
                    ("share", "=", False),
                ],
                limit=1,
            )
            for role in roles
        )
        verified = bool(
            self.env["gov.audit.verification"]
            .sudo()
            .search_count([("result", "=", "ok")], limit=1)
        )
        return [
            {
                "key": "roles",
                "label": self.env._("Give people their governance roles"),
                "help": self.env._(
                    "At least one Approver and one Auditor, in Settings > Users."
                ),
                "done": assigned,
                "action": self._gov_action("base.action_res_users")
                if self.env.user.has_group("base.group_erp_manager")
                else None,
            },
            {
                "key": "audit",
                "label": self.env._("Verify the audit chain once"),
                "help": self.env._("Proves that no audit event was edited or removed."),
                "done": verified,
                "action": self._gov_action("gov_base.gov_audit_verification_action"),
            },
        ]

    # ------------------------------------------------------------------
    # Sections of this module
    # ------------------------------------------------------------------
    @api.model
    def _gov_dashboard_audit(self):
        Event = self.env["gov.audit.event"]
        since = fields.Datetime.now() - timedelta(days=1)
        last_day = Event.search_count([("event_date", ">=", since)])
        unsealed_domain = [("hash", "=", False)]
        unsealed = Event.search_count(unsealed_domain)
        last = self.env["gov.audit.verification"].search([], limit=1)
        if not last:
            verdict, severity = self.env._("never verified"), "warning"
        elif last.result == "ok":
            verdict, severity = self.env._("intact"), "ok"
        else:
            verdict, severity = self.env._("BROKEN"), "danger"
        return {
            "key": "audit",
            "sequence": 90,
            "title": self.env._("Audit log"),
            "kpis": [
                self._gov_kpi(
                    self.env._("Events, last 24 hours"),
                    last_day,
                    action=self._gov_action(
                        "gov_base.gov_audit_event_action",
                        [("event_date", ">=", fields.Datetime.to_string(since))],
                    ),
                ),
                self._gov_kpi(
                    self.env._("Chain at last verification"),
                    verdict,
                    severity=severity,
                    action=self._gov_action("gov_base.gov_audit_verification_action"),
                ),
            ]
            + (
                [
                    self._gov_kpi(
                        self.env._("Events waiting to be sealed"),
                        unsealed,
                        severity="warning" if unsealed > 1000 else "ok",
                        action=self._gov_action(
                            "gov_base.gov_audit_event_action", unsealed_domain
                        ),
                        help_text=self.env._(
                            "Sealed into the hash chain by a scheduled action."
                        ),
                    )
                ]
                if unsealed
                else []
            ),
        }

    @api.model
    def _gov_dashboard_sod(self):
        rules = self.env["gov.sod.rule"].search_count([])
        violators = len(
            self.env["gov.sod.violation"]._read_group(
                [("user_active", "=", True)], ["user_id"]
            )
        )
        return {
            "key": "sod",
            "sequence": 95,
            "title": self.env._("Segregation of duties"),
            "kpis": [
                self._gov_kpi(
                    self.env._("Active rules"),
                    rules,
                    action=self._gov_action("gov_base.gov_sod_rule_action")
                    if self.env.user.has_group("gov_base.gov_base_group_admin")
                    else None,
                ),
                self._gov_kpi(
                    self.env._("Users in violation"),
                    violators,
                    severity="danger" if violators else "ok",
                    action=self._gov_action(
                        "gov_base.gov_sod_violation_action",
                        context={"search_default_active_users": 1},
                    ),
                ),
            ],
        }
