"""Alignment: group sentences across a story's articles that state the same fact.

Two sentences from different articles join one :class:`~newsweave.models.Fact`
when their similarity passes a threshold. Similarity mixes TF-IDF cosine of
content stems, shared names and numbers (a regex stand-in for entities), and,
when the ``embed`` extra is installed and an embedder is passed, MiniLM
sentence embeddings.

How it stays bounded (no all-pairs comparison): candidate pairs come from an
inverted index over each sentence's few rarest terms (its :data:`KEYS_PER_SENTENCE`
highest-idf stems, names and numbers). A key shared by more than
:data:`MAX_POSTING` sentences is too common to identify a fact and is skipped,
so each sentence meets at most ``KEYS_PER_SENTENCE * MAX_POSTING`` candidates and
the number of pairs scored grows linearly with the number of sentences
(sorting them adds the log factor). Embeddings only re-score those candidates;
they never add an n-by-n matrix.

Merging is greedy from the most similar pair down, like single linkage, with
one guard against chaining unrelated sentences through a bridge: a fact holds
at most one sentence per article.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from newsweave.models import Article, Citation, Fact, Sentence
from newsweave.synthesize.entail import Statement, carries_quote, conflicts, statement
from newsweave.synthesize.lexical import TfidfModel, cosine, names_and_numbers, terms

if TYPE_CHECKING:  # pragma: no cover
    from newsweave.synthesize.embed import Embedder

__all__ = ["align_facts", "SentenceIndex", "build_index", "similarity", "SAME_FACT", "SAME_FACT_EMBED", "RELATED", "quote_carriers", "cite"]

KEYS_PER_SENTENCE = 8
MAX_POSTING = 64
#: Similarity at which two sentences are taken to state the same fact
#: (lexical similarity; with embeddings blended in, :data:`SAME_FACT_EMBED`).
SAME_FACT = 0.35
SAME_FACT_EMBED = 0.55
#: Below the same-fact bar but this similar: another article may state the
#: fact in words the test cannot match, so the fact is not called single-source.
RELATED = 0.2


@dataclass
class SentenceIndex:
    """The story's summarisable sentences with their lexical features.

    ``items[k]`` is a non-boilerplate sentence; ``vectors[k]`` its TF-IDF
    vector; ``marks[k]`` its names and numbers; ``emb`` the embedding matrix
    (rows match ``items``) when an embedder was used.
    """

    items: list[Sentence]
    articles: dict[str, Article]
    order: dict[str, int]  # article id -> position in the input
    terms: list[list[str]]
    vectors: list[dict[str, float]]
    marks: list[set[str]]
    model: TfidfModel
    emb: object | None = None  # numpy array when embeddings were computed
    position: list[int] = field(default_factory=list)  # index among the article's summarisable sentences
    statements: list[Statement] = field(default_factory=list)  # the entailment test's features
    content: list[dict[str, float]] = field(default_factory=list)  # TF-IDF of what happened (no names, roles)


def build_index(
    articles: Sequence[Article],
    sentences_by_article: Mapping[str, Sequence[Sentence]],
    *,
    embedder: Embedder | None = None,
) -> SentenceIndex:
    """Collect the non-boilerplate sentences and compute their features once,
    so alignment and summarisation share them."""
    items: list[Sentence] = []
    position: list[int] = []
    for art in articles:
        k = 0
        for s in sentences_by_article.get(art.id, ()):
            if s.boilerplate or not s.text.strip():
                continue
            items.append(s)
            position.append(k)
            k += 1
    toks = [terms(s.text) for s in items]
    model = TfidfModel(toks)
    stmts = [statement(s.text) for s in items]
    content_model = TfidfModel(st.content for st in stmts)
    idx = SentenceIndex(
        items=items,
        articles={a.id: a for a in articles},
        order={a.id: i for i, a in enumerate(articles)},
        terms=toks,
        vectors=[model.vector(t) for t in toks],
        marks=[names_and_numbers(s.text) for s in items],
        model=model,
        position=position,
        statements=stmts,
        content=[content_model.vector(st.content) for st in stmts],
    )
    if embedder is not None and items:
        idx.emb = embedder.embed([s.text for s in items])
    return idx


def similarity(idx: SentenceIndex, i: int, j: int) -> float:
    """Same-fact similarity of sentences ``i`` and ``j`` in ``[0, 1]``.

    The entailment-style test of :mod:`newsweave.synthesize.entail`: 0 when
    the two conflict (different numbers for one thing, a denial against an
    assertion); else the TF-IDF cosine of what happened (names, roles and
    reporting words left out, so two different statements by one speaker do
    not meet through his name and title), raised by shared names and
    numbers (facts hinge on them), and blended with the embedding cosine
    when there is one: paraphrases with few shared words ("struck down" /
    "overturned") still meet.
    """
    if idx.statements and conflicts(idx.statements[i], idx.statements[j]):
        return 0.0
    lex = cosine(idx.content[i], idx.content[j]) if idx.content else cosine(idx.vectors[i], idx.vectors[j])
    a, b = idx.marks[i], idx.marks[j]
    if a and b:
        shared = len(a & b) / min(len(a), len(b))
        lex = min(1.0, lex + 0.15 * shared)
    if idx.emb is not None:
        e = float(idx.emb[i] @ idx.emb[j])  # type: ignore[index]
        # MiniLM cosines of unrelated news sentences sit near 0.2-0.4; map
        # 0.45..0.85 onto 0..1 so the two scales are comparable.
        sem = min(1.0, max(0.0, (e - 0.45) / 0.40))
        return 0.5 * lex + 0.5 * sem
    return lex


def candidate_pairs(idx: SentenceIndex, same_article: bool = False) -> set[tuple[int, int]]:
    """Pairs of sentences (from different articles unless ``same_article``) sharing a rare key.

    Linear in the number of sentences: see the module docstring.
    """
    postings: dict[str, list[int]] = defaultdict(list)
    for k, (toks, marks) in enumerate(zip(idx.terms, idx.marks)):
        keys = sorted(set(toks), key=lambda t: (-idx.model.weight(t), t))[:KEYS_PER_SENTENCE]
        keys += ["#" + m for m in sorted(marks)[:KEYS_PER_SENTENCE]]
        for key in keys:
            postings[key].append(k)
    pairs: set[tuple[int, int]] = set()
    for plist in postings.values():
        if len(plist) < 2 or len(plist) > MAX_POSTING:
            continue
        for x in range(len(plist)):
            for y in range(x + 1, len(plist)):
                i, j = plist[x], plist[y]
                if same_article or idx.items[i].article_id != idx.items[j].article_id:
                    pairs.add((i, j))
    return pairs


def cluster(idx: SentenceIndex, threshold: float = SAME_FACT) -> list[list[int]]:
    """Groups of sentence positions (in ``idx.items``) that state one fact."""
    return _cluster(idx, threshold)[0]


def _cluster(idx: SentenceIndex, threshold: float) -> tuple[list[list[int]], dict[int, set[str]]]:
    """The groups, and for each sentence the other articles holding a sentence
    at least :data:`RELATED` similar to it."""
    n = len(idx.items)
    parent = list(range(n))
    members: dict[int, list[int]] = {k: [k] for k in range(n)}
    arts: dict[int, set[str]] = {k: {idx.items[k].article_id} for k in range(n)}
    near: dict[int, set[str]] = defaultdict(set)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    scored = [(similarity(idx, i, j), i, j) for i, j in candidate_pairs(idx)]
    for sim, i, j in scored:
        if sim >= RELATED:
            near[i].add(idx.items[j].article_id)
            near[j].add(idx.items[i].article_id)
    scored = [t for t in scored if t[0] >= threshold]
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    for _, i, j in scored:
        ri, rj = find(i), find(j)
        if ri == rj or arts[ri] & arts[rj]:
            continue
        parent[rj] = ri
        members[ri].extend(members.pop(rj))
        arts[ri] |= arts.pop(rj)
    return [sorted(m) for m in members.values()], near


def quote_carriers(idx: SentenceIndex, k: int, group: Sequence[int]) -> tuple[list[int], list[int]]:
    """The members of ``group`` that carry the quotations of sentence ``k``
    (``k`` first), and those that state the fact in other words."""
    quotes = idx.statements[k].quotes if idx.statements else ()
    carry, para = [k], []
    for m in group:
        if m == k:
            continue
        if all(carries_quote(q, idx.statements[m]) for q in quotes):
            carry.append(m)
        else:
            para.append(m)
    return carry, para


def cite(idx: SentenceIndex, k: int) -> Citation:
    """The citation of sentence ``k`` of the index."""
    s = idx.items[k]
    return Citation(s.article_id, s.index, s.start, s.end)


def _independent(article_ids: Sequence[str], groups: Mapping[str, object] | None) -> int:
    if not groups:
        return len(set(article_ids))
    return len({groups.get(a, ("solo", a)) for a in article_ids})


def align_facts(
    articles: Sequence[Article],
    sentences_by_article: Mapping[str, Sequence[Sentence]],
    *,
    embedder: Embedder | None = None,
    groups: Mapping[str, object] | None = None,
    index: SentenceIndex | None = None,
    threshold: float | None = None,
) -> list[Fact]:
    """Group the story's sentences into facts, each citing every supporting sentence.

    Every non-boilerplate sentence lands in exactly one fact (single-source
    facts included). The representative sentence, cited first, is the one
    from the earliest position in its article (leads state facts plainly).

    Args:
        articles: the story's articles, in input order.
        sentences_by_article: article id -> its sentences (from ``split_sentences``).
        embedder: an :class:`~newsweave.synthesize.embed.Embedder`, or None for lexical only.
        groups: article id -> independence group (wire copies share one); articles
            missing from it count as independent.
        index: a prebuilt :func:`build_index` result to reuse.
        threshold: similarity needed to call two sentences the same fact; by default
            :data:`SAME_FACT`, or :data:`SAME_FACT_EMBED` when embeddings are in use
            (their blended scale runs higher for merely related sentences).

    Returns:
        Facts ordered by support (independent reports, then articles), then
        by where they first appear.

    >>> from newsweave.models import Article
    >>> from newsweave.analyze.sentences import split_sentences
    >>> a = Article("Harbor workers in Port Vell began a strike on Monday.", id="a")
    >>> b = Article("A strike by Port Vell harbor workers began Monday.", id="b")
    >>> facts = align_facts([a, b], {x.id: split_sentences(x) for x in (a, b)})
    >>> facts[0].articles
    ('a', 'b')
    """
    idx = index or build_index(articles, sentences_by_article, embedder=embedder)
    if threshold is None:
        threshold = SAME_FACT_EMBED if idx.emb is not None else SAME_FACT
    facts: list[tuple[tuple[int, int, int, int], Fact]] = []
    groups_, near = _cluster(idx, threshold)
    for group in groups_:
        rep = min(group, key=lambda k: (idx.position[k], idx.order[idx.items[k].article_id]))
        carry, para = quote_carriers(idx, rep, group)

        def by_place(k: int) -> tuple[int, int]:
            return idx.order[idx.items[k].article_id], idx.items[k].index

        cites = tuple(cite(idx, k) for k in [rep, *sorted(carry[1:], key=by_place)])
        paraphrases = tuple(cite(idx, k) for k in sorted(para, key=by_place))
        art_ids = tuple(sorted({idx.items[k].article_id for k in group}, key=lambda a: idx.order[a]))
        related = tuple(sorted(set().union(*(near[k] for k in group)) - set(art_ids), key=lambda a: idx.order[a]))
        indep = _independent(art_ids, groups)
        first = min(by_place(k) for k in group)
        facts.append(
            (
                (-indep, -len(art_ids), first[0], first[1]),
                Fact(id=0, text=idx.items[rep].text, citations=cites, articles=art_ids,
                     independent=indep, score=float(indep), paraphrases=paraphrases, related=related),
            )
        )
    facts.sort(key=lambda t: t[0])
    return [replace(f, id=n) for n, (_, f) in enumerate(facts)]
