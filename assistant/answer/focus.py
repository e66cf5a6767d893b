"""Tight LLM contexts: each passage cut to the sentences around its best match with the question.

On this 2-core machine prompt processing runs at ~32 tok/s on one thread and
~64 tok/s on two, and Cyrillic text costs about one token per two characters:
four 800-character passages alone take ~20 s before the first token. The
reader needs only the sentences that carry the answer, so each passage is
trimmed to a contiguous run of whole sentences around its best-scoring sentence
(scores from :func:`assistant.answer.extractive.analyse`, the same question
coverage the extractive answer uses). LangChain's ``EmbeddingsFilter`` /
``LLMChainExtractor`` compress whole documents by embedding or by an extra LLM
call; this works sentence by sentence with no model call and keeps the text a
verbatim substring, so citation quotes still verify.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.contexts import Evidence, share_budget, trim_around
from assistant.answer.extractive import Candidate


def focus_evidence(evidence: list[Evidence], candidates: list[Candidate], max_chars: int) -> list[Evidence]:
    """``evidence`` with each passage trimmed around its best candidate sentence, sharing ``max_chars``.

    Passage order and numbering are kept. A passage without a scored sentence is
    trimmed from its start (the retrieved chunk leads its expanded text).
    """
    best: dict[int, Candidate] = {}
    for c in candidates:  # candidates are sorted best first
        best.setdefault(c.index, c)
    texts = [e.context.text for e in evidence]
    budgets = share_budget([len(t) for t in texts], max_chars)
    focused = []
    for i, (e, text, budget) in enumerate(zip(evidence, texts, budgets)):
        anchor = best[i].text if i in best else ""
        trimmed = trim_around(text, anchor, max(budget, 1))
        focused.append(replace(e, context=e.context.model_copy(update={"text": trimmed})))
    return focused
