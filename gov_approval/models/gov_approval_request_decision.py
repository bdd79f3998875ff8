# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Decisions: the only way an approval happens, and what follows one
(opening the next stage, approving the request).

Steps that run in parallel are decided each on its own; a user who is an
approver of several open steps decides once per request, on the step they
pick or the first one of the route where they have a place.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import SQL

from odoo.addons.gov_base.tools.engine import check_acting_user

from ..tools.engine import approval_writes, current_batch, decision_batch
from .gov_approval_request import CHANNELS, OUTSIDE_CHANNELS


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"  # pylint: disable=consider-merging-classes-inherited

    def _decide(self, decision, reason=None, channel="ui", step=None):
        """Record one decision of the current user on an open step (``step``
        when given, for a user with a place on several open steps).

        Every segregation-of-duties check lives in :meth:`_decide_all`,
        whatever the channel; here a refusal is raised.
        """
        self.ensure_one()
        self._decide_all(decision, reason, channel, steps=step)
        return self.sudo()

    def _decide_all(self, decision, reason=None, channel="mass", steps=None):
        """Record the current user's decision on an open step of each
        request; return ``{request: error}`` for the requests refused.

        ``steps`` are the request steps the user picked, at most one per
        request; elsewhere the decision counts on the first open step of the
        route where the user has a place. The open steps are locked first,
        so that two approvers deciding at the same moment (on one step or on
        parallel ones) are counted exactly: the later one is serialized and
        retried by Odoo's request retry. Each request is checked on its own;
        the writes of all of them are grouped (mass approval). With one
        request, a refusal is raised instead.
        """
        assert decision in ("approve", "reject")
        assert channel in dict(CHANNELS)
        # the decider is the user who signed in (or whom a token proves):
        # code cannot decide in another's name with with_user()
        check_acting_user(self.env, what=self.env._("an approval decision"))
        with approval_writes(), decision_batch(self.env):
            return self._record_decisions(decision, reason, channel, steps)

    def _record_decisions(self, decision, reason, channel, picked=None):
        """The body of :meth:`_decide_all`, inside the engine's grant."""
        user = self.env.user
        requests = self.sudo()
        reason = (reason or "").strip()
        route = requests._route_of_pending()
        steps = route.filtered(lambda s: s.state == "pending")
        requests._lock_steps(steps)
        # Odoo runs transactions in REPEATABLE READ: had another decision
        # changed these steps since our snapshot, the lock above would have
        # failed; what we read is current.
        open_of = steps.grouped("request_id")
        picked_of = (picked or steps.browse()).sudo().grouped("request_id")
        # who the checks, the audit and the e-mails read, in one go: the
        # approvers still waited for on every step (the decision checks and
        # updates them, the next stage tells them), the decider and the
        # requesters
        approvers = route.with_context(active_test=False).pending_approver_ids
        (approvers | user | requests.requester_id).partner_id.mapped("name")
        # the decisions already made on these requests, in one read, which
        # the seal of an approved request reads with the one made now
        Decision = self.env["gov.approval.decision"].sudo()
        decided = Decision.search_fetch(
            [("request_id", "in", requests.ids)],
            ["request_id", "user_id", "approver_id", "decision"],
        ).grouped("request_id")
        requests._fields["decision_ids"]._insert_cache(
            requests, [decided.get(request, Decision)._ids for request in requests]
        )
        failures, accepted = {}, []
        for request in requests:
            try:
                open_steps = open_of.get(request, steps.browse())
                request._check_decision(user, decision, reason, channel, open_steps)
                wanted = picked_of.get(request)
                # a missing reason is told first when every step it could
                # count on asks for one
                request._check_rationale(wanted or open_steps, decision, reason)
                step, slot = request._decision_slot(
                    open_steps, user, decided.get(request, Decision), picked=wanted
                )
                request._check_rationale(step, decision, reason)
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
            self._apply_approvals(accepted, reason, channel, route)
        return failures

    def _route_of_pending(self):
        """Every step of the pending requests, in route order, with what a
        decision and the opening of the next stage read of them, in one query
        that also fills the requests' steps (read again when their current
        step is recomputed)."""
        pending = self.filtered(lambda r: r.state == "pending")
        return pending._read_route(
            ["approved_count", "min_approvals", "rationale_required"]
        )

    def _open_steps(self):
        """The open steps of the pending requests, in route order."""
        return self._route_of_pending().filtered(lambda s: s.state == "pending")

    def _read_route(self, extra_fields=()):
        """The steps of these requests, in route order, with the fields a
        decision or the next stage reads (and ``extra_fields``)."""
        Step = self.env["gov.approval.request.step"].sudo()
        if not self:
            return Step
        steps = Step.search_fetch(
            [("request_id", "in", self.ids)],
            ["request_id", "name", "state", "stage", "sla_hours", *extra_fields],
        )
        by_request = steps.grouped("request_id")
        self._fields["step_ids"]._insert_cache(
            self, [by_request.get(request, Step)._ids for request in self]
        )
        return steps

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

    def _check_decision(self, user, decision, reason, channel, open_steps):
        """An error when the request no longer waits (``open_steps``: its
        open steps), the reason of a rejection is missing, or the matrix
        wants approvers to confirm their password and the decision does not
        come from Odoo's interface (where the password is asked)."""
        if self.state != "pending" or not open_steps:
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

    def _check_rationale(self, steps, decision, reason):
        """An error when ``steps`` all ask for a reason to approve and none
        was given."""
        if (
            decision == "approve"
            and not reason
            and steps
            and all(steps.mapped("rationale_required"))
        ):
            raise UserError(
                self.env._(
                    "Step %(step)s asks for a reason to approve.",
                    step=" + ".join(steps.mapped("name")),
                )
            )

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
            self._document()._gov_approval_body_rejected(self, user, reason, slot),
            "gov_approval.mt_approval_rejected",
        )

    @api.model
    def _apply_approvals(self, accepted, reason, channel, route=None):
        """Count approvals ``[(request, step, slot)]``: steps with the same
        outcome are written together, completed steps advance their request
        (``route``: their steps, when the caller read them already)."""
        user = self.env.user
        now = fields.Datetime.now()
        Step = self.env["gov.approval.request.step"].sudo()
        grouped = defaultdict(list)
        done = []
        # each step completed now and who decided: their approval activities
        # go, those of the parallel steps still open stay
        closing = {}
        for request, step, slot in accepted:
            approved = step.approved_count + 1
            if approved >= step.min_approvals:
                grouped[(approved, None)].append(step.id)
                done.append(request.id)
                closing[request.id] = (step, slot | user)
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
            request._post_on_document(
                request._document()._gov_approval_body_step_approved(
                    request, step, user, slot, reason
                ),
                "gov_approval.mt_approval_approved",
            )
            if request.id not in done:
                request._clear_activities(slot | user)
        self.sudo().browse(done)._advance(closing, route)

    def _decision_slot(self, open_steps, user, decided=None, picked=None):
        """``(step, approver)``: the open step ``user`` decides on and the
        approver whose vote they cast there, or an error.

        The user votes for themselves on the first open step (``picked``
        when given) where they are an approver still waited for, otherwise
        for an approver who delegated to them. Nobody decides on a request
        they made or re-routed, nobody decides twice on one request (across
        its steps, parallel or not, directly or through a delegation), and
        auditors and users holding an active conflicting pair of roles
        decide nothing.
        ``decided`` is the request's decisions, when the caller has read
        them already.
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
        if picked and picked - open_steps:
            raise UserError(
                self.env._(
                    "%(name)s no longer waits for step %(step)s.",
                    name=self.name,
                    step=", ".join(picked.mapped("name")),
                )
            )
        candidates_steps = picked or open_steps
        # an open step waits for its approvers who have not decided (they
        # are among its approvers, whoever changed the route): one who did
        # was refused above
        for step in candidates_steps:
            if user in step.pending_approver_ids:
                return step, user
        delegations = self.env["gov.approval.delegation"]._active_to(user, request=self)
        for step in candidates_steps:
            candidates = (
                (step.pending_approver_ids & delegations.user_id)
                - decided.approver_id
                - requester
            )
            if candidates:
                slot = candidates[:1]
                # the delegation used must still hold when the decision
                # commits: a concurrent end or change of it serializes with
                # this decision
                delegations.filtered(
                    lambda d, slot=slot: d.user_id == slot
                )._lock_for_decision()
                return step, slot
        raise AccessError(
            self.env._(
                "You are not an approver of the current step of %(name)s.",
                name=self.name,
            )
        )

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

    def _advance(self, closing=None, route=None):
        """After an approved step, open the next stage or approve the request;
        while a parallel step of the stage is still open, only the approval
        activities of the completed step go (``closing``: ``{request id:
        (the completed step, who decided)}``; ``route``: the steps of the
        requests, read with the decision, their states written since)."""
        if not self:
            return
        # the steps and what opening the next stage reads: read once, with
        # the decision when it came from there
        if route is None:
            steps = self._read_route()
        else:
            ids = set(self.ids)
            steps = route.filtered(lambda s: s.request_id.id in ids)
        by_request = steps.grouped("request_id")
        following_of, still_open = {}, {}
        for request in self:
            request_steps = by_request.get(request, steps.browse())
            open_steps = request_steps.filtered(lambda s: s.state == "pending")
            if open_steps:
                still_open[request] = open_steps
                continue
            following_of[request] = self._stage_of(
                request_steps.filtered(lambda s: s.state == "waiting")
            )
        # the approvers of every step that opens now and the requesters they
        # are told about, read once for all
        opening = steps.browse().union(*following_of.values())
        if opening:
            approvers = opening.with_context(active_test=False).pending_approver_ids
            (approvers | opening.request_id.requester_id).partner_id.mapped("email")
        for request in self:
            if request in still_open:
                if closing and request.id in closing:
                    done_step, deciders = closing[request.id]
                    keep = still_open[request].pending_approver_ids - deciders
                    request._clear_activities(
                        (done_step.approver_ids | deciders) - keep
                    )
                continue
            request_steps = by_request.get(request, steps.browse())
            following = following_of[request]
            if following:
                request._clear_activities()
                request._start_steps(following)
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
                batch = current_batch()
                if batch is None:
                    request._resume()
                else:
                    batch["resume"].append(request)

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
