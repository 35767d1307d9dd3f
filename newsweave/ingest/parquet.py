"""Parquet article tables: the JSONL contract's columns, one article per row.

Columns ``id``, ``text`` (required), ``title``, ``source`` (or ``outlet``),
``url``, ``published`` (an ISO string, a date or a timestamp), ``story`` and
``stance``; other columns are ignored. Rows are read in record batches, so a
file of any size streams in bounded memory, and every row goes through the
same checks as a JSONL line (:func:`newsweave.ingest.jsonl.parse_record`): a
bad row is reported as ``path:row N`` and the rest still loads.

Needs pyarrow (the ``dask`` extra).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from newsweave.errors import BadInput
from newsweave.ingest.jsonl import parse_record
from newsweave.models import Article

__all__ = ["COLUMNS", "iter_parquet"]

COLUMNS = ("id", "text", "title", "source", "outlet", "url", "published", "date", "story", "stance")
BATCH_ROWS = 1024


def _plain(value: Any) -> Any:
    """Parquet types as JSON would give them: dates and timestamps become ISO strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def iter_parquet(
    path: str, *, where: str | None = None, max_article_size: int | None = None
) -> Iterator[Article | BadInput]:
    """Yield an Article or a BadInput per row of a Parquet file.

    ``where`` names the file in messages (default: ``path``); a row whose text
    is larger than ``max_article_size`` bytes (UTF-8) is refused.

    >>> [type(x).__name__ for x in iter_parquet("/no/such.parquet")]
    ['BadInput']
    """
    name = where or path
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        yield BadInput("reading Parquet needs pyarrow: pip install 'newsweave[dask]'", name)
        return
    try:
        pf = pq.ParquetFile(path)
    except FileNotFoundError:
        yield BadInput("no such file; check the path", name)
        return
    except (pa.ArrowException, OSError) as exc:
        yield BadInput(f"is not a readable Parquet file ({exc}); check the file or convert it to JSONL", name)
        return
    names = pf.schema_arrow.names
    if "text" not in names:
        shown = ", ".join(names[:8]) + (" …" if len(names) > 8 else "")
        yield BadInput(
            f"has no 'text' column (columns: {shown}); an article table needs 'text' and may have "
            "id, title, source, url, published, story",
            name,
        )
        return
    cols = [c for c in names if c in COLUMNS]
    n = 0
    try:
        for batch in pf.iter_batches(batch_size=BATCH_ROWS, columns=cols):
            for row in batch.to_pylist():
                n += 1
                at = f"{name}:row {n}"
                text = row.get("text")
                if max_article_size and isinstance(text, str) and len(text) * 4 > max_article_size \
                        and len(text.encode("utf-8", "surrogatepass")) > max_article_size:
                    yield BadInput(f"the text is larger than the {max_article_size:,}-byte limit for one article "
                                   "(--max-article-size); split it or raise the limit", at)  # fmt: skip
                    continue
                try:
                    yield parse_record({k: _plain(v) for k, v in row.items()}, at)
                except BadInput as exc:
                    yield exc
    except (pa.ArrowException, OSError) as exc:
        yield BadInput(f"cannot be read past row {n} ({exc}); the rows before it were read", name)
