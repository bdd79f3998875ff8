# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where a governed document's approval stands, as its views show it: the
computed status fields, their search, and the buttons of the document."""

from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_datetime

from .gov_approval_mixin import APPROVAL_STATES


class GovApprovalMixin(models.AbstractModel):
    _inherit = "gov.approval.mixin"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Status shown on documents and lists
    # ------------------------------------------------------------------
    @api.depends_context("uid")
    def _compute_gov_approval(self):
        Request = self.env["gov.approval.request"].sudo()
        ids = [record_id for record_id in self.ids if isinstance(record_id, int)]
        latest, counts = {}, {}
        if ids:
            rows = Request.search_fetch(
                [("res_model", "=", self._name), ("res_id", "in", ids)],
                [
                    "res_id",
                    "state",
                    "current_step_id",
                    "action_done",
                    "action",
                    "action_label",
                ],
                order="id desc",
            )
            for request in rows:
                counts[request.res_id] = counts.get(request.res_id, 0) + 1
                latest.setdefault(request.res_id, request)
        relevant = Request.browse(
            r.id for r in latest.values() if r.state not in ("superseded", "cancelled")
        )
        deciding = (
            set(
                self.env["gov.approval.request"]
                .search([("id", "in", relevant.ids), ("can_decide", "=", True)])
                .ids
            )
            if relevant
            else set()
        )
        # the delegations of every approver waited for, read once
        pending = relevant.filtered(lambda r: r.state == "pending")
        delegations = Request._delegations_of(pending.pending_approver_ids)
        # the approvers of the steps still to come, which the banners name,
        # read for the whole list at once (not step by step)
        later = pending.step_ids.filtered(lambda s: s.state == "waiting")
        later.approver_ids.mapped("name")
        for record in self:
            request = latest.get(record.id) if isinstance(record.id, int) else None
            if not request or request.state in ("superseded", "cancelled"):
                record.gov_approval_state = "none"
                record.gov_approval_request_id = request.id if request else False
                record.gov_approval_can_decide = False
                record.gov_approval_summary = False
                record.gov_approval_request_count = counts.get(record.id, 0)
                record.gov_approval_show_banner = False
                continue
            record.gov_approval_state = request.state
            record.gov_approval_request_id = request.id
            record.gov_approval_can_decide = request.id in deciding
            record.gov_approval_request_count = counts.get(record.id, 0)
            record.gov_approval_summary = record._gov_approval_describe(
                request, delegations
            )
            record.gov_approval_show_banner = record._gov_approval_banner_shown(request)

    def _gov_approval_banner_shown(self, request):
        """The banner tells where an approval stands while the document waits
        for its action: not once the approved action ran or the document left
        the action's flow."""
        if request.action_done:
            return False
        spec = self._gov_approval_actions.get(request.action) or {}
        state_field = spec.get("state_field")
        return not state_field or self[state_field] in spec.get("from_states", ())

    def _gov_approval_describe(self, request, delegations=None):
        """The banner: every step still to come and whom it waits for (an
        absent approver with their delegate), what happens once approved;
        who rejected, and why."""
        if delegations is None:
            delegations = request._delegations_of(request.pending_approver_ids)
        if request.state == "pending" and request.current_step_id:
            # steps that run in parallel are waited for together
            text = "; ".join(
                self.env._(
                    "Waiting for %(step)s: %(done)s of %(needed)s approvals (%(who)s)",
                    step=step.name,
                    done=step.approved_count,
                    needed=step.min_approvals,
                    who=", ".join(
                        request._approver_label(user, delegations)
                        for user in step.pending_approver_ids
                    ),
                )
                for step in request.current_step_ids
            )
            text += "."
            later = request.step_ids.filtered(lambda s: s.state == "waiting")
            if later:
                text += " " + self.env._(
                    "Then: %(steps)s.",
                    steps=", ".join(
                        self.env._(
                            "%(step)s (%(who)s)",
                            step=step.name,
                            who=", ".join(step.approver_ids.mapped("name")),
                        )
                        for step in later.sorted(lambda s: (s.stage, s.sequence, s.id))
                    ),
                )
            if request.matrix_id and request.matrix_id._config()["auto_resume"]:
                text += " " + self.env._(
                    "Once approved, %(action)s is done automatically.",
                    action=request.action_label,
                )
            else:
                text += " " + self.env._(
                    "Once approved, %(action)s can go ahead.",
                    action=request.action_label,
                )
            return text
        if request.state == "approved":
            return self.env._(
                "Approved: %(action)s can go ahead.", action=request.action_label
            )
        rejection = request.decision_ids.filtered(lambda d: d.decision == "reject")[-1:]
        if rejection:
            who = rejection.user_id.name
            if rejection.on_behalf_of_id:
                who = self.env._(
                    "%(delegate)s on behalf of %(approver)s",
                    delegate=who,
                    approver=rejection.on_behalf_of_id.name,
                )
            return self.env._(
                "Rejected by %(who)s on %(date)s: %(reason)s",
                who=who,
                date=format_datetime(self.env, rejection.date, dt_format="short"),
                reason=rejection.reason or request.close_reason or "",
            )
        return self.env._("Rejected: %(reason)s", reason=request.close_reason or "")

    def _search_gov_approval_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        wanted = {value} if isinstance(value, str) else set(value)
        if operator in ("!=", "not in"):
            wanted = {state for state, _label in APPROVAL_STATES} - wanted
        live = wanted & {"pending", "approved", "rejected"}
        matching = (
            self.env["gov.approval.request"]
            .sudo()
            ._search([("res_model", "=", self._name), ("state", "in", list(live))])
        )
        domain = (
            Domain("id", "in", matching.subselect("res_id")) if live else Domain.FALSE
        )
        if "none" in wanted:
            any_live = (
                self.env["gov.approval.request"]
                .sudo()
                ._search(
                    [
                        ("res_model", "=", self._name),
                        ("state", "in", ["pending", "approved", "rejected"]),
                    ]
                )
            )
            domain |= Domain("id", "not in", any_live.subselect("res_id"))
        return domain

    def _search_gov_approval_can_decide(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        mine = self.env["gov.approval.request"]._search(
            [("res_model", "=", self._name), ("can_decide", "=", True)]
        )
        domain = Domain("id", "in", mine.subselect("res_id"))
        return domain if (operator == "=") == value else ~domain

    # ------------------------------------------------------------------
    # Buttons on governed documents
    # ------------------------------------------------------------------
    def _gov_approval_current(self):
        self.ensure_one()
        request = self.gov_approval_request_id
        if not request or request.state != "pending":
            raise UserError(
                self.env._("%(doc)s has no pending approval.", doc=self.display_name)
            )
        return request

    def action_gov_approval_approve(self):
        return self._gov_approval_current().action_approve()

    def action_gov_approval_reject(self):
        return self._gov_approval_current().action_reject()

    def action_gov_approval_delegate(self):
        return self._gov_approval_current().action_delegate()

    def action_gov_approval_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_approval.gov_approval_request_action_document"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        return action
