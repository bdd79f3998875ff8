# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Automation rules and the methods matrices govern without code: both wrap
``create`` and ``write`` on models' classes, and when Odoo reloads its rules
it drops every wrapper of these methods. The approval engine wraps its own
again right after, so that no rule saved in a worker opens its gates."""

from odoo import models


class BaseAutomation(models.Model):
    _inherit = "base.automation"

    def _register_hook(self):
        res = super()._register_hook()
        self.env["gov.approval.matrix"]._gov_nocode_register()
        return res
