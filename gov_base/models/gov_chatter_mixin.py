# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The chatter of the suite's records, closed to what Odoo lets any reader
do: follow a record and send notifications from it."""

from odoo import models
from odoo.exceptions import AccessError


class GovChatterMixin(models.AbstractModel):
    """Odoo's chatter, where reading a record is not enough to act on it.

    Odoo lets whoever reads a record follow it, and anyone who can call
    ``message_notify`` push a notification that seems to come from it. On
    the suite's records, Auditors read and change nothing: they neither
    follow nor notify; and notifications from a record are sent by those
    who may change it (or by the engine, in sudo).
    """

    _name = "gov.chatter.mixin"
    _inherit = ["mail.thread"]
    _description = "Chatter of a Governance Record"

    def _gov_refuse_auditors(self):
        if not self.env.su and self.env.user.has_group(
            "gov_base.gov_base_group_auditor"
        ):
            raise AccessError(
                self.env._(
                    "Auditors read %(model)s records; they do not follow them"
                    " nor send notifications from them.",
                    model=self._description,
                )
            )

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if self and partner_ids:
            self._gov_refuse_auditors()
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    def message_notify(self, **kwargs):
        if not self.env.su:
            self._gov_refuse_auditors()
            if self:
                self.check_access("write")
        return super().message_notify(**kwargs)
