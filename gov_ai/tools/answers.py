# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The answer of a provider, as the engine reads it.

Every built-in detector (in this module and in others, such as
``gov_ai_account``'s refund risk) and the LLM providers return the same dict;
``build`` makes it, so that its keys are named in one place. The engine
turns it into a recommendation (``gov.ai.recommendation._answer_to_vals``).
"""


def build(
    label,
    *,
    version,
    summary,
    explanation,
    evidence,
    score=0.0,
    confidence=0.0,
    finding=False,
    action="none",
):
    """What a provider answered about one record.

    :param label: the answer itself (``duplicate``, a category, ...)
    :param version: the detector and its version (``dup-2``, ``llm-1:prompt``)
    :param summary: one line for the reviewer
    :param explanation: why, in words a reviewer can check
    :param evidence: the features, baselines and similar records behind it
    :param score: the detector's own measure (a similarity, a z-score, ...)
    :param confidence: how sure the provider is, between 0 and 1
    :param finding: whether a person should look at it (else: *No Finding*)
    :param action: what the reviewer is asked to do about a finding
        (``review``, ``block``, ``check``, ``set_label``); ``none`` without
        a finding
    """
    return {
        "label": label,
        "score": score,
        "confidence": confidence,
        "finding": finding,
        "summary": summary,
        "suggested_action": action if finding else "none",
        "explanation": explanation,
        "evidence": evidence,
        "detector_version": version,
    }


def unknown(*, version, summary, explanation, evidence):
    """The detector cannot judge the record (too little history, no words to
    go by): a finding without confidence, for a person to check."""
    return build(
        "unknown",
        version=version,
        summary=summary,
        explanation=explanation,
        evidence=evidence,
        finding=True,
        action="check",
    )
