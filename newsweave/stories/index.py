"""Candidate stories for an article, from an inverted index over top terms and entities.

Each story is indexed under its heaviest terms and most frequent entities; an
article asks for the stories that share its own heaviest terms and entities,
ranked by how much they share. Keys that have become too common (posting
lists longer than :data:`MAX_POSTING`) are skipped at query time: a word in
thousands of stories says nothing about which one an article belongs to.
So finding candidates costs about ``probe * MAX_POSTING`` at worst and never
grows with the number of stories, and no article is ever compared with every
story.

>>> ix = InvertedIndex()
>>> ix.update("s1", {"strike", "port", "e:port vell"})
>>> ix.update("s2", {"budget", "senate"})
>>> ix.candidates(["strike", "budget", "e:port vell"], limit=5)
['s1', 's2']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

__all__ = ["InvertedIndex", "MAX_POSTING"]

MAX_POSTING = 1500


class InvertedIndex:
    """key -> story ids, and story id -> its keys (so updates and removals are cheap)."""

    def __init__(self) -> None:
        self.postings: dict[str, set[str]] = {}
        self.keys: dict[str, frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self.keys)

    def update(self, story_id: str, keys: Iterable[str]) -> None:
        """Index ``story_id`` under exactly ``keys`` (replacing what it had)."""
        new = frozenset(keys)
        old = self.keys.get(story_id, frozenset())
        for k in old - new:
            post = self.postings.get(k)
            if post is not None:
                post.discard(story_id)
                if not post:
                    del self.postings[k]
        for k in new - old:
            self.postings.setdefault(k, set()).add(story_id)
        self.keys[story_id] = new

    def remove(self, story_id: str) -> None:
        """Forget a story (merged away, or out of the time window)."""
        self.update(story_id, ())
        self.keys.pop(story_id, None)

    def candidates(self, keys: Iterable[str], limit: int) -> list[str]:
        """Up to ``limit`` stories sharing the most ``keys``; ties keep the newest story first."""
        hits: Counter[str] = Counter()
        for k in keys:
            post = self.postings.get(k)
            if post and len(post) <= MAX_POSTING:
                hits.update(post)
        if not hits:
            return []
        return [sid for sid, _ in hits.most_common(limit)]
