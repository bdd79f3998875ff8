# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class GovCachedConfigMixin(models.AbstractModel):
    """Configuration that hot paths read through ``ormcache``.

    Any change to such a record clears the registry caches, so that routing
    tables built from it are rebuilt on next use, in every worker.
    """

    _name = "gov.cached.config.mixin"
    _description = "Governance Cached Configuration"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
