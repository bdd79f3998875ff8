# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one engine-only write guard of the suite (see ``tools/engine.py``)."""

from odoo import api, models

from ..tools.engine import check_granted


class GovEngineMixin(models.AbstractModel):
    """Records only their engine creates, writes or deletes.

    Access rights give no group write access to such records; this guard
    closes the ``sudo()`` paths too (server actions, other modules): a write
    passes only inside a grant the engine opened for the model
    (``engine_writes``), which code evaluated by Odoo cannot open.
    """

    _name = "gov.engine.mixin"
    _description = "Written by the Suite's Engine Only"

    # fields anyone with write access may change (mail.thread bookkeeping)
    _gov_engine_free_fields = frozenset(
        {"message_main_attachment_id", "activity_ids", "message_follower_ids"}
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_granted(self, "create")
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - self._gov_engine_free_fields:
            check_granted(self, "write")
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_by_engine_only(self):
        check_granted(self, "unlink")
