"""Export a store's tables as Parquet or JSONL files for other tools (DuckDB, pandas).

``export_store(store, folder, "parquet")`` writes one file per table:

- ``articles.parquet``: the JSONL contract's columns (``id``, ``text``,
  ``title``, ``source``, ``url``, ``published``, ``story``, ``stance``) plus
  ``hash``, ``path``, ``format`` and ``byline``, in the order added. The file
  is itself valid input: ``newsweave add articles.parquet`` re-creates the
  articles anywhere.
- ``sentences.parquet``: ``article_id``, ``article_hash``, ``index``,
  ``start``, ``end`` (code-point offsets into the article's text),
  ``paragraph``, ``boilerplate`` and ``text``.
- ``assignments.parquet``: the story assignments, ``article_id`` and ``story_id``
  (the live story, after merges; a republished copy's id is listed too), so
  joining it to ``articles`` on ``id = article_id`` groups articles by story.

Tables are streamed in row groups, so memory does not grow with the store.

>>> import tempfile, json, pathlib
>>> from newsweave.store import open_store
>>> from newsweave.models import Article
>>> with open_store(":memory:") as s, tempfile.TemporaryDirectory() as d:
...     _ = s.add([Article("Cranes stood idle. Ships waited.", id="a1")])
...     export_store(s, d, "jsonl")
...     json.loads(pathlib.Path(d, "sentences.jsonl").read_text().splitlines()[1])["text"]
{'articles': 1, 'sentences': 2, 'assignments': 0}
'Ships waited.'
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from newsweave.errors import MissingExtra, NewsweaveError
from newsweave.store.base import ArticleStore, StoryStore

__all__ = ["EXPORT_FORMATS", "TABLES", "export_store"]

EXPORT_FORMATS = ("parquet", "jsonl")
TABLES = ("articles", "sentences", "assignments")
ROW_GROUP = 5000

_ARTICLE_COLUMNS = ("id", "hash", "title", "source", "url", "published", "story", "stance", "byline", "path",
                    "format", "text")  # fmt: skip
_SENTENCE_COLUMNS = ("article_id", "article_hash", "index", "start", "end", "paragraph", "boilerplate", "text")


def _schemas() -> dict[str, Any]:
    try:
        import pyarrow as pa
    except ImportError:
        raise MissingExtra("dask", "export --format parquet") from None
    s = pa.string()
    return {
        "articles": pa.schema([(c, s) for c in _ARTICLE_COLUMNS]),
        "sentences": pa.schema([
            ("article_id", s), ("article_hash", s), ("index", pa.int32()), ("start", pa.int32()),
            ("end", pa.int32()), ("paragraph", pa.int32()), ("boilerplate", pa.bool_()), ("text", s),
        ]),
        "assignments": pa.schema([("article_id", s), ("story_id", s)]),
    }  # fmt: skip


class _Sink:
    """Rows to one file, buffered into row groups."""

    def __init__(self, path: Path, fmt: str, schema: Any) -> None:
        self.path, self.fmt, self.schema = path, fmt, schema
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self.writer: Any = None
        if fmt == "jsonl":
            self.fh = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        else:
            import pyarrow.parquet as pq

            self.writer = pq.ParquetWriter(path, schema, compression="zstd")

    def write(self, row: dict[str, Any]) -> None:
        self.count += 1
        if self.fmt == "jsonl":
            self.fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        self.rows.append(row)
        if len(self.rows) >= ROW_GROUP:
            self.flush()

    def flush(self) -> None:
        if self.writer is not None and self.rows:
            import pyarrow as pa

            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        if self.fmt == "jsonl":
            self.fh.close()
        else:
            self.flush()
            self.writer.close()


def _rows(store: ArticleStore) -> Iterator[tuple[str, dict[str, Any]]]:
    for art in store.articles():
        yield "articles", {c: getattr(art, c) for c in _ARTICLE_COLUMNS}
        for s in store.sentences(art.hash):
            yield "sentences", {
                "article_id": art.id, "article_hash": art.hash, "index": s.index, "start": s.start,
                "end": s.end, "paragraph": s.paragraph, "boilerplate": s.boilerplate, "text": s.text,
            }  # fmt: skip
    if isinstance(store, StoryStore):
        for article_id, story_id in sorted(store.assignments().items()):
            yield "assignments", {"article_id": article_id, "story_id": story_id}


def export_store(
    store: ArticleStore,
    folder: str | os.PathLike[str],
    fmt: str = "parquet",
    *,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write every table of ``store`` into ``folder`` as ``TABLE.parquet`` or ``TABLE.jsonl``.

    Returns:
        Rows written per table.

    Raises:
        NewsweaveError: when the folder cannot be written; files written so far are removed.
        MissingExtra: for Parquet without pyarrow (the ``dask`` extra).
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format {fmt!r} is invalid; must be one of {', '.join(EXPORT_FORMATS)}")
    schemas = _schemas() if fmt == "parquet" else dict.fromkeys(TABLES)
    out = Path(folder)
    sinks: dict[str, _Sink] = {}
    try:
        out.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            sinks[table] = _Sink(out / f"{table}.{fmt}", fmt, schemas[table])
        for table, row in _rows(store):
            sinks[table].write(row)
            if progress and table == "articles":
                progress(sinks["articles"].count)
        for sink in sinks.values():
            sink.close()
    except OSError as exc:
        for sink in sinks.values():
            Path(sink.path).unlink(missing_ok=True)
        raise NewsweaveError(f"cannot write the export to {out} ({exc.strerror or exc}); pass another folder") from None
    return {table: sink.count for table, sink in sinks.items()}
