"""Quiz builder for trainers: grounded items, rule checks, near-duplicate detection and exports.

``items`` holds the data model, ``flaws`` the item-writing-flaw rules, ``dedupe`` the
near-duplicate detection, and ``export`` the writers (Moodle GIFT and XML, Kahoot XLSX, CSV,
JSON, Anki, a printable sheet and the evaluators' question set). Importing this package has no
side effects; the writers import their libraries when called.
"""
