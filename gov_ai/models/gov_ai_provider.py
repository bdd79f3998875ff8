# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""AI providers: where answers come from (the built-in detectors, an
OpenAI-compatible endpoint, or an asynchronous provider added by another
module), their API key, and the contract every answer is checked against."""

import time
from contextlib import contextmanager

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import answers, llm
from .gov_ai_use_case import AGREEMENT_TASKS

PROVIDER_KINDS = [
    ("builtin", "Built-in (offline)"),
    ("openai_compatible", "OpenAI-compatible HTTP"),
]


class GovAiProvider(models.Model):
    """Where recommendations come from; the built-in one never leaves the DB."""

    _name = "gov.ai.provider"
    _description = "AI Provider"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(PROVIDER_KINDS, required=True, default="builtin")
    base_url = fields.Char(
        string="Base URL", help="e.g. http://localhost:11434/v1 for Ollama."
    )
    model_name = fields.Char(string="Model", help="Model identifier sent to the API.")
    # Write-only: set through the key wizard, never read back by anybody.
    api_key = fields.Char(string="API Key", groups=fields.NO_ACCESS, copy=False)
    has_api_key = fields.Boolean(string="Key Set", compute="_compute_has_api_key")
    timeout = fields.Integer(
        string="Timeout (seconds)", default=30, help="Longest wait for one answer."
    )
    request_logprobs = fields.Boolean(
        string="Ask Token Probabilities",
        help="Ask the server for the log-probabilities of the answer's tokens"
        " (OpenAI, vLLM and others support it): the probability the model gave"
        " its label tempers the confidence it states.",
    )
    company_id = fields.Many2one("res.company", index=True)
    active = fields.Boolean(default=True)

    _timeout_positive = models.Constraint(
        "CHECK (timeout > 0 AND timeout <= 600)",
        "The timeout must be between 1 and 600 seconds.",
    )

    def _compute_has_api_key(self):
        rows = dict(
            self.env.execute_query(
                SQL(
                    "SELECT id, api_key IS NOT NULL AND api_key != ''"
                    " FROM gov_ai_provider WHERE id IN %s",
                    tuple(self.ids) or (0,),
                )
            )
        )
        for provider in self:
            provider.has_api_key = bool(rows.get(provider.id))

    def _set_api_key(self, key):
        """Store a new key (or clear it); audited, never echoed."""
        self.ensure_one()
        self.check_access("write")
        self.sudo().write({"api_key": key or False})
        self.env["gov.audit.event"].record(
            "ai.provider_key_set" if key else "ai.provider_key_cleared",
            self.env._("API key of AI provider %s changed", self.name),
            record=self,
        )

    def action_open_key_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Set API Key"),
            "res_model": "gov.ai.provider.key.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_provider_id": self.id},
        }

    def _gov_ai_calls_out(self):
        """Whether answering blocks on a call to another server; such calls
        are queued off the request path when an automation rule asks."""
        self.ensure_one()
        return self.kind == "openai_compatible"

    def _gov_ai_queued(self, *, in_save=False):
        """Whether a question asked off the caller's path (a server action)
        waits for the scheduled action: calls to another server always, and
        the built-in detectors, which read the model's history, when an
        automation rule asks inside somebody's save."""
        self.ensure_one()
        return self._gov_ai_calls_out() or (in_save and self.kind == "builtin")

    def _gov_ai_is_async(self):
        """Whether answers come back later, through
        ``gov.ai.recommendation._gov_ai_receive_answer``."""
        self.ensure_one()
        return False

    def _gov_ai_request(self, recommendation, use_case, record):
        """Send the question of ``recommendation`` to an asynchronous provider
        (its ``correlation_id`` ties the answer); raise :class:`UserError`
        when it cannot be sent."""
        raise UserError(
            self.env._("Provider %s does not answer asynchronously.", self.name)
        )

    @api.private
    def _gov_ai_predict(self, use_case, record, data):
        """Run the use case's task on ``record`` given its minimised ``data``.

        Returns a dict: ``label``, ``score``, ``confidence``, ``summary``,
        ``suggested_action``, ``explanation``, ``evidence``, ``detector_version``
        and optionally ``tokens`` and ``cost``. A provider that cannot answer
        raises :class:`UserError`; the engine then falls back.
        """
        self.ensure_one()
        method = getattr(self, f"_gov_ai_predict_{self.kind}", None)
        if method is None:
            raise UserError(
                self.env._("Provider %s cannot answer yet.", self.display_name)
            )
        return method(use_case, record, data)

    def _gov_ai_predict_builtin(self, use_case, record, data):
        return use_case._gov_ai_detect(record, data)

    def _gov_ai_predict_openai_compatible(self, use_case, record, data):
        """Ask the endpoint, down the ladder of output modes; any answer that
        is late, cut off, malformed or off-schema raises :class:`UserError`."""
        if not self.base_url:
            raise UserError(self.env._("Provider %s has no base URL.", self.name))
        url = self.base_url.rstrip("/") + "/chat/completions"
        headers = {"Content-Type": "application/json"}
        key = self.sudo().api_key
        if key:
            headers["Authorization"] = f"Bearer {key}"
        body, mode = None, None
        external = use_case._external_input(data)
        started = time.monotonic()
        for mode in llm.MODES:
            payload = llm.build_payload(
                self.model_name,
                use_case.task,
                external,
                mode,
                logprobs=self.request_logprobs,
                system=use_case._llm_instructions(),
                schema=use_case._llm_schema(),
            )
            try:
                response = requests.post(
                    url, json=payload, headers=headers, timeout=self.timeout
                )
            except requests.RequestException as exc:
                raise UserError(
                    self.env._(
                        "Provider %(name)s failed: %(error)s",
                        name=self.name,
                        error=exc.__class__.__name__,
                    )
                ) from exc
            if response.status_code in (400, 422) and mode != llm.MODES[-1]:
                continue  # this server does not know the mode: try the next one
            if response.status_code != 200:
                raise UserError(
                    self.env._(
                        "Provider %(name)s answered HTTP %(status)s.",
                        name=self.name,
                        status=response.status_code,
                    )
                )
            try:
                body = response.json()
            except ValueError as exc:
                raise UserError(
                    self.env._("Provider %s did not answer JSON.", self.name)
                ) from exc
            break
        if time.monotonic() - started > self.timeout:
            raise UserError(
                self.env._("Provider %s answered after its timeout.", self.name)
            )
        with self._gov_ai_answer_contract():
            answer, tokens = llm.parse_answer(body, use_case._llm_custom_schema())
            llm.usable(answer)
        result = self._gov_ai_llm_result(use_case, record, data, answer, mode=mode)
        result["tokens"] = tokens
        return result

    @contextmanager
    def _gov_ai_answer_contract(self):
        """Inside the block, an LLM answer that breaks its contract or
        abstains raises a :class:`UserError` that names this provider (the
        engine then falls back)."""
        try:
            yield
        except llm.AnswerError as exc:
            if isinstance(exc, llm.Abstained):
                message = self.env._(
                    "Provider %(name)s abstained: %(why)s", name=self.name, why=str(exc)
                )
            else:
                message = self.env._(
                    "Unusable answer from %(name)s: %(error)s",
                    name=self.name,
                    error=str(exc),
                )
            raise UserError(message) from exc

    def _gov_ai_llm_result(self, use_case, record, data, answer, *, mode):
        """The recommendation answer of a checked LLM ``answer``: its
        self-reported confidence is discounted, and weighed against the
        built-in detector's answer when the task has a comparable one."""
        agreement = None
        if use_case.task in AGREEMENT_TASKS and record:
            reference = use_case._gov_ai_detect(record, data)
            # a detector that cannot judge (no confidence, label "unknown")
            # has no opinion: it is no disagreement
            if reference["confidence"] and reference["label"] != "unknown":
                agreement = (
                    reference["label"] == answer["label"],
                    reference["confidence"],
                )
        return answers.build(
            answer["label"],
            version=f"llm-1:{mode}",
            score=answer["confidence"],
            confidence=llm.combine_confidence(
                answer["confidence"], agreement, answer.get("label_probability")
            ),
            finding=True,
            action="review",
            summary=answer["rationale"],
            explanation=answer["rationale"],
            evidence={
                "output_mode": mode,
                "self_reported_confidence": answer["confidence"],
                "agrees_with_builtin": agreement and agreement[0],
                "builtin_confidence": agreement and agreement[1],
                "label_probability": answer.get("label_probability"),
            },
        )
