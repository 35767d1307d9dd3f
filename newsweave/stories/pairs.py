"""Stories for a whole set of articles: pairwise probabilities, then average linkage.

A set of files is known whole, so it is clustered globally rather than one
article at a time:

1. **Candidates** (:func:`candidate_pairs`): an inverted index over each
   article's heaviest terms and names proposes, per article, the
   :data:`PER_ARTICLE` articles sharing most of them (keys in too many
   articles are skipped). Pairs dated further apart than the time window are
   dropped. Cost is linear in the set's size; no all-pairs comparison.
2. **Pair scores** (:class:`PairModel`), two logistic stages. The first weighs
   what two reports of one event share (:data:`PAIR_FEATURES`): TF-IDF
   cosines of text, title and names, the rarest terms they share, MiniLM
   cosine of the openings when the ``embed`` extra is installed, weekdays and
   months they name, the days between them, the word 4-grams they share (a
   quoted statement, a wire's phrasing) and the numbers they share (a toll, a
   vote count). The second
   (:data:`LINK_FEATURES`) puts that log-odds beside how far it falls below
   each article's best candidate: a pair that is both articles' best match is
   far likelier one story than an equally similar pair that both articles beat
   elsewhere (a topic followed over weeks gives many similar pairs, one event
   only a few).
3. **Average linkage** (:func:`newsweave.stories.linkage.average_linkage`)
   over those probabilities (pairs not proposed count 0), cut at a threshold
   chosen by cross-validation over folds of stories.

Weights and the threshold are fitted by ``scripts/fit_story_pairs.py`` on AllSides
dev and live in ``data/model.json`` (``pairs`` of each model).

>>> m = load_pair_model("lexical")
>>> len(m.weights) == len(PAIR_FEATURES), 0.0 < m.threshold < 1.0
(True, True)
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from newsweave.stories.represent import ArticleRep, DocFreq

__all__ = [
    "LINK_FEATURES",
    "PAIR_FEATURES",
    "PER_ARTICLE",
    "PairModel",
    "candidate_pairs",
    "link_features",
    "load_pair_model",
    "pair_features",
]

PAIR_FEATURES = ("bias", "text", "title", "ent", "rare", "rare3", "emb", "wday", "month", "dated", "dgap", "phrase",
                 "num")  # fmt: skip
PHRASE_CAP = 20  # shared word 4-grams past this say nothing more
NUM_CAP = 3  # shared numbers past this say nothing more
LINK_FEATURES = ("bias", "link", "gmax", "gmin", "rmax", "rmin")
PER_ARTICLE = 30  # candidates proposed per article
KEY_TERMS = 30  # an article is indexed and probed under its heaviest terms...
KEY_ENTITIES = 12  # ...and its most telling names
MAX_POSTING = 1500  # keys shared by more articles than this propose nothing


@dataclass(frozen=True)
class PairModel:
    """The two logistic stages and the linkage threshold (see the module docstring).

    ``threshold``: average pair probability at which two clusters still merge.
    ``brief_margin``: log-odds below the first stage's 0.5 at which ``brief`` still
    joins two groups that one pair links (a folder is seldom several stories).
    """

    name: str
    weights: tuple[float, ...]
    link_weights: tuple[float, ...]
    threshold: float
    brief_margin: float = 3.0
    window_days: int = 30

    def __post_init__(self) -> None:
        if len(self.weights) != len(PAIR_FEATURES) or len(self.link_weights) != len(LINK_FEATURES):
            raise ValueError(f"pair model {self.name!r} needs weights for {PAIR_FEATURES} and {LINK_FEATURES}")

    def logit(self, feats: Sequence[float]) -> float:
        """First-stage log-odds that two articles tell one story."""
        return sum(w * f for w, f in zip(self.weights, feats))

    def link(self, feats: Sequence[float]) -> float:
        """Second-stage probability from :func:`link_features`."""
        z = sum(w * f for w, f in zip(self.link_weights, feats))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": dict(zip(PAIR_FEATURES, self.weights)),
            "link_weights": dict(zip(LINK_FEATURES, self.link_weights)),
            "threshold": self.threshold,
            "brief_margin": self.brief_margin,
            "window_days": self.window_days,
        }

    @classmethod
    def from_dict(cls, name: str, d: dict[str, Any]) -> PairModel:
        return cls(
            name=name,
            weights=tuple(float(d["weights"].get(f, 0.0)) for f in PAIR_FEATURES),
            link_weights=tuple(float(d["link_weights"].get(f, 0.0)) for f in LINK_FEATURES),
            threshold=float(d["threshold"]),
            brief_margin=float(d.get("brief_margin", 3.0)),
            window_days=int(d.get("window_days", 30)),
        )


@lru_cache(maxsize=4)
def load_pair_model(name: str = "lexical") -> PairModel:
    """The fitted pair model of story model ``name`` (``lexical`` or ``embed``)."""
    raw = json.loads(resources.files("newsweave.stories").joinpath("data/model.json").read_text("utf-8"))
    entry = raw["models"].get(name, {})
    if "pairs" not in entry:
        raise ValueError(f"story model {name!r} has no pair model; must be one of {sorted(raw['models'])}")
    return PairModel.from_dict(name, entry["pairs"])


def _keys(rep: ArticleRep) -> list[str]:
    top = sorted(rep.vec.items(), key=lambda kv: (-kv[1], kv[0]))[:KEY_TERMS]
    ents = sorted(rep.ent_vec.items(), key=lambda kv: (-kv[1], kv[0]))[:KEY_ENTITIES]
    return [t for t, _ in top] + ["e:" + e for e, _ in ents]


def candidate_pairs(reps: Sequence[ArticleRep], window_days: int, per_article: int = PER_ARTICLE) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, worth scoring: each article's ``per_article`` best
    index neighbours (most shared keys), both ways, within the time window.

    >>> from newsweave.models import Article
    >>> from newsweave.stories.represent import represent
    >>> texts = ["Dockers at Port Vell strike over pay.", "Port Vell dockers stay out on strike.",
    ...          "Velmora council passes its tram budget."]
    >>> reps = [represent(Article(t)) for t in texts]
    >>> df = DocFreq()
    >>> for r in reps: df.add(r.terms, r.entities)
    >>> for r in reps: df.weigh(r)
    >>> sorted(candidate_pairs(reps, 30))
    [(0, 1)]
    """
    keys = [_keys(r) for r in reps]
    postings: dict[str, list[int]] = {}
    for i, ks in enumerate(keys):
        for k in ks:
            postings.setdefault(k, []).append(i)
    out: set[tuple[int, int]] = set()
    for i, ks in enumerate(keys):
        hits: Counter[int] = Counter()
        for k in ks:
            post = postings[k]
            if len(post) <= MAX_POSTING:
                hits.update(post)
        hits.pop(i, None)
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:per_article]
        for j, _ in ranked:
            a, b = reps[i].day, reps[j].day
            if a is not None and b is not None and abs(a - b) > window_days:
                continue
            out.add((i, j) if i < j else (j, i))
    return out


def pair_features(a: ArticleRep, b: ArticleRep, df: DocFreq) -> tuple[float, ...]:
    """The first stage's features of two prepared articles (:data:`PAIR_FEATURES` order).

    ``rare``/``rare3``: idf of the rarest shared term, and the mean of the three
    rarest, each over the largest idf the set allows (so the scale does not grow
    with the corpus).
    """
    text = _dot(a.vec, b.vec)
    title = _dot(a.title_vec, b.title_vec) if a.has_title and b.has_title else text
    shared = a.terms.keys() & b.terms.keys()
    top = sorted((df.idf(t) for t in shared), reverse=True)[:3]
    norm = df.idf("\0unseen")
    rare = top[0] / norm if top else 0.0
    rare3 = sum(top) / (3 * norm)
    emb = float(np.dot(a.embedding, b.embedding)) if a.embedding is not None and b.embedding is not None else 0.0
    dated = dgap = 0.0
    if a.day is not None and b.day is not None:
        dated, dgap = 1.0, math.log1p(abs(a.day - b.day))
    phrase = math.log1p(min(len(a.shingles & b.shingles), PHRASE_CAP)) / math.log1p(PHRASE_CAP)
    num = min(sum(1 for n in a.numbers & b.numbers if len(n) > 1), NUM_CAP) / NUM_CAP
    return (1.0, text, title, _dot(a.ent_vec, b.ent_vec), rare, rare3, emb, _agree(a.weekdays, b.weekdays),
            _agree(a.months, b.months), dated, dgap, phrase, num)  # fmt: skip


def link_features(logits: dict[tuple[int, int], float]) -> dict[tuple[int, int], tuple[float, ...]]:
    """The second stage's features per pair: its first-stage log-odds, how far it falls
    below each article's best (``gmax`` the larger gap, ``gmin`` the smaller), and how many
    of each article's candidates beat it (``rmax``/``rmin``, as ``ln(1 + n)``).

    >>> f = link_features({(0, 1): 2.0, (0, 2): -1.0})
    >>> f[(0, 1)], f[(0, 2)][:4], round(f[(0, 2)][4], 3)
    ((1.0, 2.0, 0.0, 0.0, 0.0, 0.0), (1.0, -1.0, 3.0, 0.0), 0.693)
    """
    scores: dict[int, list[float]] = {}
    for (i, j), z in logits.items():
        scores.setdefault(i, []).append(z)
        scores.setdefault(j, []).append(z)
    ranked = {k: sorted(v, reverse=True) for k, v in scores.items()}
    out: dict[tuple[int, int], tuple[float, ...]] = {}
    for (i, j), z in logits.items():
        gi, gj = ranked[i][0] - z, ranked[j][0] - z
        ri, rj = math.log1p(_above(ranked[i], z)), math.log1p(_above(ranked[j], z))
        out[(i, j)] = (1.0, z, max(gi, gj), min(gi, gj), max(ri, rj), min(ri, rj))
    return out


def _above(desc: list[float], z: float) -> int:
    """How many of the descending scores ``desc`` are above ``z``."""
    lo, hi = 0, len(desc)
    while lo < hi:
        mid = (lo + hi) // 2
        if desc[mid] > z:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _agree(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 1.0 if a & b else -1.0
