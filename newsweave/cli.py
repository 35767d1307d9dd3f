"""Command line: one thin command per capability.

Exit codes: 0 all good, 1 some inputs failed (the rest was processed),
2 usage error (bad flag, nothing to read, no such database). Shared flags come
from :func:`_shared`; flags map to :class:`Settings` in :func:`_settings` only.
No traceback reaches a user: :class:`_Guarded` turns every error into one line
on stderr and an exit code (``-v`` adds the traceback of an unexpected one).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from newsweave.config import (
    BRIEFING_MIN_CONFIDENCE,
    ENGINES,
    FORMATS,
    Settings,
    default_db_path,
    load_settings,
)
from newsweave.errors import BadInput, NewsweaveError, StoreNotFound
from newsweave.models import Article

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
log = logging.getLogger("newsweave")


class _Failure(click.ClickException):
    """One line on stderr, ``newsweave: ...``, and an exit code."""

    def __init__(self, message: str, code: int = EXIT_PARTIAL) -> None:
        super().__init__(message)
        self.exit_code = code  # type: ignore[misc]  # click's class default is 1

    def show(self, file: Any = None) -> None:
        click.echo(f"newsweave: {self.format_message()}", err=True)


class _Guarded(click.Group):
    """Every command runs inside this: errors become a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except StoreNotFound as exc:
            raise _Failure(str(exc), EXIT_USAGE) from None
        except NewsweaveError as exc:
            raise _Failure(str(exc)) from None
        except BrokenPipeError:  # `newsweave ... | head`: the reader left; not an error of ours
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (no flush error at exit)
            raise SystemExit(EXIT_PARTIAL) from None
        except MemoryError:
            raise _Failure(
                "ran out of memory; lower --max-article-size, split the input, or free memory"
            ) from None
        except Exception as exc:
            if log.isEnabledFor(logging.DEBUG) or os.environ.get("NEWSWEAVE_DEBUG"):
                import traceback

                traceback.print_exc()
            raise _Failure(
                f"internal error ({type(exc).__name__}: {exc}); this is a bug in newsweave, please report "
                "it with the command you ran (-v shows the details)"
            ) from None


class Batch:
    """Counts what was read and what failed, and reports failures on stderr."""

    def __init__(self, settings: Settings | None = None, quiet: bool = False) -> None:
        self.failed: list[BadInput] = []
        self.read = 0
        self.quiet = quiet
        self.settings = settings if settings is not None else _settings()

    def articles(self, inputs: Iterable[str]) -> Iterator[Article]:
        from newsweave.ingest import read_inputs

        for item in read_inputs(inputs, settings=self.settings):
            if isinstance(item, BadInput):
                self.failed.append(item)
                if not self.quiet:
                    click.echo(f"newsweave: skipped {item}", err=True)
            else:
                self.read += 1
                yield item

    @property
    def exit_code(self) -> int:
        return EXIT_PARTIAL if self.failed else EXIT_OK

    def finish(self, what: str = "articles") -> None:
        if self.failed and not self.quiet:
            click.echo(
                f"newsweave: {self.read} {what} read, {len(self.failed)} input(s) failed (see above)",
                err=True,
            )


_READING_KEY = "newsweave.reading"


def _settings(**flags: Any) -> Settings:
    """The only place CLI flags become settings (reading flags included)."""
    ctx = click.get_current_context(silent=True)
    reading = ctx.meta.get(_READING_KEY, {}) if ctx is not None else {}
    try:
        return load_settings(**{**reading, **flags})
    except (ValueError, NewsweaveError) as exc:
        raise click.UsageError(str(exc)) from None


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Reading flags go to ``ctx.meta``, so commands need no parameter for them."""
    if value is not None and param.name:
        ctx.meta.setdefault(_READING_KEY, {})[param.name] = value
    return value


def _reading(*, urls: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Flags that bound reading: --max-article-size, and for URLs the URL policy."""
    opts = [
        click.option(
            "--max-article-size", metavar="SIZE", default=None, expose_value=False, callback=_remember,
            help="Refuse any one article (file, stdin, JSONL line, page) larger than SIZE (default 10MB).",
        )
    ]
    if urls:
        opts += [
            click.option(
                "--allow-private-urls", is_flag=True, default=None, expose_value=False, callback=_remember,
                help="Fetch URLs on loopback, private and link-local addresses (your own servers).",
            ),
            click.option(
                "--fetch-deadline", metavar="SECONDS", type=click.FloatRange(min=0, min_open=True),
                default=None, expose_value=False, callback=_remember,
                help="Give up on a URL after SECONDS in all, however slowly it arrives (default 30).",
            ),
        ]

    def deco(f: Callable[..., Any]) -> Callable[..., Any]:
        for opt in reversed(opts):
            f = opt(f)
        return f

    return deco


def _shared(*options: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Shared flags, defined once: --json, --format, --db, --words, -o, and the
    reading flags ("reading": with the URL policy; "size": the size limit only)."""
    defs: dict[str, Callable[[Callable[..., Any]], Callable[..., Any]]] = {
        "json": click.option("--json", "as_json", is_flag=True, help="Print JSON for other tools."),
        "format": click.option(
            "--format", "fmt", type=click.Choice(FORMATS), default=None, help="Output format (default: markdown)."
        ),
        "db": click.option(
            "--db",
            type=click.Path(dir_okay=False),
            default=None,
            help="SQLite file or postgresql://USER@HOST:PORT/DB URL (default: $NEWSWEAVE_DB or the user data dir).",
        ),
        "words": click.option("--words", type=click.IntRange(min=1), default=None, help="Summary length in words."),
        "output": click.option(
            "-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, help="Write to FILE."
        ),
        "engine": click.option(
            "--engine", type=click.Choice(ENGINES), default=None,
            help="Run on this machine (local, default) or on a Dask cluster (dask).",
        ),
        "workers": click.option(
            "--workers", type=click.IntRange(min=0), default=None,
            help="Worker processes (0: one per core; default 1). Pays off past a few hundred articles.",
        ),
        "scheduler": click.option(
            "--scheduler", default=None, metavar="ADDRESS",
            help="A running Dask scheduler (tcp://host:8786) instead of a local cluster; implies --engine dask.",
        ),
        "reading": _reading(urls=True),
        "size": _reading(urls=False),
    }

    def deco(f: Callable[..., Any]) -> Callable[..., Any]:
        for name in reversed(options):
            f = defs[name](f)
        return f

    return deco


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"newsweave: wrote {output}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _progress() -> Callable[[str, int, int], None] | None:
    """A progress line on a terminal's stderr; silent in pipes."""
    if not sys.stderr.isatty():
        return None

    def report(stage: str, done: int, total: int) -> None:
        end = "\n" if done >= total and stage != "analyse" else ""
        click.echo(f"\r{stage}: {done}/{total}   ", err=True, nl=False)
        if end:
            click.echo("\r" + " " * 40 + "\r", err=True, nl=False)

    return report


def _one_text_file(path: str, settings: Settings) -> Article:
    """Read a single regular file as text exactly (for offset contracts), within the size limit."""
    from newsweave.ingest.decode import decode
    from newsweave.ingest.files import display_path, open_regular, read_capped
    from newsweave.ingest.text import parse_text

    where = display_path(path)
    with open_regular(path, where) as fh:
        try:
            data = read_capped(fh, settings.max_article_size, where)
        except OSError as exc:
            raise BadInput(f"cannot be read ({exc.strerror}); check the file", where) from None
    return parse_text(decode(data, where), path=where)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="newsweave")
@click.option("-v", "--verbose", is_flag=True, help="Log progress and decisions to stderr.")
def main(verbose: bool) -> None:
    """newsweave: cited briefings from many news articles about the same events.

    \b
    Examples:
      newsweave brief examples/harbor-strike/
      newsweave brief ../shared/seeds/ --format html -o aleppo.html
      newsweave add ../shared/seeds/ --db news.db && newsweave search "ceasefire Iran" --db news.db
      newsweave summarize story.jsonl --words 110
      newsweave quotes article.txt --json
      newsweave dates article.txt --reference-date 2016-12-14 --json
      newsweave stories mixed.jsonl --json
      newsweave watch feeds.txt --db news.db --every 15m
      newsweave serve --db news.db
    """
    # One BLAS thread per process (unless the user chose): spaCy's matrices are small, spaCy
    # itself multiplies them on one thread, and --workers/Dask run one process per core. It also
    # lets the parse use numpy's faster BLAS kernels (newsweave.analyze.nlp.one_blas_thread).
    # Set before anything imports numpy, which reads it once.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="newsweave: %(message)s")
    if verbose:  # our own decisions, not every library's chatter
        for noisy in ("httpcore", "httpx", "charset_normalizer", "trafilatura", "htmldate", "courlan"):
            logging.getLogger(noisy).setLevel(logging.WARNING)


@main.command()
@click.argument("inputs", nargs=-1)
@_shared("words", "format", "db", "output", "reading")
@click.option("--query", "-q", default=None, help="With --db and no INPUT: brief the stored articles matching QUERY.")
@click.option("--story", "story", default=None, help="Brief only this story (an id from 'newsweave stories').")
@click.option("--since", default=None, help="With --db --story: also say what changed since DATE, or 'last' (the last briefing).")
@click.option(
    "--embeddings/--no-embeddings",
    default=None,
    help="Align facts with MiniLM sentence embeddings (needs the 'embed' extra; default: word overlap).",
)
def brief(
    inputs: tuple[str, ...],
    words: int | None,
    fmt: str | None,
    db: str | None,
    output: str | None,
    query: str | None,
    story: str | None,
    since: str | None,
    embeddings: bool | None,
) -> None:
    """Write the cited briefing of each story in INPUT... (files, folders, globs, URLs, -).

    Inputs holding several stories give one briefing per story (JSON: {"stories": [...]});
    --story ID picks one. With no INPUT and --db, briefs the stored stories (or --story ID,
    whose analyses are cached in the store; --since DATE|last adds what changed).

    \b
    Example:
      newsweave brief examples/harbor-strike/ --words 120
      newsweave brief ../shared/seeds/ --format html -o aleppo.html
      newsweave brief --db news.db --story s3f2a9c01d4e7 --since last
    """
    from newsweave.stories.briefs import brief_files

    settings = _settings(words=words, format=fmt, db=db, embeddings=embeddings)
    if since is not None and not (story and not inputs):
        raise click.UsageError("--since needs --db and --story ID: it compares one stored story with itself")
    batch = Batch(settings)
    if inputs:
        articles = list(batch.articles(inputs))
    elif db or query or story:
        with _open_store(settings.db, create=False) as store:
            if story:
                _brief_stored_story(store, story, settings, since, output)
                return
            if query:
                ids = [h.article_id for h in store.search(query, limit=200)]
                articles = list(store.articles(ids))
            else:
                _brief_stored(store, settings, output)
                return
        if not articles:
            where = settings.db or default_db_path()
            what = f"no stored article matches {query!r}"
            hint = f"try other words; newsweave search {query!r} --db {where} shows what matches"
            click.echo(f"newsweave: {what}; nothing to brief ({hint})", err=True)
            sys.exit(EXIT_PARTIAL)
    else:
        raise click.UsageError("give INPUT files/folders to brief, or --db to brief stored articles")
    batch.finish()
    if not articles:
        click.echo("newsweave: no readable articles; nothing to brief", err=True)
        sys.exit(EXIT_PARTIAL if batch.failed else EXIT_USAGE)
    try:
        # Grouping a folder needs no MiniLM unless asked for: its stories are far apart
        # (the pair model's brief margin), and loading the model would add about a second to every brief.
        grouping = "lexical" if settings.story_model == "auto" else settings.story_model
        briefings, groups = brief_files(articles, settings, story=story, progress=_progress(), model=grouping)
    except KeyError:
        from newsweave.stories.briefs import group_articles

        found = ", ".join(g.id for g in group_articles(articles, model=grouping)[0])
        raise click.UsageError(f"--story {story!r} is not among the stories of these inputs: {found}") from None
    _emit_briefings(briefings, settings, output)
    sys.exit(batch.exit_code)


def _emit_briefings(briefings: list[Any], settings: Settings, output: str | None) -> None:
    """One briefing as itself; several as {"stories": [...]} / one after another."""
    if len(briefings) == 1:
        _emit_one(briefings[0], settings, output)
        return
    if settings.format == "json":
        from newsweave.render.json import to_dict

        _write(json.dumps({"stories": [to_dict(b) for b in briefings]}, ensure_ascii=False, indent=2) + "\n", output)
    elif settings.format == "html":
        from newsweave.render.html import to_html

        if not output:
            raise click.UsageError(
                f"these inputs hold {len(briefings)} stories and an HTML briefing is one page per story: "
                "pass -o FILE.html (writes FILE.html listing them and FILE-ID.html per story), or --story ID"
            )
        base = Path(output)
        links = []
        for b in briefings:
            page = base.with_name(f"{base.stem}-{b.story_id}{base.suffix or '.html'}")
            page.write_text(to_html(b), encoding="utf-8")
            links.append(f'<li><a href="{page.name}">{_html_escape(b.title)}</a> ({len(b.articles)} articles)</li>')
        _write(
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Stories · newsweave</title></head>'
            f"<body><h1>{len(briefings)} stories</h1><ol>{''.join(links)}</ol></body></html>\n",
            output,
        )
    else:
        from newsweave.render.markdown import to_markdown

        parts = [f"<!-- story {b.story_id} -->\n{to_markdown(b)}" for b in briefings]
        text = f"# {len(briefings)} stories\n\n" + "\n---\n\n".join(parts)
        if output:
            _write(text, output)
        else:
            from newsweave.render.markdown import print_briefing

            click.echo(f"# {len(briefings)} stories\n")
            for n, b in enumerate(briefings):
                if n:
                    click.echo("\n---\n")
                print_briefing(b, sys.stdout)


def _html_escape(text: str | None) -> str:
    import html

    return html.escape(text or "Briefing")


def _emit_one(briefing: Any, settings: Settings, output: str | None) -> None:
    if settings.format == "json":
        from newsweave.render.json import to_json

        _write(to_json(briefing), output)
    elif settings.format == "html":
        from newsweave.render.html import to_html

        _write(to_html(briefing), output)
    elif output:
        from newsweave.render.markdown import to_markdown

        _write(to_markdown(briefing), output)
    else:
        from newsweave.render.markdown import print_briefing

        print_briefing(briefing, sys.stdout)


def _needs_stories(store: Any) -> None:
    """Stop with a clear message when the store has no story tables."""
    from newsweave.store import StoryStore

    if not isinstance(store, StoryStore):
        raise click.UsageError(f"{store.path} keeps articles only: this store has no story tables")


def _brief_stored_story(store: Any, story: str, settings: Settings, since: str | None, output: str | None) -> None:
    from newsweave.stories.assign import assign_pending
    from newsweave.stories.briefs import brief_story, check_since

    _needs_stories(store)
    assign_pending(store, model=settings.story_model)
    sid = store.resolve_story(story)
    if sid is None:
        raise click.UsageError(f"no story {story!r} in {store.path}; list them with: newsweave stories --db {store.path}")
    if since is not None:
        try:
            check_since(since)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        if since == "last" and store.briefed_at(sid) is None:
            click.echo(f"newsweave: story {sid} was never briefed before; showing it all as new", err=True)
    _emit_one(brief_story(store, sid, settings, since=since, progress=_progress(), mark=True), settings, output)


def _brief_stored(store: Any, settings: Settings, output: str | None) -> None:
    from newsweave.stories.assign import assign_pending
    from newsweave.stories.briefs import brief_story

    _needs_stories(store)
    assign_pending(store, model=settings.story_model)
    rows = store.stories()
    if not rows:
        click.echo(f"newsweave: {store.path} holds no stories; add articles with: newsweave add FILES --db {store.path}",
                   err=True)
        sys.exit(EXIT_USAGE)
    _emit_briefings([brief_story(store, r.id, settings, progress=_progress()) for r in rows], settings, output)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_shared("words", "reading")
def summarize(inputs: tuple[str, ...], words: int | None) -> None:
    """Print the story's summary as plain text: no citation marks, at most N words.

    \b
    Example:
      newsweave summarize story.jsonl --words 110
    """
    from newsweave.analyze.sentences import split_sentences
    from newsweave.synthesize.summary import plain_summary

    settings = _settings(words=words)
    batch = Batch(settings)
    articles = list(batch.articles(inputs))
    batch.finish()
    if articles:
        sents = {a.id: split_sentences(a) for a in articles}
        click.echo(plain_summary(articles, sents, settings.words))
    sys.exit(batch.exit_code if articles else (EXIT_PARTIAL if batch.failed else EXIT_USAGE))


def _open_store(db: str | None, *, create: bool = True):  # type: ignore[no-untyped-def]
    """The store at ``db`` (a SQLite path or a postgresql:// URL; else the default path);
    ``create=False`` for commands that only read.

    Errors (no such database, damaged, locked, refused) reach :class:`_Guarded` as StoreError.
    """
    from newsweave.store import open_store

    return open_store(db or default_db_path(), create=create)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_shared("db", "json", "reading", "engine", "workers", "scheduler")
@click.option("--story-model", type=click.Choice(["auto", "lexical", "embed"]), default=None,
              help="Story clustering model for a new database (default auto: MiniLM when installed).")
def add(
    inputs: tuple[str, ...], db: str | None, as_json: bool, engine: str | None, workers: int | None,
    scheduler: str | None, story_model: str | None,
) -> None:
    """Add articles to the database and place them in stories (idempotent: re-adding changes nothing).

    INPUT is files, folders, globs, URLs or - (text, HTML, feeds, JSONL, Parquet).
    With --engine dask the work runs on a Dask cluster in partitions; each
    partition is stored whole or, if it fails, not at all (run again to retry).

    \b
    Example:
      newsweave add ../shared/seeds/ examples/harbor-strike/ --db news.db
      newsweave add 'archive/*.parquet' --db postgresql://me@db:5432/news --engine dask --workers 8
    """
    from newsweave.run.local import chunked
    from newsweave.store import StoryStore
    from newsweave.stories.assign import AssignReport, assign_pending

    settings = _settings(db=db, engine=engine, workers=workers, scheduler=scheduler, story_model=story_model)
    store = _open_store(settings.db)
    batch = Batch(settings)
    result = None
    try:
        if settings.engine == "local" and settings.workers == 1 and not settings.scheduler:
            # Each article is stored with its sentences and index row, atomically; the
            # same text again under another id or outlet is kept as a republished copy.
            # A database failure (locked, damaged, disk full) is reported by _Guarded.
            for chunk in chunked(batch.articles(inputs), 500):
                done = store.add(chunk)
                result = done if result is None else result + done
                if done.skipped_existing and isinstance(store, StoryStore):
                    store.record_copies(chunk)  # type: ignore[attr-defined]
            # Stories are placed in this process: the call's new articles as one set.
            placed = (assign_pending(store, model=settings.story_model) if isinstance(store, StoryStore)
                      else AssignReport())
        else:
            # The workers prepare; this process stores and places as partitions land.
            result, placed = _add_on_engine(store, batch.articles(inputs), settings)
    finally:
        store.close()
    batch.finish()
    if result is None:
        from newsweave.store import AddResult

        result = AddResult()
    summary = {
        "added": result.added,
        "already_stored": result.skipped_existing,
        "failed": len(batch.failed) + result.failed,
        "db": str(store.path),
        "stories_new": len(placed.new_stories),
        "stories_grown": len([s for s in placed.grown if s not in placed.new_stories]),
        "unassigned": len(placed.unassigned),
    }
    if as_json:
        click.echo(json.dumps(summary))
    else:
        click.echo(
            f"{summary['added']} added, {summary['already_stored']} already stored, "
            f"{summary['failed']} failed -> {summary['db']}; stories: {summary['stories_new']} new, "
            f"{summary['stories_grown']} grew"
        )
    for err in result.errors:
        click.echo(f"newsweave: not stored {err}", err=True)
    for aid, reason in placed.unassigned:
        click.echo(f"newsweave: stored but in no story: {aid} ({reason})", err=True)
    sys.exit(EXIT_PARTIAL if summary["failed"] else EXIT_OK)


def _add_on_engine(store: Any, articles: Iterable[Article], settings: Settings) -> tuple[Any, Any]:
    """``add`` with partitions prepared by the engine's workers (see newsweave.load):
    sentences and story representations come from the workers; this process writes each
    partition and places stories (sets in arrival order), holding the store's placer lock."""
    from functools import partial

    from newsweave.load import add_articles, prepare_partition, story_worker_setup
    from newsweave.run import make_engine
    from newsweave.stories.assign import Placer

    show = _progress()

    def progress(r: Any) -> None:  # the total is unknown while streaming: the line stays until the end
        if show:
            n = r.added + r.skipped_existing + r.failed
            show("add", n, n + 1)

    with store.placing():
        placer = Placer(store, model=settings.story_model)
        setup = partial(story_worker_setup, embed=placer.embeds)
        with make_engine(settings.engine, workers=settings.workers, scheduler=settings.scheduler,
                         setup=setup) as engine:  # fmt: skip
            result = add_articles(store, articles, engine, task=partial(prepare_partition, embed=placer.embeds),
                                  progress=progress, placer=placer)  # fmt: skip
        report = placer.finish()
    if show:
        show("add", 1, 1)  # clears the line
    return result, report


@main.command()
@click.argument("query")
@_shared("db", "json")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True)
def search(query: str, db: str | None, as_json: bool, limit: int) -> None:
    """Full-text search of stored articles, ranked by BM25, with snippets.

    \b
    Example:
      newsweave search "ceasefire Iran" --db news.db
    """
    settings = _settings(db=db)
    if not query.strip():
        raise click.UsageError('the search query is empty; give some words, e.g. newsweave search "harbour strike"')
    # Private markers, turned into bold on a terminal and **word** in pipes.
    mark = ("\x02", "\x03")
    with _open_store(settings.db, create=False) as store:
        hits = store.search(query, limit=limit, highlight=mark)
    if as_json:
        from dataclasses import asdict

        rows = [asdict(h) | {"snippet": h.snippet.replace(mark[0], "**").replace(mark[1], "**")} for h in hits]
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not hits:
        click.echo("no matches")
    tty = sys.stdout.isatty()
    on, off = ("\x1b[1m", "\x1b[0m") if tty else ("**", "**")
    for n, h in enumerate(hits, 1):
        meta = " · ".join(x for x in (h.source, h.published and h.published[:10]) if x)
        click.echo(f"{n}. {h.title or h.article_id}  [{meta}]  id={h.article_id}")
        click.echo(f"   {h.snippet.replace(mark[0], on).replace(mark[1], off)}")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_shared("json", "output", "reading", "engine", "workers", "scheduler")
def analyze(
    inputs: tuple[str, ...], as_json: bool, output: str | None, engine: str | None, workers: int | None,
    scheduler: str | None,
) -> None:
    """Per-article analysis: sentences, entities, quotes, figures, dates, with offsets.

    \b
    Example:
      newsweave analyze ../shared/seeds/ --json -o analysis.jsonl
      newsweave analyze 'archive/*.jsonl' --engine dask --workers 4 --json -o analysis.jsonl
    """
    from contextlib import ExitStack

    from newsweave.analyze import analysis_json, analyze_many, warm_up
    from newsweave.run import make_engine

    settings = _settings(workers=workers, engine=engine, scheduler=scheduler)
    batch = Batch(settings)
    failed: list[str] = []

    def partition_failed(i: int, chunk: list[Article], exc: BaseException) -> None:
        where = chunk[0].path or chunk[0].id
        failed.append(f"partition {i + 1} ({where} and {len(chunk) - 1} more) failed on the workers ({exc})")
        click.echo(f"newsweave: {failed[-1]}; not analysed", err=True)

    progress = _progress()
    with ExitStack() as stack:
        cluster = None
        if settings.engine == "dask" or settings.scheduler:
            # A cluster that cannot start is reported by _Guarded (DaskError, MissingExtra).
            cluster = stack.enter_context(
                make_engine("dask", workers=settings.workers, scheduler=settings.scheduler, setup=warm_up)
            )
        out = stack.enter_context(open(output, "w", encoding="utf-8")) if output else sys.stdout
        stream = analyze_many(batch.articles(inputs), n_process=settings.workers, engine=cluster,
                              on_failure=partition_failed if cluster is not None else None)  # fmt: skip
        for n, an in enumerate(stream, 1):
            if as_json:
                out.write(json.dumps(analysis_json(an), ensure_ascii=False) + "\n")
            else:
                out.write(
                    f"{an.article.path or an.article.id}: {len(an.sentences)} sentences, "
                    f"{len(an.entities)} entities, {len(an.quotes)} quotes, "
                    f"{len(an.figures)} figures, {len(an.timexes)} dates\n"
                )
            if progress:
                progress("analyse", n, max(n, 1))
    batch.finish()
    sys.exit(EXIT_PARTIAL if failed else batch.exit_code)


@main.command()
@_shared("db")
@click.option("--format", "fmt", type=click.Choice(("parquet", "jsonl")), default="parquet", show_default=True,
              help="File format of the tables.")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, writable=True),
              help="Folder to write articles.FORMAT, sentences.FORMAT and assignments.FORMAT into.")
def export(db: str | None, fmt: str, output: str) -> None:
    """Write the stored articles, their sentences and their stories as tables for other tools.

    articles.parquet (or .jsonl) holds the JSONL input columns plus the content
    hash, so it can be added to another store as it is; sentences has one row
    per sentence with its offsets and text; assignments has each placed
    article's id and its story's id.

    \b
    Example:
      newsweave export --db news.db --format parquet -o news-tables/
      duckdb -c "SELECT source, count(*) FROM 'news-tables/articles.parquet' GROUP BY 1"
      duckdb -c "SELECT story_id, count(*) FROM 'news-tables/assignments.parquet' GROUP BY 1"
    """
    from newsweave.export import export_store

    settings = _settings(db=db)
    show = _progress()
    with _open_store(settings.db, create=False) as store:
        counts = export_store(store, output, fmt, progress=(lambda n: show("export", n, n + 1)) if show else None)
    if show:
        show("export", 1, 1)  # clears the line
    parts = ", ".join(f"{n} {table}" for table, n in counts.items())
    click.echo(f"{parts} -> {output}")


def _per_file(path: str, fn: Callable[[Article], Any]) -> None:
    """Print ``fn(article)`` as JSON; an unreadable or empty file prints ``[]``
    (so the output always parses) and exits 1 with the reason on stderr."""
    try:
        article = _one_text_file(path, _settings())
    except BadInput as exc:
        click.echo(f"newsweave: {exc}", err=True)
        click.echo("[]")
        sys.exit(EXIT_PARTIAL)
    click.echo(json.dumps(fn(article), ensure_ascii=False))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_shared("json", "size")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
              help=f"Leave out attributions whose confidence is below this (the briefing uses "
                   f"{BRIEFING_MIN_CONFIDENCE}).")
def quotes(file: str, as_json: bool, min_confidence: float) -> None:
    """Quotes and reported speech in FILE: content, source, cue spans, speaker, stance, confidence.

    Prints a JSON list (offsets are code points into the file's text). Stance is
    asserts, denies, rejects, accuses or questions; confidence is the estimated
    probability that content and speaker are both right.

    \b
    Example:
      newsweave quotes article.txt --json --min-confidence 0.6
    """
    from newsweave.analyze.quotes import quotes_json

    _per_file(file, lambda a: quotes_json(a, min_confidence=min_confidence))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--reference-date", default=None, help="Publication date YYYY-MM-DD (default: the file's date line).")
@_shared("json", "size")
def dates(file: str, reference_date: str | None, as_json: bool) -> None:
    """Temporal expressions in FILE as TimeML TIMEX3 (type and value).

    \b
    Example:
      newsweave dates article.txt --reference-date 2016-12-14 --json
    """
    from newsweave.analyze.timex import dates_json

    if reference_date is not None:
        from datetime import date

        try:
            date.fromisoformat(reference_date)
        except ValueError:
            raise click.BadParameter("must be YYYY-MM-DD, e.g. 2016-12-14", param_hint="--reference-date") from None
    _per_file(file, lambda a: dates_json(a.text, reference_date or a.date))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_shared("json", "size")
def figures(file: str, as_json: bool) -> None:
    """Figures in FILE: numbers that count something, qualifier, what, who said it.

    \b
    Example:
      newsweave figures article.txt --json
    """
    from newsweave.analyze.figures import figures_json

    _per_file(file, figures_json)


@main.command()
@click.argument("inputs", nargs=-1)
@_shared("db", "json", "reading")
@click.option("--since", default=None, help="With --db: only stories that grew since DATE (YYYY-MM-DD[THH:MM]).")
@click.option("--query", "-q", default=None, help="With --db: only stories with an article matching QUERY.")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=None, help="At most N stories.")
@click.option("--story-model", type=click.Choice(["auto", "lexical", "embed"]), default=None,
              help="Story clustering model (default auto: MiniLM when installed).")
def stories(
    inputs: tuple[str, ...], db: str | None, as_json: bool, since: str | None, query: str | None,
    limit: int | None, story_model: str | None,
) -> None:
    """Group articles into stories: INPUT... files, or everything stored with --db.

    --json prints a JSON object mapping each article id (the JSONL id, else the content
    hash) to its story id; story ids in a database are stable from one call to the next.
    Without --json, a table: title, articles, outlets, independent reports, dates.

    \b
    Example:
      newsweave stories ../shared/data/allsides/dev.jsonl --json
      newsweave stories --db news.db --since 2026-03-01 --query strike
    """
    settings = _settings(db=db, story_model=story_model)
    if inputs:
        from newsweave.stories.assign import cluster_articles

        if since or query:
            raise click.UsageError("--since and --query filter a database's stories; use them with --db, not INPUT")
        batch = Batch(settings)
        articles = list(batch.articles(inputs))
        batch.finish()
        mapping, placed = cluster_articles(articles, model=settings.story_model)
        for a in placed:
            if a.story_id is None:
                click.echo(f"newsweave: in no story: {a.article_id} ({a.reason})", err=True)
        if as_json:
            click.echo(json.dumps(mapping, ensure_ascii=False))
        else:
            _story_table(_rows_from_files(articles, placed)[:limit] if limit else _rows_from_files(articles, placed))
        sys.exit(batch.exit_code if articles else (EXIT_PARTIAL if batch.failed else EXIT_USAGE))
    from newsweave.stories.assign import assign_pending

    with _open_store(settings.db, create=False) as store:  # failures reach _Guarded
        _needs_stories(store)
        assign_pending(store, model=settings.story_model)
        if as_json:
            click.echo(json.dumps(store.assignments(), ensure_ascii=False))
            return
        rows = store.stories(since=since, query=query, limit=limit)
    _story_table(rows)


def _rows_from_files(articles: list[Article], placed: list[Any]) -> list[Any]:
    from collections import defaultdict

    from newsweave.models import StoryRow

    groups: dict[str, list[Article]] = defaultdict(list)
    for art, a in zip(articles, placed):
        if a.story_id:
            groups[a.story_id].append(art)
    rows = []
    for sid, arts in groups.items():
        dates = sorted(a.date for a in arts if a.date)
        outlets = tuple(dict.fromkeys(a.source for a in arts if a.source))
        title = next((a.title for a in arts if a.title), None)
        rows.append(StoryRow(sid, title, len(arts), outlets, len({a.hash for a in arts}),
                             dates[0] if dates else None, dates[-1] if dates else None, None))
    return sorted(rows, key=lambda r: (-r.articles, r.id))


def _story_table(rows: list[Any]) -> None:
    if not rows:
        click.echo("no stories")
        return
    click.echo(f"{'story':<14} {'arts':>4} {'indep':>5} {'first':<10} {'last':<10} {'updated':<16}  title · outlets")
    for r in rows:
        outlets = ", ".join(r.outlets[:4]) + (f" +{len(r.outlets) - 4}" if len(r.outlets) > 4 else "")
        title = (r.title or "(untitled)").replace("\n", " ")
        title = title if len(title) <= 70 else title[:69] + "…"
        click.echo(
            f"{r.id:<14} {r.articles:>4} {r.independent:>5} {r.first_date or '-':<10} {r.last_date or '-':<10} "
            f"{(r.updated_at or '-')[:16]:<16}  {title} · {outlets}"
        )


@main.command()
@click.argument("feeds_file", type=click.Path(dir_okay=False))
@_shared("db", "reading")
@click.option("--every", default="15m", show_default=True, help="Time between rounds: 30s, 15m, 2h ...")
@click.option("--once", is_flag=True, help="Poll every feed once, then stop.")
@click.option("--host-delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Least seconds between two requests to the same host.")
@click.option("--story-model", type=click.Choice(["auto", "lexical", "embed"]), default=None,
              help="Story clustering model for a new database (default auto: MiniLM when installed).")
def watch(feeds_file: str, db: str | None, every: str, once: bool, host_delay: float, story_model: str | None) -> None:
    """Keep the database current from the RSS/Atom feeds listed in FEEDS_FILE (one URL a line).

    Each round polls the feeds (conditional GET), fetches new article pages, stores them,
    places them in stories and prints what changed. Ctrl-C or SIGTERM stops cleanly; the
    next run resumes where this one stopped. A failing feed is retried with back-off.

    \b
    Example:
      newsweave watch feeds.txt --db news.db --every 15m
      newsweave watch feeds.txt --db news.db --once
    """
    from newsweave.stories.watch import Watcher, parse_every, read_feed_list

    settings = _settings(db=db, story_model=story_model)
    try:
        seconds = parse_every(every)
        urls, bad = read_feed_list(feeds_file)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    except BadInput as exc:
        raise click.ClickException(str(exc)) from None
    for line in bad:
        click.echo(f"newsweave: skipped {line}", err=True)
    if not urls:
        raise click.UsageError(f"{feeds_file} lists no feed URLs; put one http(s) URL per line")
    with _open_store(settings.db) as store:  # failures reach _Guarded
        _needs_stories(store)
        Watcher(store, urls, every=seconds, host_delay=host_delay, model=settings.story_model,
                echo=lambda line: click.echo(line), settings=settings).run(once=once)
    sys.exit(EXIT_PARTIAL if bad else EXIT_OK)


@main.command()
@_shared("db", "words")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes every stored article.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port (0 picks a free one and prints it).")
@click.option("--token", envvar="NEWSWEAVE_TOKEN", default=None, show_envvar=True,
              help="Allow POST /api/articles with 'Authorization: Bearer TOKEN' (default: every write refused). "
                   "Prefer the environment variable: a flag shows in the process list.")
@click.option("--poll", type=click.FloatRange(min=1), default=30.0, show_default=True,
              help="Seconds between an open story page's checks for new articles.")
def serve(db: str | None, words: int | None, host: str, port: int, token: str | None, poll: float) -> None:
    """Serve the stored stories in a browser, with a JSON twin for every page.

    Pages: / (stories), /stories/ID, /articles/KEY, /search?q=; add .json to
    any of them (/index.json for /) for the data. API: POST /api/articles
    (needs --token), /api/openapi.json. Needs the 'web' extra.

    \b
    Example:
      newsweave add ../shared/seeds/ examples/harbor-strike/ --db news.db
      newsweave serve --db news.db            # then open http://127.0.0.1:8000/
    """
    from newsweave.web.server import serve as run_server

    settings = _settings(db=db, words=words)
    try:
        run_server(settings.db or default_db_path(), host=host, port=port, token=token, settings=settings,
                   poll_seconds=poll)
    except NewsweaveError as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
