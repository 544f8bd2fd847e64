"""Matchmaking and search: cross-lingual, explainable, measured (no Django imports).

Recommendations (structured fit and the relation graph; ``recommend.py``)::

    from dari.engines.matching.recommend import RecommendationIndex
    index = RecommendationIndex.build(profiles, as_of=today, sector_parents={"medical_devices": "medical"},
                                      labels={"medical_devices": ("medical devices", "의료기기")})
    found = index.recommend(subject_id_or_profile, k=10, kinds=None, countries=None, stages=None,
                            include_related=False, exclude=(), allowed=None, text_scores=None,
                            feedback=None)
    found[0].candidate_id, found[0].score, found[0].reasons[0].en / .ko / .code / .weight

- ``profiles``: every organization (``profiles.Profile``), startups and partners alike; the subject may
  also be a Profile that is not indexed. A startup gets partners (investor, corporate, hospital,
  distributor) by default; a partner gets startups. ``kinds`` overrides.
- ``related`` organizations of the subject (and investors whose deals name it) are left out unless
  ``include_related``; ``exclude`` drops more ids; ``allowed`` (a boolean per ``index.profiles``
  row) keeps only those rows: what the requesting user may see, as a mask kept between queries.
- ``text_scores``: the text engine's similarity per candidate id (a mapping), or an array in index
  order (``index.profiles``); weight ``DEFAULT_WEIGHTS["text"]``.
- ``feedback``: the requesting user's marks, candidate id -> relevant?; a "not relevant" candidate
  drops to the bottom and similar ones (sector profile, place, co-investment, text vectors given to
  ``build(text_vectors=...)``) move down; "relevant" moves similar ones up.
- The index is read-only after ``build``: build it once per snapshot and share it.

Evaluation on a deal history (``crunchbase.py``, ``evaluation.py``): ``dari evaluate-matching``
(``cli.py``), see ``benchmarks/matching_evaluation.py``.
"""
