# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The engine tells the requester the outcome itself: the automation rule
that did it goes (with its server action), or requesters would hear twice."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in (
        "gov_approval.base_automation_notify_requester",
        "gov_approval.ir_actions_server_notify_requester",
    ):
        record = env.ref(xmlid, raise_if_not_found=False)
        if record:
            record.unlink()
