# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Time: the SLA scheduled action (flag breaches, raise the severity, tell
owner and team), notifications to a group, and the retention of closed
items."""

from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.gov_base.tools.batches import run_batch
from odoo.addons.gov_base.tools.params import int_param

from ..tools.engine import queue_writes
from .gov_exception_item import CLOSED_STATES, SEVERITY_ORDER
from .gov_exception_policy import SEVERITIES


class GovExceptionItem(models.Model):
    """SLA breaches, notifications and retention of the queue."""

    _inherit = "gov.exception.item"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------------
    @api.model
    def _cron_check_sla(self, batch_size=200):
        """Scheduled action: flag one batch of breached items, raise their
        severity, tell owner and team; Odoo calls again while some remain."""
        domain = [
            ("state", "not in", CLOSED_STATES),
            ("sla_breached", "=", False),
            ("sla_deadline", "<=", fields.Datetime.now()),
        ]
        with queue_writes():
            return run_batch(
                self.env,
                lambda size: self._lock_batch(domain, size, "sla_deadline, id"),
                batch_size=batch_size,
                process_batch=lambda items: items._flag_sla_breach(),
                count_remaining=lambda: self.sudo().search_count(domain),
            )

    def _flag_sla_breach(self):
        self.write({"sla_breached": True})
        groups = {
            severity: self.filtered(lambda i, s=severity: i.severity == s)
            for severity in SEVERITY_ORDER[:-1]
        }
        for severity, group in groups.items():
            if group:
                raised = SEVERITY_ORDER[SEVERITY_ORDER.index(severity) + 1]
                group.write({"severity": raised})
        for item in self:
            deadline = fields.Datetime.to_string(item.sla_deadline)
            if item.owner_id:
                item.activity_schedule(
                    "gov_exception.mail_activity_type_exception",
                    user_id=item.owner_id.id,
                    summary=self.env._("SLA breached"),
                    note=self.env._("This item was due by %s.", deadline),
                )
            partners = item.team_id.sudo().all_user_ids.filtered("active").partner_id
            if not partners and item.owner_id:
                partners = item.owner_id.partner_id
            item.message_post(
                body=self.env._(
                    "SLA breached: the item was due by %(deadline)s;"
                    " severity is now %(severity)s.",
                    deadline=deadline,
                    severity=dict(SEVERITIES)[item.severity],
                ),
                partner_ids=partners.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="notification",
            )

    @api.private
    def notify_group(self, group_xmlid):
        """Post a message on each item for the members of a group (used by rules)."""
        group = self.env.ref(group_xmlid, raise_if_not_found=False)
        if not group:
            return False
        partners = group.sudo().all_user_ids.filtered("active").partner_id
        for item in self:
            item.sudo().message_post(
                body=self.env._(
                    "%(severity)s exception: %(name)s",
                    severity=dict(SEVERITIES)[item.severity],
                    name=item.name,
                ),
                partner_ids=partners.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="notification",
            )
        return True

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------
    @api.autovacuum
    def _gc_closed_items(self, chunk=1000):
        """Remove resolved and ignored items past the retention age.

        Dead-letter items are never removed automatically. Returns
        ``(done, remaining)`` so that the vacuum comes back for the rest.
        """
        days = int_param(self.env, "gov_exception.retention_days", 90)
        if days <= 0:
            return 0, 0
        domain = [
            ("state", "in", CLOSED_STATES),
            ("closed_date", "<", fields.Datetime.now() - timedelta(days=days)),
        ]
        items = self.sudo().search(domain, limit=chunk, order="closed_date, id")
        done = len(items)
        if items:
            # the ORM removes their messages and attachments with them
            with queue_writes():
                items.unlink()
        remaining = self.sudo().search_count(domain) if done == chunk else 0
        return done, remaining
