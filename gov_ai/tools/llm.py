# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The contract with an OpenAI-compatible chat completion endpoint.

Requests ask for structured output down a ladder of modes (strict JSON
schema, then JSON object, then the prompt alone); every answer is checked
against :data:`ANSWER_SCHEMA` before anybody sees it.
"""

import json
import math

import jsonschema

MODES = ("json_schema", "json_object", "prompt")
ANSWER_SCHEMA = {
    "type": "object",
    "properties": {
        "label": {"type": "string", "maxLength": 64},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "rationale": {"type": "string", "maxLength": 1000},
        "abstain": {"type": "boolean"},
    },
    "required": ["label", "confidence", "rationale", "abstain"],
    "additionalProperties": False,
}


class AnswerError(Exception):
    """The endpoint's answer cannot be used."""


def instructions(task):
    """What the model is asked to do, whatever carries the question."""
    return (
        f"Task: {task}. Answer only with a JSON object with the keys label,"
        " confidence (0 to 1), rationale (short) and abstain (true when the"
        " record does not allow an answer)."
    )


def build_payload(model, task, data, mode, *, max_tokens=300, logprobs=False):
    """The JSON body of one chat completion request in ``mode``; with
    ``logprobs``, the token log-probabilities of the answer are asked too."""
    payload = {
        "model": model or "default",
        "temperature": 0,
        "max_tokens": max_tokens,
        "messages": [
            {"role": "system", "content": instructions(task)},
            {"role": "user", "content": json.dumps(data, sort_keys=True)},
        ],
    }
    if mode == "json_schema":
        payload["response_format"] = {
            "type": "json_schema",
            "json_schema": {
                "name": "recommendation",
                "schema": ANSWER_SCHEMA,
                "strict": True,
            },
        }
    elif mode == "json_object":
        payload["response_format"] = {"type": "json_object"}
    if logprobs:
        payload["logprobs"] = True
    return payload


def parse_answer(body):
    """The validated answer of a chat completion ``body`` (a dict).

    Returns ``(answer, tokens)``; raises :class:`AnswerError` when the
    answer was cut off, is not JSON, or does not match the schema.
    """
    try:
        choice = body["choices"][0]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise AnswerError("no answer in the response") from exc
    if choice.get("finish_reason") not in (None, "stop"):
        raise AnswerError(f"answer cut off ({choice.get('finish_reason')})")
    try:
        answer = json.loads(content)
    except (TypeError, ValueError) as exc:
        raise AnswerError("answer is not JSON") from exc
    answer = check_answer(answer)
    answer["label_probability"] = label_probability(
        content, choice.get("logprobs"), answer["label"]
    )
    usage = body.get("usage") or {}
    tokens = usage.get("total_tokens") or 0
    return answer, int(tokens) if isinstance(tokens, int | float) else 0


def label_probability(content, logprobs, label):
    """The probability the model gave to the tokens of its ``label`` in
    ``content``, from the ``logprobs`` of the choice; ``None`` when the
    server sent none or its tokens do not spell the content exactly."""
    tokens = logprobs.get("content") if isinstance(logprobs, dict) else None
    if not isinstance(tokens, list) or not tokens:
        return None
    value = json.dumps(label)
    key = content.find('"label"')
    start = content.find(value, key + len('"label"')) if key >= 0 else -1
    if start < 0:
        return None
    start, end = start + 1, start + len(value) - 1  # inside the quotes
    offset, total, spelled = 0, 0.0, []
    for token in tokens:
        if not isinstance(token, dict) or not isinstance(token.get("token"), str):
            return None
        text, logprob = token["token"], token.get("logprob")
        if not isinstance(logprob, int | float) or logprob > 0:
            return None
        if offset < end and offset + len(text) > start:
            total += logprob
        spelled.append(text)
        offset += len(text)
    if "".join(spelled) != content:
        return None
    return round(math.exp(total), 4)


def check_answer(answer):
    """``answer`` (a decoded JSON value) if it matches :data:`ANSWER_SCHEMA`,
    keeping only the schema's keys; raises :class:`AnswerError` otherwise."""
    if isinstance(answer, dict):
        answer = {
            key: answer[key] for key in ANSWER_SCHEMA["properties"] if key in answer
        }
    try:
        jsonschema.validate(answer, ANSWER_SCHEMA)
    except jsonschema.ValidationError as exc:
        raise AnswerError(f"answer does not match the schema: {exc.message}") from exc
    return answer


def combine_confidence(self_reported, detector=None, label_probability=None):
    """Self-reported confidence is overconfident: temper it with the
    probability the model gave its label's tokens when the server sent
    log-probabilities (their geometric mean, which can only lower it),
    discount it, and lean on agreement with the built-in detector when there
    is one.

    ``detector`` is ``(agrees, detector_confidence)`` or ``None``.
    """
    if label_probability is not None:
        self_reported = min(self_reported, math.sqrt(self_reported * label_probability))
    if detector is None:
        return round(0.8 * self_reported, 4)
    agrees, detector_confidence = detector
    if agrees:
        return round((self_reported + detector_confidence) / 2, 4)
    return round(min(self_reported, 1 - detector_confidence) / 2, 4)
