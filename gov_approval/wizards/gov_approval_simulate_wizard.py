# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError


class GovApprovalSimulateWizard(models.TransientModel):
    """What route would this amount (and these conditions) take?"""

    _name = "gov.approval.simulate.wizard"
    _description = "Simulate an Approval Matrix"

    matrix_id = fields.Many2one("gov.approval.matrix", required=True)
    company_currency_id = fields.Many2one(
        related="matrix_id.currency_id", string="Company Currency"
    )
    amount = fields.Monetary(currency_field="currency_id", required=True)
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    date = fields.Date(default=fields.Date.context_today, required=True)
    requester_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, required=True
    )
    document_ref = fields.Reference(
        selection="_selection_document_ref",
        string="Sample Document",
        help="Bands with extra conditions are checked against this document.",
    )
    amount_company = fields.Monetary(
        string="In Company Currency",
        currency_field="company_currency_id",
        compute="_compute_result",
    )
    line_id = fields.Many2one("gov.approval.matrix.line", compute="_compute_result")
    result_html = fields.Html(compute="_compute_result", sanitize=False)

    @api.model
    def _selection_document_ref(self):
        return self.env["gov.approval.request"]._selection_document_ref()

    @api.depends(
        "matrix_id", "amount", "currency_id", "date", "requester_id", "document_ref"
    )
    def _compute_result(self):
        for wizard in self:
            matrix = wizard.matrix_id
            if not matrix:
                wizard.amount_company = 0.0
                wizard.line_id = False
                wizard.result_html = False
                continue
            company = matrix.company_id
            amount = (
                wizard.currency_id._convert(
                    wizard.amount, company.currency_id, company, wizard.date
                )
                if wizard.currency_id
                else wizard.amount
            )
            record = wizard.document_ref or None
            line = matrix._match_line(amount, record)
            wizard.amount_company = amount
            wizard.line_id = line
            html = wizard._describe(matrix, line, amount, record)
            if record is not None and record._name == matrix.res_model:
                html = wizard._describe_document(record) + html
            wizard.result_html = html

    def _describe_document(self, record):
        """Which matrix and band the document takes (routing's own walk), and
        why the other matrices of the action do not apply."""
        matrix = self.matrix_id
        explained = matrix._explain_route(record)
        winner = next((m for m, takes, _reason in explained if takes), None)
        name = record.sudo().display_name
        if winner:
            action = winner._governed_key().partition(":")[2]
            _matrix, line, amount = self.env["gov.approval.request"]._route(
                record, action
            )
            band = (
                self.env._(
                    "band %(band)s (%(amount)s in company currency)",
                    band=line.name,
                    amount=winner._format_amount(amount),
                )
                if line
                else self.env._(
                    "no band (%(amount)s)", amount=winner._format_amount(amount)
                )
            )
            head = self.env._(
                "%(document)s is governed by %(matrix)s, %(band)s.",
                document=name,
                matrix=winner.name,
                band=band,
            )
        else:
            head = self.env._(
                "No matrix governs %(document)s: it needs no approval.", document=name
            )
        rows = Markup("").join(
            Markup("<li><strong>%s</strong>: %s</li>")
            % (
                other.name,
                self.env._("applies, %(reason)s", reason=reason)
                if takes
                else self.env._("does not apply, %(reason)s", reason=reason),
            )
            for other, takes, reason in explained
        )
        warning = ""
        if winner and winner != matrix:
            warning = Markup("<p class='text-warning'>%s</p>") % self.env._(
                "This document does not take the matrix you simulate, %(matrix)s:"
                " the route below is what it would take under it.",
                matrix=matrix.name,
            )
        return Markup(
            "<div class='o_gov_approval_simulation_document'><p>%s</p>"
            "<ul class='list-unstyled'>%s</ul>%s</div>"
        ) % (head, rows, warning)

    def _describe(self, matrix, line, amount, record):
        fmt = matrix._format_amount
        if not line:
            policy = dict(
                matrix._fields["no_match_policy"]._description_selection(self.env)
            )
            return Markup("<p class='text-warning'>%s</p>") % self.env._(
                "%(amount)s matches no band: %(policy)s.",
                amount=fmt(amount),
                policy=policy[matrix.no_match_policy].lower(),
            )
        if not line.step_ids:
            return Markup("<p>%s</p>") % self.env._(
                "Band %(band)s: no approval needed.", band=line.name
            )
        rows = []
        for index, step in enumerate(line.step_ids, start=1):
            try:
                approvers = step._resolve_approvers(record, self.requester_id)
                needed = step._resolved_min(approvers)
                who = ", ".join(approvers.mapped("name"))
                detail = self.env._("%(n)s of %(who)s", n=needed, who=who)
            except UserError as error:
                detail = error.args[0]
            sla = (
                self.env._(", SLA %(h)s h", h=step.sla_hours) if step.sla_hours else ""
            )
            rows.append(
                Markup("<li><strong>%s. %s</strong>: %s%s</li>")
                % (index, step.name, detail, sla)
            )
        head = self.env._(
            "Band %(band)s (%(amount)s in company currency):",
            band=line.name,
            amount=fmt(amount),
        )
        return Markup("<p>%s</p><ol class='list-unstyled'>%s</ol>") % (
            escape(head),
            Markup("").join(rows),
        )
