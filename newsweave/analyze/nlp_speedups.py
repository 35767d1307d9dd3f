"""Faster start-up and parsing for spaCy's English pipeline, with the same results.

A cold ``newsweave brief`` is mostly spaCy: importing it, loading the model
and parsing. Each change here removes work spaCy does that gives nothing back
to us, and none changes a tag, parse, lemma or entity (the test suite and
``benchmarks/bench_brief.py`` compare every annotation of a corpus with plain
spaCy's):

- :func:`import_spacy` imports spaCy without its command line;
- :data:`MODEL_TOKENIZER` builds the tokenizer once, from the model's own files;
- :func:`speed_up` gives the loaded pipeline an indexed attribute ruler, a rule
  lemmatizer whose word lists are sets, and (when numpy's BLAS runs on one
  thread) numpy's matrix products instead of blis.

:func:`plain_spacy` turns all of it off for a comparison.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys
import types
from typing import Any

__all__ = ["MODEL_TOKENIZER", "entry_points_once", "import_spacy", "load_overrides", "one_blas_thread", "plain_spacy", "speed_up",
           "tokenizer_loaded"]

MODEL_TOKENIZER = "newsweave.model_tokenizer.v1"


def plain_spacy() -> bool:
    """True when ``NEWSWEAVE_PLAIN_SPACY=1`` asks for spaCy exactly as shipped (for comparisons)."""
    return os.environ.get("NEWSWEAVE_PLAIN_SPACY") == "1"


# ---------------------------------------------------------------- import without spacy.cli


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
    if "spacy" in sys.modules or plain_spacy():
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


# ---------------------------------------------------------------- loading


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


def entry_points_once() -> None:
    """Let catalogue's registries list their entry points once per process, not at every look-up.

    Loading the model asks srsly's msgpack decoders and spaCy's factories for
    their entry points about 120 times; each time catalogue filters the
    process's list of every installed entry point (taken once, when catalogue
    is imported, so it never changes), a fifth of the load time here. The
    filtered list of each group is kept, so every look-up answers as before.
    """
    import catalogue

    registry_cls = catalogue.Registry
    if getattr(registry_cls, "_newsweave_entry_points", None) is not None:
        return
    listed: dict[str, list[Any]] = {}
    original = registry_cls._get_entry_points

    def entry_points(self: Any) -> list[Any]:
        group = self.entry_point_namespace
        if group not in listed:
            listed[group] = list(original(self))
        return listed[group]

    registry_cls._get_entry_points = entry_points  # type: ignore[method-assign]
    registry_cls._newsweave_entry_points = listed  # type: ignore[attr-defined]


def load_overrides() -> dict[str, Any]:
    """Config overrides for ``spacy.load``: the model's tokenizer, built once (see :func:`_bare_tokenizer`);
    and catalogue's entry points listed once (:func:`entry_points_once`)."""
    if plain_spacy():
        return {}
    entry_points_once()
    from spacy.util import registry

    if MODEL_TOKENIZER not in registry.tokenizers:
        registry.tokenizers.register(MODEL_TOKENIZER, func=_bare_tokenizer)
    return {"nlp": {"tokenizer": {"@tokenizers": MODEL_TOKENIZER}}}


def tokenizer_loaded(nlp: Any) -> bool:
    """Whether the model's files gave the tokenizer its rules (a model without them needs the default)."""
    return bool(nlp.tokenizer.rules) and nlp.tokenizer.prefix_search is not None


def speed_up(nlp: Any) -> None:
    """The exact speed-ups of a loaded pipeline (nothing when :func:`plain_spacy`)."""
    if plain_spacy():
        return
    if "lemmatizer" in nlp.pipe_names:
        _index_as_sets(nlp.get_pipe("lemmatizer"))
    if "attribute_ruler" in nlp.pipe_names:
        IndexedRuler.install(nlp.get_pipe("attribute_ruler"))
    _numpy_matrix_ops(nlp)


# ---------------------------------------------------------------- the rule lemmatizer


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


# ---------------------------------------------------------------- matrix products


def one_blas_thread() -> bool:
    """Whether this process asked numpy's BLAS for a single thread (the CLI does)."""
    return any(os.environ.get(name) == "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"))


def _numpy_matrix_ops(nlp: Any) -> None:
    """Multiply the pipeline's matrices with numpy's BLAS when it runs on one thread.

    spaCy multiplies its matrices with blis on one thread. With numpy's BLAS
    held to one thread too (``OPENBLAS_NUM_THREADS=1``, which the CLI sets), the
    same products through numpy took a fifth less time for the whole parse of the
    seed story here (OpenBLAS picks kernels for the CPU it runs on), with the
    same tags, parses and entities on 340 test texts. Otherwise (a library user
    whose numpy may use every core) spaCy's default stays.
    """
    if not one_blas_thread():
        return
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


# ---------------------------------------------------------------- the attribute ruler

_FEATURES = ("TAG", "LOWER", "DEP", "IS_SPACE")
_MEMO_MAX = 500_000
_Spec = tuple[tuple[int, str, Any], ...]  # (feature index, test, value) per key of one token pattern


class _Unsupported(Exception):
    """A pattern this index does not read; the ruler keeps spaCy's matcher."""


class IndexedRuler:
    """spaCy's attribute ruler with its matcher replaced by an index (same matches, same order).

    The English model's ruler holds 179 token patterns, which spaCy's
    ``Matcher`` tries at every token; it cost as much as the parser on the seed
    story. Each pattern here reads only a token's tag, lower-case form,
    dependency label and whether it is a space, so the patterns that match a
    token are found once per distinct combination of the four (by the tag or
    word they name) and remembered. Annotations are then set by the ruler's own
    ``set_annotations``. A ruler with any other kind of pattern keeps spaCy's
    matcher.
    """

    def __init__(self, ruler: Any) -> None:
        from spacy.strings import get_string_id

        self._id = get_string_id
        self.ruler = ruler
        self.strings = ruler.vocab.strings
        singles: list[tuple[int, _Spec]] = []
        self.multi: list[tuple[int, list[_Spec]]] = []
        for attr_id, p in enumerate(ruler.patterns):
            for pattern in p["patterns"]:
                specs = [self._spec(tok) for tok in pattern]
                if not specs:
                    raise _Unsupported("empty pattern")
                if len(specs) == 1:
                    singles.append((attr_id, specs[0]))
                else:
                    self.multi.append((attr_id, specs))
        self.keys = [self.strings.add(str(i)) for i in range(len(ruler.patterns))]
        # Candidates by the tag or lower-case word a pattern requires; the rest are tried on every token.
        self.by_value: dict[tuple[int, int], list[tuple[int, _Spec]]] = {}
        self.always: list[tuple[int, _Spec]] = []
        for attr_id, spec in singles:
            keys = self._index_keys(spec)
            if keys is None:
                self.always.append((attr_id, spec))
            for key in keys or ():
                self.by_value.setdefault(key, []).append((attr_id, spec))
        self.memo: dict[tuple[int, ...], tuple[list[int], list[int]]] = {}

    @classmethod
    def install(cls, ruler: Any) -> bool:
        """Give ``ruler`` the index, if its patterns allow; True when installed."""
        try:
            index = cls(ruler)
        except _Unsupported:
            return False
        ruler.match = index.match
        ruler.set_annotations = index.set_annotations
        return True

    def _spec(self, token: dict[str, Any]) -> _Spec:
        tests: list[tuple[int, str, Any]] = []
        for key, value in token.items():
            if key not in _FEATURES:
                raise _Unsupported(key)
            f = _FEATURES.index(key)
            if key == "IS_SPACE":
                if not isinstance(value, bool):
                    raise _Unsupported(value)
                tests.append((f, "eq", int(value)))
            elif isinstance(value, str):
                tests.append((f, "eq", self._id(value)))
            elif isinstance(value, dict) and len(value) == 1:
                (op, arg), = value.items()
                if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
                    tests.append((f, op, frozenset(self._id(a) for a in arg)))
                elif op == "REGEX" and isinstance(arg, str):
                    tests.append((f, op, re.compile(arg)))
                else:
                    raise _Unsupported(op)
            else:
                raise _Unsupported(value)
        return tuple(tests)

    @staticmethod
    def _index_keys(spec: _Spec) -> list[tuple[int, int]] | None:
        """The (feature, value) keys under which a token can match ``spec``; None when any token can."""
        for f, op, value in spec:
            if f in (0, 1) and op == "eq":
                return [(f, value)]
        for f, op, value in spec:
            if f in (0, 1) and op == "IN":
                return [(f, v) for v in value]
        return None

    def _test(self, spec: _Spec, feat: tuple[int, ...]) -> bool:
        for f, op, value in spec:
            got = feat[f]
            if op == "eq":
                if got != value:
                    return False
            elif op == "IN":
                if got not in value:
                    return False
            elif op == "NOT_IN":
                if got in value:
                    return False
            elif not value.search(self.strings[got] if got else ""):  # REGEX on the attribute's text
                return False
        return True

    def _matching(self, feat: tuple[int, ...]) -> tuple[list[int], list[int]]:
        """For a token's features: the one-token patterns it matches, and the longer patterns it may start."""
        cands = self.by_value.get((0, feat[0]), []) + self.by_value.get((1, feat[1]), []) + self.always
        singles = sorted({attr_id for attr_id, spec in cands if self._test(spec, feat)})
        starts = [n for n, (_, specs) in enumerate(self.multi) if self._test(specs[0], feat)]
        return singles, starts

    def match(self, doc: Any) -> list[tuple[int, int, int, int]]:
        """What ``AttributeRuler.match`` returns: ``(attr_id, match_id, start, end)``, sorted."""
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        rows = [tuple(r) for r in doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()] if len(doc) else []
        if len(self.memo) > _MEMO_MAX:  # a long stream meets ever more words
            self.memo.clear()
        memo = self.memo
        found: set[tuple[int, int, int]] = set()
        for i, feat in enumerate(rows):
            hit = memo.get(feat)
            if hit is None:
                hit = memo[feat] = self._matching(feat)
            singles, starts = hit
            for attr_id in singles:
                found.add((attr_id, i, i + 1))
            for n in starts:
                attr_id, specs = self.multi[n]
                end = i + len(specs)
                if end <= len(rows) and all(self._test(specs[k], rows[i + k]) for k in range(1, len(specs))):
                    found.add((attr_id, i, end))
        return sorted((attr_id, self.keys[attr_id], s, e) for attr_id, s, e in found)

    def set_annotations(self, doc: Any, matches: list[tuple[int, int, int, int]]) -> None:
        """``AttributeRuler.set_annotations`` without a Span per match (the same tokens get the same attributes)."""
        from spacy.tokens._retokenize import set_token_attrs

        ruler = self.ruler
        for attr_id, _, start, end in matches:
            index = ruler.indices[attr_id]
            i = start + index if index >= 0 else end + index
            if not start <= i < end:  # spaCy's own method raises its error (E1001) for this
                ruler.__class__.set_annotations(ruler, doc, matches)
                return
            set_token_attrs(doc[i], ruler.attrs[attr_id])
