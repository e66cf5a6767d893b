"""The claim verifier measured: precision and recall on claim–passage pairs (``evals/claims.jsonl``).

Each pair is one claim sentence and one passage, labelled supported or not, with the
kind of pair ("translation", "negated", "wrong_date", "start_for_end"…). A pair is run
through the same check an answer's claim gets (:func:`assistant.answer.citations.check_answer`
with the claim citing the passage as ``[1]``): figures and names present, then support.

- **precision**: of the pairs verified, the share that are supported;
- **recall**: of the supported pairs, the share verified;
- **false_accept**: of the unsupported pairs, the share verified (the issue's "at most 2 %").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from assistant.answer.citations import check_answer
from assistant.answer.support import SupportChecker
from assistant.errors import AssistantError
from assistant.types import Context

SUPPORTED_KINDS = frozenset({"verbatim", "paraphrase", "translation", "summary"})
UNSUPPORTED_KINDS = frozenset(
    {"unrelated", "negated", "wrong_figure", "wrong_date", "wrong_actor", "wrong_phase", "start_for_end"}
)


class ClaimsError(AssistantError):
    """A claims file that cannot be read (the message names the file and line)."""


class ClaimPair(BaseModel):
    """One labelled claim–passage pair."""

    id: str
    split: Literal["dev", "heldout"]
    kind: str
    supported: bool
    claim: str
    claim_language: str
    source: str
    position: int | str | None = None
    passage_language: str
    passage: str
    evidence: str | None = None
    notes: str = ""

    @property
    def cross_language(self) -> bool:
        return self.claim_language != self.passage_language


class ClaimVerdict(BaseModel):
    """What the verifier said of one pair."""

    id: str
    split: str
    kind: str
    supported: bool
    verified: bool
    cross_language: bool
    similarity: float | None = None
    problems: list[str] = []


def load_claims(path: Path) -> list[ClaimPair]:
    """The pairs of a claims file; a bad line raises :class:`ClaimsError` naming the file and line."""
    pairs: list[ClaimPair] = []
    seen: set[str] = set()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            pair = ClaimPair.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise ClaimsError(f"{path}:{number}: {str(exc).splitlines()[0]}") from exc
        if pair.kind not in SUPPORTED_KINDS | UNSUPPORTED_KINDS:
            raise ClaimsError(f"{path}:{number}: unknown kind {pair.kind!r}")
        if pair.supported != (pair.kind in SUPPORTED_KINDS):
            raise ClaimsError(f"{path}:{number}: kind {pair.kind!r} contradicts supported={pair.supported}")
        if pair.id in seen:
            raise ClaimsError(f"{path}:{number}: duplicate id {pair.id!r}")
        seen.add(pair.id)
        pairs.append(pair)
    return pairs


def verify_pair(pair: ClaimPair, checker: SupportChecker) -> ClaimVerdict:
    """Check ``pair``'s claim as an answer sentence citing its passage."""
    context = Context(
        rank=1, source=pair.source, title=pair.source, text=pair.passage, score=1.0, language=pair.passage_language
    )
    claim = check_answer(f"{pair.claim.rstrip()} [1]", [context], support=checker).claims[0]
    support = claim.support
    return ClaimVerdict(
        id=pair.id, split=pair.split, kind=pair.kind, supported=pair.supported, verified=claim.verified,
        cross_language=pair.cross_language, similarity=support.similarity if support else None,
        problems=claim.problems,
    )  # fmt: skip


def verify_pairs(pairs: Iterable[ClaimPair], checker: SupportChecker) -> list[ClaimVerdict]:
    return [verify_pair(pair, checker) for pair in pairs]


def claim_metrics(verdicts: Sequence[ClaimVerdict]) -> dict[str, float | int]:
    """Precision, recall and false-accept rate of ``verdicts`` (NaN-free: empty groups give 0)."""
    supported = [v for v in verdicts if v.supported]
    unsupported = [v for v in verdicts if not v.supported]
    verified = [v for v in verdicts if v.verified]
    true = sum(v.supported for v in verified)
    return {
        "n": len(verdicts),
        "supported": len(supported),
        "unsupported": len(unsupported),
        "precision": true / len(verified) if verified else 0.0,
        "recall": true / len(supported) if supported else 0.0,
        "false_accept": sum(v.verified for v in unsupported) / len(unsupported) if unsupported else 0.0,
    }


def grouped_metrics(verdicts: Sequence[ClaimVerdict], key: str) -> dict[str, dict[str, float | int]]:
    """:func:`claim_metrics` per value of a verdict field (``split``, ``kind``, ``cross_language``)."""
    groups: dict[str, list[ClaimVerdict]] = {}
    for verdict in verdicts:
        groups.setdefault(str(getattr(verdict, key)), []).append(verdict)
    return {name: claim_metrics(group) for name, group in sorted(groups.items())}
