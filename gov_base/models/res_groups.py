# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models, tools

ROLE_XMLIDS = (
    "gov_base.gov_base_group_user",
    "gov_base.gov_base_group_approver",
    "gov_base.gov_base_group_matrix_manager",
    "gov_base.gov_base_group_integration_manager",
    "gov_base.gov_base_group_auditor",
    "gov_base.gov_base_group_admin",
)


class ResGroups(models.Model):
    _inherit = "res.groups"

    @api.model_create_multi
    def create(self, vals_list):
        Rule = self.env["gov.sod.rule"]
        members = self.env["res.users"].sudo().with_context(active_test=False)
        for vals in vals_list:
            members |= members.browse(_command_ids(vals.get("user_ids")))
        violations_before = Rule._violations(members)
        roles_before = members._gov_roles()
        groups = super().create(vals_list)
        Rule._refuse_new_violations(Rule._violating_members(groups), violations_before)
        if groups.sudo().all_implied_ids & self._gov_role_groups():
            groups.sudo().all_user_ids._gov_audit_role_changes(roles_before)
        return groups

    def write(self, vals):
        touched = {"user_ids", "implied_ids", "implied_by_ids"} & set(vals)
        if not touched:
            return super().write(vals)
        Rule = self.env["gov.sod.rule"]
        violations_before = Rule._violations(Rule._violating_members(self))
        # Only snapshot roles when governance roles can be affected: nothing
        # changes a role unless these groups, or the groups they start
        # implying, lead to one. Large groups (all employees) stay cheap.
        roles = self._gov_role_groups()
        newly_implied = self.browse(_command_ids(vals.get("implied_ids"))).sudo()
        track_roles = bool(
            (self.sudo().all_implied_ids | newly_implied.all_implied_ids) & roles
        )
        users = self.sudo().all_user_ids if track_roles else self.env["res.users"]
        roles_before = users._gov_roles()
        res = super().write(vals)
        Rule._refuse_new_violations(Rule._violating_members(self), violations_before)
        if track_roles:
            (users | self.sudo().all_user_ids)._gov_audit_role_changes(roles_before)
        return res

    @api.model
    def _gov_role_groups(self):
        return self.sudo().browse(self._gov_role_group_ids())

    @api.model
    @tools.ormcache()
    def _gov_role_group_ids(self):
        ids = []
        for xmlid in ROLE_XMLIDS:
            group = self.env.ref(xmlid, raise_if_not_found=False)
            if group:
                ids.append(group.id)
        return tuple(ids)


def _command_ids(commands):
    """Record ids linked by x2many commands (link and set)."""
    ids = []
    for command in commands or ():
        if isinstance(command, (list, tuple)) and command:
            if command[0] == 4:
                ids.append(command[1])
            elif command[0] == 6:
                ids.extend(command[2])
    return ids
