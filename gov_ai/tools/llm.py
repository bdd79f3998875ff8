# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The contract with an OpenAI-compatible chat completion endpoint.

Requests ask for structured output down a ladder of modes (strict JSON
schema, then JSON object, then the prompt alone); every answer is checked
against :data:`ANSWER_SCHEMA` before anybody sees it.
"""

import json
import math
import string

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


class Abstained(AnswerError):
    """The model declined to answer; the message is its rationale."""


class SchemaProblem(Exception):
    """A use case's output schema cannot serve as an answer contract."""


def instructions(task, template=None, **values):
    """What the model is asked to do, whatever carries the question.

    ``template`` (a use case's prompt) may use ``$task``, ``$model`` and
    ``$fields``; placeholders are substituted, never evaluated. The answer
    contract is always appended.
    """
    contract = (
        "Answer only with a JSON object with the keys label, confidence (0 to"
        " 1), rationale (short) and abstain (true when the record does not allow"
        " an answer)."
    )
    if not template:
        return f"Task: {task}. {contract}"
    text = string.Template(template).safe_substitute(task=task, **values)
    return f"{text.strip()}\n\n{contract}"


def answer_schema(custom=None):
    """The schema answers must match: :data:`ANSWER_SCHEMA`, or a use case's
    own (checked by :func:`check_schema`)."""
    return custom or ANSWER_SCHEMA


def check_schema(schema):
    """Raise :class:`SchemaProblem` unless ``schema`` is a JSON Schema of an
    answer object that still carries the keys of :data:`ANSWER_SCHEMA`."""
    if not isinstance(schema, dict):
        raise SchemaProblem("the output schema must be a JSON object")
    try:
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise SchemaProblem(f"invalid JSON Schema: {exc.message}") from exc
    if schema.get("type") != "object":
        raise SchemaProblem('the output schema must have "type": "object"')
    properties = schema.get("properties") or {}
    missing = [
        key
        for key in ANSWER_SCHEMA["required"]
        if key not in properties or key not in (schema.get("required") or [])
    ]
    if missing:
        raise SchemaProblem(
            "the output schema must require and describe the keys " + ", ".join(missing)
        )


def build_payload(
    model,
    task,
    data,
    mode,
    *,
    max_tokens=300,
    logprobs=False,
    system=None,
    schema=None,
):
    """The JSON body of one chat completion request in ``mode``; with
    ``logprobs``, the token log-probabilities of the answer are asked too.
    ``system`` and ``schema`` replace the default instructions and schema."""
    payload = {
        "model": model or "default",
        "temperature": 0,
        "max_tokens": max_tokens,
        "messages": [
            {"role": "system", "content": system or instructions(task)},
            {"role": "user", "content": json.dumps(data, sort_keys=True)},
        ],
    }
    if mode == "json_schema":
        payload["response_format"] = {
            "type": "json_schema",
            "json_schema": {
                "name": "recommendation",
                "schema": answer_schema(schema),
                "strict": True,
            },
        }
    elif mode == "json_object":
        payload["response_format"] = {"type": "json_object"}
    if logprobs:
        payload["logprobs"] = True
    return payload


def parse_answer(body, schema=None):
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
    answer = check_answer(answer, schema)
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


def check_answer(answer, schema=None):
    """``answer`` (a decoded JSON value) if it matches :data:`ANSWER_SCHEMA`
    and ``schema`` (a use case's own), keeping only the keys of the base
    schema; raises :class:`AnswerError` otherwise."""
    try:
        if schema:
            jsonschema.validate(answer, schema)
    except jsonschema.ValidationError as exc:
        raise AnswerError(f"answer does not match the schema: {exc.message}") from exc
    if isinstance(answer, dict):
        answer = {
            key: answer[key] for key in ANSWER_SCHEMA["properties"] if key in answer
        }
    try:
        jsonschema.validate(answer, ANSWER_SCHEMA)
    except jsonschema.ValidationError as exc:
        raise AnswerError(f"answer does not match the schema: {exc.message}") from exc
    return answer


def usable(answer):
    """A checked ``answer``, unless the model abstained (:class:`Abstained`)."""
    if answer["abstain"]:
        raise Abstained(answer["rationale"])
    return answer


def combine_confidence(self_reported, detector=None, label_probability=None):
    """Self-reported confidence is overconfident: temper it with the
    probability the model gave its label's tokens when the server sent
    log-probabilities (their geometric mean, which can only lower it),
    discount it, and lean on agreement with the built-in detector when there
    is one.

    ``detector`` is ``(agrees, detector_confidence)`` or ``None``. A
    detector without confidence has no opinion: it neither supports nor
    counts against the answer.
    """
    if label_probability is not None:
        self_reported = min(self_reported, math.sqrt(self_reported * label_probability))
    if detector is None or not detector[1]:
        return round(0.8 * self_reported, 4)
    agrees, detector_confidence = detector
    if agrees:
        return round((self_reported + detector_confidence) / 2, 4)
    return round(min(self_reported, 1 - detector_confidence) / 2, 4)
