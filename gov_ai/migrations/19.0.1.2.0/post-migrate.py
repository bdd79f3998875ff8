# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The duplicate search gets its index of similar partner names (the trigrams
of their loose name key, where PostgreSQL has pg_trgm)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["gov.ai.use.case"].with_context(active_test=False).search(
        []
    )._ensure_search_indexes()
