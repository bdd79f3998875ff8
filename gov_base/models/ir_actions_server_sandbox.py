# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Server actions (and through them automation rules and scheduled actions)
run sandboxed: no engine grant is open inside, and only the user running the
action can act (see ``tools/engine.py``)."""

from odoo import models

from ..tools.engine import sandboxed


# one concern per file: the action types of ir_actions_server.py are another
class IrActionsServer(models.Model):
    _inherit = "ir.actions.server"  # pylint: disable=consider-merging-classes-inherited

    def run(self):
        with sandboxed(self.env.uid):
            return super().run()
