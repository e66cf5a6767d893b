"""Settings of the answer path: sentence scoring, checks, support, the cross-language bridge (see assistant.settings)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from assistant.settings_base import DEFAULT_CACHE, _Section


class ScoringSettings(_Section):
    """How passage sentences are scored against a question (``assistant/answer/extractive.py``).

    Values were chosen on the development sets (``evals/dev.jsonl`` and
    ``evals/vi-docs-dev.jsonl``); their effect on the held-out set is in ``docs/answers.md``.
    """

    min_support: float = Field(
        0.35, description="Extractive answers refuse when the best sentence scores below this (score in [0, 1])."
    )
    model: dict[str, float] = Field(
        default_factory=lambda: {
            "bias": -0.916, "coverage": 3.943, "coverage_gap": 2.994, "similarity_same": -0.092,
            "similarity_cross": 1.168, "similarity_gap": 12.086, "cross_language": 0.353, "rank": -0.505,
        },
        description="Coefficients of the logistic model that turns a sentence's signals into its score "
        "(assistant.answer.extractive.combine): bias, coverage and its gap to the question's best sentence, "
        "similarity within and across languages and its gap to the best, a cross-language offset and the passage "
        "rank. Fitted by benchmarks/fit_scoring.py on the "
        "development sets.",
    )
    type_penalty: float = Field(
        0.25, description="Score multiplier of a sentence that cannot supply the kind of answer asked for (a date, a %)."
    )
    min_cross_coverage: float = Field(
        0.05, description="A sentence in another language than the question needs at least this coverage, else its "
        "score is multiplied by type_penalty (cross-lingual similarity alone does not tell an answer from noise)."
    )
    default_similarity: float = Field(
        0.85, description="Similarity assumed when no embedding model scores sentences (logic tests, fallbacks)."
    )
    max_sentences: int = Field(3, ge=1, description="Most sentences an extractive answer quotes.")
    relative_floor: float = Field(0.5, description="A quoted sentence scores at least this share of the best one.")
    passage_credit: float = Field(
        0.3, description="Share of a question unit's weight earned when it occurs only elsewhere in the passage."
    )
    unknown_word_weight: float = Field(
        0.05, description="Weight of a question word found in no passage (documents may be in other languages)."
    )
    header_credit: float = Field(
        0.3, description="Share of a question word's weight earned when a table row holds it only as a column name."
    )
    min_sentence_chars: int = Field(25, description="Shorter sentences are headings, not answers.")
    item_shared_words: int = Field(
        2, ge=1, description="A same-language table row names another list item than the question when the question "
        "follows one of its cells for this many words (stop words aside), another row's cell begins the same way, and "
        "the question goes on differently (answer/list_items.py): such a row cannot answer.",
    )
    asked_body: bool = Field(
        True, description="A passage that never names the body the question names by a proper name ('Sở Du lịch': "
        "two capitalised words or more) cannot answer it (answer/subject.py); read in the question's own words "
        "only, not in its machine translations.",
    )
    bridge_credit: float = Field(
        0.5, ge=0.0, le=1.0, description="Share of coverage earned through the passage phrases nearest the "
        "question's (answer.bridge): an anchor across languages, weaker than the question's own words.",
    )
    focus_share: float = Field(
        0.34, description="A typed question's answer sentence (or a neighbour) holds a question unit found in at most "
        "this share of the passage sentences."
    )
    date_window: int = Field(
        120, description="For a 'when' question, a new date must lie this close (characters) to a question concept."
    )
    unit_weights: dict[str, float] = Field(
        default_factory=lambda: {
            "concept": 1.0, "code": 2.0, "date": 1.5, "num": 1.0, "month": 1.0, "quarter": 1.0, "year": 1.0, "name": 1.5,
            "word": 0.5, "pair": 0.5,
        },
        description="Base weight of each kind of question unit (glossary concept, code, date, number, month, quarter, year, "
        "person name, word, adjacent word pair), before rarity weighting.",
    )


class CheckSettings(_Section):
    """How answers are checked and quoted (``assistant/answer/citations.py``, ``attempts.py``).

    Chosen on the development sets (``evals/dev.jsonl``; see docs/answers.md, "Verify" and "Try once more").
    """

    max_quote_chars: int = Field(300, ge=40, description="Longest quote taken from a passage for a citation.")
    min_attribution_overlap: int = Field(
        2, ge=1, description="An unmarked sentence without figures is attributed to a passage only when they share "
        "at least this many glossary concepts and names.",
    )
    min_new_terms: int = Field(
        2, ge=1, description="An answer adding fewer words than this to the question (and no figure) only echoes it.",
    )
    translation_length_ratio: tuple[float, float] = Field(
        (0.3, 3.0), description="A translated quote shorter or longer than these shares of its source is a summary "
        "or a ramble, not a translation.",
    )
    translated_sentences: int = Field(
        2, ge=1, description="Most sentences translated when answer.translate_quotes is on (each costs a generation).",
    )


class SupportSettings(_Section):
    """When a cited passage supports a claim (``assistant/answer/support.py``).

    Thresholds were chosen on the ``dev`` split of ``evals/claims.jsonl`` by
    ``benchmarks/claims_bench.py``; the ``heldout`` split's figures are in ``docs/answers.md``.
    """

    min_similarity_same: float = Field(
        0.85, description="Cosine (embedding model, claim as query, sentence as passage) a passage sentence in the "
        "claim's language needs to support it.",
    )
    min_similarity_cross: float = Field(
        0.85, description="The same for a passage sentence in another language than the claim, when the claim has an "
        "anchor the sentence shares (a code, date, number or name).",
    )
    min_similarity_cross_unanchored: float = Field(
        0.9, description="The same for a claim with no such anchor: across languages, similarity alone hardly tells "
        "a translation from a near miss.",
    )
    premise_stem_chars: int = Field(
        4, ge=1, description="A claim answering a yes/no question must have each word it takes from the question in "
        "the passage; outside Vietnamese a passage word sharing this many first letters counts (inflection).",
    )
    min_coverage_same: float = Field(
        0.5, description="Share of the claim's words a same-language sentence must hold (also the only test when no "
        "embedding model is at hand; across languages there is then no support).",
    )
    role_window: int = Field(
        4, description="Words before a date searched for a cue making it a start ('từ', 'ab') or an end ('đến', 'bis').",
    )
    item_shared_words: int = Field(
        2, ge=1, description="Within one language, a claim names another item than its matching sentence when it "
        "follows that sentence for this many words (stop words aside), then goes on differently, and another "
        "sentence of the passage begins the same way (answer/list_items.py: 'giai đoạn nhân rộng' against "
        "'Giai đoạn khởi động …').",
    )
    pair_words: int = Field(
        8, ge=1, description="Most words of each phrase of a range or contrast ('từ A đến B', 'A, not B') compared "
        "in order between a claim and its sentence (chosen on the dev claims: a counting window of seven words).",
    )
    asked_actor: bool = Field(
        True, description="Turn down a claim whose sentence names another body of the kind the question asks about "
        "('Sở Giao thông' for a question about 'Sở Du lịch'), read in the question or its translation (answer/support.py).",
    )
    labelled_numbers: bool = Field(
        True, description="Within one language, turn down a claim that writes another number after a word than its "
        "sentence does after that word ('Nhóm 2' against 'Nhóm 1', 'năm 2028' against 'năm 2027').",
    )
    sentence_actor: bool = Field(
        True, description="Within one language, turn down a claim that gives its sentence's duty to another body of "
        "the kind the sentence names ('Sở Giao thông chủ trì …' against 'Sở Du lịch: chủ trì …').",
    )


class BridgeSettings(_Section):
    """Question phrases linked to phrases of passages in another language by the embedding model
    (``assistant/answer/bridge.py``). Chosen on the development sets (``evals/vi-docs-dev.jsonl``,
    ``evals/dev.jsonl``); the fresh held-out set's figures are in ``docs/answers.md``."""

    enabled: bool = Field(True, description="Link question phrases to passage phrases across languages.")
    max_words: int = Field(2, ge=1, le=5, description="Longest phrase, in words, on either side.")
    min_single_chars: int = Field(
        4, ge=1, description="A one-word phrase needs this many letters (short syllables and abbreviations link to "
        "anything).",
    )
    min_similarity: float = Field(
        0.885, description="Cosine (passage form on both sides) a link needs between a question phrase and its "
        "passage phrase.",
    )
    min_margin: float = Field(
        0.02, description="CSLS margin a link needs: how far the pair stands above each side's nearest neighbours.",
    )
    neighbours: int = Field(3, ge=1, description="Nearest neighbours averaged for the CSLS correction.")
    cache_entries: int = Field(20000, ge=1, description="Phrase vectors kept in memory.")


class OutlineSettings(_Section):
    """Questions asking how many numbered parts a document has ("bao nhiêu điều", "how many chapters"),
    answered by counting them (``assistant/answer/outline.py``)."""

    enabled: bool = Field(True, description="Answer a count of numbered parts by listing them.")
    min_parts: int = Field(
        2, ge=1, description="Fewest parts (numbered 1 to n, none missing) a document needs for its count to answer.",
    )
    max_listed: int = Field(
        12, ge=2, description="Most numbered lines quoted under a count; a longer series shows its first ones, "
        "an ellipsis and its last.",
    )
    min_known_share: float = Field(
        0.5, ge=0.0, le=1.0, description="A document in the question's language is counted only when it holds this "
        "share of the question's other words, title included ('Luật … có bao nhiêu điều?' is not asked of a "
        "decision template).",
    )
    max_quotes: int = Field(
        2, ge=0, description="Best passage sentences quoted after the count when the question also asks something "
        "else ('… có mấy điều và ai ký?').",
    )


class AnswerSettings(_Section):
    contexts: int = Field(4, description="Passages given to the LLM (after retrieval).")
    context_window: int = Field(1, description="Neighbouring chunks added on each side of a passage.")
    max_context_chars: int = Field(
        3200, description="Budget of passage characters shown as evidence and quoted by extractive answers."
    )
    llm_context_chars: int = Field(
        1400, description="Most passage characters in the LLM prompt: the best sentences, as an extractive answer picks them."
    )
    min_relevance: float = Field(
        0.0, description="Refuse when the best passage's fused score is below this (0 = let the model decide)."
    )
    llm_min_support: float = Field(
        0.25,
        description="With an LLM, refuse without calling it when no passage sentence scores this much (the "
        "sentence score of answer.scoring, in [0, 1]; below scoring.min_support, so the model decides borderline "
        "cases; 0 = let the model decide).",
    )
    scoring: ScoringSettings = Field(default_factory=ScoringSettings, description="Sentence scoring and refusal.")
    support: SupportSettings = Field(default_factory=SupportSettings, description="When a passage supports a claim.")
    checks: CheckSettings = Field(default_factory=CheckSettings, description="How answers are checked and quoted.")
    bridge: BridgeSettings = Field(
        default_factory=BridgeSettings, description="Question phrases found in passages of another language."
    )
    outline: OutlineSettings = Field(
        default_factory=OutlineSettings, description="Counts of a document's numbered parts (articles, chapters)."
    )
    renderings_cache: Path = Field(
        DEFAULT_CACHE / "renderings-cache.sqlite",
        description="SQLite cache of machine renderings of cited sentences in the interface language.",
    )
    renderings_cache_entries: int = Field(5000, ge=1, description="Most renderings kept; the oldest are dropped first.")
    translate_quotes: bool = Field(
        False,
        description="When the LLM gives no usable answer, have it translate the best sentences into the asker's "
        "language instead of quoting them; a translation must keep every figure and glossary concept, else the "
        "quotes are shown (measured: the 1.5B model's translations all fail that check, at 10-20 s per "
        "sentence; meant for a stronger model; docs/answers.md).",
    )
