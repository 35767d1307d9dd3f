"""Briefings per story: from a store (analyses cached) or from a set of files.

:func:`brief_story` briefs one stored story. Each article is analysed once
per analyser version and reference date; later briefings read the analyses
from the store (:mod:`newsweave.stories.cache`), so only articles that are
new since the last briefing are analysed. With ``since`` the briefing also
says what changed (:mod:`newsweave.synthesize.changes`), and the time of the
briefing is recorded for ``--since last``.

:func:`brief_files` splits a set of articles into stories and briefs each one
on its own, so no briefing ever mixes two stories and an undated article's
dates are read against its own story's dates only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from newsweave.config import Settings
from newsweave.errors import NewsweaveError
from newsweave.models import Analysis, Article, Briefing
from newsweave.stories.cache import analyser_version, analysis_from_json, analysis_to_json

__all__ = ["StoryGroup", "brief_files", "brief_story", "cached_analyser", "check_since", "group_articles"]

log = logging.getLogger(__name__)


class StoryGroup:
    """The articles of one story found in a set of files."""

    def __init__(self, story_id: str, articles: list[Article]) -> None:
        self.id = story_id
        self.articles = articles


def cached_analyser(store: Any):  # type: ignore[no-untyped-def]
    """An analyser for :func:`~newsweave.synthesize.briefing.build_briefing` that reads
    the store's analysis cache and analyses (and caches) only what is missing."""
    from newsweave.analyze import analyze_many

    def run(articles: Sequence[Article], refs: dict[str, str], progress: Any = None) -> list[Analysis]:
        version = analyser_version()
        keys = [(a.hash, refs.get(a.id, "") if not a.date else "") for a in articles]
        found = store.cached_analyses(keys, version)
        out: dict[int, Analysis] = {}
        todo = []
        for i, (a, key) in enumerate(zip(articles, keys)):
            hit = found.get(key)
            an = analysis_from_json(a, hit) if hit is not None else None
            if an is None:
                todo.append(i)
            else:
                out[i] = an
        rows = []
        if todo:
            arts = [articles[i] for i in todo]
            for n, (i, an) in enumerate(zip(todo, analyze_many(arts, reference_dates=refs)), 1):
                out[i] = an
                rows.append((keys[i][0], keys[i][1], analysis_to_json(an)))
                if progress:
                    progress("analyse", n, len(todo))
            try:
                store.save_analyses(rows, version)
            except NewsweaveError as exc:  # a read-only store still briefs; it just cannot cache
                log.warning("analyses not cached: %s", exc)
        log.info("analyses: %d from the cache, %d analysed now", len(articles) - len(todo), len(todo))
        return [out[i] for i in range(len(articles))]

    return run


def check_since(value: str) -> str:
    """``last``, or a date / date-time (returned as given).

    Raises:
        ValueError: for anything else, with the accepted forms.
    """
    if value == "last":
        return value
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(
            f"--since {value!r} is invalid; must be 'last' or a date YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SS)"
        ) from None
    return value


def brief_story(store: Any, story_id: str, settings: Settings, *, since: str | None = None,
                progress: Any = None, mark: bool = False) -> Briefing:
    """The briefing of one stored story, from cached analyses.

    Args:
        store: an open store.
        story_id: the story's id (an old id that merged resolves to its story).
        settings: words, embeddings and other knobs.
        since: ``last`` or an ISO date / date-time: adds what changed since then.
            With ``last``, the new articles are those the store placed in the story
            after it was last briefed (all of them if it never was); with a date,
            those published after it (undated ones: stored after it).
        progress: optional callback ``(stage, done, total)``.
        mark: record this as the story's last briefing (for ``--since last``); the CLI
            does, a web page view should not.

    Raises:
        KeyError: when no story has this id.
        ValueError: for a ``since`` that is neither ``last`` nor a date.
    """
    from newsweave.synthesize.briefing import build_briefing
    from newsweave.synthesize.changes import what_changed

    sid = store.resolve_story(story_id)
    if sid is None:
        raise KeyError(story_id)
    articles = store.story_articles(sid)
    if not articles:
        raise KeyError(story_id)
    if since is not None:
        check_since(since)
    analyser = cached_analyser(store)
    briefing = build_briefing(articles, settings.words, settings=settings, progress=progress, analyser=analyser)
    briefing = replace(briefing, story_id=sid)
    if since is not None:
        seqs, last_seq = store.story_arrivals(sid)
        if since == "last":
            label = store.briefed_at(sid) or "the first report"
            old = [a for a in articles if last_seq is not None and seqs.get(a.hash, 0) <= last_seq]
        else:
            label = since
            old = [a for a in articles if (a.published or store.added_at(a.hash) or "")[: len(since)] <= since]
        kept = {a.hash for a in old}
        new = [a.id for a in briefing.articles if a.hash not in kept]
        if old:
            before = build_briefing(old, settings.words, settings=settings, analyser=analyser)
        else:
            before = Briefing(title=briefing.title, sources=(), summary=())
        briefing = replace(briefing, changes=what_changed(before, briefing, label, new))
    if mark:
        try:
            store.mark_briefed(sid)
        except NewsweaveError as exc:
            log.warning("briefing time not recorded: %s", exc)
    return briefing


def group_articles(articles: Sequence[Article], *, model: str = "auto") -> tuple[list[StoryGroup], list[str]]:
    """Split a set of articles into stories for briefing (largest first); and why some were left out.

    Groups are kept apart only when clearly apart (the pair model's ``brief_margin``):
    splitting one story into two briefings costs a reader more than a stray article does.
    """
    from newsweave.stories.assign import cluster_articles, pick_model
    from newsweave.stories.pairs import load_pair_model

    if len(articles) == 1:
        from newsweave.stories.cluster import story_id_for

        return [StoryGroup(story_id_for(articles[0].hash), list(articles))], []
    margin = load_pair_model(pick_model(model)[0].name).brief_margin
    _, placed = cluster_articles(articles, model=model, join_margin=margin)
    groups: dict[str, list[Article]] = {}
    left = []
    for art, a in zip(articles, placed):
        if a.story_id is None:
            left.append(f"{art.path or art.id}: not in any story ({a.reason})")
            continue
        groups.setdefault(a.story_id, []).append(art)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), min(x.date or "9999" for x in kv[1]), kv[0]))
    return [StoryGroup(sid, arts) for sid, arts in ordered], left


def brief_files(
    articles: Sequence[Article], settings: Settings, *, story: str | None = None, progress: Any = None,
    model: str = "auto",
) -> tuple[list[Briefing], list[StoryGroup]]:
    """One briefing per story in a set of articles (or just ``story``).

    Raises:
        KeyError: when ``story`` names none of the stories found (the message lists them).
    """
    from newsweave.synthesize.briefing import build_briefing

    groups, left = group_articles(articles, model=model)
    if not groups:  # nothing could be placed (all too short): brief what there is, as one
        groups = [StoryGroup("s-all", list(articles))]
    if story is not None:
        chosen = [g for g in groups if g.id == story]
        if not chosen:
            raise KeyError(story)
        groups = chosen
    out = []
    for g in groups:
        b = build_briefing(g.articles, settings.words, settings=settings, progress=progress)
        notes = b.notes + tuple(left) if len(groups) == 1 and left else b.notes
        out.append(replace(b, story_id=g.id if len(groups) > 1 or story else None, notes=notes))
    return out, groups
