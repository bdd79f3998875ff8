# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import AccessError

# A Python object cannot travel through JSON-RPC: no caller can forge it.
_ENGINE = object()


class GovApprovalEngineMixin(models.AbstractModel):
    """Records that only the approval engine creates, writes or deletes.

    Access rights already give no group write access; this closes the sudo
    paths too (server action code, other modules), so that an approval can
    only come from the engine's decision method.
    """

    _name = "gov.approval.engine.mixin"
    _description = "Written by the Approval Engine Only"

    def _engine(self):
        return self.with_context(gov_approval_engine=_ENGINE)

    def _is_engine(self):
        return self.env.context.get("gov_approval_engine") is _ENGINE

    def _refuse_outside_engine(self):
        if not self._is_engine():
            raise AccessError(
                self.env._(
                    "%(model)s records are written by the approval engine only.",
                    model=self._description,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._refuse_outside_engine()
        return super().create(vals_list)

    def write(self, vals):
        # mail.thread bookkeeping (followers, activities) is not an approval
        if set(vals) - self._engine_free_fields():
            self._refuse_outside_engine()
        return super().write(vals)

    def _engine_free_fields(self):
        return {"message_main_attachment_id", "activity_ids", "message_follower_ids"}

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self._is_engine():
            return
        raise AccessError(
            self.env._(
                "Approval history is never deleted; cancel or supersede instead."
            )
        )
