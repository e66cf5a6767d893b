"""Citation markers: parse, verify, renumber, and quote the cited passages.

An answer cites numbered passages with ``[n]`` markers (also ``[1, 2]``,
``[1][2]``, ``[1-3]``). Each factual sentence is a *claim*; it is verified
when it has at least one marker, every marker names a given passage, and
every figure of the sentence (document codes, dates, numbers; see
:func:`assistant.answer.text.figure_keys`) occurs in one of the passages it
cites. A claim whose figures all occur in other given passages is re-cited to them, and a
claim without markers is attributed to the passage backing it (:func:`recite`); either is
then checked again. Unverified claims are flagged in the text with
:data:`~assistant.answer.constants.UNVERIFIED_FLAG`; they are never shown as verified.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answer.constants import CITATION_FORMAT, PASSAGE_TAG, REFUSAL_MARKER, UNVERIFIED_FLAG
from assistant.answer.figure_fit import better_figures
from assistant.answer.support import Support, SupportChecker
from assistant.answer.text import (
    capitalised_words,
    clock_times,
    figure_keys,
    mentions_number,
    mixed_script_words,
    person_names,
    sentence_spans,
    small_numbers,
    terms,
    time_stated,
)
from assistant.reasons import reason
from assistant.retrieval.glossary import matched_concepts, without_concepts
from assistant.settings import CheckSettings
from assistant.types import Citation, Context

MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;–-]\s*\d+)*)\s*\]")
# Thresholds: answer.checks (CheckSettings), with these defaults for callers that pass none.
DEFAULT_CHECKS = CheckSettings()
_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


def parse_markers(text: str) -> list[int]:
    """Passage numbers cited in ``text``, in order of appearance (``[1-3]`` gives 1, 2, 3)."""
    numbers: list[int] = []
    for m in MARKER.finditer(text):
        for part in re.split(r"\s*[,;]\s*", m.group(1)):
            bounds = re.split(r"\s*[–-]\s*", part)
            if len(bounds) == 2 and int(bounds[0]) <= int(bounds[1]) <= int(bounds[0]) + 20:
                numbers.extend(range(int(bounds[0]), int(bounds[1]) + 1))
            else:
                numbers.extend(int(b) for b in bounds)
    return numbers


def strip_markers(text: str) -> str:
    """``text`` without citation markers and without the unverified flag."""
    text = MARKER.sub("", text.replace(UNVERIFIED_FLAG, ""))
    return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()


def is_claim(sentence: str) -> bool:
    """True for a sentence stating something: not empty, not a question, not a lead-in ending in ':'."""
    plain = strip_markers(sentence)
    if not plain or REFUSAL_MARKER in plain or plain.endswith(("?", ":")):
        return False  # a question (often the model echoing the user's) or a lead-in states nothing
    return _WORD.search(plain) is not None


_PROMPT_TAG = re.compile(rf"</?{PASSAGE_TAG}(?:\s+n=\d+)?>")
# The prompt's last line ("Answer in Vietnamese (tiếng Việt):"): a reply that writes it has
# copied the prompt (passages and all) before its answer, which follows the last one.
_ANSWER_CUE = re.compile(r"\bAnswer in [^\n:]{1,40}:")


def tidy_reply(reply: str) -> str:
    """The model's reply without prompt furniture: copied ``<passage n=…>`` tags, whatever it
    copied before an "Answer in …:" cue, and sentences that are questions (small models often
    open by repeating the question, markers and all)."""
    cues = list(_ANSWER_CUE.finditer(reply))
    if cues and reply[cues[-1].end() :].strip():
        reply = reply[cues[-1].end() :]
    lines = []
    for line in _PROMPT_TAG.sub("", reply).splitlines():
        spans = sentence_spans(line)
        keep = [line[s:e] for s, e in spans if not strip_markers(line[s:e]).endswith("?")]
        if keep or not spans:
            lines.append(line if len(keep) == len(spans) else " ".join(keep))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def faithful_translation(source: str, translation: str, checks: CheckSettings = DEFAULT_CHECKS) -> bool:
    """True when ``translation`` keeps every code, date and number of ``source``, names every
    glossary concept it names (agencies, documents, phases: "Departamento de Ciência e Tecnologia"
    must not become "Công nghệ và Tự nhiên"), and is of comparable length
    (``checks.translation_length_ratio``): "HACKED" is no translation of a sentence."""
    low, high = checks.translation_length_ratio
    ratio = len(translation) / max(len(source), 1)
    return (
        figure_keys(source) <= figure_keys(translation)
        and set(matched_concepts(source)) <= set(matched_concepts(translation))
        and low <= ratio <= high
    )


def _names(text: str) -> set[str]:
    """Word terms of the capitalised words of ``text`` after its first word (names, acronyms)."""
    return set().union(set(), *(terms(w) for w in capitalised_words(text)))


def restates(question: str, answer: str, checks: CheckSettings = DEFAULT_CHECKS) -> bool:
    """True when ``answer`` only echoes ``question``: no new figure and under ``checks.min_new_terms`` new terms.

    Small models often answer "how many communes attended?" with "The conference was attended
    by how many communes [1]." (measured: 6 of 81 dev answers). For a yes/no question such a
    restatement is the answer; callers check :func:`~assistant.answer.answer_types.is_yes_no`.
    """
    plain = strip_markers(answer)
    if figure_keys(plain) - figure_keys(question) or small_numbers(plain) - small_numbers(question):
        return False
    # The question's own concepts in other words are no news: "Kerівний комітет" copied from a
    # passage for the question's "Ban Chỉ đạo" (steering committee) still only echoes it.
    said = terms(without_concepts(plain, matched_concepts(question)))
    if (_names(plain) & said) - terms(question):
        return False  # a name or acronym the question lacks ("VNeID") is an answer
    return len(said - terms(question)) < checks.min_new_terms


@dataclass
class Claim:
    """One sentence of the answer and what its check found."""

    text: str
    cited: list[int]
    factual: bool
    verified: bool
    problems: list[str] = field(default_factory=list)
    recited: bool = False  # its markers were moved to (or added for) the passage(s) backing it
    support: Support | None = None  # the sentence backing it, when its figures checked out


@dataclass
class CheckedAnswer:
    """The rewritten answer (renumbered markers, flags) with its citations and claim counts."""

    text: str
    citations: list[Citation]
    claims: list[Claim]

    @property
    def claim_count(self) -> int:
        return sum(c.factual for c in self.claims)

    @property
    def verified_count(self) -> int:
        return sum(c.factual and c.verified for c in self.claims)


def check_claim(sentence: str, passages: list[str], passage_keys: list[set[str]], question: str = "") -> Claim:
    """Verify one sentence against the passages (``passages[n-1]`` and its figure keys for ``[n]``).

    Codes, dates, numbers and people's names must occur in the cited passages (names
    phonetically: "Trần Cẩm Tú" is "Чан Кам Ту"); a name the question gives needs no backing.
    A figure that its passage sentence gives for something else than the question asks, beside
    the one asked for, is flagged too (:func:`~assistant.answer.figure_fit.better_figures`), and
    so is a word mixing Latin and Cyrillic letters that no cited passage contains ("làiniциатив").

    Small numbers (≤ 10) are checked only in a sentence with no larger figure:
    there they are the claim ("4 [1]"); beside a date they are mostly labels ("giai đoạn 2").
    Small numbers the ``question`` itself names ("Kế hoạch 02", "Chương 2") are its subject,
    not a claim, and need no backing.
    """
    cited = list(dict.fromkeys(parse_markers(sentence)))
    claim = Claim(strip_markers(sentence), cited, is_claim(sentence), True)
    if not claim.factual:
        return claim
    valid = [n for n in cited if 1 <= n <= len(passage_keys)]
    if not cited:
        claim.problems.append(reason("no_citation"))
    claim.problems += [reason("no_passage", n=n) for n in cited if n not in valid]
    backing = set().union(*(passage_keys[n - 1] for n in valid)) if valid else set()
    times, plain = clock_times(claim.text)  # "4 p.m." is "16 giờ" in the passage: times are checked as times
    figures = figure_keys(plain)
    claim.problems += [reason("figure_absent", figure=key) for key in sorted(figures - backing)]
    if question and figures & backing:  # a figure that is there, but not the one the question asks for
        rivals = {pair for n in valid for pair in better_figures(claim.text, passages[n - 1], question)}
        claim.problems += [reason("figure_rival", figure=key, rival=rival) for key, rival in sorted(rivals)]
    texts = [passages[n - 1] for n in valid]
    if texts:
        claim.problems += [reason("figure_absent", figure=key.removeprefix("time:"))
                           for key in sorted(times) if not any(time_stated(key, t) for t in texts)]  # fmt: skip
    if not figures and texts:  # a bare small number ("4 [1]") must be in the passage too, as digits or a word
        claim.problems += [
            reason("number_absent", n=n)
            for n in sorted(small_numbers(plain) - small_numbers(question))
            if not any(mentions_number(n, t) for t in texts)
        ]
    garbled = [w for w in mixed_script_words(claim.text) if not any(w in passages[n - 1] for n in valid)]
    claim.problems += [reason("garbled_word", word=w) for w in garbled]  # a half-translated word is not a quote
    people = person_names(claim.text) if valid else []
    if people:  # a person named in the claim must be named in a cited passage (spellings match phonetically)
        named = set().union(*(terms(passages[n - 1]) for n in valid)) | terms(question)
        claim.problems += [reason("person_absent", name=name) for name in people if not terms(name) <= named]
    claim.verified = not claim.problems
    return claim


def _overlap(sentence: str, passage: str) -> int:
    """Glossary concepts and names ``sentence`` shares with ``passage`` (names match phonetically).

    Plain words do not count: "HACKED" copied from a planted passage is not a source.
    """
    concepts = len(set(matched_concepts(sentence)) & set(matched_concepts(passage)))
    return concepts + len(_names(sentence) & terms(passage))


def recite(
    sentence: str, passage_keys: list[set[str]], passages: list[str] | None = None, checks: CheckSettings = DEFAULT_CHECKS
) -> str | None:
    """``sentence`` citing the passage(s) that back it, or None.

    Small models often cite the wrong passage number for a figure they copied correctly
    ("1.139 procedures [1]" with 1.139 in passage 2), or write no marker at all. A sentence
    with document codes, dates or numbers above ten is pointed to the first passage holding
    every figure, else to the first pair that does together. A sentence without such
    figures and without markers is attributed to the given passage sharing the most
    glossary concepts and names with it (at least ``checks.min_attribution_overlap``), when
    ``passages`` are given.
    A sentence citing a passage that was never given is not re-cited (it stays flagged).
    """
    cited = parse_markers(sentence)
    if any(not 1 <= n <= len(passage_keys) for n in cited):
        return None  # a citation to a passage that was never given: stays flagged
    plain = strip_markers(sentence)
    figures = figure_keys(plain)
    holder: tuple[int, ...] | None = None
    if figures:

        def holds(numbers: tuple[int, ...]) -> bool:
            return figures <= set().union(*(passage_keys[n - 1] for n in numbers))

        count = len(passage_keys)
        options = [(n,) for n in range(1, count + 1)] + list(itertools.combinations(range(1, count + 1), 2))
        holder = next((option for option in options if holds(option)), None)
    elif not cited and passages:
        # Small numbers ("4", "giai đoạn 2") occur in too many passages to attribute by; words decide.
        shared = [_overlap(plain, p) for p in passages]
        best = max(shared, default=0)
        holder = (shared.index(best) + 1,) if best >= checks.min_attribution_overlap else None
    if holder is None:
        return None
    body, punct = re.match(r"(.*?)([.!?…]*)$", MARKER.sub("", sentence).rstrip(), re.DOTALL).groups()  # type: ignore[union-attr]
    return f"{body.rstrip()} {''.join(CITATION_FORMAT.format(n=n) for n in holder)}{punct}"


def best_quote(passage: str, claims: list[str], max_chars: int = DEFAULT_CHECKS.max_quote_chars) -> str:
    """The passage sentence that best matches ``claims`` (shared figures, concepts, then words), verbatim."""
    spans = sentence_spans(passage) or [(0, len(passage))]
    want_keys = set().union(*(figure_keys(c) for c in claims)) if claims else set()
    want_small = set().union(*(small_numbers(c) for c in claims)) if claims else set()
    want_concepts = set().union(*(matched_concepts(c) for c in claims)) if claims else set()
    want_terms = set().union(*(terms(c) for c in claims)) if claims else set()

    def score(span: tuple[int, int]) -> tuple[int, int, int, int]:
        text = passage[span[0] : span[1]]
        return (
            len(want_keys & figure_keys(text)) + sum(mentions_number(n, text) for n in want_small),
            len(want_concepts & set(matched_concepts(text))),
            len(want_terms & terms(text)),
            -span[0],
        )

    start, end = max(spans, key=score)
    if end - start > max_chars:
        cut = passage.rfind(" ", start, start + max_chars)
        end = cut if cut > start else start + max_chars
    return passage[start:end].rstrip()


def _quote(passage: str, index: int, citing: list[Claim], max_chars: int) -> str:
    """The sentence that supports a claim citing this passage (0-based ``index``) when the support
    check found one, else :func:`best_quote`."""
    for claim in citing:
        backing = claim.support
        if backing is None or not backing.supported or not backing.sentence or backing.passage is None:
            continue
        own = claim.cited[backing.passage] - 1 == index and backing.sentence in passage
        if own and len(backing.sentence) <= max_chars:
            return backing.sentence
    return best_quote(passage, [c.text for c in citing], max_chars)


def _rewrite_markers(sentence: str, mapping: dict[int, int]) -> str:
    """Replace each marker group by the renumbered ``[n]`` markers; drop numbers with no passage."""

    def replace(m: re.Match[str]) -> str:
        numbers = [mapping[n] for n in dict.fromkeys(parse_markers(m.group())) if n in mapping]
        return "".join(CITATION_FORMAT.format(n=n) for n in numbers)

    text = MARKER.sub(replace, sentence)
    text = re.sub(r"\](\s+)\[", "][", text)
    return re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()


def check_answer(
    answer: str, contexts: list[Context], pages: list[int | None] | None = None, question: str = "",
    support: SupportChecker | None = None, checks: CheckSettings = DEFAULT_CHECKS, wordings: Sequence[str] = (),
) -> CheckedAnswer:  # fmt: skip
    """Verify every sentence of ``answer`` against ``contexts`` (passage n = ``contexts[n-1]``).

    A claim is verified when its figures and names check out (:func:`check_claim`) and a cited
    passage supports it (``support``; without one, only quotes and same-language sentences
    holding its words can: :class:`~assistant.answer.support.SupportChecker`).
    Citations are renumbered in order of first use; a flagged sentence gets
    :data:`UNVERIFIED_FLAG` appended. ``pages`` gives the cited chunk's PDF page per context;
    ``wordings`` are the question's translations (for the support check).
    """
    support = support or SupportChecker(None)
    passage_keys = [figure_keys(c.text) for c in contexts]
    spans = sentence_spans(answer)
    texts = [c.text for c in contexts]

    def checked(sentence: str) -> Claim:
        claim = check_claim(sentence, texts, passage_keys, question)
        if claim.factual and claim.verified:
            claim.support = support.check(claim.text, [contexts[n - 1] for n in claim.cited], question, wordings)
            claim.problems += claim.support.reasons
            claim.verified = claim.support.supported
        return claim

    sentences: list[str] = []
    claims: list[Claim] = []
    for s, e in spans:
        sentence = answer[s:e]
        claim = checked(sentence)
        if claim.factual and not claim.verified and (fixed := recite(sentence, passage_keys, texts, checks)) is not None:
            rechecked = checked(fixed)
            if rechecked.verified:
                sentence, claim = fixed, rechecked
                claim.recited = True
        sentences.append(sentence)
        claims.append(claim)
    mapping: dict[int, int] = {}
    for claim in claims:
        for n in claim.cited:
            if 1 <= n <= len(contexts) and n not in mapping:
                mapping[n] = len(mapping) + 1
    pieces: list[str] = []
    last = 0
    for (s, e), original, claim in zip(spans, sentences, claims):
        sentence = _rewrite_markers(original, mapping)
        if claim.factual and not claim.verified:
            sentence = f"{sentence} {UNVERIFIED_FLAG}"
        pieces.append(answer[last:s] + sentence)
        last = e
    pieces.append(answer[last:])
    citations = []
    for old, new in sorted(mapping.items(), key=lambda item: item[1]):
        context = contexts[old - 1]
        citing = [c for c in claims if old in c.cited and c.factual]
        citations.append(
            Citation(
                n=new,
                source=context.source,
                title=context.title,
                url=context.url,
                page=pages[old - 1] if pages else context.page,
                location=context.location,
                sheet=context.sheet,
                row=context.row,
                section=context.section,
                quote=_quote(context.text, old - 1, citing, checks.max_quote_chars),
                verified=bool(citing) and all(c.verified for c in citing),
            )
        )
    return CheckedAnswer("".join(pieces).strip(), citations, claims)
