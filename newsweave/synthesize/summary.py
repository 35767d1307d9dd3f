"""Extractive multi-document summary with citations to every supporting article.

Each summarisable sentence gets a relevance score, a weighted sum of general
signals of news importance computed on the story itself (:data:`FEATURES`):

- **position**: news leads state the main facts first;
- **corroboration**: how well the other articles state the same thing
  (wire copies of one text count once, via the independence groups);
- **centrality**: similarity to the story's overall vocabulary, and to the
  headlines, which editors wrote to name the news;
- sentence traits: length, attribution ("said"), numbers, questions.

Sentences are then chosen greedily. Each step adds the sentence with the best
relevance plus *concept coverage* gain (stemmed bigrams and words that
several articles share and the summary does not yet contain: the
corroborated core), minus its similarity to what is already chosen; a
sentence whose fact (from :func:`newsweave.synthesize.align.align_facts`) is
already in gets a further penalty. A sentence that cannot stand alone ("He
said ...", "The deal ...") never opens the summary and is penalised unless
the sentence before it in its article is chosen too. The budget is filled
exactly; the last sentence is trimmed to fit and marked with "…" (a stub
under three words is left out instead). Each summary sentence cites every
sentence that states the same fact, not only its own.

Run ``python -m newsweave.synthesize.summary --words 110 story.jsonl`` for
the plain summary.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from newsweave.models import Article, Citation, Fact, Sentence, SummarySentence
from newsweave.synthesize.align import SentenceIndex, align_facts, build_index, candidate_pairs, similarity
from newsweave.synthesize.lexical import STOPWORDS, cosine, stem, terms
from newsweave.synthesize.lexical import words as word_tokens

if TYPE_CHECKING:  # pragma: no cover
    from newsweave.synthesize.embed import Embedder

__all__ = ["summarize", "plain_summary", "Params", "DEFAULT_PARAMS", "needs_antecedent", "ELLIPSIS"]

ELLIPSIS = "…"
#: Stories with at most this many sentences compare all cross-article pairs.
EXACT_PAIRS = 400


@dataclass(frozen=True)
class Params:
    """Weights of the sentence score and of the selection.

    ``weights`` pairs with :data:`FEATURES`: a ridge least-squares fit of
    each sentence's ROUGE-1 + ROUGE-2 precision against the story's human
    summary on AllSides dev, then two general signals set by hand (numbers
    +0.1, lead x centrality +0.3). ``benchmarks/bench_summary.py --folds``
    refits them on one half of dev and scores the other half.
    """

    decay: float = 0.6  # lead prior = 1 / (1 + decay * position in the article)
    concept: float = 0.8  # weight of the shared-concept coverage gain
    concept_len: float = 0.0  # concept gain divided by words ** concept_len
    unigram: float = 0.3  # weight of a content unigram relative to a bigram concept
    same_fact_at: float | None = None  # alignment threshold when facts are not given (None: align's default)
    same_fact: float = 1.0  # penalty for a sentence whose fact is already in the summary
    redundancy: float = 0.4  # MMR: penalty per unit similarity to chosen sentences
    min_fragment: int = 3  # a trimmed closing sentence keeps at least this many words
    unresolved: float = 0.3  # penalty for a sentence whose antecedent is not in the summary
    beam: int = 1  # states kept while choosing (1 = greedy, which scored best)
    min_words: int = 8  # fewer words than this make the "short" feature fire
    weights: tuple[float, ...] = (
        0.3512, -0.0596, 0.0946, 0.2969, 1.0666, 0.4151, -0.105, -0.1036, 0.0699, 0.0553, 0.1, 0.0301, -0.2021, 0.3,
    )


DEFAULT_PARAMS = Params()

# Openings that point back to something said before.
_ANAPHORA = re.compile(
    r"^[\"“‘']?(?:He|She|They|It|His|Her|Their|Its|Him|Them|This|That|These|Those|Such|"
    r"Both|Another|Meanwhile|But|And|Also|However|Still|Yet|So|Instead|Then)\b"
)
_DEFINITE = re.compile(r"^[\"“‘']?(?:The|That|This|These|Those)\s+([a-z][a-z-]+)\b")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*$")


def needs_antecedent(text: str, context: str = "") -> bool:
    """True when ``text`` opens with a word pointing back to an unresolved referent.

    "The deal" is resolved when ``context`` (what the reader has already
    seen) mentions a deal.

    >>> needs_antecedent("He said the talks failed.")
    True
    >>> needs_antecedent("The deal collapsed on Tuesday.", "Rivals agreed a deal.")
    False
    >>> needs_antecedent("The deal collapsed on Tuesday.")
    True
    >>> needs_antecedent("The Harbor Union called a strike.")
    False
    """
    if _ANAPHORA.match(text):
        return True
    m = _DEFINITE.match(text)
    if m:
        noun = m.group(1)
        return noun not in context.lower()
    return False


def _n_words(text: str) -> int:
    return len(text.split())


def _trim(text: str, n: int) -> str:
    """The first ``n`` whitespace words of ``text`` marked with "…" (no extra word)."""
    head = text.split()[:n]
    if not head:
        return ""
    last = head[-1].rstrip(",;:–—-\"'“”‘’(")
    head[-1] = (last or head[-1]) + ELLIPSIS
    return " ".join(head)


#: Names of the sentence features, in the order :func:`sentence_features` returns them.
FEATURES = (
    "bias", "lead", "prior", "corroboration", "centrality", "headline", "log_words",
    "short", "attributed", "quoted", "number", "truncated", "question", "prior_x_centrality",
)
_SAID = re.compile(r"\b(?:said|says|told|announced|according to|reported|stated)\b", re.I)
_QUOTE = re.compile(r"[\"“”]")
_DIGIT = re.compile(r"\d")


def sentence_features(idx: SentenceIndex, facts_of: Mapping[int, Fact], p: Params) -> list[list[float]]:
    """One row of :data:`FEATURES` per sentence in ``idx``."""
    n = len(idx.items)
    if not n:
        return []
    by_article: dict[str, list[int]] = {}
    for k, s in enumerate(idx.items):
        by_article.setdefault(s.article_id, []).append(k)
    n_art = len(by_article)

    centroid: dict[str, float] = {}
    for v in idx.vectors:
        for t, w in v.items():
            centroid[t] = centroid.get(t, 0.0) + w
    norm = math.sqrt(sum(w * w for w in centroid.values())) or 1.0
    centroid = {t: w / norm for t, w in centroid.items()}

    # Each sentence's best match in every other article. Small stories compare
    # every pair (up to EXACT_PAIRS sentences: a fixed cost); larger ones only
    # the blocked candidate pairs of the aligner (sentences sharing a rare
    # term), so the work grows linearly past a few hundred sentences.
    nearest: list[dict[str, float]] = [{} for _ in range(n)]
    if n_art > 1:
        if n <= EXACT_PAIRS:
            pairs: Iterable[tuple[int, int]] = (
                (i, j) for i in range(n) for j in range(i + 1, n) if idx.items[i].article_id != idx.items[j].article_id
            )
        else:
            pairs = candidate_pairs(idx)
        for i, j in pairs:
            sim = cosine(idx.vectors[i], idx.vectors[j])
            ai, aj = idx.items[i].article_id, idx.items[j].article_id
            if sim > nearest[i].get(aj, -1.0):
                nearest[i][aj] = sim
            if sim > nearest[j].get(ai, -1.0):
                nearest[j][ai] = sim

    titles = [a.title for a in idx.articles.values() if a.title]
    title_vec = idx.model.vector([t for title in titles for t in terms(title)]) if titles else {}

    rows = []
    for k, s in enumerate(idx.items):
        prior = 1.0 / (1.0 + p.decay * idx.position[k])
        # Corroboration: the best match in each other article, averaged. A
        # fact found by the aligner counts fully for the articles it covers.
        corr = 0.0
        if n_art > 1:
            fact = facts_of.get(k)
            best = dict(nearest[k])
            for aid in fact.articles if fact else ():
                best[aid] = 1.0
            best.pop(s.article_id, None)
            corr = sum(best.values()) / (n_art - 1)
            if fact is not None and len(fact.articles) > 1:
                # Wire copies inflate support: scale by the independent share.
                corr *= (fact.independent / len(fact.articles)) ** 0.5
        else:
            # One article: nothing can corroborate, so its lead stands in.
            corr = 1.0 / (1.0 + p.decay * idx.position[k])
        text = s.text.strip()
        nw = _n_words(text)
        cent = cosine(idx.vectors[k], centroid)
        head = cosine(idx.vectors[k], title_vec) if title_vec else 0.0
        row = [
            1.0,
            1.0 if idx.position[k] == 0 else 0.0,
            prior,
            corr,
            cent,
            head,
            math.log(1 + nw),
            1.0 if nw < p.min_words else 0.0,
            1.0 if _SAID.search(text) else 0.0,
            1.0 if _QUOTE.search(text) else 0.0,
            1.0 if _DIGIT.search(text) else 0.0,
            1.0 if _TRUNCATED.search(text) else 0.0,
            1.0 if text.endswith("?") else 0.0,
            prior * cent,
        ]
        rows.append(row)
    return rows


def _features(idx: SentenceIndex, facts_of: Mapping[int, Fact], p: Params) -> list[float]:
    """The relevance score of every sentence in ``idx`` (before redundancy)."""
    return [sum(w * x for w, x in zip(p.weights, row)) for row in sentence_features(idx, facts_of, p)]


def _concepts_of(text: str) -> set[str]:
    """Stemmed bigrams (not both stop words) and content unigrams ("1:stem") of ``text``."""
    ws = word_tokens(text)
    toks = [stem(w) for w in ws]
    stop = [w in STOPWORDS for w in ws]
    out = {"1:" + t for t, st in zip(toks, stop) if not st and len(t) > 1}
    out |= {f"{a} {b}" for (a, b), (sa, sb) in zip(zip(toks, toks[1:]), zip(stop, stop[1:])) if not (sa and sb)}
    return out


def _concepts(idx: SentenceIndex, p: Params) -> tuple[list[set[str]], dict[str, float]]:
    """Each sentence's concepts and each concept's weight.

    Covering concepts is the concept-coverage objective of multi-document
    summarisation (Gillick and Favre, 2009): a concept weighs the number of
    articles beyond the first that contain it, so the core that several
    sources share counts most, and a covered concept gains nothing the
    second time, so repetition is penalised by construction.
    """
    sets = [_concepts_of(s.text) for s in idx.items]
    arts: dict[str, set[str]] = {}
    for k, cs in enumerate(sets):
        for c in cs:
            arts.setdefault(c, set()).add(idx.items[k].article_id)
    weights = {}
    for c, a in arts.items():
        if len(a) > 1:
            weights[c] = (len(a) - 1) * (p.unigram if c.startswith("1:") else 1.0)
    return sets, weights


@dataclass
class _State:
    chosen: list[tuple[int, int]]
    used: int
    covered: set[str]
    said: set[int]
    texts: set[str]
    total: float
    places: frozenset[tuple[str, int]] = frozenset()  # (article, position) of chosen sentences


def _select(
    idx: SentenceIndex, scores: list[float], words: int, p: Params, fact_ids: Mapping[int, int] | None = None
) -> list[tuple[int, int]]:
    """Choose sentences until the budget is full: (sentence, words kept) pairs.

    A step's value for a sentence is its relevance plus its concept gain
    (shared concepts not yet covered), minus its similarity to what is
    already chosen (maximal marginal relevance) and a penalty when the
    aligner says its fact is already in. A small beam (``p.beam`` states,
    each expanded with its ``p.beam`` best steps) keeps the choice from
    hinging on the first pick; states are compared by value per word used.
    Work per step is O(beam^2 * sentences).
    """
    csets, cw = _concepts(idx, p) if p.concept else ([set() for _ in idx.items], {})
    lens = [max(1, _n_words(s.text)) for s in idx.items]
    gains0 = [sum(cw.get(c, 0.0) for c in cs) / lens[k] ** p.concept_len for k, cs in enumerate(csets)]
    norm = max(gains0, default=0.0) or 1.0
    keys = [" ".join(s.text.lower().split()) for s in idx.items]
    pronoun = [bool(_ANAPHORA.match(s.text.strip())) for s in idx.items]
    definite = [m.group(1) if (m := _DEFINITE.match(s.text.strip())) else None for s in idx.items]
    # "He said" needs the sentence before it; "The strike" is also resolved
    # when a headline names a strike, since readers see the headlines. (Taking
    # other chosen sentences as context too pulled in out-of-order "The bill"
    # sentences and scored lower on dev.)
    headlines = " ".join(a.title for a in idx.articles.values() if a.title).lower()
    beam = [_State([], 0, set(), set(), set(), 0.0)]
    while any(st.used < words for st in beam):
        expanded: list[_State] = []
        for st in beam:
            if st.used >= words:
                expanded.append(st)
                continue
            taken = {k for k, _ in st.chosen}
            steps = []
            for k in range(len(idx.items)):
                if k in taken or keys[k] in st.texts:  # verbatim wire copies count once
                    continue
                red = max((similarity(idx, k, c) for c, _ in st.chosen), default=0.0)
                val = scores[k] - p.redundancy * red
                if fact_ids and fact_ids.get(k, -1) in st.said:
                    val -= p.same_fact  # the aligner already says this fact is in the summary
                if p.concept:
                    gain = sum(cw.get(c, 0.0) for c in csets[k] - st.covered) / lens[k] ** p.concept_len
                    val += p.concept * gain / norm
                noun = definite[k]
                dependent = pronoun[k] or (noun is not None and noun not in headlines)
                if dependent and (not st.chosen or (idx.items[k].article_id, idx.position[k] - 1) not in st.places):
                    # "He said ..." with no antecedent in the summary would
                    # point at the wrong person; opening with it is never allowed.
                    val -= p.unresolved if st.chosen else 1e6
                steps.append((-val, k))
            left = words - st.used
            if st.chosen and left < p.min_fragment:
                # A stub like "In…" reads badly: only a sentence that fits whole may close.
                steps = [(v, k) for v, k in steps if lens[k] <= left]
            if not steps:
                expanded.append(_State(st.chosen, words, st.covered, st.said, st.texts, st.total, st.places))
                continue
            for negval, k in sorted(steps)[: max(1, p.beam)]:
                keep = min(lens[k], words - st.used)
                said = st.said | ({fact_ids[k]} if fact_ids and k in fact_ids else set())
                expanded.append(
                    _State(st.chosen + [(k, keep)], st.used + keep, st.covered | csets[k], said,
                           st.texts | {keys[k]}, st.total - negval * keep,
                           st.places | {(idx.items[k].article_id, idx.position[k])})
                )
        expanded.sort(key=lambda st: (-st.total / max(1, st.used), [k for k, _ in st.chosen]))
        beam = expanded[: max(1, p.beam)]
    return beam[0].chosen


def _order(idx: SentenceIndex, chosen: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Reading order: by place in the articles (leads first, the most
    important lead first), the trimmed sentence last; a sentence that needs an antecedent follows the sentence
    before it in its article when that one is in the summary, and never
    opens the summary when another sentence can."""
    full = [c for c in chosen if c[1] == _n_words(idx.items[c[0]].text)]
    cut = [c for c in chosen if c not in full]
    rank = {c[0]: r for r, c in enumerate(chosen)}  # selection order: most important first
    full.sort(key=lambda c: (idx.position[c[0]], rank[c[0]]))
    headlines = " ".join(a.title for a in idx.articles.values() if a.title)
    pos_of = {(idx.items[k].article_id, idx.position[k]): k for k, _ in full}
    for c in list(full):
        k = c[0]
        prev = pos_of.get((idx.items[k].article_id, idx.position[k] - 1))
        if prev is not None and needs_antecedent(idx.items[k].text, headlines):
            full.remove(c)
            at = next(i for i, d in enumerate(full) if d[0] == prev)
            full.insert(at + 1, c)
    for i, c in enumerate(full):
        if not needs_antecedent(idx.items[c[0]].text, headlines):
            if i:
                full.insert(0, full.pop(i))
            break
    return full + cut


def summarize(
    articles: Sequence[Article],
    sentences_by_article: Mapping[str, Sequence[Sentence]],
    words: int = 150,
    *,
    facts: Sequence[Fact] | None = None,
    groups: Mapping[str, object] | None = None,
    embedder: Embedder | None = None,
    params: Params = DEFAULT_PARAMS,
) -> tuple[SummarySentence, ...]:
    """The story's summary: at most ``words`` whitespace words, every sentence cited.

    Args:
        articles: the story's articles, in input order.
        sentences_by_article: article id -> sentences from ``split_sentences``.
        words: the word budget; the last sentence is trimmed (ending in "…") to fit.
        facts: facts from :func:`~newsweave.synthesize.align.align_facts`; computed when None.
        groups: article id -> independence group, so wire copies count once.
        embedder: sentence embedder used to align facts when ``facts`` is None; lexical when None.
        params: score weights.

    Returns:
        Summary sentences in reading order. Each cites its own sentence first,
        then every other sentence stating the same fact.

    >>> from newsweave.models import Article
    >>> from newsweave.analyze.sentences import split_sentences
    >>> a = Article("Dock workers in Port Vell went on strike on Monday. Talks resume Friday.", id="a")
    >>> out = summarize([a], {"a": split_sentences(a)}, words=5)
    >>> [s.text for s in out]
    ['Dock workers in Port Vell…']
    """
    if words <= 0 or not articles:
        return ()
    # Selection runs on lexical features: on AllSides dev, embeddings in the
    # summary's own similarity lowered ROUGE (see benchmarks/RESULTS.md), so
    # the embedder only helps group paraphrased facts when none were given.
    idx = build_index(articles, sentences_by_article)
    if not idx.items:
        return ()
    if facts is None:
        facts = align_facts(
            articles, sentences_by_article, groups=groups, embedder=embedder,
            index=build_index(articles, sentences_by_article, embedder=embedder) if embedder else idx,
            threshold=params.same_fact_at,
        )
    where = {(s.article_id, s.index): k for k, s in enumerate(idx.items)}
    facts_of: dict[int, Fact] = {}
    for f in facts:
        for c in f.citations:
            k = where.get((c.article_id, c.sentence_index))
            if k is not None:
                facts_of[k] = f
    scores = _features(idx, facts_of, params)
    out = []
    fact_ids = {k: f.id for k, f in facts_of.items() if len(f.citations) > 1}
    for k, keep in _order(idx, _select(idx, scores, words, params, fact_ids)):
        s = idx.items[k]
        own = Citation(s.article_id, s.index, s.start, s.end)
        fact = facts_of.get(k)
        others = tuple(c for c in (fact.citations if fact else ()) if c != own)
        text = s.text.strip()
        if keep < _n_words(text):
            text = _trim(text, keep)
        out.append(SummarySentence(text=text, citations=(own, *others), fact_id=fact.id if fact else None))
    return tuple(out)


def plain_summary(
    articles: Sequence[Article],
    sentences_by_article: Mapping[str, Sequence[Sentence]],
    words: int = 150,
    **kwargs: object,
) -> str:
    """The summary as plain text: no citation marks, at most ``words`` words.

    >>> from newsweave.models import Article
    >>> from newsweave.analyze.sentences import split_sentences
    >>> a = Article("Dock workers struck on Monday in the port of Vell.", id="a")
    >>> plain_summary([a], {"a": split_sentences(a)}, words=4)
    'Dock workers struck on…'
    """
    summary = summarize(articles, sentences_by_article, words, **kwargs)  # type: ignore[arg-type]
    text = " ".join(s.text for s in summary)
    parts = text.split()
    return " ".join(parts[:words]) if len(parts) > words else text


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m newsweave.synthesize.summary --words N INPUT...``: print the plain summary."""
    import argparse
    import sys

    from newsweave.analyze.sentences import split_sentences
    from newsweave.errors import BadInput
    from newsweave.ingest import read_inputs

    ap = argparse.ArgumentParser(prog="python -m newsweave.synthesize.summary", description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", help="files, folders, globs, URLs or - for stdin")
    ap.add_argument("--words", type=int, default=150, help="word budget (default 150)")
    ap.add_argument("--embed", action="store_true", help="use sentence embeddings (needs the 'embed' extra)")
    ap.add_argument("--weights", help="comma-separated sentence-feature weights (benchmarks' 2-fold check)")
    args = ap.parse_args(argv)
    params = DEFAULT_PARAMS
    if args.weights:
        ws = tuple(float(x) for x in args.weights.split(","))
        if len(ws) != len(FEATURES):
            ap.error(f"--weights needs {len(FEATURES)} numbers ({', '.join(FEATURES)}), got {len(ws)}")
        params = replace(params, weights=ws)
    articles, failed = [], 0
    for item in read_inputs(args.inputs):
        if isinstance(item, BadInput):
            print(f"skipped: {item}", file=sys.stderr)
            failed += 1
        else:
            articles.append(item)
    embedder = None
    if args.embed:
        from newsweave.errors import MissingExtra
        from newsweave.synthesize.embed import get_embedder

        try:
            embedder = get_embedder()
        except MissingExtra as exc:
            print(f"note: {exc}; using lexical similarity", file=sys.stderr)
    sents = {a.id: split_sentences(a) for a in articles}
    print(plain_summary(articles, sents, args.words, embedder=embedder, params=params))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
