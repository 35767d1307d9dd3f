"""JSONL articles: one JSON object per line, ``text`` required.

Fields: ``id``, ``text``, ``title``, ``source``, ``url``, ``published``,
``story`` (and ``stance`` when the data has it). A bad line is reported with
its line number and the rest of the file still loads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from newsweave.errors import BadInput
from newsweave.ingest.text import infer_outlet
from newsweave.models import Article

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def _iso(value: object, where: str) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _ISO.match(value.strip()):
        raise BadInput(f"'published' must be an ISO date like 2024-03-05, got {value!r}", where)
    v = value.strip()
    try:
        (datetime.fromisoformat(v.replace("Z", "+00:00")) if len(v) > 10 else date.fromisoformat(v))
    except ValueError as exc:
        raise BadInput(
            f"'published' {value!r} is not a real date ({exc}); fix it or leave it out", where
        ) from None
    return v


def _opt_str(obj: dict, key: str, where: str) -> str | None:  # type: ignore[type-arg]
    v = obj.get(key)
    if v is None:
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool) and key in ("id", "story"):
        return str(v)
    if not isinstance(v, str):
        raise BadInput(f"field '{key}' must be a string, got {type(v).__name__}", where)
    return v.strip() or None


def parse_record(obj: object, where: str) -> Article:
    """One JSON object -> Article, or BadInput naming the problem."""
    if not isinstance(obj, dict):
        raise BadInput(
            f'each line must be a JSON object like {{"text": "..."}}, got a JSON {type(obj).__name__}', where
        )
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadInput("missing or empty 'text', the one required field; add the article's text", where)
    url = _opt_str(obj, "url", where)
    return Article(
        text=text,
        id=_opt_str(obj, "id", where) or "",
        title=_opt_str(obj, "title", where),
        source=_opt_str(obj, "source", where) or _opt_str(obj, "outlet", where) or infer_outlet(text, url),
        url=url,
        published=_iso(obj.get("published", obj.get("date")), where),
        story=_opt_str(obj, "story", where),
        stance=_opt_str(obj, "stance", where),
        path=where,
        format="jsonl",
    )


def _parse_line(line: str, where: str) -> Article | BadInput:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadInput(
            f"invalid JSON ({exc.msg} at column {exc.colno}); each line must be one JSON object "
            'like {"text": "..."}',
            where,
        )
    try:
        return parse_record(obj, where)
    except BadInput as exc:
        return exc


def iter_jsonl(text: str, path: str) -> Iterator[Article | BadInput]:
    """Yield an Article or a BadInput per non-blank line.

    A file holding one JSON array of objects (``[{...}, {...}]``) is read too.

    >>> [type(x).__name__ for x in iter_jsonl('{"text": "Cranes idle."}\\n{oops\\n', "a.jsonl")]
    ['Article', 'BadInput']
    """
    stripped = text.lstrip()
    if stripped.startswith("["):
        yield from _iter_array(stripped, path)
        return
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield _parse_line(line, f"{path}:{n}")


def iter_jsonl_lines(lines: Iterable[bytes], path: str) -> Iterator[Article | BadInput]:
    """Stream a JSONL file line by line (JSON is UTF-8), without reading it whole.

    A line that is not UTF-8 is reported on its own; the rest still loads.
    """
    for n, raw in enumerate(lines, 1):
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        where = f"{path}:{n}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield BadInput(
                f"line is not UTF-8 ({exc.reason} at byte {exc.start}); re-save the file as UTF-8", where
            )
            continue
        yield _parse_line(line.rstrip("\r\n"), where)


def _iter_array(text: str, path: str) -> Iterator[Article | BadInput]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        yield BadInput(
            f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); give one JSON object per "
            "line (JSONL) or one valid JSON array of objects",
            path,
        )
        return
    for n, obj in enumerate(items, 1):
        try:
            yield parse_record(obj, f"{path}[{n}]")
        except BadInput as exc:
            yield exc
