# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The audit chain becomes keyed: the events sealed so far keep their unkeyed
SHA-256 hashes, and a first signed verification result records where the
keyed chain starts (and vouches for the unsigned results before it)."""

from odoo import SUPERUSER_ID, api

from odoo.addons.gov_base.models.gov_audit_verification import start_keyed_chain


def migrate(cr, version):
    if not version:
        return
    start_keyed_chain(api.Environment(cr, SUPERUSER_ID, {}))
