"""The one place that joins the stages into a briefing.

articles -> analysis (sentences, entities, quotes, figures, dates)
         -> sources (numbering, wire copy, independence)
         -> facts (same fact across sources) -> summary, agreement, disputes
         -> timeline, who said what, figures ledger, coverage
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from newsweave.config import Settings
from newsweave.errors import MissingExtra
from newsweave.models import Analysis, Article, Briefing, Sentence

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _title(articles: Sequence[Article], summary_text: str) -> str:
    titles = [a.title.strip() for a in articles if a.title and a.title.strip()]
    if titles:
        common, n = Counter(titles).most_common(1)[0]
        if n > 1:
            return common
        # The shortest headline is usually the plainest statement of the story.
        return min(titles, key=len)
    words = summary_text.split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "") if words else "Briefing"


def _story_reference_date(articles: Sequence[Article]) -> str | None:
    """The latest publication date in the story, for articles that carry none."""
    dates = sorted(a.date for a in articles if a.date)
    return dates[-1] if dates else None


Analyser = Callable[[Sequence[Article], dict[str, str], Progress | None], list[Analysis]]


def story_reference_dates(articles: Sequence[Article]) -> tuple[dict[str, str], list[str]]:
    """Reference dates for the story's undated articles (its latest date), and the note saying so.

    The articles must be one story: an undated article's "Wednesday" is read
    against its own story's dates only, never another story's.
    """
    ref = _story_reference_date(articles)
    undated = [a for a in articles if not a.date]
    if not (undated and ref):
        return {}, []
    names = ", ".join(a.source or a.path or a.id for a in undated)
    note = f"No publication date for {names}: its relative dates are read against the story's latest date, {ref}."
    return {a.id: ref for a in undated}, [note]


def analyze_story(
    articles: Sequence[Article], progress: Progress | None = None, analyser: Analyser | None = None
) -> tuple[list[Analysis], list[str]]:
    """Analyse every article of one story; undated articles are read against the
    story's latest date (noted, since their relative dates become estimates).

    ``analyser`` replaces the plain analysis (e.g. one that reads a store's cache).
    """
    from newsweave.analyze import analyze_many
    from newsweave.analyze.nlp import degraded_note

    notes: list[str] = []
    note = degraded_note()
    if note:
        notes.append(note)
    refs, ref_notes = story_reference_dates(articles)
    notes += ref_notes
    if analyser is not None:
        return analyser(articles, refs, progress), notes
    analyses = []
    for i, an in enumerate(analyze_many(articles, reference_dates=refs), 1):
        analyses.append(an)
        if progress:
            progress("analyse", i, len(articles))
    return analyses, notes


def build_briefing(
    articles: Sequence[Article],
    words: int = 150,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    analyser: Analyser | None = None,
) -> Briefing:
    """Build the briefing of one story.

    Args:
        articles: the story's articles (any order; duplicates by content hash are dropped).
        words: the summary's word budget.
        settings: embeddings on/off and other knobs; defaults when None.
        progress: optional callback ``(stage, done, total)``.
        analyser: replaces the plain analysis step (``newsweave.stories`` passes one
            that reads and fills the store's analysis cache).

    Example:
        >>> from newsweave.ingest.text import parse_text
        >>> b = build_briefing([parse_text("Dockers walked out on Monday. The port closed.")], words=20)
        >>> b.summary[0].citations[0].sentence_index
        0
    """
    from newsweave.synthesize.agreement import corroborated_facts, single_source_facts
    from newsweave.synthesize.align import align_facts
    from newsweave.synthesize.coverage import coverage
    from newsweave.synthesize.disputes import find_disputes
    from newsweave.synthesize.ledger import figures_ledger
    from newsweave.synthesize.sources import build_sources
    from newsweave.synthesize.speakers import who_said_what
    from newsweave.synthesize.summary import summarize
    from newsweave.synthesize.timeline import build_timeline

    settings = settings or Settings(words=words)
    seen: set[str] = set()
    unique = []
    for a in articles:
        if a.hash not in seen:
            seen.add(a.hash)
            unique.append(a)
    # Two inputs may share an id (e.g. JSONL lines "1" in two files): make them distinct.
    ids = Counter(a.id for a in unique)
    unique = [replace(a, id=f"{a.id}-{a.hash[:6]}") if ids[a.id] > 1 else a for a in unique]

    analyses, notes = analyze_story(unique, progress, analyser)
    sents: dict[str, tuple[Sentence, ...]] = {an.article.id: an.sentences for an in analyses}
    sources = build_sources(unique, sents)
    groups = {s.article_id: s.group for s in sources}
    embedder = _embedder(settings, notes)
    if progress:
        progress("align", 0, 1)
    facts = align_facts(unique, sents, embedder=embedder, groups=groups)
    summary = summarize(unique, sents, words, facts=facts, groups=groups, embedder=embedder)
    if progress:
        progress("align", 1, 1)
    ledger = figures_ledger(analyses, sources)
    order = {s.article_id: s.number for s in sources}
    return Briefing(
        title=_title(unique, " ".join(s.text for s in summary)),
        sources=sources,
        summary=summary,
        articles=tuple(sorted(unique, key=lambda a: order[a.id])),
        sentences=sents,
        timeline=build_timeline(analyses, sources, facts),
        speakers=who_said_what(analyses, sources),
        figures=ledger,
        disputes=find_disputes(analyses, facts, sources, ledger=ledger),
        corroborated=corroborated_facts(facts, sources),
        # Complete lists: how many a reader sees is the renderers' choice (render/caps.py).
        single_source=single_source_facts(facts, sources),
        coverage=coverage(facts, sources, unique),
        words=words,
        notes=tuple(notes),
    )


def _embedder(settings: Settings, notes: list[str]):  # type: ignore[no-untyped-def]
    """The MiniLM embedder when wanted and installed; None means lexical only."""
    if not settings.embeddings:
        return None
    try:
        from newsweave.synthesize.embed import get_embedder

        return get_embedder()
    except (ImportError, MissingExtra) as exc:
        notes.append(f"Facts are aligned by word overlap only: {exc}")
        return None
