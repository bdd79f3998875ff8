# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Multinomial naive Bayes over words, with Laplace smoothing, in log space.

Trained on the database's own labelled history (the text and label fields of
a use case); the model is a plain dict, so it can be cached and inspected.
"""

import math
import re
import unicodedata

VERSION = "nb-1"
_WORD = re.compile(r"[^\W\d_]{2,}")
# Words that say nothing about a category, in the languages seen most.
_STOP_TEXT = """a an and are as at be by for from has have in is it its of on or
that the this to was were will with we our you your not no but de la le les des
du et en un une pour par sur au aux der die das und zu mit von el los las y del"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def tokenize(text):
    """Lower-case words without accents, digits or stop words."""
    if not text:
        return []
    text = unicodedata.normalize("NFKD", str(text).lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return [w for w in _WORD.findall(text) if w not in STOP_WORDS]


def train(samples, *, alpha=1.0):
    """Train on ``samples``, an iterable of ``(text, label)``.

    Labels are strings; samples with no words or no label are skipped.
    """
    classes = {}
    vocabulary = set()
    documents = 0
    for text, label in samples:
        words = tokenize(text)
        if not words or label in (None, False, ""):
            continue
        label = str(label)
        entry = classes.setdefault(label, {"documents": 0, "words": 0, "counts": {}})
        entry["documents"] += 1
        entry["words"] += len(words)
        counts = entry["counts"]
        for word in words:
            counts[word] = counts.get(word, 0) + 1
        vocabulary.update(words)
        documents += 1
    return {
        "version": VERSION,
        "alpha": alpha,
        "documents": documents,
        "vocabulary": len(vocabulary),
        "classes": classes,
    }


def _log_likelihood(model, entry, word):
    alpha = model["alpha"]
    denominator = entry["words"] + alpha * (model["vocabulary"] + 1)
    return math.log((entry["counts"].get(word, 0) + alpha) / denominator)


def predict(model, text, *, top_words=5):
    """Posterior probability of each class for ``text``, and why.

    Returns ``None`` when the model has fewer than two classes or the text no
    word; otherwise a dict with ``label``, ``confidence`` (the posterior of
    the best class), ``probabilities`` (every class, best first), ``words``
    (the words of the text that favour the best class over the runner-up
    most, with their log-likelihood ratio) and ``known_words``.
    """
    classes = model["classes"]
    words = tokenize(text)
    if len(classes) < 2 or not words:
        return None
    documents = model["documents"]
    scores = {}
    for label, entry in classes.items():
        score = math.log(entry["documents"] / documents)
        for word in words:
            score += _log_likelihood(model, entry, word)
        scores[label] = score
    top = max(scores.values())
    # softmax in log space: subtract the maximum before exponentiating
    weights = {label: math.exp(score - top) for label, score in scores.items()}
    total = sum(weights.values())
    ranked = sorted(weights, key=lambda label: (-weights[label], label))
    best, runner_up = ranked[0], ranked[1]
    ratios = {}
    for word in set(words):
        ratios[word] = _log_likelihood(model, classes[best], word) - _log_likelihood(
            model, classes[runner_up], word
        )
    telling = sorted(
        (w for w in ratios if ratios[w] > 0), key=lambda w: (-ratios[w], w)
    )
    known = [w for w in set(words) if any(w in c["counts"] for c in classes.values())]
    return {
        "label": best,
        "confidence": round(weights[best] / total, 4),
        "probabilities": [
            {"label": label, "probability": round(weights[label] / total, 4)}
            for label in ranked
        ],
        "runner_up": runner_up,
        "words": [
            {"word": w, "log_ratio": round(ratios[w], 3)} for w in telling[:top_words]
        ],
        "known_words": len(known),
        "words_in_text": len(words),
    }
