"""How sure an attribution is: a calibrated probability that its content and speaker are right.

Each attribution carries its *evidence*: which rule found it, the cue's
class and frame, how strongly the lexicon reads the verb as a cue, how the
speaker was resolved, the content's form and length. A logistic model over
these indicators, fitted on the PolNeAR train split by
``benchmarks/quotes_tune.py --fit`` and shipped as numbers only in
``data/quotes_confidence.json``, turns them into
``P(content and speaker both right)``. Besides the indicators, the forty commonest
cue verbs each have a weight of their own (:data:`LEMMAS`).

:data:`BRIEFING_MIN_CONFIDENCE` is the one threshold the briefing applies: on
PolNeAR dev, attributions at or above it are right (content and speaker)
at least nine times in ten (see ``benchmarks/RESULTS.md``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from newsweave.analyze.quotes_lexicon import cue_class, cue_probability, frame_of
from newsweave.analyze.quotes_spans import Rel
from newsweave.analyze.quotes_speakers import Speaker
from newsweave.analyze.quotes_stance import ClaimReading
from newsweave.config import BRIEFING_MIN_CONFIDENCE as BRIEFING_MIN_CONFIDENCE  # re-exported
from newsweave.models import Span

# BRIEFING_MIN_CONFIDENCE (0.72, defined in newsweave.config so the CLI can show it cheaply) was
# chosen on PolNeAR *train* predictions (dev only checks it): the threshold that leaves the
# same margin over both targets there, joint precision - .90 ~ joint recall - .50
# (train: .923 / .534 at 0.72; dev: .929 / .564).

_HOW = ("verb", "according", "colon", "noun", "dash", "standalone")
_CUE = ("say", "speech", "cognition", "other")
_FRAME = ("ccomp", "para", "dobj", "xcomp", "prep", "none")
_CUE_P = ("hi", "mid", "lo")
_VIA = ("name", "said_before", "subject", "mention", "group", "definite", "description", "anonymous", "turn", "none")
_KIND = ("person", "organisation", "group", "anonymous", "unknown")
_QKIND = ("direct", "mixed", "indirect")
_LEN = ("1-3", "4-8", "9-20", "21+")
_NOTES = ("inherited", "coordinated", "inverted", "apposed", "name_after", "after_quote", "by_quote", "para", "attached", "continued",
          "transcript", "interviewer", "colon_before")
_STANCE = ("asserts", "denies", "rejects", "accuses", "questions")
_FLAGS = ("claim", "source_after_cue", "multi_sentence", "open_quote", "pronoun_source", "source_in_content",
          "cue_root", "source_far", "content_first", "multi_paragraph")

# The forty commonest cue verbs on PolNeAR train: each has its own weight (the rest share the class weights).
LEMMAS = ("say", "tell", "call", "ask", "write", "add", "report", "note", "announce", "suggest", "want", "expect",
          "think", "argue", "show", "endorse", "tweet", "seem", "decline", "support", "see", "accuse", "find",
          "describe", "believe", "criticize", "know", "respond", "seek", "pledge", "declare", "offer", "appear",
          "release", "agree", "continue", "refer", "explain", "refuse", "express")

FEATURES: tuple[str, ...] = (
    tuple(f"how:{x}" for x in _HOW) + tuple(f"cue:{x}" for x in _CUE) + tuple(f"frame:{x}" for x in _FRAME)
    + tuple(f"cue_p:{x}" for x in _CUE_P) + tuple(f"via:{x}" for x in _VIA) + tuple(f"kind:{x}" for x in _KIND)
    + tuple(f"qkind:{x}" for x in _QKIND) + tuple(f"len:{x}" for x in _LEN) + tuple(f"note:{x}" for x in _NOTES)
    + tuple(f"stance:{x}" for x in _STANCE) + _FLAGS + tuple(f"lemma:{x}" for x in LEMMAS)
)
_INDEX = {f: i for i, f in enumerate(FEATURES)}


def length_bucket(n_words: int) -> str:
    """The content-length indicator for ``n_words`` words."""
    return "1-3" if n_words <= 3 else "4-8" if n_words <= 8 else "9-20" if n_words <= 20 else "21+"


def cue_p_bucket(p: float) -> str:
    """The cue-strength indicator for a lexicon probability."""
    return "hi" if p >= 0.9 else "mid" if p >= 0.6 else "lo"


def gather_evidence(text: str, r: Rel, sp: Speaker, qkind: str, reading: ClaimReading, cue: Span | None,
                    qspans: list[tuple[int, int, bool]]) -> tuple[str, ...]:
    """The indicators of one attribution, as the model reads them (see :data:`FEATURES`).

    Args:
        text: the article text.
        r: the attribution, with how it was found.
        sp: its resolved speaker, with how it was resolved.
        qkind: direct, mixed or indirect.
        reading: its stance and claim.
        cue: the cue span, if any.
        qspans: the article's quotations.
    """
    content = text[r.content[0] : r.content[1]]
    ev = [f"how:{r.how}", f"via:{sp.via}", f"kind:{sp.kind}", f"qkind:{qkind}",
          f"len:{length_bucket(len(content.split()))}", f"stance:{reading.stance}"]
    ev += [f"note:{n}" for n in sorted(r.notes)]
    if r.how == "verb":
        ev += [f"cue:{cue_class(r.head.lemma_)}", f"frame:{frame_of(r.head)}",
               f"cue_p:{cue_p_bucket(cue_probability(r.head))}", f"lemma:{r.head.lemma_.lower()}"]
    if reading.claim:
        ev.append("claim")
    if r.source is not None and cue is not None and r.source[0] > cue[0]:
        ev.append("source_after_cue")
    if r.source is not None and r.content[0] <= r.source[0] < r.content[1]:
        ev.append("source_in_content")
    if r.source is not None and text[r.source[0] : r.source[1]].lower() in ("he", "she", "they", "it", "we"):
        ev.append("pronoun_source")
    if re.search(r"[.!?][\"”’']?\s+[\"“‘]?[A-Z]", content.strip()[:-1]):
        ev.append("multi_sentence")
    if r.cue and r.head.dep_ == "ROOT":
        ev.append("cue_root")
    if r.source is not None and cue is not None and min(abs(r.source[1] - cue[0]), abs(cue[1] - r.source[0])) > 60:
        ev.append("source_far")
    if cue is not None and r.content[1] <= cue[0]:
        ev.append("content_first")
    if "\n" in content.strip():
        ev.append("multi_paragraph")
    if any(qs < r.content[1] and r.content[0] < qe and not closed for qs, qe, closed in qspans):
        ev.append("open_quote")
    return tuple(ev)


def feature_vector(evidence: Iterable[str]) -> list[float]:
    """One-hot vector over :data:`FEATURES` (unknown evidence is ignored)."""
    vec = [0.0] * len(FEATURES)
    for e in evidence:
        i = _INDEX.get(e)
        if i is not None:
            vec[i] = 1.0
    return vec


@lru_cache(maxsize=1)
def _model() -> tuple[dict[str, float], float]:
    path = Path(__file__).parent / "data" / "quotes_confidence.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, 0.0
    return {k: float(v) for k, v in data.get("weights", {}).items()}, float(data.get("bias", 0.0))


def confidence(evidence: Iterable[str]) -> float:
    """P(attribution right) for this evidence, rounded to 3 places.

    >>> 0.0 <= confidence(["how:verb", "cue:say", "frame:ccomp", "via:name"]) <= 1.0
    True
    """
    weights, bias = _model()
    z = bias + sum(weights.get(e, 0.0) for e in set(evidence))
    return round(1.0 / (1.0 + math.exp(-z)), 3)
