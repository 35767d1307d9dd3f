"""Clustering a set of files: pair features, candidate pairs, average linkage."""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

from newsweave.models import Article
from newsweave.stories.linkage import average_linkage, link_components
from newsweave.stories.pairs import PAIR_FEATURES, candidate_pairs, link_features, load_pair_model
from newsweave.stories.sets import cluster_prepared, prepare

sys.path.insert(0, str(Path(__file__).parent))
from story_fixtures import STORIES, jsonl_lines  # noqa: E402


def _articles() -> tuple[list[Article], dict[str, str]]:
    arts = [Article(r["text"], id=r["id"], title=r["title"], source=r["source"], published=r.get("published"))
            for r in jsonl_lines()]
    return arts, {a.id: a.id.split("-")[0] for a in arts}  # type: ignore[misc]


def test_average_linkage_matches_brute_force_upgma_on_random_graphs() -> None:
    rng = random.Random(3)
    for _ in range(30):
        n = rng.randint(2, 9)
        sims = {(i, j): rng.random() for i, j in itertools.combinations(range(n), 2) if rng.random() < 0.6}
        t = rng.uniform(0.2, 0.8)
        got = average_linkage(n, sims, t)
        # brute force: merge the best-averaging pair (missing pairs 0) while it reaches t
        clusters = [{i} for i in range(n)]

        def avg(a: set[int], b: set[int], sims: dict[tuple[int, int], float] = sims) -> float:
            return sum(sims.get((min(i, j), max(i, j)), 0.0) for i in a for j in b) / (len(a) * len(b))

        while len(clusters) > 1:
            best = max(itertools.combinations(range(len(clusters)), 2),
                       key=lambda p: (avg(clusters[p[0]], clusters[p[1]]), -min(clusters[p[0]] | clusters[p[1]])))
            if avg(clusters[best[0]], clusters[best[1]]) < t:
                break
            a, b = best
            clusters[a] |= clusters.pop(b)
        want = {frozenset(c) for c in clusters}
        groups: dict[int, set[int]] = {}
        for i, lab in enumerate(got):
            groups.setdefault(lab, set()).add(i)
        assert {frozenset(g) for g in groups.values()} == want, (n, sims, t)


def test_link_components_joins_only_through_pairs_at_the_threshold() -> None:
    assert link_components([0, 1, 2], {(0, 1): 0.49, (1, 2): 0.5}, 0.5) == [0, 1, 1]


def test_candidates_hold_every_pair_of_one_story_and_few_others() -> None:
    arts, gold = _articles()
    s = prepare(arts)
    live = s.live()
    pairs = candidate_pairs([s.reps[k] for k in live], 30)  # type: ignore[misc]
    g = [gold[s.articles[s.order[k]].id] for k in live]
    same = {(i, j) for i, j in itertools.combinations(range(len(g)), 2) if g[i] == g[j]}
    assert same <= pairs


def test_the_pair_model_scores_same_story_pairs_above_others() -> None:
    arts, gold = _articles()
    m = load_pair_model("lexical")
    s = prepare(arts)
    feats = dict(zip(sorted(s.pairs(30)), s.features(sorted(s.pairs(30)))))
    g = [gold[s.articles[i].id] for i in s.order]
    same = [m.logit(f) for (i, j), f in feats.items() if g[i] == g[j]]
    other = [m.logit(f) for (i, j), f in feats.items() if g[i] != g[j]]
    assert same and min(same) > max(other, default=-99.0)
    assert len(next(iter(feats.values()))) == len(PAIR_FEATURES)


def test_link_features_rank_a_pair_among_each_articles_candidates() -> None:
    f = link_features({(0, 1): 3.0, (0, 2): 1.0, (1, 2): 2.0, (2, 3): -1.0})
    # (0, 2): article 0 has one better candidate (0, 1), article 2 has one (1, 2)
    assert f[(0, 2)][4] == f[(0, 2)][5] > 0
    assert f[(0, 1)][4] == 0.0


def _partition(placed: list) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for a in placed:
        out.setdefault(a.story_id, set()).add(a.article_id)
    return {frozenset(v) for v in out.values()}


def test_a_set_is_clustered_by_story_whatever_its_order() -> None:
    arts, gold = _articles()
    m = load_pair_model("lexical")
    first = cluster_prepared(prepare(arts), m)
    assert _partition(first) == _partition(cluster_prepared(prepare(list(reversed(arts))), m))
    assert first == cluster_prepared(prepare(arts), m)  # the same input gives the same ids
    groups: dict[str | None, set[str]] = {}
    for a in first:
        groups.setdefault(a.story_id, set()).add(gold[a.article_id])
    assert all(len(v) == 1 for v in groups.values()) and len(groups) == len(STORIES)
