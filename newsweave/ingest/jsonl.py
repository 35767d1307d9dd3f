"""JSONL articles: one JSON object per line, ``text`` required.

Fields: ``id``, ``text``, ``title``, ``source``, ``url``, ``published``,
``story`` (and ``stance`` when the data has it). A bad line is reported with
its line number and the rest of the file still loads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
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
        raise BadInput(f"'published' is not a real date: {value!r} ({exc})", where) from None
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
        raise BadInput("each line must be a JSON object with a 'text' field", where)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadInput("missing or empty 'text' (the one required field)", where)
    return Article(
        text=text,
        id=_opt_str(obj, "id", where) or "",
        title=_opt_str(obj, "title", where),
        source=_opt_str(obj, "source", where) or _opt_str(obj, "outlet", where) or infer_outlet(text),
        url=_opt_str(obj, "url", where),
        published=_iso(obj.get("published", obj.get("date")), where),
        story=_opt_str(obj, "story", where),
        stance=_opt_str(obj, "stance", where),
        path=where,
        format="jsonl",
    )


def iter_jsonl(text: str, path: str) -> Iterator[Article | BadInput]:
    """Yield an Article or a BadInput per non-blank line."""
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadInput(f"invalid JSON ({exc.msg} at column {exc.colno})", where)
            continue
        try:
            yield parse_record(obj, where)
        except BadInput as exc:
            yield exc
