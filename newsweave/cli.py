"""Command line: one thin command per capability.

Exit codes: 0 all good, 1 some inputs failed (the rest was processed),
2 usage error (bad flag, nothing to read). Shared flags come from
:func:`_shared`; flags map to :class:`Settings` in :func:`_settings` only.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from newsweave.config import FORMATS, Settings, default_db_path, load_settings
from newsweave.errors import BadInput, NewsweaveError
from newsweave.models import Article

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class Batch:
    """Counts what was read and what failed, and reports failures on stderr."""

    def __init__(self, quiet: bool = False) -> None:
        self.failed: list[BadInput] = []
        self.read = 0
        self.quiet = quiet

    def articles(self, inputs: Iterable[str]) -> Iterator[Article]:
        from newsweave.ingest import read_inputs

        for item in read_inputs(inputs):
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


def _settings(**flags: Any) -> Settings:
    """The only place CLI flags become settings."""
    try:
        return load_settings(**flags)
    except (ValueError, NewsweaveError) as exc:
        raise click.UsageError(str(exc)) from None


def _shared(*options: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Shared flags, defined once: --json, --format, --db, --words, -o."""
    defs = {
        "json": click.option("--json", "as_json", is_flag=True, help="Print JSON for other tools."),
        "format": click.option(
            "--format", "fmt", type=click.Choice(FORMATS), default=None, help="Output format (default: markdown)."
        ),
        "db": click.option(
            "--db",
            type=click.Path(dir_okay=False),
            default=None,
            help="SQLite database (default: $NEWSWEAVE_DB or the user data dir).",
        ),
        "words": click.option("--words", type=click.IntRange(min=1), default=None, help="Summary length in words."),
        "output": click.option(
            "-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, help="Write to FILE."
        ),
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


def _one_text_file(path: str) -> Article:
    """Read a single file as text exactly (for offset contracts)."""
    from newsweave.ingest.decode import decode
    from newsweave.ingest.text import parse_text

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot be read ({exc.strerror})", path) from None
    return parse_text(decode(data, path), path=path)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
      newsweave serve --db news.db
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="newsweave: %(message)s")


@main.command()
@click.argument("inputs", nargs=-1)
@_shared("words", "format", "db", "output")
@click.option("--query", "-q", default=None, help="With --db and no INPUT: brief the stored articles matching QUERY.")
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
    embeddings: bool | None,
) -> None:
    """Write the cited briefing of the story in INPUT... (files, folders, globs, URLs, -).

    With no INPUT and --db, briefs the stored articles (all, or those matching --query).

    \b
    Example:
      newsweave brief examples/harbor-strike/ --words 120
      newsweave brief ../shared/seeds/ --format html -o aleppo.html
    """
    from newsweave.synthesize.briefing import build_briefing

    settings = _settings(words=words, format=fmt, db=db, embeddings=embeddings)
    batch = Batch()
    if inputs:
        articles = list(batch.articles(inputs))
    elif db or query:
        store = _open_store(settings.db)
        if query:
            ids = [h.article_id for h in store.search(query, limit=200)]
            articles = list(store.articles(ids))
        else:
            articles = list(store.articles())
    else:
        raise click.UsageError("give INPUT files/folders to brief, or --db to brief stored articles")
    batch.finish()
    if not articles:
        click.echo("newsweave: no readable articles; nothing to brief", err=True)
        sys.exit(EXIT_PARTIAL if batch.failed else EXIT_USAGE)
    briefing = build_briefing(articles, settings.words, settings=settings, progress=_progress())
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
    sys.exit(batch.exit_code)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_shared("words")
def summarize(inputs: tuple[str, ...], words: int | None) -> None:
    """Print the story's summary as plain text: no citation marks, at most N words.

    \b
    Example:
      newsweave summarize story.jsonl --words 110
    """
    from newsweave.analyze.sentences import split_sentences
    from newsweave.synthesize.summary import plain_summary

    settings = _settings(words=words)
    batch = Batch()
    articles = list(batch.articles(inputs))
    batch.finish()
    if articles:
        sents = {a.id: split_sentences(a) for a in articles}
        click.echo(plain_summary(articles, sents, settings.words))
    sys.exit(batch.exit_code if articles else (EXIT_PARTIAL if batch.failed else EXIT_USAGE))


def _open_store(db: str | None):  # type: ignore[no-untyped-def]
    from newsweave.store import Store

    try:
        return Store.open(db or default_db_path())
    except NewsweaveError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_shared("db", "json")
def add(inputs: tuple[str, ...], db: str | None, as_json: bool) -> None:
    """Add articles to the database (idempotent: re-adding changes nothing).

    \b
    Example:
      newsweave add ../shared/seeds/ examples/harbor-strike/ --db news.db
    """
    settings = _settings(db=db)
    store = _open_store(settings.db)
    batch = Batch()
    try:
        # Each article is stored with its sentences and index row, atomically.
        result = store.add(batch.articles(inputs))
    except NewsweaveError as exc:  # the database failed (locked, disk full)
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    batch.finish()
    summary = {
        "added": result.added,
        "already_stored": result.skipped_existing,
        "failed": len(batch.failed) + result.failed,
        "db": str(store.path),
    }
    if as_json:
        click.echo(json.dumps(summary))
    else:
        click.echo(
            f"{summary['added']} added, {summary['already_stored']} already stored, "
            f"{summary['failed']} failed -> {summary['db']}"
        )
    for err in result.errors:
        click.echo(f"newsweave: not stored {err}", err=True)
    sys.exit(EXIT_PARTIAL if summary["failed"] else EXIT_OK)


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
    store = _open_store(settings.db)
    # Private markers, turned into bold on a terminal and **word** in pipes.
    mark = ("\x02", "\x03")
    try:
        hits = store.search(query, limit=limit, highlight=mark)
    except NewsweaveError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        store.close()
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
@_shared("json", "output")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Worker processes (0: one per core; default 1). Pays off past a few hundred articles.")
def analyze(inputs: tuple[str, ...], as_json: bool, output: str | None, workers: int | None) -> None:
    """Per-article analysis: sentences, entities, quotes, figures, dates, with offsets.

    \b
    Example:
      newsweave analyze ../shared/seeds/ --json -o analysis.jsonl
    """
    from newsweave.analyze import analysis_json, analyze_many

    settings = _settings(workers=workers)
    batch = Batch()
    out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    progress = _progress()
    try:
        for n, an in enumerate(analyze_many(batch.articles(inputs), n_process=settings.workers), 1):
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
    finally:
        if output:
            out.close()
    batch.finish()
    sys.exit(batch.exit_code)


def _per_file(path: str, fn: Callable[[Article], Any]) -> None:
    """Print ``fn(article)`` as JSON; an unreadable or empty file prints ``[]``
    (so the output always parses) and exits 1 with the reason on stderr."""
    try:
        article = _one_text_file(path)
    except BadInput as exc:
        click.echo(f"newsweave: {exc}", err=True)
        click.echo("[]")
        sys.exit(EXIT_PARTIAL)
    click.echo(json.dumps(fn(article), ensure_ascii=False))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_shared("json")
def quotes(file: str, as_json: bool) -> None:
    """Quotes and reported speech in FILE: content, source, cue spans and speaker.

    Prints a JSON list (offsets are code points into the file's text).

    \b
    Example:
      newsweave quotes article.txt --json
    """
    from newsweave.analyze.quotes import quotes_json

    _per_file(file, quotes_json)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--reference-date", default=None, help="Publication date YYYY-MM-DD (default: the file's date line).")
@_shared("json")
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
@_shared("json")
def figures(file: str, as_json: bool) -> None:
    """Figures in FILE: numbers that count something, qualifier, what, who said it.

    \b
    Example:
      newsweave figures article.txt --json
    """
    from newsweave.analyze.figures import figures_json

    _per_file(file, figures_json)


@main.command()
@_shared("db", "words")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes every stored article.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port (0 picks a free one and prints it).")
@click.option("--token", envvar="NEWSWEAVE_TOKEN", default=None, show_envvar=True,
              help="Allow POST /api/articles with 'Authorization: Bearer TOKEN' (default: every write refused).")
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
