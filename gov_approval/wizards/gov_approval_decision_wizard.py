# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.fields import Command

from odoo.addons.base.models.res_users import check_identity

from ..tools.engine import decision_batch


class GovApprovalDecisionWizard(models.TransientModel):
    """Approve or reject one request, or many from the "To approve" list.

    On one request whose parallel open steps give the user a place on
    several, they pick the step their decision counts on (otherwise it
    counts on the first of them).
    """

    _name = "gov.approval.decision.wizard"
    _description = "Approval Decision"

    request_ids = fields.Many2many("gov.approval.request", string="Requests")
    request_count = fields.Integer(compute="_compute_request_count")
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve"
    )
    reason = fields.Text()
    step_choice_ids = fields.Many2many(
        "gov.approval.request.step", compute="_compute_step_choice_ids"
    )
    step_choice_count = fields.Integer(compute="_compute_step_choice_ids")
    step_id = fields.Many2one(
        "gov.approval.request.step",
        string="On Step",
        domain="[('id', 'in', step_choice_ids)]",
        help="You have a place on several steps open at once: your decision"
        " counts on this one only.",
    )
    reason_required = fields.Boolean(compute="_compute_reason_required")
    requests_html = fields.Html(
        string="Requests Decided",
        compute="_compute_requests_html",
        sanitize=False,
        help="Each request decided at once: its document, partner and amount.",
    )
    on_behalf_note = fields.Char(
        compute="_compute_on_behalf_note",
        help="The approvers a delegate decides for.",
    )
    document_summary = fields.Html(
        compute="_compute_document_summary",
        sanitize=False,
        help="The document decided on, shown even to delegates who cannot open it.",
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        context = self.env.context
        if (
            "request_ids" in fields_list
            and not res.get("request_ids")
            and context.get("active_model") == "gov.approval.request"
        ):
            res["request_ids"] = [Command.set(context.get("active_ids") or [])]
        return res

    @api.depends("request_ids")
    def _compute_request_count(self):
        for wizard in self:
            wizard.request_count = len(wizard.request_ids)

    @api.depends("request_ids")
    def _compute_document_summary(self):
        for wizard in self:
            # the requests as stored: in the dialog, before the wizard is
            # saved, they are new records that compute nothing
            requests = wizard.request_ids._origin
            wizard.document_summary = (
                requests.document_summary if len(requests) == 1 else False
            )

    @api.depends("request_ids")
    def _compute_requests_html(self):
        for wizard in self:
            requests = wizard.request_ids._origin.sudo()
            if len(requests) < 2:
                wizard.requests_html = False
                continue
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>")
                % (
                    request.name,
                    request.partner_id.display_name or "",
                    tools.format_amount(self.env, request.amount, request.currency_id)
                    if request.currency_id
                    else request.amount,
                )
                for request in requests
            )
            wizard.requests_html = Markup(
                "<table class='table table-sm o_gov_approval_decided_requests'>"
                "<thead><tr><th>%s</th><th>%s</th><th class='text-end'>%s</th></tr>"
                "</thead><tbody>%s</tbody></table>"
            ) % (
                self.env._("Document"),
                self.env._("Partner"),
                self.env._("Amount"),
                rows,
            )

    @api.depends("request_ids")
    def _compute_on_behalf_note(self):
        user = self.env.user
        for wizard in self:
            requests = wizard.request_ids._origin.sudo()
            delegations = requests._delegations_of(requests.pending_approver_ids)
            absent = self.env["res.users"]
            for request in requests:
                if user in request.current_step_ids.approver_ids:
                    continue
                for approver in request.pending_approver_ids:
                    if user in request._delegates_for(approver, delegations):
                        absent |= approver
                        break
            wizard.on_behalf_note = (
                self.env._(
                    "You decide on behalf of %(approvers)s, who delegated to you.",
                    approvers=", ".join(absent.mapped("name")),
                )
                if absent
                else False
            )

    @api.depends("request_ids")
    def _compute_step_choice_ids(self):
        user = self.env.user
        for wizard in self:
            requests = wizard.request_ids._origin.sudo()
            choices = (
                requests.current_step_ids.filtered(lambda s: user in s.approver_ids)
                if len(requests) == 1
                else requests.step_ids.browse()
            )
            wizard.step_choice_ids = choices
            wizard.step_choice_count = len(choices)

    @api.depends("decision", "request_ids", "step_id")
    def _compute_reason_required(self):
        for wizard in self:
            steps = wizard.step_id or wizard.request_ids.sudo().current_step_ids
            wizard.reason_required = wizard.decision == "reject" or any(
                steps.mapped("rationale_required")
            )

    def action_confirm(self):
        """Decide every request; each one is checked, audited and isolated.

        When a matrix of the requests wants approvers to confirm their
        password, Odoo's identity check asks for it first (and is not asked
        again for ten minutes).
        """
        self.ensure_one()
        if not self.request_ids:
            raise UserError(self.env._("Select at least one request."))
        if any(request._confirms_identity() for request in self.request_ids.sudo()):
            return self._confirm_after_identity_check()
        return self._confirm()

    @check_identity
    def _confirm_after_identity_check(self):
        return self._confirm()

    def _confirm(self):
        requests = self.request_ids
        channel = "mass" if len(requests) > 1 else "ui"
        # each request is checked on its own; refused ones change nothing
        with decision_batch(self.env):
            refused = requests._decide_all(
                self.decision, self.reason, channel, steps=self.step_id
            )
        failures = [
            f"{request.name}: {error.args[0]}" for request, error in refused.items()
        ]
        done = len(requests) - len(failures)
        message = self.env._(
            "%(done)s of %(total)s requests decided.", done=done, total=len(requests)
        )
        if failures:
            message += "\n" + "\n".join(failures)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if failures else "success",
                "title": self.env._("Decisions recorded"),
                "message": message,
                "sticky": bool(failures),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
