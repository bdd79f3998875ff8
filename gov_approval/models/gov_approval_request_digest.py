# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The daily digest: each approver who asked for it in their preferences
receives one e-mail listing the requests waiting for their decision (their
own and those delegated to them), at most once a day, nothing when none
waits."""

from odoo import api, fields, models
from odoo.fields import Domain

from odoo.addons.gov_base.tools.batches import lock_batch, run_batch

DIGEST_BATCH = 100
# requests listed in one digest; the others are counted
DIGEST_LINES = 50


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _digest_domain(self):
        today = fields.Date.context_today(self)
        return Domain(
            [
                ("gov_approval_digest", "=", True),
                ("share", "=", False),
                ("email", "!=", False),
            ]
        ) & (
            Domain("gov_approval_digest_date", "=", False)
            | Domain("gov_approval_digest_date", "<", today)
        )

    @api.model
    def _take_digests(self, batch_size):
        Users = self.env["res.users"].sudo()
        return lock_batch(Users, self._digest_domain(), batch_size, "id")

    @api.model
    def _cron_digest(self, batch_size=DIGEST_BATCH):
        """Scheduled action: send one batch of daily digests per call."""
        Users = self.env["res.users"].sudo()
        return run_batch(
            self.env,
            self._take_digests,
            batch_size=batch_size,
            process=self._send_digest,
            count_remaining=lambda: Users.search_count(self._digest_domain()),
        )

    @api.model
    def _digest_requests(self, user):
        """The requests waiting for ``user``'s decision, as they see them
        (their companies, their delegations)."""
        return (
            self.with_user(user)
            .with_context(allowed_company_ids=user.company_ids.ids)
            .search([("can_decide", "=", True)], order="id")
        )

    @api.model
    def _send_digest(self, user):
        """One digest for ``user``; the date is kept even when nothing waits,
        so that the day's digest is decided once."""
        requests = self._digest_requests(user).sudo()
        user.sudo().gov_approval_digest_date = fields.Date.context_today(
            self.with_context(tz=user.tz)
        )
        if not requests:
            return False
        base_url = self.get_base_url()
        body = self.env["ir.qweb"]._render(
            "gov_approval.approval_digest_mail",
            {
                "user": user,
                "requests": requests[:DIGEST_LINES],
                "more": max(len(requests) - DIGEST_LINES, 0),
                "base_url": base_url,
                "inbox_url": f"{base_url}/odoo/governance-my-approvals",
            },
        )
        return (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": self._digest_subject(requests),
                    "email_to": user.email_formatted,
                    "email_from": self.env.company.email_formatted
                    or user.company_id.email_formatted
                    or False,
                    "body_html": body,
                    "auto_delete": True,
                }
            )
        )

    @api.model
    def _digest_subject(self, requests):
        if len(requests) == 1:
            return self.env._("%(name)s waits for your decision", name=requests.name)
        return self.env._(
            "%(count)s approval requests wait for your decision",
            count=len(requests),
        )
