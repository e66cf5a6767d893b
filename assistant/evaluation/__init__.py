"""Evaluation helpers: question sets (evals/*.jsonl) and how answers and sources are checked against them."""
