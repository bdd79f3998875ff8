# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What an approver sees of a request in My Approvals, without opening the
document: the partner, whom the request waits for (and who decides in the
place of an absent approver), the document's key lines and what was found
about it; and the decisions taken from the list and the kanban, checked
like any other."""

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

# lines shown in a request's summary; the others are counted
SUMMARY_LINES = 10


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"  # pylint: disable=consider-merging-classes-inherited

    partner_id = fields.Many2one(
        "res.partner",
        readonly=True,
        index="btree_not_null",
        help="The vendor, customer or employee the document is about.",
    )
    waiting_for_display = fields.Char(
        string="Waiting For (Names)",
        compute="_compute_waiting_for_display",
        help="The approvers of the open steps; an absent approver is shown"
        " with the delegate who decides in their place.",
    )

    @api.depends("state", "step_ids.state", "step_ids.pending_approver_ids")
    def _compute_waiting_for_display(self):
        delegations = self._delegations_of(self.pending_approver_ids)
        for request in self:
            request.waiting_for_display = (
                ", ".join(
                    request._approver_label(user, delegations)
                    for user in request.pending_approver_ids
                )
                or False
            )

    @api.model
    def _delegations_of(self, users):
        """The delegations in force now for ``users`` (one query)."""
        Delegation = self.env["gov.approval.delegation"].sudo()
        if not users:
            return Delegation
        now = fields.Datetime.now()
        return Delegation.search(
            [
                ("user_id", "in", users.ids),
                ("date_from", "<=", now),
                ("date_to", ">", now),
            ]
        )

    def _delegates_for(self, user, delegations):
        """Who decides in ``user``'s place on this request, among
        ``delegations`` (those in force)."""
        return delegations.filtered(
            lambda d: (
                d.user_id == user
                and (not d.request_id or d.request_id == self)
                and (not d.matrix_ids or self.matrix_id in d.matrix_ids)
            )
        ).delegate_id

    def _approver_label(self, user, delegations):
        delegates = self._delegates_for(user, delegations)
        if not delegates:
            return user.name
        return self.env._(
            "%(approver)s (away: %(delegates)s decides in their place)",
            approver=user.name,
            delegates=", ".join(delegates.mapped("name")),
        )

    # ------------------------------------------------------------------
    # The document as the approver sees it
    # ------------------------------------------------------------------
    def _render_lines(self, document):
        """A table of the document's key lines (the first ones)."""
        line_field = document._gov_approval_line_field
        names = [
            name
            for name in getattr(document, "_gov_approval_line_summary_fields", ())
            if line_field and name in document[line_field]._fields
        ]
        if not names:
            return Markup("")
        lines = document[line_field]
        if "display_type" in lines._fields:
            lines = lines.filtered(lambda line: not line.display_type)
        if not lines:
            return Markup("")
        Line = lines.browse()
        head = Markup("").join(
            Markup("<th>%s</th>") % Line._fields[name]._description_string(self.env)
            for name in names
        )
        body = Markup("").join(
            Markup("<tr>%s</tr>")
            % Markup("").join(
                Markup("<td>%s</td>") % self._shown_value(line, name) for name in names
            )
            for line in lines[:SUMMARY_LINES]
        )
        more = (
            Markup("<p class='text-muted'>%s</p>")
            % self.env._("and %(count)s more lines", count=len(lines) - SUMMARY_LINES)
            if len(lines) > SUMMARY_LINES
            else Markup("")
        )
        return Markup(
            "<table class='table table-sm o_gov_approval_lines'>"
            "<thead><tr>%s</tr></thead><tbody>%s</tbody></table>%s"
        ) % (head, body, more)

    def _shown_value(self, record, name):
        field = record._fields[name]
        value = record[name]
        if field.type == "monetary":
            currency = record[field.get_currency_field(record)]
            return tools.format_amount(self.env, value, currency) if currency else value
        if field.type in ("many2one", "many2many", "one2many"):
            return ", ".join(value.mapped("display_name"))
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "")
        if field.type == "float":
            digits = field.get_digits(self.env)
            return tools.formatLang(self.env, value, digits=digits[1] if digits else 2)
        if field.type == "datetime":
            return tools.format_datetime(self.env, value) if value else ""
        if field.type == "date":
            return tools.format_date(self.env, value) if value else ""
        return value if value or value == 0 else ""

    def _findings(self):
        """What was found about the document, for the approver to weigh
        (lines of text); modules that check documents add theirs."""
        self.ensure_one()
        return []

    def _render_findings(self):
        findings = self._findings()
        if not findings:
            return Markup("")
        return Markup(
            "<div class='alert alert-warning o_gov_approval_findings'>"
            "<strong>%s</strong><ul class='mb-0'>%s</ul></div>"
        ) % (
            self.env._("Findings"),
            Markup("").join(Markup("<li>%s</li>") % item for item in findings),
        )

    # ------------------------------------------------------------------
    # Decisions from the list, the kanban and the form
    # ------------------------------------------------------------------
    def _check_may_decide(self):
        """A plain error unless the current user may decide on each request
        now: the rules of the decision itself (segregation of duties, own
        requests, auditors), told before the dialog opens; the decision
        checks them again (``_decide_all``)."""
        user = self.env.user
        refusal = self.sudo()._decider_refusal(user)
        if refusal:
            raise UserError(refusal)
        waiting = self.search([("id", "in", self.ids), ("can_decide", "=", True)])
        if self - waiting:
            raise UserError(
                self.env._("This request does not wait for your decision.")
                if len(self) == 1
                else self.env._("Some of these requests do not wait for your decision.")
            )
