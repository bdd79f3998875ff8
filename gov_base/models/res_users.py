# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        self.env["gov.sod.rule"]._refuse_new_violations(users, set())
        users._gov_audit_role_changes({})
        return users

    def write(self, vals):
        if "group_ids" not in vals:
            return super().write(vals)
        Rule = self.env["gov.sod.rule"]
        roles_before = self._gov_roles()
        violations_before = Rule._violations(self)
        res = super().write(vals)
        Rule._refuse_new_violations(self, violations_before)
        self._gov_audit_role_changes(roles_before)
        return res

    def _gov_roles(self):
        """Governance roles held by each user (explicit or implied), by id."""
        roles = self.env["res.groups"]._gov_role_groups()
        return {
            user.id: set((user.sudo().all_group_ids & roles).mapped("display_name"))
            for user in self
        }

    def _gov_audit_role_changes(self, before):
        """Write one audit event per user whose governance roles changed."""
        after = self._gov_roles()
        Event = self.env["gov.audit.event"]
        for user in self:
            old, new = before.get(user.id, set()), after[user.id]
            if old == new:
                continue
            Event.record(
                "security.roles_changed",
                self.env._(
                    "Governance roles of %(user)s changed", user=user.display_name
                ),
                record=user,
                details={
                    "added": sorted(new - old),
                    "removed": sorted(old - new),
                    "before": sorted(old),
                    "after": sorted(new),
                },
            )
