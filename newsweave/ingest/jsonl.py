"""JSONL articles: one JSON object per line, ``text`` required.

Fields: ``id``, ``text``, ``title``, ``source``, ``url``, ``published``,
``story`` (and ``stance`` when the data has it). A bad line is reported with
its line number and the rest of the file still loads. Ids are strings or
integers: ``1.5``, ``NaN`` and ``Infinity`` (which Python's JSON reader accepts)
are refused, as are lone surrogate escapes (``"\\ud800"``), which no file can store.
A line longer than ``max_size`` bytes is skipped without being read whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import BinaryIO

from newsweave.errors import BadInput
from newsweave.ingest.files import capped_lines, human_size
from newsweave.ingest.text import infer_outlet
from newsweave.models import Article

__all__ = ["iter_jsonl", "iter_jsonl_lines", "parse_record"]

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


def _storable(v: str, key: str, where: str) -> str:
    try:
        v.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadInput(
            f"field '{key}' holds a lone surrogate escape ({v[exc.start]!r} at character {exc.start}), "
            "which is not text; fix the \\uXXXX escape (a pair like \\ud83d\\ude00 is fine)",
            where,
        ) from None
    return v


def _opt_str(obj: dict, key: str, where: str) -> str | None:  # type: ignore[type-arg]
    v = obj.get(key)
    if v is None:
        return None
    if key in ("id", "story"):
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v)
        if not isinstance(v, str):
            raise BadInput(
                f"field '{key}' must be a string or an integer, got {json.dumps(v)[:40]}; "
                f'write it as a string, e.g. "{key}": "a-17"',
                where,
            )
    if not isinstance(v, str):
        raise BadInput(f"field '{key}' must be a string, got {type(v).__name__}", where)
    return _storable(v, key, where).strip() or None


def parse_record(obj: object, where: str, max_size: int | None = None) -> Article:
    """One JSON object -> Article, or BadInput naming the problem."""
    if not isinstance(obj, dict):
        raise BadInput(
            f'each line must be a JSON object like {{"text": "..."}}, got a JSON {type(obj).__name__}', where
        )
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadInput("missing or empty 'text', the one required field; add the article's text", where)
    _storable(text, "text", where)
    if max_size is not None and len(text) * 4 > max_size and len(text.encode("utf-8")) > max_size:
        raise BadInput(
            f"'text' is larger than the {human_size(max_size)} limit for one article; split it or raise "
            "the limit with --max-article-size",
            where,
        )
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


def _loads(text: str) -> object:
    """``json.loads``; ValueError (incl. JSONDecodeError) for anything it cannot read.

    NaN and Infinity parse (as Python does) and are refused by the field checks,
    since no field takes a float.
    """
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply to read (thousands of brackets)") from None


def _json_error(exc: ValueError, where: str, lines: bool = True) -> BadInput:
    if isinstance(exc, json.JSONDecodeError):
        at = f"column {exc.colno}" if lines else f"line {exc.lineno} column {exc.colno}"
        what = f"{exc.msg} at {at}"
    else:  # huge integers, deep nesting
        what = str(exc)
    fix = 'each line must be one JSON object like {"text": "..."}' if lines else (
        "give one JSON object per line (JSONL) or one valid JSON array of objects"
    )
    return BadInput(f"invalid JSON ({what}); {fix}", where)


def _parse_line(line: str, where: str, max_size: int | None = None) -> Article | BadInput:
    try:
        obj = _loads(line)
    except ValueError as exc:
        return _json_error(exc, where)
    try:
        return parse_record(obj, where, max_size)
    except BadInput as exc:
        return exc


def _too_long(where: str, max_size: int) -> BadInput:
    return BadInput(
        f"line is longer than the {human_size(max_size)} limit for one article; it was skipped. Split "
        "the article or raise the limit with --max-article-size",
        where,
    )


def iter_jsonl(text: str, path: str, max_size: int | None = None) -> Iterator[Article | BadInput]:
    """Yield an Article or a BadInput per non-blank line.

    A file holding one JSON array of objects (``[{...}, {...}]``) is read too.

    >>> [type(x).__name__ for x in iter_jsonl('{"text": "Cranes idle."}\\n{oops\\n', "a.jsonl")]
    ['Article', 'BadInput']
    """
    stripped = text.lstrip()
    if stripped.startswith("["):
        yield from _iter_array(stripped, path, max_size)
        return
    # Lines end at "\n" only: str.splitlines would also cut at U+0085 or U+2028,
    # which JSON allows unescaped inside a string.
    for n, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        if max_size is not None and len(line) > max_size:
            yield _too_long(f"{path}:{n}", max_size)
        else:
            yield _parse_line(line, f"{path}:{n}", max_size)


def iter_jsonl_lines(
    lines: BinaryIO | Iterable[bytes], path: str, max_size: int | None = None
) -> Iterator[Article | BadInput]:
    """Stream a JSONL file line by line (JSON is UTF-8), without reading it whole.

    A line that is not UTF-8 is reported on its own; the rest still loads. With
    ``max_size`` and a stream, a longer line is skipped without being read whole.
    """
    stream: Iterable[bytes | None] = lines
    if max_size is not None and hasattr(lines, "readline"):
        stream = capped_lines(lines, max_size)  # type: ignore[arg-type]
    for n, raw in enumerate(stream, 1):
        if raw is None:
            yield _too_long(f"{path}:{n}", max_size or 0)
            continue
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
        yield _parse_line(line.rstrip("\r\n"), where, max_size)


def _iter_array(text: str, path: str, max_size: int | None = None) -> Iterator[Article | BadInput]:
    try:
        items = _loads(text)
    except ValueError as exc:
        yield _json_error(exc, path, lines=False)
        return
    if not isinstance(items, list):
        yield BadInput("is JSON but not a list of article objects; give JSONL or a JSON array", path)
        return
    for n, obj in enumerate(items, 1):
        try:
            yield parse_record(obj, f"{path}[{n}]", max_size)
        except BadInput as exc:
            yield exc
