"""Settings of the facts layer and the quiz builder (see assistant.settings)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from assistant.settings_base import _Section


class FactSettings(_Section):
    """The facts layer: deadlines, responsibilities and targets extracted from the corpus (assistant.facts)."""

    enabled: bool = Field(True, description="Extract facts when indexing (the at-a-glance view and `assistant glance`).")
    max_sentence_chars: int = Field(
        600, ge=50, description="Longer sentences are skipped: a run-on block (a flattened table) is not one statement."
    )
    period_deadlines: bool = Field(
        True, description="A quarter or a month with its year in prose ('trong quý 3 năm 2027', 'vào tháng 7/2027') gives a "
        "deadline where a cue or a body's duty goes with it (list rows read their deadline column in any case).",
    )
    period_cue_window: int = Field(
        2, ge=1, description="Words before a quarter or a month searched for a start or end cue ('từ quý II', 'trước "
        "tháng 9/2027'); narrower than for dates, since the cues of all languages are read in folded text and a "
        "wider window meets false friends ('số' folds to Russian 'so', from).",
    )
    date_cue_window: int = Field(
        4, ge=1, description="Words before a date searched for a start or end cue ('từ', 'đến', 'bis', 'до').",
    )
    document_date_words: int = Field(
        3, ge=0, description="A date at most this many words after a document code is that document's date, not a deadline.",
    )
    min_target_value: float = Field(
        2, description="Smaller numbers (not percentages, not minimums, not counts written with a leading zero "
        "such as '01 máy tính') are not targets: list items, ordinals, counts of steps.",
    )
    unit_words: int = Field(4, ge=1, description="Words after a target's number kept as its unit.")
    actor_max_words: int = Field(
        12, ge=1, description="Longest actor name, in words (a Vietnamese word is a syllable: 'Cơ quan quản lý dữ liệu du "
        "lịch cấp tỉnh' is 10); chosen on the development gold lists (8 cut such subjects; 10 to 14 alike).",
    )
    actor_lower_words: int = Field(
        2, ge=0, description="Lowercase words taken after a head standing alone ('Tổ công tác', 'ministries of …').",
    )
    duty_reach: int = Field(
        3, ge=0, description="Most words between an actor (or a list of actors) and the duty word after it, for "
        "the actor to bear the duty.",
    )
    request_reach: int = Field(
        2, ge=0, description="Most words between a request verb and the names it asks ('yêu cầu các sở …', 'giao "
        "cho Sở Du lịch …'), for them to bear the duty. 2 on the development gold lists: 3 (duty_reach's value, "
        "used before) gave a purpose clause's object the duty ('… để phân công nhiệm vụ trong Ban Điều phối'); 1 and 0 "
        "lost names the articles ask.",
    )
    issuer_words: int = Field(
        6, ge=0, description="A body at most this many words after a document's code is who issued that document "
        "('Kế hoạch số 88/KH-UBND ngày 03/5/2027 của UBND tỉnh'), not a bearer of the sentence's duty.",
    )
    subject_duty: bool = Field(
        True, description="A sentence that starts with a body and has a duty word after it gives that body the duty "
        "(a body after the verb is its object), before the nearest body in front of the duty word.",
    )
    defined_names: bool = Field(
        True, description="Names a document defines with an abbreviation ('Trung tâm Dịch vụ du lịch cộng đồng "
        "(TTDVDL)', 'TTDVDL: Trung tâm …') are found whole, and so are their abbreviations, as bodies' names "
        "(assistant/facts/abbreviations.py).",
    )
    abbreviation_extra_words: int = Field(
        4, ge=0, description="Words a defined name may run on past those whose initials spell its abbreviation "
        "('Ban Điều phối du lịch cộng đồng (BĐP 05)': three initials, four more words).",
    )
    clause_subject: bool = Field(
        True, description="A sentence that opens with a clause set off by a comma ('Khi có thay đổi, UBND xã thông "
        "báo …', 'Mỗi tháng, Sở Du lịch kiểm tra …') has its subject right after that comma (subject_duty).",
    )
    duty_heading_words: int = Field(
        3, ge=0, description="Most words (a number, 'Điều 2') before a heading's duty noun ('Nhiệm vụ của Ban Điều phối "
        "du lịch', 'Mục 5. Trách nhiệm của Sở Du lịch'): under such a heading, list items (and, under a section's "
        "heading, statements) without a subject of their own are that body's duties.",
    )
    plain_verb_duty: list[str] = Field(
        default_factory=lambda: ["vi"], description="Languages whose verbs do not mark tense, where an instruction "
        "is a plain statement: a sentence that starts with a body and goes on with a verb gives it a duty, unless "
        "the verb describes (lexicon.yaml not_duty: 'gồm', 'nằm', 'được'); after a mark of the past (past_marks: 'đã') "
        "the sentence gives no duty.",
    )
    agent_duty: bool = Field(
        True, description="A body a passive names as who acts (after lexicon.yaml agent_marks: 'do', 'được', "
        "followed by its verb) bears the duty: 'Báo cáo phải được Giám đốc Sở Du lịch ký'.",
    )
    clause_duties: bool = Field(
        True, description="Read a sentence's duties clause by clause (parted by semicolons): a clause with no "
        "subject of its own is a duty of the body the sentence starts with, quoted with the first clause.",
    )
    merge_min_similarity: float = Field(
        0.8, description="Two statements of the same date, value or actor are one fact when their sentences are at "
        "least this similar (cosine of the embedding model's passage vectors; across languages too).",
    )
    merge_min_similarity_same: float = Field(
        0.9, description="The same within one language: two sentences of one language about one subject are alike "
        "by their words alone, so they must be closer to state one fact (chosen on the development gold lists).",
    )
    merge_min_duty_overlap_same: float = Field(
        0.5, ge=0, le=1, description="Two responsibilities of one actor in one language merge only when they also "
        "share at least this share of their word pairs (of the shorter): their key is only the actor, and the "
        "embedding model finds one body's two duties in one language alike whatever they say. The value of "
        "conflict_min_overlap_same, not tuned.",
    )
    merge_min_task_overlap_same: float = Field(
        0.3, ge=0, le=1, description="Two deadlines or targets in one language merge only when they also share at "
        "least this share of their words, each word weighted by its rarity among all statements (of the lighter "
        "statement): a task row and a guidebook sentence with the same date are alike to the embedding model "
        "when they speak of two tasks. Chosen on the development gold lists (0.2-0.25 kept wrong merges, "
        "0.3 dropped five of them for one right one).",
    )
    conflict_min_similarity: float = Field(
        0.9, description="Two facts with different dates or numbers disagree when their sentences are at least this "
        "similar (the chat then quotes both).",
    )
    conflict_min_overlap_same: float = Field(
        0.5, description="Two statements in one language disagree only when they also share at least this share "
        "of their word pairs (of the shorter): within one language the embedding model finds any two sentences of "
        "one document type alike. Not tuned on a gold list (there is none of conflicts): a half of the words "
        "said the same way is what 'the same thing' asks.",
    )
    answer_from_facts: bool = Field(
        True, description="Answer a deadline, target or responsibility question from the verified fact its best "
        "sentence states, quoting every document that states it (the 'facts' answer step).",
    )


class QuizSettings(_Section):
    """The quiz builder (``assistant/quiz/generate.py``): which items are kept, and how they are written."""

    retrieval_top_k: int = Field(
        5, ge=1, description="An item is kept only when the assistant's own search, given its stem, ranks the cited "
        "passage (same chunk, or a hit holding the quote) within this many hits.",
    )
    topic_top_n: int = Field(
        20, ge=1, description="A topic given as a search query selects the facts whose evidence chunk is among this "
        "many hits of the search for it.",
    )
    actor_min_mentions: int = Field(
        2, ge=1, description="An actor (a name written with a capital) is used as a key or a distractor only when a "
        "list row gives it as lead, or when this many distinct sentences give it a duty (a name found in one "
        "sentence only is often a phrase the extractor cut wrongly).",
    )
    numerical_tolerance: dict[Literal["easy", "medium", "hard"], float] = Field(
        default_factory=lambda: {"easy": 0.1, "medium": 0.05, "hard": 0.0},
        description="Accepted error of a numerical item, as a share of the key, per difficulty.",
    )
    matching_pairs: int = Field(4, ge=3, le=8, description="Pairs of a matching item (fewer facts: no item).")
    longest_ratio: float = Field(
        1.5, gt=1, description="A multiple-choice item is dropped when its key is longer than this many times its "
        "longest distractor (flaw rule longest_key).",
    )
    duplicate_threshold: float = Field(
        0.8, gt=0, le=1, description="Two items whose stem-and-key texts are at least this similar (assistant.quiz."
        "dedupe) are near duplicates: the later one is dropped.",
    )
    max_attempts_per_item: int = Field(
        6, ge=1, description="Candidates tried per requested item before the builder stops (each costs one search).",
    )
    polish_attempts: int = Field(
        1, ge=1, description="LLM mode: requests to the language model per item for a reworded stem; each one after "
        "the first says why the previous one was turned down (each is a model call: 13-15 s measured on the local 1.5B "
        "model, two shared cores).",
    )
    polish_max_chars: int = Field(
        300, ge=20, description="LLM mode: a reworded stem, or the explanation sentence, longer than this many "
        "characters is turned down (llm.too_long); the template's item is kept.",
    )
    polish_max_tokens: int = Field(
        120, ge=16, description="LLM mode: the longest reply asked of the model (a stem and one explanation sentence); "
        "applied to models that take a max_tokens setting.",
    )
    polish_name_run: int = Field(
        2, ge=1, description="LLM mode: a reworded stem gives an actor key away (llm.key_in_stem) when it holds this "
        "many consecutive words of the actor's name that the template's stem did not hold.",
    )
    polish_passage_chars: int = Field(
        400, ge=40, description="LLM mode: characters of the cited passage shown to the model (a longer one is cut "
        "at a word), so a prompt stays short on the local model.",
    )
