"""The fact model: which sentences across a story's articles state the same fact.

Sentences are compared unit by unit (:mod:`newsweave.synthesize.units`: the
clauses that each state one thing) with the same-fact test of
:mod:`newsweave.synthesize.entail` (:func:`~newsweave.synthesize.entail.unit_match`):
the content both state (event families, stems, numbers, names), vetoed by
conflicting numbers, a denial or negation against an assertion, or two
different quotations. Two sentences *support* each other when a unit of one
and a unit of the other state one fact; a sentence that states two facts is
supported by every article that states either.

Each summarisable sentence is the representative of one
:class:`~newsweave.models.Fact`: its citations are the sentence itself and,
in every other article, the sentence that best supports it (one that does
not carry its quotation is cited as a paraphrase), and ``Fact.support``
keeps that support unit by unit, so a view that shows part of the sentence
(a summary cut at a clause boundary, a timeline clause) cites only that
part's support. The relation is symmetric, so a fact is never
single-source in one view and corroborated in another. When the ``embed``
extra is installed and an embedder is passed, MiniLM cosines can raise the
score of two whole sentences (never past a veto).

How it stays bounded (no all-pairs comparison): candidate pairs come from an
inverted index over each sentence's few rarest terms (its :data:`KEYS_PER_SENTENCE`
highest-idf stems, names and numbers). A key shared by more than
:data:`MAX_POSTING` sentences is too common to identify a fact and is skipped,
so each sentence meets at most ``KEYS_PER_SENTENCE * MAX_POSTING`` candidates and
the number of pairs scored grows linearly with the number of sentences
(sorting them adds the log factor). Embeddings only re-score those candidates;
they never add an n-by-n matrix.

No chaining: a fact's supporting sentences each state something its
representative states (a star around it, not a chain of look-alikes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from newsweave.models import Article, Citation, Fact, Sentence, UnitSupport
from newsweave.synthesize.clauses import strip_dateline
from newsweave.synthesize.entail import Statement, blend, carries_quote, conflicts, statement, unit_match
from newsweave.synthesize.lexical import TfidfModel, cosine, names_and_numbers, terms
from newsweave.synthesize.units import Unit, background, units

if TYPE_CHECKING:  # pragma: no cover
    from newsweave.synthesize.embed import Embedder

__all__ = [
    "align_facts", "SentenceIndex", "build_index", "similarity", "SAME_FACT", "SAME_FACT_EMBED", "RELATED",
    "quote_carriers", "cite", "candidate_pairs", "unit_links", "fact_support",
]  # fmt: skip

KEYS_PER_SENTENCE = 8
#: A content word in more than this share of a story's sentences (and more
#: than three) names its topic:
#: two units sharing only such words (and no number) are not one fact.
RARE_SHARE = 0.12
#: Stories with at most this many sentences compare every cross-article pair.
EXACT_PAIRS = 250
MAX_POSTING = 64
#: Unit score at which two units are taken to state the same fact.
SAME_FACT = 0.45
#: The same bar for two whole sentences scored with embeddings blended in.
SAME_FACT_EMBED = 0.55
#: Below the same-fact bar but this close: another article may state the
#: fact in words the test cannot match, so the fact is not called single-source.
RELATED = 0.25


@dataclass
class SentenceIndex:
    """The story's summarisable sentences with their lexical features.

    ``items[k]`` is a non-boilerplate sentence; ``vectors[k]`` its TF-IDF
    vector; ``marks[k]`` its names and numbers; ``emb`` the embedding matrix
    (rows match ``items``) when an embedder was used; ``units[k]`` its fact
    units and ``unit_stmts[k]`` their features.
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
    units: list[list[Unit]] = field(default_factory=list)
    unit_stmts: list[list[Statement]] = field(default_factory=list)
    unit_model: TfidfModel | None = None  # rarity of unit content tokens
    name_df: dict[str, int] = field(default_factory=dict)  # name -> sentences naming it
    topic: frozenset[str] = frozenset()  # content words of many sentences: the story's topic
    unit_content: list[frozenset[str]] = field(default_factory=list)  # per sentence: its units' content, together
    unit_bg: list[list[bool]] = field(default_factory=list)  # units that are phrases of background


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
    us = [units(s.text) for s in items]
    ustmts = [[statement(u.text) for u in su] for su in us]
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
        units=us,
        unit_stmts=ustmts,
        unit_model=TfidfModel(st.content for su in ustmts for st in su),
        unit_content=[frozenset(t for st in su for t in st.content) for su in ustmts],
        unit_bg=[[not u.whole and background(u.text) for u in su] for su in us],
    )
    for st in stmts:
        for nm in st.names:
            idx.name_df[nm] = idx.name_df.get(nm, 0) + 1
    cap = max(3.0, RARE_SHARE * len(items))
    idx.topic = frozenset(t for t, df in content_model.df.items() if df > cap)
    if embedder is not None and items:
        idx.emb = embedder.embed([s.text for s in items])
    return idx


def similarity(idx: SentenceIndex, i: int, j: int) -> float:
    """Topical similarity of sentences ``i`` and ``j`` in ``[0, 1]`` (for
    redundancy in the summary; the fact model uses :func:`unit_links`).

    0 when the two conflict (different numbers for one thing, a denial
    against an assertion); else the TF-IDF cosine of what happened (names,
    roles and reporting words left out), raised by shared names and
    numbers, and blended with the embedding cosine when there is one.
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


def unit_links(
    idx: SentenceIndex, i: int, j: int, floor: float = RELATED, min_shared: int = 2, veto: bool | None = None
) -> list[tuple[int, int, float]]:
    """Pairs (unit of ``i``, unit of ``j``, score) that score at least ``floor``, best first.

    ``min_shared`` is how many things (content words, numbers, a name) two
    units must share to score at all: two for the same-fact test, one to
    call two sentences related (then without the vetoes, unless ``veto``).
    """
    if floor > 0 and idx.unit_content and idx.unit_content[i].isdisjoint(idx.unit_content[j]):
        return []  # no unit of one shares content with a unit of the other: every score is 0
    model = idx.unit_model
    idf = model.idf if model else {}
    default = model.weight("\x00") if model else 1.0
    strict = min_shared > 1
    topic = idx.topic if strict else frozenset()
    use_veto = strict if veto is None else veto
    out = []
    # A phrase of background ("after weeks of fighting") states no fact: it never makes two sentences one.
    bg_i = idx.unit_bg[i] if strict and idx.unit_bg else [False] * len(idx.unit_stmts[i])
    bg_j = idx.unit_bg[j] if strict and idx.unit_bg else [False] * len(idx.unit_stmts[j])
    for a, sa in enumerate(idx.unit_stmts[i]):
        if bg_i[a]:
            continue
        for b, sb in enumerate(idx.unit_stmts[j]):
            if bg_j[b]:
                continue
            sc = unit_match(sa, sb, idf, default, min_shared, topic=topic, veto=use_veto)
            if sc >= floor:
                out.append((a, b, sc))
    if idx.emb is not None:
        # Embeddings can raise the score of the two whole sentences (their last unit), never past a veto.
        a, b = len(idx.units[i]) - 1, len(idx.units[j]) - 1
        sa, sb = idx.unit_stmts[i][a], idx.unit_stmts[j][b]
        lex = unit_match(sa, sb, idf, default, min_shared, topic=topic, veto=use_veto)
        if not conflicts(sa, sb) and lex > 0:
            sc = blend(lex, float(idx.emb[i] @ idx.emb[j]))  # type: ignore[index]
            sc = SAME_FACT * sc / SAME_FACT_EMBED  # onto the lexical scale
            if sc >= floor and sc > lex:
                out.append((a, b, sc))
    out.sort(key=lambda t: -t[2])
    return out


def candidate_pairs(idx: SentenceIndex, same_article: bool = False) -> set[tuple[int, int]]:
    """Pairs of sentences (from different articles unless ``same_article``) sharing a rare key.

    Keys are a sentence's rarest stems, its names and numbers and its rarest
    unit content tokens (event families included, so "downed tools" meets
    "walked out"). Linear in the number of sentences: see the module docstring.
    """
    n = len(idx.items)
    if n <= EXACT_PAIRS:  # a fixed cost: every pair of a small story
        return {(i, j) for i in range(n) for j in range(i + 1, n)
                if same_article or idx.items[i].article_id != idx.items[j].article_id}
    postings: dict[str, list[int]] = defaultdict(list)
    umodel = idx.unit_model
    for k, (toks, marks) in enumerate(zip(idx.terms, idx.marks)):
        keys = sorted(set(toks), key=lambda t: (-idx.model.weight(t), t))[:KEYS_PER_SENTENCE]
        keys += ["#" + m for m in sorted(marks)[:KEYS_PER_SENTENCE]]
        if umodel is not None and idx.unit_stmts:
            content = {t for st in idx.unit_stmts[k] for t in st.content}
            keys += ["u:" + t for t in sorted(content, key=lambda t: (-umodel.weight(t), t))[:KEYS_PER_SENTENCE]]
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


def fact_support(fact: Fact, start: int | None = None, end: int | None = None) -> tuple[tuple[Citation, ...], tuple[Citation, ...]]:
    """The citations and paraphrases of the part ``[start, end)`` of a fact's
    representative sentence (the whole fact when no span is given): the
    support of the units inside that part, the representative first.

    A sentence cited for some unit is never also listed as a paraphrase.
    """
    if start is None or end is None or not fact.support:
        return fact.citations, fact.paraphrases
    own = fact.citations[:1]
    cits: dict[Citation, None] = dict.fromkeys(own)
    paras: dict[Citation, None] = {}
    for u in fact.support:
        if start <= u.start and u.end <= end:
            cits.update(dict.fromkeys(u.citations))
            paras.update(dict.fromkeys(u.paraphrases))
    return tuple(cits), tuple(p for p in paras if p not in cits)


def _same_person(idx: SentenceIndex, i: int, j: int) -> bool:
    """Whether two sentences name the same person or body with a name of two
    words or more that few of the story's sentences use (an actor of a side
    story, "Mayor Tomas Reilly"): the two may report one thing in words the
    test cannot match."""
    shared = {n for n in idx.statements[i].names & idx.statements[j].names if " " in n}
    if not shared:
        return False
    cap = max(2, len(idx.items) // 8)
    return any(idx.name_df.get(n, 0) <= cap for n in shared)


def _same_source(idx: SentenceIndex, i: int, j: int) -> bool:
    """Whether one sentence reports a source ("a spokesman for the board")
    that the other names or reports too, on something they share a word of:
    the board's defence in one article and its denial in another."""
    a, b = idx.statements[i], idx.statements[j]
    if not set(a.content) & set(b.content):
        return False
    words_a = a.speakers | {w for n in a.names for w in n.split()}
    words_b = b.speakers | {w for n in b.names for w in n.split()}
    return bool(a.speakers & words_b or b.speakers & words_a)


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
    """The story's facts: one per summarisable sentence, citing every article that states it.

    Args:
        articles: the story's articles, in input order.
        sentences_by_article: article id -> its sentences (from ``split_sentences``).
        embedder: an :class:`~newsweave.synthesize.embed.Embedder`, or None for lexical only.
        groups: article id -> independence group (wire copies share one); articles
            missing from it count as independent.
        index: a prebuilt :func:`build_index` result to reuse.
        threshold: unit score needed to call two units the same fact (:data:`SAME_FACT`).

    Returns:
        One fact per sentence (its representative), ordered by support
        (independent reports, then articles), then by where it appears.
        ``citations``: the sentence, then in each other article the sentence
        that best supports it and carries its quotations; ``paraphrases``:
        those that state it without the quoted words; ``support``: the same
        unit by unit; ``related``: other articles with a close sentence.

    >>> from newsweave.models import Article
    >>> from newsweave.analyze.sentences import split_sentences
    >>> a = Article("Harbor workers in Port Vell began a strike on Monday.", id="a")
    >>> b = Article("A strike by Port Vell harbor workers began Monday.", id="b")
    >>> facts = align_facts([a, b], {x.id: split_sentences(x) for x in (a, b)})
    >>> facts[0].articles
    ('a', 'b')
    """
    idx = index or build_index(articles, sentences_by_article, embedder=embedder)
    threshold = SAME_FACT if threshold is None else threshold
    n = len(idx.items)
    # links[k][j]: unit pairs of k and j stating one fact; near[k]: articles with a close sentence.
    links: list[dict[int, list[tuple[int, int, float]]]] = [{} for _ in range(n)]
    near: list[set[str]] = [set() for _ in range(n)]
    contra: list[list[tuple[float, int]]] = [[] for _ in range(n)]
    for i, j in candidate_pairs(idx):
        if unit_links(idx, i, j, RELATED, min_shared=1) or _same_person(idx, i, j) or _same_source(idx, i, j):
            near[i].add(idx.items[j].article_id)
            near[j].add(idx.items[i].article_id)
        same = unit_links(idx, i, j, threshold)
        if same:
            links[i][j] = same
            links[j][i] = [(b, a, sc) for a, b, sc in same]
            continue
        # What one states the other denies: a contradiction, not a fact in common.
        for a, b, sc in unit_links(idx, i, j, threshold, veto=False):
            if conflicts(idx.unit_stmts[i][a], idx.unit_stmts[j][b]) == "stance":
                contra[i].append((sc, j))
                contra[j].append((sc, i))
                break

    def by_place(k: int) -> tuple[int, int]:
        return idx.order[idx.items[k].article_id], idx.items[k].index

    facts: list[tuple[tuple[int, int, int, int], Fact]] = []
    for k in range(n):
        # The best supporting sentence in each other article.
        best: dict[str, tuple[float, int]] = {}
        for j, ups in links[k].items():
            aid = idx.items[j].article_id
            sc = ups[0][2]
            if aid not in best or sc > best[aid][0]:
                best[aid] = (sc, j)
        members = sorted((j for _, j in best.values()), key=by_place)
        per_unit: list[tuple[dict[Citation, None], dict[Citation, None]]] = [({}, {}) for _ in idx.units[k]]
        cited: set[int] = set()
        para: set[int] = set()
        for j in members:
            for a, _b, _ in links[k][j]:
                quotes = idx.unit_stmts[k][a].quotes
                carries = all(carries_quote(q, idx.statements[j]) for q in quotes)
                (cited if carries else para).add(j)
                per_unit[a][0 if carries else 1][cite(idx, j)] = None
        para -= cited
        s = idx.items[k]
        support = tuple(
            UnitSupport(s.start + u.start, s.start + u.end, tuple(c), tuple(x for x in p if x not in c))
            for u, (c, p) in zip(idx.units[k], per_unit)
            if c or p
        )
        art_ids = tuple(sorted({s.article_id} | {idx.items[j].article_id for j in members}, key=lambda a: idx.order[a]))
        related = tuple(sorted(near[k] - set(art_ids), key=lambda a: idx.order[a]))
        indep = _independent(art_ids, groups)
        facts.append(
            (
                (-indep, -len(art_ids), *by_place(k)),
                Fact(
                    id=0, text=s.text[strip_dateline(s.text) :], citations=(cite(idx, k), *(cite(idx, j) for j in members if j in cited)),
                    articles=art_ids, independent=indep, score=float(indep),
                    paraphrases=tuple(cite(idx, j) for j in members if j in para), related=related, support=support,
                    contradicted_by=tuple(cite(idx, j) for _, j in sorted(contra[k], key=lambda t: (-t[0], by_place(t[1])))),
                ),
            )
        )
    facts.sort(key=lambda t: t[0])
    return [replace(f, id=m) for m, (_, f) in enumerate(facts)]
