"""A support checker for logic tests: an embedding model that finds every passage sentence
close to every claim, so only the other support checks decide (figures in the matching
sentence, polarity, start/end dates, names). The real model is exercised by
``tests/test_claims_gate.py`` and the evaluation gates."""

from __future__ import annotations

import numpy as np

from assistant.answer.support import SupportChecker


def _alike(claim: str, items: list[tuple[str, str]]) -> np.ndarray:
    return np.ones(len(items), dtype=np.float32)


AGREEING = SupportChecker(_alike)
