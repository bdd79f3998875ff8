# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Extractive summaries: the sentences that carry the text's frequent words.

Each sentence is scored by the mean normalised frequency of its content words,
plus a small bonus for coming early (the lead of a text tends to state its
point); the best sentences are kept in their original order. Nothing is
rewritten, so every sentence of a summary can be found in the source.
"""

import re

from .bayes import tokenize

VERSION = "extractive-1"
_SENTENCE_END = re.compile(
    r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9À-Ý])|\n\s*\n|\n(?=\s*[-*•])"
)
MAX_SENTENCES = 5
RATIO = 0.3
LEAD_BONUS = 0.25


def split_sentences(text):
    """Sentences of ``text``: split after . ! ? before a capital, and on
    paragraph breaks and bullet lines."""
    if not text:
        return []
    parts = _SENTENCE_END.split(str(text).strip())
    return [" ".join(p.split()) for p in parts if p and p.strip()]


def summarize(text, *, max_sentences=MAX_SENTENCES, ratio=RATIO):
    """The extractive summary of ``text``.

    Returns a dict: ``summary`` (kept sentences in their order), ``kept``
    (their 1-based positions), ``sentences`` (how many there were),
    ``coverage`` (share of the content-word weight the summary holds, 0-1)
    and ``keywords`` (the most frequent content words).
    """
    sentences = split_sentences(text)
    if not sentences:
        return {
            "summary": "",
            "kept": [],
            "sentences": 0,
            "coverage": 0.0,
            "keywords": [],
        }
    words = [tokenize(sentence) for sentence in sentences]
    frequency = {}
    for sentence_words in words:
        for word in sentence_words:
            frequency[word] = frequency.get(word, 0) + 1
    keywords = sorted(frequency, key=lambda w: (-frequency[w], w))[:8]
    wanted = max(1, min(max_sentences, round(len(sentences) * ratio)))
    if len(sentences) <= wanted or not frequency:
        kept = list(range(len(sentences)))[:wanted]
    else:
        top = max(frequency.values())
        count = len(sentences)
        scores = []
        for index, sentence_words in enumerate(words):
            if sentence_words:
                weight = sum(frequency[w] / top for w in sentence_words)
                content = weight / len(sentence_words) ** 0.5
            else:
                content = 0.0
            position = LEAD_BONUS * (1 - index / count)
            scores.append((content + position, index))
        best = sorted(scores, key=lambda pair: (-pair[0], pair[1]))[:wanted]
        kept = sorted(index for _score, index in best)
    # share of the text's word occurrences whose word the summary holds
    held = {w for index in kept for w in words[index]}
    total = sum(frequency.values())
    coverage = sum(frequency[w] for w in held) / total if total else 1.0
    return {
        "summary": " ".join(sentences[index] for index in kept),
        "kept": [index + 1 for index in kept],
        "sentences": len(sentences),
        "coverage": round(min(coverage, 1.0), 4),
        "keywords": keywords,
    }
