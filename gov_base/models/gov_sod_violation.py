# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL


class GovSodViolation(models.Model):
    """Users who hold both groups of an active rule (report, read-only).

    Assignments are refused once a rule exists; this report finds the users
    who already held both groups when the rule was added. Implied groups are
    followed transitively, as Odoo itself does when it grants access.
    """

    _name = "gov.sod.violation"
    _description = "Segregation of Duties Violation"
    _auto = False
    _order = "user_id, rule_id"

    user_id = fields.Many2one("res.users", readonly=True)
    rule_id = fields.Many2one("gov.sod.rule", readonly=True)
    group_a_id = fields.Many2one("res.groups", string="Group", readonly=True)
    group_b_id = fields.Many2one("res.groups", string="Conflicts With", readonly=True)
    reason = fields.Text(related="rule_id.reason")
    user_active = fields.Boolean(string="Active User", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %s AS (
    WITH RECURSIVE closure(gid, hid) AS (
        SELECT id, id FROM res_groups
        UNION
        SELECT c.gid, r.hid
          FROM closure c JOIN res_groups_implied_rel r ON r.gid = c.hid
    ),
    held AS (
        SELECT DISTINCT ug.uid, c.hid AS gid
          FROM res_groups_users_rel ug JOIN closure c ON c.gid = ug.gid
    )
    SELECT row_number() OVER (ORDER BY rule.id, u.id) AS id,
           u.id AS user_id,
           u.active AS user_active,
           rule.id AS rule_id,
           rule.group_a_id,
           rule.group_b_id
      FROM gov_sod_rule rule
      JOIN held a ON a.gid = rule.group_a_id
      JOIN held b ON b.gid = rule.group_b_id AND b.uid = a.uid
      JOIN res_users u ON u.id = a.uid
     WHERE rule.active
)
""",
                SQL.identifier(self._table),
            )
        )
