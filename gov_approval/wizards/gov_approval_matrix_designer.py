# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A new approval matrix from a template or from scratch, as a ladder of
approval levels: "from 5,000 the Controller approves; from 50,000 the
Finance Director too".

Each level starts at an amount and names who approves from there; the
designer turns the ladder into bands (one per level, up to the next level)
whose steps are the levels reached, lowest first (or the level alone when
higher levels do not go through the lower ones). The matrix is made as a
draft: it governs nothing until a Matrix Manager activates it, on its form,
after a replay if they wish. Anything beyond a ladder (conditions, steps
running together, escalation) is edited on the matrix afterwards.
"""

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.fields import Command

from ..tools import policy_text

APPROVERS = "gov_base.gov_base_group_approver"
# the models whose first declared action a template preselects
TEMPLATE_MODELS = {
    "two_levels": ("purchase.order",),
    "three_bands": ("account.move",),
    "board": (),
    "custom": (),
}


class GovApprovalMatrixDesigner(models.TransientModel):
    """A ladder of approval levels that becomes a draft matrix."""

    _name = "gov.approval.matrix.designer"
    _description = "New Approval Policy"

    template = fields.Selection(
        [
            ("three_bands", "Three bands: none, one approver, two approvers"),
            ("two_levels", "Two levels: a manager, then a director"),
            ("board", "Board band: several of a board above a threshold"),
            ("custom", "From scratch"),
        ],
        default="three_bands",
        required=True,
    )
    action = fields.Selection(
        selection=lambda self: self.env["gov.approval.matrix"]._selection_action(),
        string="Governed Action",
        required=True,
    )
    name = fields.Char(compute="_compute_name", store=True, readonly=False)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    cumulative = fields.Boolean(
        string="Higher Levels Add Approvers",
        default=True,
        help="A document of a higher band goes through the approvers of every"
        " level below it first, then its own. Otherwise only its own level"
        " approves.",
    )
    level_ids = fields.One2many(
        "gov.approval.matrix.designer.level", "designer_id", string="Levels"
    )
    preview_html = fields.Html(
        string="Policy", compute="_compute_preview_html", sanitize=False
    )

    @api.onchange("template")
    def _onchange_template(self):
        """Fill the ladder and the governed action of the template."""
        models_ = TEMPLATE_MODELS[self.template or "custom"]
        levels = self._template_levels(self.template or "custom")
        keys = [
            key
            for key, _label in self._fields["action"]._description_selection(self.env)
        ]
        preferred = next(
            (key for model in models_ for key in keys if key.startswith(f"{model}:")),
            False,
        )
        if preferred and not self.action:
            self.action = preferred
        commands = [Command.clear()]
        for sequence, (amount, name, group, needed) in enumerate(levels):
            group = self.env.ref(group, raise_if_not_found=False) if group else None
            commands.append(
                Command.create(
                    {
                        "sequence": sequence,
                        "min_amount": amount,
                        "name": name or False,
                        "approver_type": "group" if group else "user",
                        "group_id": group.id if group else False,
                        "min_approvals": needed,
                    }
                )
            )
        self.level_ids = commands

    def _template_levels(self, template):
        """(from amount, step name, group xmlid or None, approvals needed)
        of each level of a template."""
        return {
            "two_levels": [
                (0.0, self.env._("Manager"), APPROVERS, 1),
                (5000.0, self.env._("Director"), None, 1),
            ],
            "three_bands": [
                (0.0, "", None, 1),
                (5000.0, self.env._("Controller"), APPROVERS, 1),
                (50000.0, self.env._("Finance Director"), None, 1),
            ],
            "board": [
                (0.0, self.env._("Manager"), APPROVERS, 1),
                (100000.0, self.env._("Board"), None, 2),
            ],
            "custom": [(0.0, "", None, 1)],
        }[template]

    @api.depends("action", "template")
    def _compute_name(self):
        labels = dict(self._fields["action"]._description_selection(self.env))
        for designer in self:
            designer.name = labels.get(designer.action) or False

    @api.depends(
        "cumulative",
        "action",
        "level_ids.min_amount",
        "level_ids.name",
        "level_ids.approver_type",
        "level_ids.user_ids",
        "level_ids.group_id",
        "level_ids.min_approvals",
    )
    def _compute_preview_html(self):
        for designer in self:
            fmt = designer._format_amount
            sentences = [
                policy_text.band_sentence(
                    self.env,
                    fmt,
                    low,
                    high,
                    "",
                    [[(level._step_name(), level._who())] for level in route],
                )
                for low, high, route in designer._bands()
            ]
            labels = dict(self._fields["action"]._description_selection(self.env))
            heading = self.env._(
                "%(what)s, for every document:",
                what=labels.get(designer.action) or self.env._("No action chosen yet"),
            )
            designer.preview_html = policy_text.policy_html(
                self.env, heading, sentences
            )

    def _format_amount(self, amount):
        currency = self.currency_id or self.env.company.currency_id
        return tools.format_amount(self.env, amount, currency)

    def _levels(self):
        return self.level_ids.sorted(lambda level: (level.min_amount, level.sequence))

    def _bands(self):
        """``(from, up to, levels routed)`` per band; up to 0 is no end."""
        levels = list(self._levels())
        bands = []
        if levels and levels[0].min_amount > 0:
            bands.append((0.0, levels[0].min_amount, []))
        for index, level in enumerate(levels):
            high = levels[index + 1].min_amount if index + 1 < len(levels) else 0.0
            reached = levels[: index + 1] if self.cumulative else [level]
            bands.append(
                (
                    level.min_amount,
                    high,
                    [lvl for lvl in reached if lvl._has_approvers()],
                )
            )
        return bands

    def _check_ladder(self):
        levels = list(self._levels())
        if not levels:
            raise UserError(self.env._("Add at least one level."))
        amounts = [level.min_amount for level in levels]
        if len(set(amounts)) != len(amounts) or min(amounts) < 0:
            raise UserError(
                self.env._("Each level starts at its own amount, zero or more.")
            )
        for level in levels[1:]:
            if not level._has_approvers():
                raise UserError(
                    self.env._(
                        "Say who approves from %(amount)s.",
                        amount=self._format_amount(level.min_amount),
                    )
                )

    def action_create(self):
        """Make the draft matrix and open it."""
        self.ensure_one()
        self._check_ladder()
        bands = []
        for sequence, (low, high, route) in enumerate(self._bands()):
            steps = [
                Command.create(dict(level._step_values(), sequence=index))
                for index, level in enumerate(route)
            ]
            bands.append(
                Command.create(
                    {
                        "sequence": sequence,
                        "min_amount": low,
                        "max_amount": high,
                        "step_ids": steps,
                    }
                )
            )
        matrix = self.env["gov.approval.matrix"].create(
            {
                "name": self.name
                or dict(self._fields["action"]._description_selection(self.env))[
                    self.action
                ],
                "kind": "bridge",
                "action": self.action,
                "company_id": self.company_id.id,
                "active": False,
                "line_ids": bands,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "gov.approval.matrix",
            "res_id": matrix.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
