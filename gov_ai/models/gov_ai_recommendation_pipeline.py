# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Asking a use case about records, and what its policy makes of the answer:
the provider is called (its grant closed), its answer becomes the values of a
recommendation, and the state the policy chooses has its side effects (a
review activity, the action applied, an exception item for a person, the
audit log)."""

import logging
import time

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.gov_base.tools.engine import engine_paused

from ..tools.engine import recommendation_writes
from .gov_ai_recommendation import OPEN_STATES

_logger = logging.getLogger(__name__)

# records created in this transaction; what it asked about, by use case
CREATED = "gov_ai.created"
ASKED = "gov_ai.asked"


def unanswered(state, message, **values):
    """The values of a recommendation left without a usable answer: ``state``
    is ``fallback`` (a person does the check) or ``failed``."""
    return dict(values, state=state, confidence=0.0, error_message=message)


class GovAiRecommendation(models.Model):
    """The engine's entry point for new answers (``_run``) and the policy
    that turns an answer into a state."""

    _inherit = "gov.ai.recommendation"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Running a use case
    # ------------------------------------------------------------------
    @api.model
    @api.private
    def _run(self, use_case, records, *, queue=False, in_save=False):
        """Ask ``use_case`` about each of ``records``; return the recommendations.

        With ``queue`` (server actions), the question is not answered in
        this transaction when the provider calls another server, or when
        the built-in provider is asked ``in_save`` (an automation rule
        inside somebody's save) for a use case that answers after the save:
        the recommendations wait in the *Queued* state for
        the scheduled action, woken after commit, and are answered against
        the history as it was when they were asked (unless the use case asks
        for synchronous calls). Without it, a queued recommendation about
        the same input is answered now.
        """
        use_case.ensure_one()
        if not use_case.active:
            raise UserError(self.env._("Use case %s is archived.", use_case.name))
        if records._name != use_case.model_name:
            raise UserError(
                self.env._(
                    "Use case %(name)s is about %(model)s, not %(given)s.",
                    name=use_case.name,
                    model=use_case.model_name,
                    given=records._name,
                )
            )
        queue = (
            queue
            and not use_case.synchronous
            and use_case.provider_id._gov_ai_queued(
                in_save=in_save and use_case.answer_after_save
            )
        )
        result = self.browse()
        with recommendation_writes():
            for record in records:
                result |= self._run_one(use_case, record, queue=queue)
        return result

    def _run_one(self, use_case, record, *, queue=False):
        provider = use_case.provider_id
        data, fingerprint = use_case._minimised_input(record)
        # asked again while an answer about the same input is still open, or
        # when the latest answer found nothing in it: that answer stands (a
        # rule woken twice by one save asks once); open answers about an
        # earlier input are outdated
        latest = (
            self.browse()
            if self._never_asked(use_case, record)
            else self._open_about(use_case, record, with_clear=True)
        )
        still_open = latest.filtered(lambda r: r.state in OPEN_STATES)
        same_input = (still_open or latest[:1]).filtered(
            lambda r: r.input_fingerprint == fingerprint
        )
        if same_input:
            answer = same_input[:1]
            if not queue and answer.state == "queued":
                answer._answer_now()
            return answer.with_env(self.env)
        still_open._outdate()
        company = (
            record.sudo().company_id
            if "company_id" in record._fields and record.sudo().company_id
            else use_case.company_id or self.env.company
        )
        vals = {
            "use_case_id": use_case.id,
            "task": use_case.task,
            "res_model": record._name,
            "res_id": record.id,
            "record_name": record.sudo().display_name,
            "company_id": company.id,
            "provider_id": provider.id,
            "provider_model": provider.model_name or provider.kind,
            "input_fingerprint": fingerprint,
            "input_data": data,
        }
        vals["name"] = f"{use_case.name}: {vals['record_name']}"[:200]
        if queue:
            vals["history_watermark"] = self._history_watermark(record)
            # no chatter yet (the save stays cheap): the change of state is
            # logged when the answer lands
            recommendation = (
                self.sudo()
                .with_context(tracking_disable=True)
                .create(dict(vals, state="queued"))
            )
            recommendation._wake_worker()
            return recommendation.with_env(self.env)
        if provider._gov_ai_is_async():
            recommendation = self.sudo().create(dict(vals, state="waiting"))
            recommendation._ask_async(use_case, record)
            return recommendation.with_env(self.env)
        vals.update(
            self._answer_vals(
                use_case,
                record,
                data,
                company=self.env["res.company"].browse(company.id),
            )
        )
        if vals["state"] in ("fallback", "failed"):
            vals["exception_item_id"] = self._capture_fallback(
                use_case, record, vals
            ).id
        recommendation = self.sudo().create(vals)
        recommendation._after_policy(use_case, record)
        return recommendation.with_env(self.env)

    @api.model
    def _open_about(self, use_case, record, with_clear=False):
        """Open recommendations of ``use_case`` about ``record``, newest first
        (and those without a finding, ``with_clear``)."""
        states = OPEN_STATES + ("clear",) if with_clear else OPEN_STATES
        return self.sudo().search(
            [
                ("use_case_id", "=", use_case.id),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("state", "in", states),
            ],
            order="id desc",
        )

    @api.model
    def _note_created(self, records):
        """``records`` were just created in this transaction (see
        :meth:`_never_asked`)."""
        created = self.env.cr.precommit.data.setdefault(CREATED, set())
        created.update((records._name, record_id) for record_id in records.ids)

    @api.model
    def _created_here(self, record):
        """Whether ``record`` was created in this transaction (as far as a
        creation rule told, see :meth:`_note_created`)."""
        created = self.env.cr.precommit.data.get(CREATED, ())
        return (record._name, record.id) in created

    @api.model
    def _never_asked(self, use_case, record):
        """Whether ``record`` was created in this transaction and ``use_case``
        has not been asked about it in this transaction: then no
        recommendation of the use case is about it (nobody else could see
        the record yet), and nothing needs to be looked up."""
        asked = self.env.cr.precommit.data.get(ASKED, ())
        return (
            self._created_here(record)
            and (record._name, record.id, use_case.id) not in asked
        )

    @api.model_create_multi
    def create(self, vals_list):
        # what this transaction asked about (see _never_asked)
        self.env.cr.precommit.data.setdefault(ASKED, set()).update(
            (vals.get("res_model"), vals.get("res_id"), vals.get("use_case_id"))
            for vals in vals_list
        )
        return super().create(vals_list)

    def _outdate(self):
        """Retire open recommendations whose record has changed since: nobody
        reviews them any more, and a late answer to them is refused."""
        if not self:
            return
        self.sudo().write({"state": "outdated"})
        self.sudo().activity_ids.unlink()

    @api.model
    def _answer_vals(self, use_case, record, data, company=None):
        """Ask the provider; the values its answer (or failure) gives (its
        confidence calibrated for ``company``, see :meth:`_answer_to_vals`)."""
        vals = {}
        started = time.monotonic()
        answer = None
        try:
            # providers are other modules' code: the engine's grant is closed
            with self.env.cr.savepoint(), engine_paused():
                answer = use_case.provider_id._gov_ai_predict(use_case, record, data)
        except UserError as exc:
            vals.update(unanswered("fallback", str(exc)))
        except Exception as exc:  # a detector bug must not break the caller
            _logger.info(
                "AI use case %s failed on %s", use_case.id, record, exc_info=True
            )
            vals.update(unanswered("failed", repr(exc)))
        vals["latency_ms"] = int((time.monotonic() - started) * 1000)
        if answer is not None:
            vals.update(self._answer_to_vals(use_case, answer, company=company))
        return vals

    @api.model
    def _answer_to_vals(self, use_case, answer, company=None):
        """Recommendation values of a provider's ``answer`` (a dict, see
        :meth:`gov.ai.provider._gov_ai_predict`), with the state the policy
        gives it. The confidence is the provider's, calibrated by what the
        reviewers of ``company`` decided (``raw_confidence`` keeps the
        provider's own)."""
        finding = answer.get("finding", True)
        raw = min(max(float(answer.get("confidence") or 0.0), 0.0), 1.0)
        confidence = raw
        if company:
            confidence = use_case._calibrated_confidence(raw, company, finding=finding)
        vals = {
            "label": answer.get("label"),
            "score": answer.get("score") or 0.0,
            "summary": answer.get("summary"),
            "suggested_action": answer.get("suggested_action"),
            "confidence": confidence,
            "raw_confidence": raw,
            "explanation": answer.get("explanation"),
            "evidence": answer.get("evidence"),
            "detector_version": answer.get("detector_version"),
            "tokens": answer.get("tokens") or 0,
            "cost": answer.get("cost") or 0.0,
        }
        vals["state"] = self._apply_policy(
            use_case, vals["confidence"], finding=finding
        )
        return vals

    def _complete(self, vals):
        """Give an open (queued or waiting) recommendation its answer values,
        then run the side effects of its new state, as the engine."""
        self.ensure_one()
        use_case = self.use_case_id
        record = self.env[self.res_model].browse(self.res_id).exists()
        if vals["state"] in ("fallback", "failed"):
            target = record or self.env[self.res_model].browse()
            vals["exception_item_id"] = self._capture_fallback(
                use_case,
                target,
                dict(
                    vals,
                    name=self.name,
                    input_fingerprint=self.input_fingerprint,
                    company_id=self.company_id.id,
                ),
            ).id
        self.sudo().write(vals)
        self.sudo()._after_policy(use_case, record)
        return True

    # ------------------------------------------------------------------
    # The policy and its side effects
    # ------------------------------------------------------------------
    @api.model
    def _apply_policy(self, use_case, confidence, *, finding=True):
        """The state an answer gets. Auto-apply needs low impact, checked here
        again because a configuration can be changed behind the form's back."""
        if not finding:
            return "clear"
        if (
            use_case.auto_apply
            and use_case.impact == "low"
            and confidence >= use_case.auto_apply_threshold
        ):
            return "auto_applied"
        if confidence >= use_case.review_threshold:
            return "proposed"
        return "fallback"

    def _after_policy(self, use_case, record):
        """Side effects of the state the policy chose (as the engine)."""
        self.ensure_one()
        Audit = self.env["gov.audit.event"]
        if self.state == "proposed":
            if use_case.reviewer_id:
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Review AI recommendation"),
                    note=self.summary,
                    user_id=use_case.reviewer_id.id,
                )
        elif self.state == "auto_applied":
            if record:
                self._apply_on_record(record)
            Audit.record(
                "ai.auto_applied",
                self.env._("AI recommendation applied automatically: %s", self.name),
                record=self,
                details=self._audit_details(),
                channel="system",
                company=self.company_id,
            )
        elif self.state in ("fallback", "failed"):
            Audit.record(
                f"ai.{self.state}",
                self.env._("AI recommendation fell back to a person: %s", self.name),
                record=self,
                details=self._audit_details(),
                channel="system",
                company=self.company_id,
            )

    @api.model
    def _capture_fallback(self, use_case, record, vals):
        """An exception item asking a person for the deterministic check."""
        return self.env["gov.exception.item"].capture(
            "ai_low_confidence" if vals["state"] == "fallback" else "handler",
            self.env._("AI recommendation needs the manual check: %s", vals["name"]),
            source=use_case.name,
            source_type="module",
            record=record,
            payload={
                "use_case": use_case.id,
                "confidence": vals.get("confidence"),
                "label": vals.get("label"),
                "error": vals.get("error_message"),
                "input_fingerprint": vals["input_fingerprint"],
            },
            severity="high" if use_case.impact == "high" else "medium",
            fingerprint=f"gov_ai:{use_case.id}:{record._name}:{record.id}"
            f":{vals['input_fingerprint']}",
            company=self.env["res.company"].browse(vals["company_id"]),
        )

    def _apply_on_record(self, record):
        action = self.use_case_id.apply_action_id
        if action:
            action.sudo().with_context(
                active_model=record._name,
                active_id=record.id,
                active_ids=record.ids,
                gov_ai_recommendation=self.id,
            ).run()

    def _audit_details(self):
        return {
            "use_case": self.use_case_id.id,
            "res_model": self.res_model,
            "res_id": self.res_id,
            "label": self.label,
            "confidence": self.confidence,
            "state": self.state,
            "input_fingerprint": self.input_fingerprint,
            "detector_version": self.detector_version,
            "reason": self.decision_reason,
            "override_value": self.override_value,
        }
