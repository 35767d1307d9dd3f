"""The words of reported speech: cue verbs, their frames, their stance, and who can speak.

The base layer of the quote modules (with :mod:`~newsweave.analyze.quotes_spans`):

* the **cue lexicon** in ``data/quotes_cues.json``: counts measured on the
  PolNeAR train split, per verb lemma and syntactic frame (with a clausal
  complement, an infinitive, an object, ...), of how often the verb is a
  reporting cue; :func:`cue_probability` reads it;
* the **claim verbs**: PolNeAR annotates every attribution of a position
  ("Turkey backs the rebels", "polls show ..."), but a briefing's "who said
  what" shows only speech and cognition: :data:`SPEECH_LEMMAS` and
  :data:`COGNITION_LEMMAS`;
* the **stance** a cue gives its content (:func:`stance_of`): a denial, a
  rejection, an accusation, a question, or an assertion;
* nouns that name a speaker or a medium.

Only words and token tests live here; no rule reads text spans.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsweave.models import Stance

STANCES: tuple[Stance, ...] = ("asserts", "denies", "rejects", "accuses", "questions")

CUE_THRESHOLD = 0.5
QUOTE_SENT_THRESHOLD = 0.42
SMOOTH = 2.0
STANCE_CUE_FLOOR = 0.6
# The rule-only path's cue verbs (no parse, no lemmas).
CUE_VERBS_RE = (
    r"said|says|say|told|tells|added|adds|wrote|writes|tweeted|stated|explained|noted|argued|"
    r"insisted|claimed|declared|warned|asked|replied|responded|posted|announced"
)
# "said in a statement", "wrote on Twitter": where it was said, not what.
MEDIUM_WORDS = frozenset(
    ["statement", "interview", "twitter", "tweet", "email", "e-mail", "speech", "conference", "release", "post",
     "letter", "op-ed", "facebook", "message", "briefing", "video", "call", "radio", "television"]
)
# "her remark that ...", "Trump's claim that ...": nouns whose possessor speaks.
NOUN_CUES = frozenset(
    ["claim", "remark", "statement", "call", "assertion", "accusation", "promise", "pledge", "warning", "argument",
     "suggestion", "insistence", "belief", "view", "demand", "denial", "admission", "contention", "charge",
     "allegation", "assurance", "vow", "criticism", "announcement", "prediction", "comment", "comments",
     "recommendation", "proposal", "plea", "threat", "request", "declaration", "complaint", "conclusion",
     "estimate", "confession", "acknowledgment", "acknowledgement", "observation"]
)
# Nouns that can be the one speaking in "<noun> saying ..." ("polls showing", not "a response").
AGENT_NOUNS = frozenset(
    ["poll", "survey", "study", "report", "document", "email", "petition", "ad", "advertisement", "letter",
     "statement", "legislation", "bill", "law", "candidate", "group", "supporter", "official", "couple", "people",
     "voter", "analyst", "expert", "critic", "lawmaker", "leader", "activist", "member", "researcher", "campaign",
     "committee", "data", "record", "filing", "memo", "resident", "protester", "demonstrator", "spokesman",
     "spokeswoman", "source", "diplomat", "witness", "organization", "agency", "ministry", "government"]
)

# Verbs of saying: what a speaker put into words.
SPEECH_LEMMAS = frozenset(
    ["say", "tell", "add", "state", "claim", "assert", "insist", "argue", "explain", "note", "warn", "announce",
     "report", "reply", "respond", "retort", "write", "tweet", "post", "declare", "confirm", "acknowledge",
     "admit", "concede", "deny", "reject", "dismiss", "refute", "rebut", "dispute", "accuse", "blame", "charge",
     "allege", "suggest", "predict", "estimate", "promise", "vow", "pledge", "threaten", "urge", "demand",
     "ask", "question", "complain", "stress", "emphasize", "emphasise", "point", "indicate", "reveal",
     "disclose", "recall", "remark", "comment", "mention", "maintain", "contend", "agree", "disagree",
     "forecast", "speculate", "conclude", "recommend", "propose", "advise", "caution", "assure", "reassure",
     "reiterate", "repeat", "testify", "swear", "boast", "brag", "joke", "quip", "concur", "protest", "plead",
     "counter", "object", "lament", "proclaim", "affirm", "reaffirm", "inform", "notify", "signal", "shout",
     "chant", "yell", "scream", "cry", "whisper", "interject", "tout", "hint", "imply",
     "clarify", "elaborate", "observe", "describe", "recount", "relate", "quote", "cite", "call", "order",
     "instruct", "appeal", "request", "beg", "implore", "urge", "query", "inquire", "enquire", "wonder",
     "thank", "apologize", "apologise", "criticize", "criticise", "condemn", "denounce", "slam", "blast",
     "praise", "hail", "welcome", "attack"]
)
# Verbs of thinking that news reports as a position: "believes", "fears", "expects".
COGNITION_LEMMAS = frozenset(
    ["believe", "think", "expect", "fear", "hope", "suspect", "doubt", "feel", "worry", "guess", "reckon",
     "assume", "consider", "know", "realize", "realise", "understand", "figure", "sense", "find", "conclude",
     "judge", "anticipate", "imagine", "recognize", "recognise", "learn"]
)
# Cue verbs that take a position rather than make a statement: never a claim in a briefing,
# even when the lexicon (from PolNeAR, which annotates them) counts them as cues.
_NOT_CLAIMS = frozenset(
    ["cite", "praise", "hail", "welcome", "attack", "slam", "blast", "criticize", "criticise", "condemn",
     "denounce", "thank", "apologize", "apologise", "quote", "order", "instruct"]
)
# A speech verb that frames its content as a claim a reader can weigh.
CLAIM_LEMMAS = (SPEECH_LEMMAS | COGNITION_LEMMAS) - _NOT_CLAIMS

_STANCE_OF_LEMMA: dict[str, Stance] = {
    "deny": "denies", "refute": "denies", "dispute": "denies", "contest": "denies", "negate": "denies",
    "disavow": "denies", "reject": "rejects", "dismiss": "rejects", "rebuff": "rejects", "rebut": "rejects",
    "repudiate": "rejects", "accuse": "accuses", "blame": "accuses", "charge": "accuses", "fault": "accuses",
    "ask": "questions", "question": "questions", "wonder": "questions", "query": "questions",
    "inquire": "questions", "enquire": "questions",
}
_STANCE_OF_NOUN: dict[str, Stance] = {
    "denial": "denies", "rejection": "rejects", "rebuttal": "rejects", "accusation": "accuses",
    "charge": "accuses", "question": "questions",
}


def stance_of(lemma: str, noun: bool = False) -> Stance:
    """The stance a cue word gives its content.

    >>> stance_of("deny"), stance_of("blame"), stance_of("say"), stance_of("denial", noun=True)
    ('denies', 'accuses', 'asserts', 'denies')
    """
    table = _STANCE_OF_NOUN if noun else _STANCE_OF_LEMMA
    return table.get(lemma.lower(), "asserts")


def cue_class(lemma: str) -> str:
    """``say`` (say, tell), ``speech``, ``cognition`` or ``other`` (a position, not a statement)."""
    low = lemma.lower()
    if low in ("say", "tell"):
        return "say"
    if low in CLAIM_LEMMAS:
        return "cognition" if low in COGNITION_LEMMAS else "speech"
    return "other"


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict[str, tuple[int, int]], dict[str, dict[str, tuple[int, int]]]]:
    """The cue lexicon: frame priors and per-lemma counts, read once."""
    data = json.loads((Path(__file__).parent / "data" / "quotes_cues.json").read_text(encoding="utf-8"))
    priors = {k: (v[0], v[1]) for k, v in data["priors"].items()}
    lemmas = {lem: {f: (c[0], c[1]) for f, c in frames.items()} for lem, frames in data["lemmas"].items()}
    return priors, lemmas


def frame_of(tok: Any) -> str:
    """The syntactic frame of a verb, as counted in the lexicon."""
    deps = {c.dep_ for c in tok.children}
    if "ccomp" in deps:
        return "ccomp"
    if tok.dep_ == "parataxis" or (tok.dep_ == "ccomp" and tok.i > tok.head.i):
        return "para"
    if "xcomp" in deps:
        return "xcomp"
    if deps & {"dobj", "obj"}:
        return "dobj"
    if "prep" in deps:
        return "prep"
    return "none"


def cue_probability(tok: Any) -> float:
    """P(token is a reporting cue | lemma, frame), smoothed towards the frame's prior.

    Denials and accusations are cues in any frame that carries content ("denied
    firing on the boats" has too few examples in the lexicon's frame to count).
    """
    priors, lemmas = lexicon()
    lemma = tok.lemma_.lower()
    frames = lemmas.get(lemma)
    if not frames:
        return 0.0
    fr = frame_of(tok)
    c, n = frames.get(fr, (0, 0))
    pc, pn = priors.get(fr, (0, 1))
    p = (c + SMOOTH * pc / pn) / (n + SMOOTH)
    if lemma in _STANCE_OF_LEMMA and _STANCE_OF_LEMMA[lemma] != "questions" and fr in ("ccomp", "dobj", "xcomp"):
        return max(p, STANCE_CUE_FLOOR)
    return p


def is_agentive(noun: Any) -> bool:
    """Whether a noun can be the one speaking in "<noun> saying ..." ("polls showing", not "a response")."""
    return (
        noun.pos_ == "PROPN"
        or noun.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or noun.lemma_.lower() in AGENT_NOUNS
    )


def is_medium(prep: Any) -> bool:
    """"in a statement", "on Twitter", "on Wednesday": where or when, not what."""
    for p in prep.children:
        if p.dep_ == "pobj" and (p.lemma_.lower() in MEDIUM_WORDS or p.ent_type_ in ("DATE", "TIME")):
            return True
    return False
