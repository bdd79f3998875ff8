# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Decisions: the only way an approval happens, and what follows one
(opening the next step, approving the request).
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import SQL

from odoo.addons.gov_base.tools.engine import check_acting_user

from ..tools.engine import approval_writes
from .gov_approval_request import CHANNELS, OUTSIDE_CHANNELS


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"  # pylint: disable=consider-merging-classes-inherited

    def _decide(self, decision, reason=None, channel="ui"):
        """Record one decision of the current user on the current step.

        Every segregation-of-duties check lives in :meth:`_decide_all`,
        whatever the channel; here a refusal is raised.
        """
        self.ensure_one()
        self._decide_all(decision, reason, channel)
        return self.sudo()

    def _decide_all(self, decision, reason=None, channel="mass"):
        """Record the current user's decision on the current step of each
        request; return ``{request: error}`` for the requests refused.

        The current steps are locked first, so that two approvers deciding
        at the same moment are counted exactly (the later one is serialized
        and retried by Odoo's request retry). Each request is checked on its
        own; the writes of all of them are grouped (mass approval). With one
        request, a refusal is raised instead.
        """
        assert decision in ("approve", "reject")
        assert channel in dict(CHANNELS)
        # the decider is the user who signed in (or whom a token proves):
        # code cannot decide in another's name with with_user()
        check_acting_user(self.env, what=self.env._("an approval decision"))
        with approval_writes():
            return self._record_decisions(decision, reason, channel)

    def _record_decisions(self, decision, reason, channel):
        """The body of :meth:`_decide_all`, inside the engine's grant."""
        user = self.env.user
        requests = self.sudo()
        reason = (reason or "").strip()
        steps = requests.filtered(lambda r: r.state == "pending").current_step_id
        requests._lock_steps(steps)
        # Odoo runs transactions in REPEATABLE READ: had another decision
        # changed these steps since our snapshot, the lock above would have
        # failed; what we read is current.
        # who the checks, the audit and the e-mails read, in one go: the
        # approvers of the steps, the decider and the requesters
        approvers = steps.with_context(active_test=False).approver_ids
        (approvers | user | requests.requester_id).partner_id.mapped("name")
        # the decisions already made on these requests, in one read
        Decision = self.env["gov.approval.decision"].sudo()
        decided = Decision.search_fetch(
            [("request_id", "in", requests.ids)],
            ["request_id", "user_id", "approver_id"],
        ).grouped("request_id")
        failures, accepted = {}, []
        for request in requests:
            try:
                step = request._check_decision(user, decision, reason, channel)
                slot = request._decision_slot(
                    step, user, decided.get(request, Decision)
                )
            except (UserError, AccessError) as error:
                if len(requests) == 1:
                    raise
                failures[request] = error
                continue
            accepted.append((request, step, slot))
        if not accepted:
            return failures
        Decision.create(
            [
                {
                    "request_id": request.id,
                    "step_id": step.id,
                    "company_id": request.company_id.id,
                    "user_id": user.id,
                    "approver_id": slot.id,
                    "on_behalf_of_id": slot.id if slot != user else False,
                    "decision": decision,
                    "reason": reason or False,
                    "channel": channel,
                }
                for request, step, slot in accepted
            ]
        )
        if decision == "reject":
            for request, step, slot in accepted:
                request._apply_rejection(step, slot, reason, channel)
        else:
            self._apply_approvals(accepted, reason, channel)
        return failures

    @api.model
    def _lock_steps(self, steps):
        # a concurrent decision that committed first makes this a serialization
        # failure: an expected conflict, retried by Odoo, not an error to log
        if steps:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM gov_approval_request_step"
                    " WHERE id IN %s ORDER BY id FOR UPDATE",
                    tuple(steps.ids),
                ),
                log_exceptions=False,
            )

    def _check_decision(self, user, decision, reason, channel="ui"):
        """The step ``user`` decides on now; an error when the request no
        longer waits, the reason is missing, or the matrix wants approvers
        to confirm their password and the decision does not come from Odoo's
        interface (where the password is asked)."""
        step = self.current_step_id
        if self.state != "pending" or not step:
            raise UserError(
                self.env._(
                    "%(name)s is no longer waiting for a decision.", name=self.name
                )
            )
        if channel in OUTSIDE_CHANNELS and self._confirms_identity():
            raise AccessError(
                self.env._(
                    "%(name)s is decided in Odoo only, after the approver"
                    " confirms their password.",
                    name=self.name,
                )
            )
        if decision == "reject" and not reason:
            raise UserError(self.env._("Tell the requester why you reject."))
        if decision == "approve" and step.rationale_required and not reason:
            raise UserError(
                self.env._(
                    "Step %(step)s asks for a reason to approve.", step=step.name
                )
            )
        return step

    def _confirms_identity(self):
        """Whether approvers confirm their password to decide on this request."""
        self.ensure_one()
        return bool(self.matrix_id) and self.matrix_id._config()["confirm_identity"]

    def _decision_details(self, step, slot, decision, reason):
        user = self.env.user
        return {
            "step": step.name,
            "decision": decision,
            "reason": reason,
            "on_behalf_of": slot.login if slot != user else None,
        }

    def _apply_rejection(self, step, slot, reason, channel):
        user = self.env.user
        step.write(
            {
                "state": "rejected",
                "date_done": fields.Datetime.now(),
                "pending_approver_ids": [Command.clear()],
            }
        )
        self._close("rejected", reason)
        self._audit(
            "approval.rejected",
            self.env._("%(user)s rejected %(name)s", user=user.name, name=self.name),
            details=self._decision_details(step, slot, "reject", reason),
            channel=channel,
            on_behalf_of=slot if slot != user else None,
        )
        self._post_on_document(
            self._document()._gov_approval_body_rejected(self, user, reason),
            "gov_approval.mt_approval_rejected",
        )

    @api.model
    def _apply_approvals(self, accepted, reason, channel):
        """Count approvals ``[(request, step, slot)]``: steps with the same
        outcome are written together, completed steps advance their request."""
        user = self.env.user
        now = fields.Datetime.now()
        Step = self.env["gov.approval.request.step"].sudo()
        grouped = defaultdict(list)
        done = []
        for request, step, slot in accepted:
            approved = step.approved_count + 1
            if approved >= step.min_approvals:
                grouped[(approved, None)].append(step.id)
                done.append(request.id)
            else:
                grouped[(approved, slot.id)].append(step.id)
        for (approved, slot_id), step_ids in grouped.items():
            steps = Step.browse(step_ids)
            if slot_id is None:
                vals = {
                    "state": "approved",
                    "date_done": now,
                    "pending_approver_ids": [Command.clear()],
                }
            else:
                vals = {"pending_approver_ids": [Command.unlink(slot_id)]}
            steps.write(dict(vals, approved_count=approved))
        for request, step, slot in accepted:
            request._audit(
                "approval.approved_step",
                self.env._(
                    "%(user)s approved %(step)s of %(name)s",
                    user=user.name,
                    step=step.name,
                    name=request.name,
                ),
                details=request._decision_details(step, slot, "approve", reason),
                channel=channel,
                on_behalf_of=slot if slot != user else None,
            )
            if request.id not in done:
                request._clear_activities(slot | user)
        self.sudo().browse(done)._advance()

    def _decision_slot(self, step, user, decided=None):
        """The approver whose vote ``user`` casts on ``step``, or an error.

        The user votes for themselves when they are an approver of the step,
        otherwise for an approver who delegated to them. Nobody decides on a
        request they made or re-routed, nobody decides twice on one request
        (across its steps, directly or through a delegation), and auditors
        and users holding an active conflicting pair of roles decide nothing.
        ``decided`` is the request's decisions, when the caller has read them
        already.
        """
        self.ensure_one()
        requester = self.requester_id
        refusal = self._decider_refusal(user)
        if refusal:
            raise AccessError(refusal)
        if self.rerouted and user in self.rerouted_by_ids:
            raise AccessError(
                self.env._(
                    "You re-routed %(name)s: someone else decides it.", name=self.name
                )
            )
        if decided is None:
            decided = self.decision_ids
        if user in decided.user_id or user in decided.approver_id:
            raise AccessError(
                self.env._("You have already decided on %(name)s.", name=self.name)
            )
        if user in step.approver_ids:
            return user
        delegations = self.env["gov.approval.delegation"]._active_to(user, request=self)
        candidates = (
            (step.pending_approver_ids & delegations.user_id)
            - decided.approver_id
            - requester
        )
        if not candidates:
            raise AccessError(
                self.env._(
                    "You are not an approver of the current step of %(name)s.",
                    name=self.name,
                )
            )
        slot = candidates[:1]
        # the delegation used must still hold when the decision commits: a
        # concurrent end or change of it serializes with this decision
        delegations.filtered(lambda d: d.user_id == slot)._lock_for_decision()
        return slot

    def _decider_refusal(self, user):
        """Why ``user`` may not decide on these requests, or ``False``.

        The same rules hold for approvers and for their delegates, when a
        delegation is given and when the delegate decides.
        """
        if user.share:
            return self.env._("Portal and public users do not decide approvals.")
        if user in self.requester_id:
            return self.env._("You cannot decide on your own request.")
        if user._has_group("gov_base.gov_base_group_auditor"):
            return self.env._("Auditors review approvals; they do not decide them.")
        if self._in_sod_conflict(user):
            return self.env._(
                "You hold conflicting governance roles (see Segregation of"
                " Duties Violations); you cannot decide on approvals."
            )
        return False

    @api.model
    def _in_sod_conflict(self, user):
        """Whether ``user`` holds both groups of an active SoD rule (cached
        group ids: no query on the decision path)."""
        held = set(user._get_group_ids())
        return any(
            a in held and b in held
            for _rule, a, b in self.env["gov.sod.rule"]._get_active_pairs()
        )

    def _advance(self):
        """After an approved step, open the next one or approve the request."""
        if not self:
            return
        # one query for the steps and what opening the next one reads
        steps = (
            self.env["gov.approval.request.step"]
            .sudo()
            .search_fetch(
                [("request_id", "in", self.ids)],
                ["request_id", "name", "state", "sla_hours"],
            )
        )
        by_request = steps.grouped("request_id")
        following_of = {}
        for request in self:
            waiting = by_request.get(request, steps.browse()).filtered(
                lambda s: s.state == "waiting"
            )
            following_of[request] = waiting[:1]
        # the approvers of every step that opens now and the requesters they
        # are told about, read once for all
        opening = steps.browse().union(*following_of.values())
        if opening:
            approvers = opening.with_context(active_test=False).pending_approver_ids
            (approvers | opening.request_id.requester_id).partner_id.mapped("email")
        for request in self:
            request_steps = by_request.get(request, steps.browse())
            following = following_of[request]
            if following:
                request._clear_activities()
                request._start_step(following)
                continue
            request._close("approved")
            request._audit(
                "approval.approved",
                self.env._("%(name)s approved", name=request.name),
                details={"steps": request_steps.mapped("name")},
            )
            request._post_on_document(
                request._document()._gov_approval_body_approved(request),
                "gov_approval.mt_approval_approved",
            )
            if request.matrix_id._config()["auto_resume"]:
                request._resume()

    @api.model
    def _step_deadline(self, sla_hours):
        if not sla_hours:
            return False
        return fields.Datetime.now() + timedelta(hours=sla_hours)

    def _start_step(self, step):
        if not step:
            return
        if step.state != "pending":
            step.write(
                {"state": "pending", "deadline": self._step_deadline(step.sla_hours)}
            )
        self._schedule_activities(step, step.pending_approver_ids)
        self._notify_approvers(step, step.pending_approver_ids)
