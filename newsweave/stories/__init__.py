"""Stories: many articles -> living stories (online clustering, merges, copies).

- :mod:`~newsweave.stories.represent`: what the clusterer knows of an article
- :mod:`~newsweave.stories.index`: candidate stories from an inverted index
- :mod:`~newsweave.stories.dedupe`: republished copies (MinHash LSH)
- :mod:`~newsweave.stories.model`: the learned scorer and its thresholds
- :mod:`~newsweave.stories.cluster`: the online clusterer (a store, as articles arrive)
- :mod:`~newsweave.stories.pairs`, :mod:`~newsweave.stories.linkage`, :mod:`~newsweave.stories.sets`:
  a set of files clustered whole (pair model, average linkage)
- :mod:`~newsweave.stories.assign`: stories for a set of files, and for a store
- :mod:`~newsweave.stories.cache`: the analysis cache's serialisation
- :mod:`~newsweave.stories.briefs`: a briefing per story (cached analyses, ``--since``)
- :mod:`~newsweave.stories.watch`: keeping a store current from feeds
"""

from newsweave.stories.briefs import brief_story

__all__ = ["brief_story"]
