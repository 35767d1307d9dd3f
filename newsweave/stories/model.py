"""The scorer that decides whether an article belongs to a story.

A story and an article are compared on a few features (:data:`FEATURES`);
a logistic model weighs them, and the article joins the best-scoring
candidate when its score (a log-odds) passes the learned threshold. The
weights and thresholds live in ``data/model.json``; they were fitted on
AllSides dev by ``scripts/fit_stories.py`` (cross-validated by story, see
that file and the README), one set for the lexical features and one that adds
MiniLM embeddings.

Features (article ``a`` against story ``s``):

- ``text``: cosine of TF-IDF vectors (title + text, online document frequencies)
- ``title``: cosine of the title terms
- ``ent``: cosine of the capitalised names, weighted by idf
- ``emb``: cosine of MiniLM embeddings of the opening (0 when off)
- ``wday`` / ``month``: +1 when both name a common weekday / month, -1 when both
  name some and none is shared, else 0 (an event has a day)
- ``dated`` and ``dgap``: both dated, and ``ln(1 + days)`` between the
  article's day and the story's span
- ``seq`` and ``sgap``: in a stream with no dates on one side, ``ln(1 + n)``
  for the n articles that arrived since the story last grew (capped)
- ``outlet``: the story already holds an article of this outlet
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["FEATURES", "Model", "SEQ_CAP", "load_model"]

FEATURES = ("bias", "text", "title", "ent", "emb", "wday", "month", "dated", "dgap", "seq", "sgap", "outlet")
SEQ_CAP = 2000  # arrivals; past this the stream position says nothing more


@dataclass(frozen=True)
class Model:
    """Logistic weights over :data:`FEATURES` and the decision thresholds.

    ``threshold``: the least log-odds for an article to join a story in a
    stream (a store fed over time).
    ``merge``: the least log-odds an article needs with a second story for
    that story to merge into the first (a bridge).
    ``set_threshold`` / ``set_merge``: the same for a set of files, where no
    arrival order helps and document frequencies are known up front.
    ``window_days``: stories whose last day is further than this from a dated
    article's day are not candidates.
    """

    name: str
    weights: tuple[float, ...]
    threshold: float
    merge: float
    set_threshold: float = 0.0
    set_merge: float = 2.0
    window_days: int = 30
    embeddings: bool = False

    def __post_init__(self) -> None:
        if len(self.weights) != len(FEATURES):
            raise ValueError(
                f"model {self.name!r} has {len(self.weights)} weights; must have one per feature {FEATURES}"
            )

    def score(self, feats: tuple[float, ...]) -> float:
        """The log-odds that the article belongs to the story."""
        return sum(w * f for w, f in zip(self.weights, feats))

    def thresholds(self, stream: bool) -> tuple[float, float]:
        """(join, merge) log-odds thresholds for a stream or a set."""
        return (self.threshold, self.merge) if stream else (self.set_threshold, self.set_merge)

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": dict(zip(FEATURES, self.weights)),
            "threshold": self.threshold,
            "merge": self.merge,
            "set_threshold": self.set_threshold,
            "set_merge": self.set_merge,
            "window_days": self.window_days,
            "embeddings": self.embeddings,
        }

    @classmethod
    def from_dict(cls, name: str, d: dict[str, Any]) -> Model:
        w = d["weights"]
        return cls(
            name=name,
            weights=tuple(float(w.get(f, 0.0)) for f in FEATURES),
            threshold=float(d["threshold"]),
            merge=float(d["merge"]),
            set_threshold=float(d.get("set_threshold", d["threshold"])),
            set_merge=float(d.get("set_merge", d["merge"])),
            window_days=int(d.get("window_days", 30)),
            embeddings=bool(d.get("embeddings", name == "embed")),
        )


def seq_gap(gap: int) -> float:
    """The ``sgap`` feature for ``gap`` arrivals."""
    return math.log1p(min(max(gap, 0), SEQ_CAP))


@lru_cache(maxsize=4)
def load_model(name: str = "lexical") -> Model:
    """The fitted model ``lexical`` or ``embed`` from ``data/model.json``.

    >>> load_model("lexical").threshold < load_model("lexical").merge
    True
    """
    raw = json.loads(resources.files("newsweave.stories").joinpath("data/model.json").read_text("utf-8"))
    if name not in raw["models"]:
        raise ValueError(f"story model {name!r} is invalid; must be one of {sorted(raw['models'])}")
    return Model.from_dict(name, raw["models"][name])
