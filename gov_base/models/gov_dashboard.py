# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models


class GovDashboard(models.AbstractModel):
    """Process health of the suite, one section per module.

    Each module extends :meth:`_gov_dashboard_sections` with ``super()`` and
    appends the sections its reader may see; every figure is an aggregate
    query, never a loop over records.
    """

    _name = "gov.dashboard"
    _description = "Governance Dashboard"

    @api.model
    @api.readonly
    def get_dashboard_data(self):
        sections = [s for s in self._gov_dashboard_sections() if s.get("kpis")]
        return sorted(sections, key=lambda s: (s.get("sequence", 100), s["key"]))

    @api.model
    def _gov_dashboard_sections(self):
        user = self.env.user
        if not (
            user.has_group("gov_base.gov_base_group_auditor")
            or user.has_group("gov_base.gov_base_group_admin")
        ):
            return []
        return [self._gov_dashboard_audit(), self._gov_dashboard_sod()]

    @api.model
    def _gov_kpi(self, label, value, *, severity="ok", action=None, help_text=""):
        """One figure of a section; ``action`` is what a click opens."""
        return {
            "label": label,
            "value": value,
            "severity": severity,
            "action": action,
            "help": help_text,
        }

    @api.model
    def _gov_action(self, xmlid, domain=None, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        if domain is not None:
            action["domain"] = domain
        action["context"] = context or {}
        return action

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
                self._gov_kpi(
                    self.env._("Events waiting to be sealed"),
                    unsealed,
                    severity="warning" if unsealed > 1000 else "ok",
                    action=self._gov_action(
                        "gov_base.gov_audit_event_action", unsealed_domain
                    ),
                ),
            ],
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
