# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError


class GovApprovalMatrixLine(models.Model):
    """A threshold band: an amount range (and conditions) routed to steps.

    The screens say "band"; the code says ``line`` (``line_ids`` of a matrix,
    ``line_id`` of a request), as Odoo names a record's rows. The minimum is
    inclusive and the maximum exclusive, in the company
    currency of the matrix; a maximum of zero means no upper bound.
    """

    _name = "gov.approval.matrix.line"
    _description = "Approval Band"
    _inherit = ["gov.cached.config.mixin"]
    _order = "matrix_id, sequence, min_amount, id"

    matrix_id = fields.Many2one(
        "gov.approval.matrix", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(compute="_compute_name", store=True, readonly=False)
    company_id = fields.Many2one(related="matrix_id.company_id", store=True)
    currency_id = fields.Many2one(related="matrix_id.currency_id")
    res_model = fields.Char(related="matrix_id.res_model")
    min_amount = fields.Monetary(string="From (inclusive)", default=0.0)
    max_amount = fields.Monetary(
        string="Up To (exclusive)", help="Leave at zero for no upper bound."
    )
    domain = fields.Char(
        string="Extra Conditions",
        default="[]",
        help="Only documents matching this filter fall in the band (product"
        " category, vendor, analytic account, ...).",
    )
    step_ids = fields.One2many("gov.approval.step", "line_id", string="Steps")
    route_display = fields.Char(string="Route", compute="_compute_route_display")

    _check_amounts = models.Constraint(
        "CHECK (min_amount >= 0 AND (max_amount = 0 OR max_amount > min_amount))",
        "A band starts at zero or more and ends above its start (or has no end).",
    )

    @api.depends("min_amount", "max_amount", "matrix_id.currency_id")
    def _compute_name(self):
        for line in self:
            fmt = line.matrix_id._format_amount if line.matrix_id else str
            if line.max_amount:
                line.name = f"{fmt(line.min_amount)} – {fmt(line.max_amount)}"
            elif not line.min_amount:
                line.name = self.env._("Any amount")
            else:
                line.name = self.env._(
                    "%(amount)s and above", amount=fmt(line.min_amount)
                )

    @api.depends("step_ids.name", "step_ids.sequence", "step_ids.parallel")
    def _compute_route_display(self):
        for line in self:
            line.route_display = " → ".join(
                " + ".join(name for name, _who in stage)
                for stage in line._policy_stages()
            ) or self.env._("No approval needed")

    def _policy_stages(self):
        """The band's steps as stages of ``(name, who)``: steps that run with
        the previous one share its stage."""
        self.ensure_one()
        stages = []
        for step in self.step_ids:
            said = (step.name or "", step.approvers_display or "")
            if step.parallel and stages:
                stages[-1].append(said)
            else:
                stages.append([said])
        return stages

    @api.constrains("min_amount", "max_amount", "domain", "matrix_id")
    def _check_overlap(self):
        """Bands with the same conditions must not overlap."""
        for matrix in self.matrix_id:
            lines = self.search([("matrix_id", "=", matrix.id)])
            for index, line in enumerate(lines):
                line.matrix_id._parse_domain(line.domain, matrix.res_model)
                for other in lines[index + 1 :]:
                    if line._same_conditions(other) and line._overlaps(other):
                        raise ValidationError(
                            self.env._(
                                "Bands %(a)s and %(b)s of %(matrix)s overlap."
                                " A band includes its minimum and excludes its"
                                " maximum.",
                                a=line.name,
                                b=other.name,
                                matrix=matrix.name,
                            )
                        )

    def _same_conditions(self, other):
        return self._normalized_domain() == other._normalized_domain()

    def _normalized_domain(self):
        return "".join((self.domain or "[]").split())

    def _overlaps(self, other):
        inf = float("inf")
        return self.min_amount < (other.max_amount or inf) and other.min_amount < (
            self.max_amount or inf
        )

    def _has_conditions(self):
        return self._normalized_domain() != "[]"

    def _contains(self, amount):
        currency = self.currency_id
        above = currency.compare_amounts(amount, self.min_amount) >= 0
        below = (
            not self.max_amount or currency.compare_amounts(amount, self.max_amount) < 0
        )
        return above and below

    @tools.ormcache("self.id")
    def _parsed_domain(self):
        return self.matrix_id._parse_domain(self.domain, self.res_model)

    @tools.ormcache("self.id")
    def _route_data(self):
        """(name, step ids in order) of the band, cached like the matrix's
        configuration."""
        line = self.sudo()
        return line.name, tuple(line.step_ids.ids)

    def _route_steps(self):
        """The band's steps, without reading the band when it is saved."""
        if isinstance(self.id, int):
            return self.env["gov.approval.step"].browse(self._route_data()[1])
        return self.step_ids

    def _route_name(self):
        return self._route_data()[0] if isinstance(self.id, int) else self.name

    def _matches(self, record):
        return bool(record.filtered_domain(self._parsed_domain()))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        for line in lines:
            line.matrix_id._audit_band(None, line._audit_values())
        return lines

    def write(self, vals):
        before = {line.id: line._audit_values() for line in self}
        res = super().write(vals)
        for line in self:
            if line._audit_values() != before[line.id]:
                line.matrix_id._audit_band(before[line.id], line._audit_values())
        return res

    def unlink(self):
        for line in self:
            line.matrix_id._audit_band(line._audit_values(), None)
        return super().unlink()

    def _audit_values(self):
        return {
            "band": self.name,
            "min": self.min_amount,
            "max": self.max_amount,
            "conditions": self.domain,
            "steps": [step._audit_values() for step in self.step_ids],
        }
