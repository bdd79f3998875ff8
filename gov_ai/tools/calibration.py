# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Learning from reviewers: a detector's stated confidence re-fitted to what
reviewers decided (Platt scaling: ``sigmoid(slope * logit(c) + intercept)``),
kept only when it calibrates better on the decisions it learnt from.

Pure functions. An outcome is 1 when a reviewer accepted the answer, 0 when
they rejected or overrode it. The fit is pulled towards the identity (slope
1, intercept 0) so that a few decisions move it a little only.
"""

import math

VERSION = "platt-1"
# Fewest decisions worth learning from.
MIN_DECISIONS = 20
# Confidences are kept off 0 and 1 before their logit is taken.
EPSILON = 1e-3
# Strength of the pull towards the identity (a prior worth this many
# decisions).
PRIOR_WEIGHT = 5.0
IDENTITY = {"slope": 1.0, "intercept": 0.0}


def _logit(value):
    value = min(max(float(value), EPSILON), 1 - EPSILON)
    return math.log(value / (1 - value))


def _sigmoid(value):
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def _loss(xs, ys, slope, intercept):
    """Log-loss of the fit plus the pull towards the identity."""
    total = 0.5 * PRIOR_WEIGHT * ((slope - 1.0) ** 2 + intercept**2)
    for x, y in zip(xs, ys, strict=True):
        z = slope * x + intercept
        # log(1 + exp(-z)) for y = 1, log(1 + exp(z)) for y = 0, stably
        margin = z if y else -z
        total += max(-margin, 0.0) + math.log1p(math.exp(-abs(margin)))
    return total


def apply(confidence, params):
    """``confidence`` through the fitted ``params`` (identity without)."""
    if not params:
        return float(confidence)
    return _sigmoid(params["slope"] * _logit(confidence) + params["intercept"])


def brier(pairs, params=None):
    """Mean squared gap between (calibrated) confidence and outcome."""
    pairs = list(pairs)
    if not pairs:
        return None
    return sum((apply(c, params) - o) ** 2 for c, o in pairs) / len(pairs)


def fit(pairs, iterations=50):
    """Platt parameters for ``pairs`` of (confidence, outcome), by Newton's
    method on the penalised log-loss. Returns ``{"slope", "intercept", "n",
    "brier_before", "brier_after", "version"}``, the identity when there are
    too few decisions or the fit does not calibrate better."""
    pairs = [(float(c), 1 if o else 0) for c, o in pairs]
    result = dict(IDENTITY, n=len(pairs), version=VERSION)
    before = brier(pairs)
    result.update(brier_before=before, brier_after=before)
    if len(pairs) < MIN_DECISIONS:
        return result
    xs = [_logit(c) for c, _o in pairs]
    ys = [o for _c, o in pairs]
    slope, intercept = 1.0, 0.0
    loss = _loss(xs, ys, slope, intercept)
    for _step in range(iterations):
        # gradient and Hessian of the log-loss plus the pull to the identity
        g_slope = PRIOR_WEIGHT * (slope - 1.0)
        g_intercept = PRIOR_WEIGHT * intercept
        h_ss, h_si, h_ii = PRIOR_WEIGHT, 0.0, PRIOR_WEIGHT
        for x, y in zip(xs, ys, strict=True):
            p = _sigmoid(slope * x + intercept)
            w = p * (1 - p)
            g_slope += (p - y) * x
            g_intercept += p - y
            h_ss += w * x * x
            h_si += w * x
            h_ii += w
        det = h_ss * h_ii - h_si * h_si
        if det <= 1e-12:
            break
        step_slope = (h_ii * g_slope - h_si * g_intercept) / det
        step_intercept = (h_ss * g_intercept - h_si * g_slope) / det
        # halve the step until the loss goes down (Newton overshoots when
        # the answers were nearly certain)
        scale = 1.0
        while scale > 1e-6:
            # a calibration never reverses the order of the answers
            candidate = (
                max(slope - scale * step_slope, 0.0),
                intercept - scale * step_intercept,
            )
            candidate_loss = _loss(xs, ys, *candidate)
            if candidate_loss < loss:
                break
            scale /= 2
        else:
            break
        moved = abs(candidate[0] - slope) + abs(candidate[1] - intercept)
        (slope, intercept), loss = candidate, candidate_loss
        if moved < 1e-8:
            break
    params = {"slope": slope, "intercept": intercept}
    after = brier(pairs, params)
    if after < before:
        result.update(
            slope=round(slope, 6), intercept=round(intercept, 6), brier_after=after
        )
    result["brier_before"] = round(result["brier_before"], 6)
    result["brier_after"] = round(result["brier_after"], 6)
    return result


def bounded(calibrated, raw, *, finding, review_threshold, auto_apply_threshold):
    """The confidence the policy reads once learning had its say.

    The floor of human review: a finding the detector put up for review
    never drops below the review threshold (a reviewer keeps looking at it,
    not only the exception queue), and learning never lifts an answer to the
    auto-apply threshold its detector did not reach itself.
    """
    value = calibrated
    if finding:
        value = max(value, min(raw, review_threshold))
    if raw < auto_apply_threshold:
        value = min(value, max(auto_apply_threshold - 0.01, 0.0))
    return round(min(max(value, 0.0), 1.0), 4)
