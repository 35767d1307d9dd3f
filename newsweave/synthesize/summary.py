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
already in gets a further penalty. A sentence gains with the share of the
other articles that can be cited for it, and loses with the share that
state it only in other words (a quotation is cited only to the articles
carrying its words, so an editor prefers the reported-speech wording).

What an editor would never print is never chosen: a wire dateline
("MARROWICK, March 10 (CPA) - ") is dropped from the sentence it opens; credit
lines and quotations without a speaker are left out; a sentence that points
back ("He said ...", "The deal ...") is taken only right after the sentence
it points to; and no sentence is cut mid-clause. When the next sentence does
not fit the budget, it is cut at a clause boundary (:func:`clause_prefixes`)
or another sentence that fits is taken, so the summary never ends with "…".
Each summary sentence cites every sentence that states (a unit of) its
fact; one cut at a clause boundary cites only what supports the part it keeps.

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
from newsweave.synthesize.align import (
    SAME_FACT,
    SentenceIndex,
    align_facts,
    build_index,
    candidate_pairs,
    fact_support,
    similarity,
    unit_links,
)
from newsweave.synthesize.clauses import (
    clause_prefixes,
    is_bare_quote,
    is_credit,
    is_transcript_line,
    is_truncated,
    needs_antecedent,
    strip_dateline,
)
from newsweave.synthesize.lexical import STOPWORDS, cosine, stem, terms
from newsweave.synthesize.lexical import words as word_tokens

if TYPE_CHECKING:  # pragma: no cover
    from newsweave.synthesize.embed import Embedder

__all__ = [
    "summarize",
    "plain_summary",
    "candidates",
    "Candidates",
    "Params",
    "DEFAULT_PARAMS",
    "FEATURES",
    "needs_antecedent",
]

#: Stories with at most this many sentences compare all cross-article pairs.
EXACT_PAIRS = 400
#: Times the budget is refilled after redundant one-fact sentences are left out.
REFILLS = 4


@dataclass(frozen=True)
class Params:
    """Weights of the sentence score and of the selection.

    ``weights`` pairs with :data:`FEATURES`: a ridge least-squares fit of
    each sentence's ROUGE-1 + ROUGE-2 precision against the story's human
    summary on AllSides dev (``benchmarks/summary_cv.py`` refits them in
    k folds and scores each held-out fold).
    """

    decay: float = 0.6  # lead prior = 1 / (1 + decay * position in the article)
    concept: float = 0.8  # weight of the shared-concept coverage gain
    unigram: float = 0.3  # weight of a content unigram relative to a bigram concept
    same_fact_at: float | None = None  # alignment threshold when facts are not given (None: align's default)
    same_fact: float = 1.0  # penalty for a sentence whose fact is already in the summary
    redundancy: float = 0.4  # MMR: penalty per unit similarity to chosen sentences
    trimmed: float = 0.8  # relevance kept by a sentence cut at a clause boundary
    length_norm: float = 0.0  # a step's value is divided by the form's words to this power
    citable: float = 0.3  # bonus per share of the story's other articles citable for the sentence
    paraphrased: float = 0.3  # penalty per share stating it only in other words (its quotation uncitable there)
    min_words: int = 8  # fewer words than this make the "short" feature fire
    min_clause: int = 5  # a sentence cut at a clause boundary keeps at least this many words
    weights: tuple[float, ...] = (
        0.3512, -0.0596, 0.0946, 0.2969, 1.0666, 0.4151, -0.105, -0.1036, 0.0699, 0.0553, 0.1, 0.0301, -0.2021, 0.3,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
    )


DEFAULT_PARAMS = Params()


def _n_words(text: str) -> int:
    return len(text.split())


#: Names of the sentence features, in the order :func:`sentence_features` returns them.
FEATURES = (
    "bias", "lead", "prior", "corroboration", "centrality", "headline", "log_words",
    "short", "attributed", "quoted", "number", "truncated", "question", "prior_x_centrality",
    "headline_max", "concepts", "concept_density", "log_position", "weekday", "dateline",
)
_WEEKDAY = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\b(?:yesterday|today|tonight)\b")
_SAID = re.compile(r"\b(?:said|says|told|announced|according to|reported|stated)\b", re.I)
_QUOTE = re.compile(r"[\"“”]")
_DIGIT = re.compile(r"\d")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*$")


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
    title_vecs = [idx.model.vector(terms(t)) for t in titles]
    csets, cw = _concepts(idx, p)
    ctotal = [sum(cw.get(c, 0.0) for c in cs) for cs in csets]
    cmax = max(ctotal, default=0.0) or 1.0
    dmax = max((t / max(1, _n_words(s.text)) for t, s in zip(ctotal, idx.items)), default=0.0) or 1.0

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
            max((cosine(idx.vectors[k], tv) for tv in title_vecs), default=0.0),
            ctotal[k] / cmax,
            ctotal[k] / max(1, nw) / dmax,
            math.log(1 + idx.position[k]),
            1.0 if _WEEKDAY.search(text) else 0.0,
            1.0 if strip_dateline(text) else 0.0,
        ]
        rows.append(row)
    return rows


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


def candidates(
    articles: Sequence[Article],
    sentences_by_article: Mapping[str, Sequence[Sentence]],
    p: Params = DEFAULT_PARAMS,
    facts: Sequence[Fact] | None = None,
) -> Candidates:
    """The story's :class:`Candidates` (facts aligned lexically when not given)."""
    idx = build_index(articles, sentences_by_article)
    if facts is None:
        facts = align_facts(articles, sentences_by_article, index=idx, threshold=p.same_fact_at)
    return Candidates(idx, facts, p)


def _facts_of(idx: SentenceIndex, facts: Sequence[Fact]) -> dict[int, Fact]:
    """Sentence position -> the fact it represents (its own, in the fact model)."""
    where = {(s.article_id, s.index): k for k, s in enumerate(idx.items)}
    out: dict[int, Fact] = {}
    for f in facts:
        if not f.citations:
            continue
        c = f.citations[0]
        k = where.get((c.article_id, c.sentence_index))
        if k is not None and k not in out:
            out[k] = f
    return out


def _members(idx: SentenceIndex, facts_of: Mapping[int, Fact]) -> list[set[int]]:
    """For each sentence, the sentences stating (part of) its fact, itself included."""
    where = {(s.article_id, s.index): k for k, s in enumerate(idx.items)}
    out = []
    for k in range(len(idx.items)):
        f = facts_of.get(k)
        ms = {k}
        if f is not None:
            ms |= {m for c in (*f.citations, *f.paraphrases) if (m := where.get((c.article_id, c.sentence_index))) is not None}
        out.append(ms)
    return out


@dataclass(frozen=True)
class Form:
    """A printable form of a source sentence: the text shown and the span of
    the article it comes from (a trimmed form adds only its closing full stop)."""

    text: str
    start: int
    end: int
    words: int
    trimmed: bool


def sentence_forms(s: Sentence, min_clause: int = 5) -> list[Form]:
    """The forms a sentence may take in a summary, longest first.

    The whole sentence with any wire dateline dropped, then its prefixes
    that end at a clause boundary. A sentence cut off in the source ("...")
    has only its clause prefixes; credit lines and speakerless quotations
    have no form at all.

    >>> s = Sentence("a", 0, 0, 71, "VELL, May 2 (HNA) - Dock workers struck on Monday, and two ships waited.")
    >>> [f.text for f in sentence_forms(s)]
    ['Dock workers struck on Monday, and two ships waited.', 'Dock workers struck on Monday.']
    """
    text = s.text.rstrip()
    cut = strip_dateline(text)
    body = text[cut:]
    if not body or is_credit(body) or is_bare_quote(body) or is_transcript_line(body):
        return []
    out = []
    if not is_truncated(body):
        out.append(Form(body, s.start + cut, s.start + len(text), _n_words(body), False))
    for pre in clause_prefixes(body, min_clause):
        head = pre[:-1] if pre.endswith(".") and not body.startswith(pre) else pre
        out.append(Form(pre, s.start + cut, s.start + cut + len(head.rstrip()), _n_words(pre), True))
    return out


@dataclass
class _Chosen:
    item: int
    form: Form


class Candidates:
    """Everything selection needs about a story's sentences, computed once:
    features, printable forms, concepts, antecedents, similarities (cached).

    Weights only enter through :meth:`scores`, so one story can be summarised
    under many weightings cheaply (``benchmarks/summary_cv.py`` does).
    """

    def __init__(self, idx: SentenceIndex, facts: Sequence[Fact], p: Params) -> None:
        self.idx = idx
        self.facts_of = _facts_of(idx, facts)
        self.members = _members(idx, self.facts_of)
        self.single = [len(us) == 1 for us in idx.units]  # states one thing (one unit)
        # How much of the story can be cited for each sentence, and how much
        # states it only in other words (so cannot be cited for its quotation).
        n_art = max(1, len(idx.articles) - 1)
        self.cited_share = [0.0] * len(idx.items)
        self.para_share = [0.0] * len(idx.items)
        for k, f in self.facts_of.items():
            own = idx.items[k].article_id
            cited = {c.article_id for c in f.citations} - {own}
            self.cited_share[k] = len(cited) / n_art
            self.para_share[k] = len({c.article_id for c in f.paraphrases} - cited - {own}) / n_art
        self.rows = sentence_features(idx, self.facts_of, p)
        self.csets, self.cw = _concepts(idx, p)
        self.forms = [sentence_forms(s, p.min_clause) for s in idx.items]
        self.fsets = [[_concepts_of(f.text) if f.trimmed else self.csets[k] for f in fs]
                      for k, fs in enumerate(self.forms)]
        self.norm = max((sum(self.cw.get(c, 0.0) for c in cs) for cs in self.csets), default=0.0) or 1.0
        self.keys = [" ".join(fs[0].text.lower().split()) if fs else "" for fs in self.forms]
        # "He said" needs the sentence before it; "The strike" is also resolved
        # when a headline names a strike, since readers see the headlines.
        self.headlines = " ".join(a.title for a in idx.articles.values() if a.title)
        # An article's first sentence has nothing before it to point back to:
        # only a pronoun opening ("He said") makes it dependent.
        self.dependent = [
            bool(fs) and needs_antecedent(fs[0].text, self.headlines if idx.position[k] else fs[0].text)
            for k, fs in enumerate(self.forms)
        ]
        place = {(s.article_id, idx.position[k]): k for k, s in enumerate(idx.items)}
        self.before = [place.get((s.article_id, idx.position[k] - 1)) for k, s in enumerate(idx.items)]
        self._sim: dict[tuple[int, int], float] = {}

    def scores(self, p: Params) -> list[float]:
        """The relevance of every sentence under ``p.weights``."""
        return [sum(w * x for w, x in zip(p.weights, row)) for row in self.rows]

    def sim(self, i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        v = self._sim.get(key)
        if v is None:
            v = self._sim[key] = similarity(self.idx, i, j)
        return v

    def select(self, words: int, p: Params, scores: Sequence[float] | None = None) -> list[_Chosen]:
        """Choose sentence forms until no form of any sentence fits the budget.

        A step's value for a sentence is its relevance (scaled by
        ``p.trimmed`` for a clause-trimmed form) plus its concept gain
        (shared concepts not yet covered), minus its similarity to what is
        already chosen (maximal marginal relevance) and a penalty when the
        aligner says its fact is already in. Each sentence is offered in its
        longest form that fits what is left of the budget.
        """
        scores = self.scores(p) if scores is None else scores
        banned: set[int] = set()
        for attempt in range(REFILLS + 1):
            chosen = self._greedy(words, p, scores, banned)
            # A sentence that states one thing another chosen sentence also
            # states is redundant: leave it out and fill its words again.
            keep = {c.item for c in chosen}
            extra = {c.item for c in chosen if self.single[c.item]
                     and any(unit_links(self.idx, c.item, d, SAME_FACT) for d in keep - {c.item})}
            if not extra:
                break
            if attempt == REFILLS:
                chosen = [c for c in chosen if c.item not in extra]
            banned |= extra
        return chosen

    def _greedy(self, words: int, p: Params, scores: Sequence[float], banned: set[int]) -> list[_Chosen]:
        chosen: list[_Chosen] = []
        taken: set[int] = set(banned)
        texts: set[str] = set()
        said: set[int] = set()
        covered: set[str] = set()
        used = 0
        while used < words:
            left = words - used
            best: tuple[float, int, int] | None = None
            for k, forms in enumerate(self.forms):
                if k in taken or not forms or self.keys[k] in texts:  # verbatim wire copies count once
                    continue
                if self.dependent[k] and self.before[k] not in taken:
                    continue  # "He said ..." with no antecedent would point at the wrong person
                fi = next((i for i, f in enumerate(forms) if f.words <= left), None)
                if fi is None:
                    continue
                red = max((self.sim(k, c.item) for c in chosen), default=0.0)
                val = scores[k] * (p.trimmed if forms[fi].trimmed else 1.0) - p.redundancy * red
                val += p.citable * self.cited_share[k] - p.paraphrased * self.para_share[k]
                if self.members[k] & said:
                    if self.single[k] and k in said:
                        continue  # it states one thing, and the summary already says it
                    val -= p.same_fact  # the fact model already says this fact is in the summary
                if p.concept:
                    val += p.concept * sum(self.cw.get(c, 0.0) for c in self.fsets[k][fi] - covered) / self.norm
                if p.length_norm:
                    val /= forms[fi].words ** p.length_norm
                if best is None or val > best[0]:
                    best = (val, k, fi)
            if best is None:
                break
            _, k, fi = best
            form = self.forms[k][fi]
            chosen.append(_Chosen(k, form))
            taken.add(k)
            texts.add(self.keys[k])
            covered |= self.fsets[k][fi]
            said |= self.members[k]
            used += form.words
        return chosen


def _order(idx: SentenceIndex, chosen: list[_Chosen]) -> list[_Chosen]:
    """Reading order: by place in the articles (leads first, the most
    important lead first); a sentence that needs an antecedent right after
    the sentence before it in its article; the summary opens with a sentence
    that stands alone."""
    rank = {c.item: r for r, c in enumerate(chosen)}  # selection order: most important first
    out = sorted(chosen, key=lambda c: (idx.position[c.item], rank[c.item]))
    headlines = " ".join(a.title for a in idx.articles.values() if a.title)
    pos_of = {(idx.items[c.item].article_id, idx.position[c.item]): c.item for c in out}
    for c in list(out):
        k = c.item
        prev = pos_of.get((idx.items[k].article_id, idx.position[k] - 1))
        if prev is not None and needs_antecedent(c.form.text, headlines):
            out.remove(c)
            at = next(i for i, d in enumerate(out) if d.item == prev)
            out.insert(at + 1, c)
    for i, c in enumerate(out):
        if not needs_antecedent(c.form.text, headlines):
            if i:
                out.insert(0, out.pop(i))
            break
    return out


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
        words: the word budget; filled with whole sentences, or a last one cut
            at a clause boundary, never mid-clause.
        facts: facts from :func:`~newsweave.synthesize.align.align_facts`; computed when None.
        groups: article id -> independence group, so wire copies count once.
        embedder: sentence embedder used to align facts when ``facts`` is None; lexical when None.
        params: score weights.

    Returns:
        Summary sentences in reading order. Each cites its own sentence first
        (the span of the article it prints), then every other sentence
        stating the same fact.

    >>> from newsweave.models import Article
    >>> from newsweave.analyze.sentences import split_sentences
    >>> a = Article("Dock workers in Port Vell went on strike on Monday, and talks resume on Friday.", id="a")
    >>> out = summarize([a], {"a": split_sentences(a)}, words=10)
    >>> [s.text for s in out]
    ['Dock workers in Port Vell went on strike on Monday.']
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
    cands = Candidates(idx, facts, params)
    return render(cands, cands.select(words, params))


def render(cands: Candidates, chosen: list[_Chosen]) -> tuple[SummarySentence, ...]:
    """The chosen forms in reading order as cited summary sentences.

    A sentence cites every sentence of its fact; when it carries a quotation,
    only those that carry the quoted words, the others being listed as
    paraphrases.
    """
    idx = cands.idx
    out = []
    for c in _order(idx, chosen):
        s = idx.items[c.item]
        own = Citation(s.article_id, s.index, c.form.start, c.form.end)
        fact = cands.facts_of.get(c.item)
        cits: tuple[Citation, ...] = ()
        paras: tuple[Citation, ...] = ()
        if fact is not None:
            # A form cut at a clause boundary cites only the support of what it keeps.
            cits, paras = fact_support(fact, c.form.start, c.form.end) if c.form.trimmed else fact_support(fact)
        out.append(SummarySentence(
            text=c.form.text,
            citations=(own, *(x for x in cits[1:] if x.article_id != s.article_id)),
            fact_id=fact.id if fact else None,
            paraphrases=paras,
        ))
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
    >>> a = Article("Dock workers struck on Monday in the port of Vell, while ferries ran.", id="a")
    >>> plain_summary([a], {"a": split_sentences(a)}, words=12)
    'Dock workers struck on Monday in the port of Vell.'
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
