# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Automation rules now queue the questions they ask of the built-in
provider for the scheduled action; the use cases that existed before were
answered inside the save, and stay so until their owner says otherwise. The
duplicate search gets its new indexes (a counterpart's records by date and
by amount, partners by the key of their name)."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """UPDATE gov_ai_use_case uc SET synchronous = TRUE
                 FROM gov_ai_provider p
                WHERE p.id = uc.provider_id AND p.kind = 'builtin'"""
        )
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["gov.ai.use.case"].with_context(active_test=False).search(
        []
    )._ensure_search_indexes()
