# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.fields import Domain

AUDITED_FIELDS = ("group_a_id", "group_b_id", "reason", "active")


class GovSodRule(models.Model):
    """A pair of groups that one user must never hold together.

    The pair is enforced whenever groups are given to users, by any path
    (user form, a group's users, implied groups, RPC). Users who already held
    both groups when a rule is added are listed by the violation report.
    """

    _name = "gov.sod.rule"
    _description = "Segregation of Duties Rule"
    _order = "group_a_id, group_b_id, id"

    group_a_id = fields.Many2one(
        "res.groups", string="Group", required=True, ondelete="cascade", index=True
    )
    group_b_id = fields.Many2one(
        "res.groups",
        string="Conflicts With",
        required=True,
        ondelete="cascade",
        index=True,
    )
    reason = fields.Text(
        required=True,
        help="Why one person must not hold both roles; shown when an assignment"
        " is refused.",
    )
    active = fields.Boolean(default=True)
    violation_count = fields.Integer(compute="_compute_violation_count")

    _distinct_groups = models.Constraint(
        "CHECK (group_a_id <> group_b_id)",
        "A group cannot conflict with itself.",
    )
    _pair_uniq = models.UniqueIndex(
        "(LEAST(group_a_id, group_b_id), GREATEST(group_a_id, group_b_id))",
        "A rule for these two groups already exists.",
    )

    @api.depends("group_a_id", "group_b_id")
    def _compute_display_name(self):
        for rule in self:
            rule.display_name = self.env._(
                "%(a)s ≠ %(b)s",
                a=rule.group_a_id.display_name or "",
                b=rule.group_b_id.display_name or "",
            )

    def _compute_violation_count(self):
        counts = dict(
            self.env["gov.sod.violation"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.violation_count = counts.get(rule, 0)

    @api.constrains("group_a_id", "group_b_id")
    def _check_groups_assignable(self):
        """Refuse pairs that would make some group impossible to give."""
        for rule in self:
            a, b = rule.group_a_id, rule.group_b_id
            if b in a.all_implied_ids or a in b.all_implied_ids:
                raise ValidationError(
                    self.env._(
                        "%(a)s and %(b)s cannot conflict: one implies the other.",
                        a=a.display_name,
                        b=b.display_name,
                    )
                )
            both = (a.all_implied_by_ids & b.all_implied_by_ids) - a - b
            if both:
                raise ValidationError(
                    self.env._(
                        "%(a)s and %(b)s cannot conflict: %(groups)s implies both,"
                        " so nobody could be given it.",
                        a=a.display_name,
                        b=b.display_name,
                        groups=", ".join(both.mapped("display_name")),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        for rule in rules:
            rule._audit("sod.rule.created", before=None)
        return rules

    def write(self, vals):
        before = {rule.id: rule._audit_values() for rule in self}
        res = super().write(vals)
        if set(vals) & set(AUDITED_FIELDS):
            self.env.registry.clear_cache()
            for rule in self:
                rule._audit("sod.rule.changed", before=before[rule.id])
        return res

    def unlink(self):
        for rule in self:
            rule._audit("sod.rule.deleted", before=rule._audit_values(), deleted=True)
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    def _audit_values(self):
        self.ensure_one()
        return {
            "group_a": self.group_a_id.display_name,
            "group_b": self.group_b_id.display_name,
            "reason": self.reason,
            "active": self.active,
        }

    def _audit(self, event_type, before, deleted=False):
        after = None if deleted else self._audit_values()
        self.env["gov.audit.event"].record(
            event_type,
            self.env._("Segregation of duties rule %(rule)s", rule=self.display_name),
            record=self,
            details={"before": before, "after": after},
        )

    # ------------------------------------------------------------------
    # Enforcement
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache()
    def _get_active_pairs(self):
        """(rule id, group a id, group b id) of every active rule, cached."""
        rules = self.sudo().search([("active", "=", True)], order="id")
        return tuple((r.id, r.group_a_id.id, r.group_b_id.id) for r in rules)

    @api.model
    def _violations(self, users):
        """(user id, rule id) pairs for users holding both groups of a rule."""
        pairs = self._get_active_pairs()
        found = set()
        if not pairs:
            return found
        for user in users.sudo().with_context(active_test=False):
            held = set(user.all_group_ids.ids)
            found.update(
                (user.id, rule_id) for rule_id, a, b in pairs if a in held and b in held
            )
        return found

    @api.model
    def _violating_members(self, groups):
        """Users holding, through ``groups`` or otherwise, a conflicting pair.

        One query whatever the number of rules; only members of ``groups`` or
        of the groups implying them are considered.
        """
        pairs = self._get_active_pairs()
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        if not pairs or not groups:
            return Users
        affected = groups.sudo().all_implied_by_ids
        domain = Domain("group_ids", "in", affected.ids) & Domain.OR(
            Domain("all_group_ids", "in", [a]) & Domain("all_group_ids", "in", [b])
            for _rule_id, a, b in pairs
        )
        return Users.search(domain, order="id")

    @api.model
    def _refuse_new_violations(self, users, before):
        """Raise if ``users`` hold a conflicting pair they did not hold before.

        Users who already violated a rule when it was added are left to the
        violation report; they are not locked out of unrelated changes.
        """
        new = self._violations(users) - before
        if new:
            user_id, rule_id = min(new)
            self._raise_violation(
                self.env["res.users"].sudo().browse(user_id),
                self.sudo().browse(rule_id),
            )

    @api.model
    def _raise_violation(self, user, rule):
        raise ValidationError(
            self.env._(
                "%(user)s cannot be in both %(group_a)s and %(group_b)s."
                " Segregation of duties: %(reason)s",
                user=user.display_name,
                group_a=rule.group_a_id.display_name,
                group_b=rule.group_b_id.display_name,
                reason=rule.reason,
            )
        )

    def action_view_violations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_base.gov_sod_violation_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {}
        return action
