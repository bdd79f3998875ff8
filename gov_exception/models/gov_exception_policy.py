# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

CATEGORIES = [
    ("malformed", "Malformed payload"),
    ("signature", "Signature failure"),
    ("security", "Security alert"),
    ("handler", "Handler failure"),
    ("delivery", "Delivery failure"),
    ("business_rule", "Business rule breach"),
    ("ai_low_confidence", "AI low confidence"),
    ("sla_breach", "SLA breach"),
    ("other", "Other"),
]
SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
SOURCE_TYPES = [
    ("endpoint", "Webhook endpoint"),
    ("subscription", "Webhook subscription"),
    ("cron", "Scheduled action"),
    ("automation", "Automation rule"),
    ("server_action", "Server action"),
    ("module", "Module"),
    ("other", "Other"),
]
# What an item gets when no policy matches.
DEFAULT_ROUTE = {
    "policy_id": False,
    "owner_id": False,
    "team_id": False,
    "severity": False,
    "sla_hours": 24.0,
    "max_attempts": 8,
    "backoff_base": 60,
    "backoff_factor": 2.0,
    "backoff_max": 6 * 3600,
    "backoff_jitter": 0.2,
}


class GovExceptionPolicy(models.Model):
    """Routing of captured items: owner, team, SLA and retry schedule.

    The first active policy (by sequence) whose criteria all match an item
    routes it; an empty criterion matches everything.
    """

    _name = "gov.exception.policy"
    _inherit = ["gov.cached.config.mixin"]
    _description = "Exception Queue Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to apply to every company."
    )
    category = fields.Selection(CATEGORIES, help="Leave empty for any category.")
    source_type = fields.Selection(SOURCE_TYPES, help="Leave empty for any source.")
    source = fields.Char(
        help="Matches items whose source contains this text (case-insensitive)."
    )
    severity = fields.Selection(
        SEVERITIES,
        string="Set Severity",
        help="Overrides the severity given at capture.",
    )
    owner_id = fields.Many2one("res.users", domain=[("share", "=", False)])
    team_id = fields.Many2one(
        "res.groups",
        help="Members are notified of SLA breaches and see the items.",
    )
    sla_hours = fields.Float(string="SLA (hours)", default=24.0)
    max_attempts = fields.Integer(
        default=8, help="Automatic attempts before the item goes to dead-letter."
    )
    backoff_base = fields.Integer(
        string="First Retry After (s)",
        default=60,
        help="Seconds before the first retry.",
    )
    backoff_factor = fields.Float(
        default=2.0,
        help="Each wait is this many times longer.",
    )
    backoff_max = fields.Integer(
        string="Longest Wait (s)", default=6 * 3600, help="Cap of one wait, in seconds."
    )
    backoff_jitter = fields.Float(
        string="Jitter",
        default=0.2,
        help="Random spread of each wait, as a ratio (0.2 = plus or minus 20%).",
    )
    schedule_preview = fields.Char(compute="_compute_schedule_preview")
    item_count = fields.Integer(compute="_compute_item_count")

    _positive_schedule = models.Constraint(
        "CHECK (max_attempts >= 0 AND backoff_base >= 0 AND backoff_max >= 0"
        " AND backoff_factor >= 1 AND backoff_jitter >= 0 AND backoff_jitter < 1"
        " AND sla_hours >= 0)",
        "Attempts, waits and SLA cannot be negative; the backoff factor is at least 1"
        " and the jitter is below 1.",
    )

    @api.depends("max_attempts", "backoff_base", "backoff_factor", "backoff_max")
    def _compute_schedule_preview(self):
        for policy in self:
            waits, total = [], 0.0
            for attempt in range(1, min(policy.max_attempts, 12) + 1):
                wait = min(
                    policy.backoff_max,
                    policy.backoff_base * policy.backoff_factor ** (attempt - 1),
                )
                total += wait
                waits.append(_human_duration(wait))
            policy.schedule_preview = (
                self.env._(
                    "%(waits)s (about %(total)s in all)",
                    waits=", ".join(waits),
                    total=_human_duration(total),
                )
                if waits
                else self.env._("no automatic retry")
            )

    def _compute_item_count(self):
        counts = dict(
            self.env["gov.exception.item"]._read_group(
                [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.item_count = counts.get(policy, 0)

    @api.constrains("owner_id", "team_id")
    def _check_owner_in_team(self):
        for policy in self:
            if (
                policy.owner_id
                and policy.team_id
                and policy.team_id not in policy.owner_id.all_group_ids
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a member of the team %(team)s.",
                        user=policy.owner_id.name,
                        team=policy.team_id.display_name,
                    )
                )

    def action_open_items(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_exception.gov_exception_item_action"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Routing (cached: capture is a hot path)
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache()
    def _routing_table(self):
        """Active policies as plain tuples, in matching order."""
        policies = self.sudo().search([("active", "=", True)])
        return tuple(
            (
                policy.company_id.id,
                policy.category or None,
                policy.source_type or None,
                (policy.source or "").lower() or None,
                {
                    "policy_id": policy.id,
                    "owner_id": policy.owner_id.id,
                    "team_id": policy.team_id.id,
                    "severity": policy.severity or False,
                    "sla_hours": policy.sla_hours,
                    "max_attempts": policy.max_attempts,
                    "backoff_base": policy.backoff_base,
                    "backoff_factor": policy.backoff_factor,
                    "backoff_max": policy.backoff_max,
                    "backoff_jitter": policy.backoff_jitter,
                },
            )
            for policy in policies
        )

    @api.model
    def _route(self, category, source_type, source, company_id):
        """The route (a dict) for an item with these attributes."""
        source = (source or "").lower()
        for p_company, p_category, p_type, p_source, route in self._routing_table():
            if p_company and p_company != company_id:
                continue
            if p_category and p_category != category:
                continue
            if p_type and p_type != source_type:
                continue
            if p_source and p_source not in source:
                continue
            return dict(route)
        return dict(DEFAULT_ROUTE)


def _human_duration(seconds):
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f}h".replace(".0h", "h")
    return f"{seconds / 86400:.1f}d".replace(".0d", "d")
