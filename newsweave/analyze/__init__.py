"""The analysis layer: one article in, one :class:`~newsweave.models.Analysis` out.

This module joins the stages; each stage is its own module:
:mod:`~newsweave.analyze.sentences`, :mod:`~newsweave.analyze.entities`,
:mod:`~newsweave.analyze.quotes`, :mod:`~newsweave.analyze.figures` and
:mod:`~newsweave.analyze.timex`. spaCy runs once per article, batched with
``nlp.pipe`` and with only the components the stages declare
(``NLP_COMPONENTS``); every stage reads the same Doc, whose character offsets
are offsets into ``article.text``. Without the ``nlp`` extra each stage takes
its rule path and :func:`~newsweave.analyze.nlp.warn_degraded_once` says so.

:func:`analyze_many` streams: it reads its input lazily and yields each
analysis as soon as it is done, so memory does not grow with the number of
articles. Parallel work is delegated to :mod:`newsweave.run.local`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from newsweave.analyze import nlp as _nlp
from newsweave.models import Analysis, Article, Entity, Figure, Quote, Sentence, TimeExpr

if TYPE_CHECKING:
    from newsweave.run import Engine, OnFailure

__all__ = ["analyze", "analyze_many", "analysis_json", "nlp_components", "warm_up", "DEFAULT_BATCH_SIZE"]

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 32
# Above this many characters an article is analysed without spaCy (its memory grows with length).
MAX_DOC_CHARS = _nlp.MAX_DOC_CHARS
# Batches per spaCy memory zone (see _serial).
ZONE_ARTICLES_PER_BATCH = 4


@dataclass(frozen=True)
class _Stages:
    entities: Callable[..., tuple[Entity, ...]]
    quotes: Callable[..., tuple[Quote, ...]]
    timexes: Callable[..., list[TimeExpr]]
    components: tuple[str, ...]
    figures: Callable[..., tuple[Figure, ...]]
    sentences: Callable[[Article], tuple[Sentence, ...]]
    doc_matches: Callable[[Any, str], bool]


@lru_cache(maxsize=1)
def _stages() -> _Stages:
    # Imported on first use: `newsweave dates` (which imports this package for
    # newsweave.analyze.timex) must not pay for the quote and figure rules.
    from newsweave.analyze import entities, figures, quotes, sentences, timex

    comps = set(figures.NLP_COMPONENTS) | set(quotes.QUOTE_COMPONENTS)
    return _Stages(
        entities=entities.extract_entities,
        quotes=quotes.extract_quotes,
        timexes=timex.find_timexes,
        components=tuple(c for c in _nlp.ALL_COMPONENTS if c in comps),
        figures=figures.extract_figures,
        sentences=sentences.split_sentences,
        doc_matches=figures.doc_matches,
    )


def nlp_components() -> tuple[str, ...]:
    """The spaCy components :func:`analyze_many` loads (what the stages need)."""
    return _stages().components


def warm_up() -> None:
    """Load what analysis needs (the spaCy pipeline) now; engines run this once per worker."""
    if _nlp.nlp_available():
        _nlp.get_nlp(nlp_components())
    _stages()


def _guard(stage: str, article: Article, strict: bool, fn: Callable[..., Any], *args: Any) -> Any:
    """Run one stage; a failure is logged with the article's path and the batch goes on."""
    try:
        return fn(*args)
    except Exception as exc:
        if strict:
            raise
        log.warning("%s: %s stage failed (%s: %s); left empty", article.path or article.id, stage,
                    type(exc).__name__, exc)
        return ()


def _analyze_one(article: Article, doc: Any | None, ref_date: str | None, strict: bool) -> Analysis:
    st = _stages()
    if doc is not None and not st.doc_matches(doc, article.text):
        doc = None  # an over-long text went through the pipe as ""
    sentences = _guard("sentences", article, strict, st.sentences, article)
    entities: tuple[Entity, ...] = tuple(_guard("entities", article, strict, st.entities, article, doc))
    quotes: tuple[Quote, ...] = tuple(_guard("quotes", article, strict, st.quotes, article, doc, entities, sentences))
    timexes: tuple[TimeExpr, ...] = ()
    if article.text.strip():
        found = _guard("dates", article, strict, partial(st.timexes, article_id=article.id), article.text, ref_date)
        timexes = tuple(t if t.article_id else replace(t, article_id=article.id) for t in found)
    figures = _guard("figures", article, strict, st.figures, article, sentences, doc, quotes, entities, timexes)
    return Analysis(article=article, sentences=tuple(sentences), entities=entities, quotes=quotes,
                    figures=tuple(figures), timexes=timexes)


def _serial(
    articles: Iterable[Article], batch_size: int, ref_dates: Mapping[str, str], strict: bool
) -> Iterator[Analysis]:
    """Analyse in this process: one ``nlp.pipe`` stream feeding every stage."""
    if not _nlp.nlp_available():
        _nlp.warn_degraded_once()
        for art in articles:
            yield _analyze_one(art, None, art.date or ref_dates.get(art.id), strict)
        return
    from newsweave.run.local import chunked

    # Over-long texts go through the pipe as "" and are analysed without a Doc.
    pairs = ((a.text if len(a.text) <= MAX_DOC_CHARS else "", a) for a in articles)
    for chunk in chunked(pairs, ZONE_ARTICLES_PER_BATCH * batch_size):
        if not any(text for text, _ in chunk):  # nothing to parse (all empty or over-long): no spaCy to load
            done = [_analyze_one(art, None, art.date or ref_dates.get(art.id), strict) for _, art in chunk]
            yield from done
            continue
        nlp = _nlp.get_nlp(nlp_components())
        # spaCy keeps every new string and lexeme for the life of the process, so a long
        # stream grows without end; a memory zone per chunk frees them. Analyses hold no
        # spaCy objects, and they are yielded only after the zone closes, so a consumer
        # that uses spaCy itself between two results never sees its objects freed.
        zone = getattr(nlp, "memory_zone", None)
        with zone() if zone is not None else nullcontext():
            done = [_analyze_one(art, doc, art.date or ref_dates.get(art.id), strict)
                    for doc, art in nlp.pipe(chunk, as_tuples=True, batch_size=batch_size)]
        yield from done


def _analyze_chunk(articles: list[Article], ref_dates: Mapping[str, str], strict: bool) -> list[Analysis]:
    """Worker entry point for :func:`newsweave.run.local.imap_chunks`."""
    return list(_serial(articles, len(articles), ref_dates, strict))


def analyze_many(
    articles: Iterable[Article],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
    progress: Callable[[int], None] | None = None,
    reference_dates: Mapping[str, str] | None = None,
    strict: bool = False,
    engine: Engine | None = None,
    on_failure: OnFailure | None = None,
) -> Iterator[Analysis]:
    """Analyse a stream of articles, yielding one :class:`Analysis` per article in input order.

    Args:
        articles: any iterable, read lazily (a generator over 10,000 files is fine).
        batch_size: articles per ``nlp.pipe`` batch (and per worker chunk).
        n_process: worker processes; 1 analyses in this process, 0 uses every core.
        progress: called with the number of articles just finished (for a progress bar).
        reference_dates: article id -> ``YYYY-MM-DD`` used to resolve relative dates of
            articles that have no publication date.
        strict: raise a stage's exception instead of logging it and leaving that part empty.
        engine: a started :class:`~newsweave.run.Engine` (e.g. a Dask cluster) to run the
            chunks on instead of ``n_process`` local processes.
        on_failure: with ``engine``, called for a chunk that failed on the workers
            (its articles are left out); without it the error is raised.

    Example:
        >>> from newsweave.models import Article
        >>> arts = (Article(t) for t in ["At least 12 buses left.", ""])
        >>> [len(a.figures) for a in analyze_many(arts)]  # doctest: +SKIP
        [1, 0]
    """
    if batch_size < 1:
        raise ValueError(f"batch_size {batch_size!r} is invalid; must be at least 1")
    from newsweave.run.local import chunked, imap_chunks, worker_count

    refs = dict(reference_dates or {})
    if engine is not None:
        work = partial(_analyze_chunk, ref_dates=refs, strict=strict)
        for results in engine.imap_chunks(work, chunked(articles, batch_size), on_failure=on_failure):
            yield from results
            if progress:
                progress(len(results))
        return
    if worker_count(n_process) <= 1:
        stream: Iterator[Analysis] = _serial(articles, batch_size, refs, strict)
        for an in stream:
            yield an
            if progress:
                progress(1)
        return
    if not _nlp.nlp_available():
        _nlp.warn_degraded_once()
    work = partial(_analyze_chunk, ref_dates=refs, strict=strict)
    for results in imap_chunks(work, chunked(articles, batch_size), n_process=n_process):
        yield from results
        if progress:
            progress(len(results))


def analyze(article: Article, *, reference_date: str | None = None, strict: bool = False) -> Analysis:
    """Analyse one article (see :func:`analyze_many` for many).

    Example:
        >>> from newsweave.models import Article
        >>> an = analyze(Article("Rescuers said 40 families were moved."))  # doctest: +SKIP
        >>> an.figures[0].counted  # doctest: +SKIP
        'families'
    """
    refs = {article.id: reference_date} if reference_date else None
    return next(analyze_many([article], batch_size=1, reference_dates=refs, strict=strict))


def _span(span: tuple[int, int] | None) -> list[int] | None:
    return list(span) if span else None


def analysis_json(analysis: Analysis) -> dict[str, Any]:
    """Everything found in one article as a JSON-ready dict (``newsweave analyze --json``).

    All offsets are code-point offsets into the article text exactly as read.
    """
    from newsweave.analyze.figures import figure_dict

    a = analysis.article
    note = _nlp.degraded_note()
    return {
        "id": a.id,
        "path": a.path,
        "title": a.title,
        "source": a.source,
        "published": a.published,
        "url": a.url,
        "notes": [note] if note else [],
        "sentences": [
            {"index": s.index, "start": s.start, "end": s.end, "paragraph": s.paragraph,
             "boilerplate": s.boilerplate, "text": s.text}
            for s in analysis.sentences
        ],
        "entities": [
            {"name": e.name, "label": e.label, "role": e.role, "variants": list(e.variants),
             "mentions": [list(m) for m in e.mentions]}
            for e in analysis.entities
        ],
        "quotes": [
            {"content": _span(q.content), "source": _span(q.source), "cue": _span(q.cue), "speaker": q.speaker,
             "kind": q.kind, "role": q.role, "speaker_type": q.speaker_type, "sentence_index": q.sentence_index,
             "text": q.text, "stance": q.stance, "claim": q.claim, "target": q.target,
             "confidence": q.confidence}
            for q in analysis.quotes
        ],
        "figures": [figure_dict(f) for f in analysis.figures],
        "dates": [
            {"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value}
            for t in analysis.timexes
        ],
    }
