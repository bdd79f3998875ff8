# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A matrix as its finance manager reads it: the policy in sentences, each
band's conditions in words, and the life of a matrix (a draft until it is
activated, then active, then archived).

A matrix made on its screen starts as a draft (the matrices' window opens
new records archived): it governs nothing until a Matrix Manager activates
it, after a replay over past documents if they wish. Activation is a change
of the matrix like any other, so it makes a version and, with four eyes,
waits for a second Matrix Manager.
"""

from odoo import api, fields, models

from odoo.addons.gov_base.tools.domain_text import describe_domain

from ..tools import policy_text

STATUSES = [("draft", "Draft"), ("active", "Active"), ("archived", "Archived")]


class GovApprovalMatrix(models.Model):
    _inherit = "gov.approval.matrix"  # pylint: disable=consider-merging-classes-inherited

    status = fields.Selection(
        STATUSES,
        compute="_compute_status",
        store=True,
        help="Draft: never activated, governs nothing. Active: governs its"
        " action. Archived: governed once, governs nothing now.",
    )
    policy_html = fields.Html(
        string="Policy",
        compute="_compute_policy_html",
        sanitize=False,
        help="The matrix in words: which documents it governs and who approves"
        " in each band.",
    )
    conditions_display = fields.Char(
        string="Applies To (in words)", compute="_compute_conditions_display"
    )

    @api.depends("active", "version_ids.is_active_matrix", "version_ids.state")
    def _compute_status(self):
        for matrix in self:
            if matrix.active:
                matrix.status = "active"
            elif any(
                version.is_active_matrix and version.state != "pending"
                for version in matrix.sudo().version_ids
            ):
                matrix.status = "archived"
            else:
                matrix.status = "draft"

    @api.depends("domain", "res_model")
    def _compute_conditions_display(self):
        for matrix in self:
            matrix.conditions_display = (
                describe_domain(self.env, matrix.res_model, matrix.domain)
                if matrix.res_model
                else ""
            ) or self.env._("every document")

    @api.depends(
        "kind",
        "action",
        "res_model_id",
        "button_id",
        "field_ids",
        "domain",
        "no_match_policy",
        "line_ids.min_amount",
        "line_ids.max_amount",
        "line_ids.domain",
        "line_ids.step_ids",
        "line_ids.step_ids.name",
        "line_ids.step_ids.parallel",
        "line_ids.step_ids.approvers_display",
    )
    def _compute_policy_html(self):
        for matrix in self:
            fmt = matrix._format_amount
            sentences = [
                policy_text.band_sentence(
                    self.env,
                    fmt,
                    band.min_amount,
                    band.max_amount,
                    band.conditions_display if band._has_conditions() else "",
                    band._policy_stages(),
                )
                for band in matrix.line_ids.sorted(
                    lambda b: (b._has_conditions() is False, b.min_amount)
                )
            ]
            footer = False
            if matrix.line_ids and matrix.gap_warning:
                footer = matrix.gap_warning
            matrix.policy_html = policy_text.policy_html(
                self.env, matrix._policy_heading(), sentences, footer
            )

    def _policy_heading(self):
        """What the matrix governs, and on which documents, in words."""
        self.ensure_one()
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        if self.kind == "bridge":
            what = dict(self._fields["action"]._description_selection(self.env)).get(
                self.action
            ) or self.env._("No action chosen yet")
        elif self.kind == "button" and self.button_id:
            what = self.env._(
                "%(button)s on %(model)s",
                button=self.button_id.display_name,
                model=self.res_model_id.name,
            )
        elif self.kind == "fields":
            what = self.env._(
                "Changes of %(fields)s on %(model)s",
                fields=", ".join(self.field_ids.mapped("field_description")) or "…",
                model=self.res_model_id.name or "…",
            )
        elif self.kind == "create":
            what = self.env._(
                "New records of %(model)s", model=self.res_model_id.name or "…"
            )
        else:
            what = self.env._(
                "%(kind)s of %(model)s",
                kind=kinds[self.kind],
                model=self.res_model_id.name or "…",
            )
        return self.env._(
            "%(what)s, for %(documents)s:",
            what=what,
            documents=self.conditions_display,
        )

    def action_activate(self):
        """Activate a draft (or archived) matrix: a change like any other,
        versioned, and with four eyes held for a second Matrix Manager."""
        self.filtered(lambda m: not m.active).write({"active": True})
        return True


class GovApprovalMatrixLine(models.Model):
    _inherit = "gov.approval.matrix.line"  # pylint: disable=consider-merging-classes-inherited

    conditions_display = fields.Char(
        string="Conditions", compute="_compute_conditions_display"
    )

    @api.depends("domain", "res_model")
    def _compute_conditions_display(self):
        for band in self:
            band.conditions_display = (
                describe_domain(self.env, band.res_model, band.domain)
                if band.res_model and band._has_conditions()
                else ""
            ) or self.env._("Any document")
