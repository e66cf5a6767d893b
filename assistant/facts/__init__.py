"""The facts layer: deadlines, responsibilities and numeric targets extracted from the whole corpus.

Stages, one module each: ``rules`` (prose sentences) and ``rows`` (list rows) extract,
``verify`` checks a fact against its quotes, ``merge`` joins statements of one fact across
documents and languages, ``store`` keeps them with the index (rebuilt per changed file),
``select`` filters them and ``export`` writes them out.
"""
