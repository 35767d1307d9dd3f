"""What an attribution claims: its stance, its target, and the claim as a reader should see it.

A reporting cue frames its content. "The army denied carrying out killings"
does not assert the killings; "Okafor accused Kestrel of breaking the strike"
is an accusation with its object. :func:`read_claim` turns one attribution
into a :class:`ClaimReading`:

* ``stance``: ``asserts``, ``denies``, ``rejects``, ``accuses`` or
  ``questions``, from the cue verb or noun (:func:`~newsweave.analyze.quotes_lexicon.stance_of`);
* ``claim``: the words a briefing shows, complete with the cue when the
  stance or the content's form needs it ("denied that an agreement had been
  reached", "accused Kestrel of trying to break the strike", "urged both
  sides to return to talks"); empty when the attribution makes no claim a
  reader could weigh: a position rather than speech ("Turkey backs the
  rebels"), a negated cue ("did not say"), a self-description ("describes
  himself as ..."), a list of sources ("citing rebel sources"), or a
  fragment ("that an 'excuse'", "the claim");
* ``target``: who is accused or blamed;
* ``negative``: whether the claimed proposition is itself negative ("no
  replacement workers had been hired").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsweave.analyze.quotes_lexicon import Stance, cue_class, frame_of, stance_of
from newsweave.analyze.quotes_spans import Rel

_REFLEXIVE = frozenset(["himself", "herself", "themselves", "itself", "myself", "ourselves", "yourself"])
_ANAPHORIC_DET = frozenset(["the", "this", "that", "these", "those", "such", "its", "his", "her", "their"])
_PRONOUN_OBJECTS = frozenset(["that", "it", "this", "so", "these", "those", "them", "him", "her", "which", "what"])
_NEGATORS = frozenset(["no", "not", "never", "nobody", "nothing", "none", "neither", "nor", "n't", "no-one"])
_IRREGULAR_PAST = {"say": "said", "tell": "told", "write": "wrote", "think": "thought", "feel": "felt",
                   "find": "found", "swear": "swore", "hold": "held", "know": "knew", "understand": "understood"}
_CLAUSE_FRAMES = ("ccomp", "para")
# Verbs that report speech only with a clause: "pointed out that ...", not "pointing at the crowd".
_NEEDS_CLAUSE = frozenset(["point", "add", "note", "go", "charge", "press", "push"])
_WH = frozenset(["whether", "if", "why", "what", "how", "when", "where", "who", "which", "whom"])


def _asks_a_question(content: str, toks: list[Any]) -> bool:
    """Whether "ask"/"question" reports a question ("asked whether ...", '"Why?" she asked'),
    not a request ("asked not to be named", "asked the council to help")."""
    words = [t for t in toks if not t.is_punct and not t.is_quote]
    if content.rstrip(" \"”’'»").endswith("?"):
        return True
    return bool(words) and (words[0].lower_ in _WH or any(t.lower_ in ("whether", "if") for t in words[:4]))


@dataclass(frozen=True)
class ClaimReading:
    """How an attribution reads as a claim (see the module docstring)."""

    stance: Stance
    claim: str  # "" when it is not a claim a briefing should show
    target: str | None = None
    negative: bool = False
    why_not: str = ""  # why it is not a claim: other_cue, negated, self, fragment, no_object ...


def past_tense(lemma: str) -> str:
    """A cue verb's simple past ("deny" -> "denied"), for "denied that ...".

    >>> past_tense("deny"), past_tense("blame"), past_tense("accuse"), past_tense("say")
    ('denied', 'blamed', 'accused', 'said')
    """
    low = lemma.lower()
    if low in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[low]
    if low.endswith("e"):
        return low + "d"
    if low.endswith("y") and low[-2:-1] not in "aeiou":
        return low[:-1] + "ied"
    if re.fullmatch(r".*[^aeiou][aeiou][pt]", low) and low in ("admit", "rebut", "commit", "regret", "stop"):
        return low + low[-1] + "ed"
    return low + "ed"


def _strip_that(text: str) -> str:
    return re.sub(r"^that\s+", "", text, flags=re.I)


def _tokens_in(doc: Any, span: tuple[int, int]) -> list[Any]:
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    return list(sp) if sp is not None else []


def _is_clause(toks: list[Any]) -> bool:
    """Whether the content holds a verb with a subject (a proposition), not just a phrase."""
    return any(t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in t.children)
               for t in toks)


_MODALS = frozenset(["will", "would", "'ll", "might", "may", "could", "should", "must", "can", "shall"])
_UNREALISED = frozenset(["due", "set", "expect", "schedule", "plan", "go", "likely", "want", "hope", "intend",
                         "need", "try", "have", "able", "unable", "ready", "prepare", "promise"])


def _not_yet_said(verb: Any) -> bool:
    """"is due to report", "will announce", "wants to say": speech that has not happened."""
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in verb.children):
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _UNREALISED


def _target_text(target: Any, text: str) -> str:
    """The accused, without the charge the parser may have hung on it ("its allies [of scuttling]")."""
    toks = [t for t in target.subtree]
    for t in toks:
        if t.dep_ == "prep" and t.lower_ in ("of", "for", "with") and t.i > target.i and any(
                c.tag_ == "VBG" or c.dep_ == "pcomp" for c in t.children):
            toks = [x for x in toks if x.i < t.i]
            break
    return text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]


def _cut_short(toks: list[Any]) -> bool:
    """'claiming a Shia militia | had turned back evacuees': a noun phrase followed at once by a
    finite verb outside the content is the subject of a clause the parser broke off."""
    last = toks[-1]
    doc = last.doc
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    if last.i + 1 >= len(doc) or not roots or roots[0].pos_ not in ("NOUN", "PROPN", "PRON"):
        return False
    nxt = doc[last.i + 1]
    return nxt.pos_ in ("AUX", "VERB") and nxt.tag_ in ("VBD", "VBZ", "VBP", "MD")


def _root_is_clause(toks: list[Any]) -> bool:
    """Whether the content's head is a finite verb with its subject ("a deal was reached"),
    not a noun ("union claims that ...") or a gerund ("carrying out killings")."""
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    if not roots:
        return False
    root = roots[0]
    return root.pos_ in ("VERB", "AUX") and root.tag_ != "VBG" and any(
        c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children)


def _negative(toks: list[Any]) -> bool:
    """Whether the content's main clause is negated ("no workers had been hired", "did not ...")."""
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    for root in roots[:2]:
        if root.pos_ not in ("VERB", "AUX"):
            continue
        for c in root.children:
            if c.dep_ == "neg" or c.lower_ in ("never",):
                return True
            if c.dep_ in ("nsubj", "nsubjpass") and (
                c.lower_ in _NEGATORS or any(d.dep_ == "det" and d.lower_ in ("no", "neither") for d in c.children)
                or any(d.lower_ == "not" for d in c.subtree if d.i < c.i)
            ):
                return True
    return False


def _fragment(text: str, toks: list[Any], direct: bool) -> bool:
    """Content a reader learns nothing from: a pronoun, an anaphoric noun phrase, a few words without a verb."""
    words = [t for t in toks if not t.is_punct and not t.is_quote]
    if not words:
        return True
    if words[0].lower_ in _PRONOUN_OBJECTS and (len(words) <= 3 or words[0].dep_ in ("dobj", "nsubj")
                                              and words[0].head.i not in {t.i for t in toks}):
        return True  # "Calling that an 'excuse'": the object is a pronoun
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in words)
    if not has_verb and words[0].lower_ in _ANAPHORIC_DET and len(words) <= 3:
        return True  # "denied the claim", "rejects that framing"
    return not has_verb and len(words) < (3 if direct else 4)


def read_claim(rel: Rel, doc: Any, text: str, direct: bool) -> ClaimReading:
    """The stance, display text and target of one attribution.

    Args:
        rel: the attribution (cue token, content span, how it was found).
        doc: the article's spaCy Doc.
        text: the article text.
        direct: whether the content is (or holds) a direct quotation.
    """
    content = text[rel.content[0] : rel.content[1]]
    toks = _tokens_in(doc, rel.content)
    head = rel.head
    if rel.how == "noun":
        stance = stance_of(head.lemma_, noun=True)
    elif rel.how == "verb":
        stance = stance_of(head.lemma_)
    else:
        stance = "asserts"
    negative = _negative(toks)
    if "interviewer" in rel.notes:
        # An interviewer's questions are no claims; what the interviewer states is, and is the interviewer's
        said = " ".join(x for x in re.split(r"(?<=[.!?])\s+", content.strip()) if x and not x.endswith("?"))
        if not said or _fragment(said, [t for t in toks if t.idx < rel.content[0] + len(said) + 1], direct):
            return ClaimReading("questions", "", why_not="interviewer", negative=negative)
        return ClaimReading("asserts", said, None, negative)
    if rel.how in ("according", "colon", "dash", "standalone"):
        return _reading(stance, _strip_that(content), negative, toks, direct)
    lemma = head.lemma_.lower()
    if rel.how == "verb":
        if cue_class(lemma) == "other":
            return ClaimReading(stance, "", why_not="other_cue", negative=negative)
        if any(c.dep_ == "neg" for c in head.children) or any(
                a.lemma_.lower() in ("decline", "refuse") for a in head.ancestors if a.i < head.i):
            return ClaimReading(stance, "", why_not="negated", negative=negative)
        if _not_yet_said(head):
            return ClaimReading(stance, "", why_not="not_said", negative=negative)  # "is due to report"
        if any(c.dep_ in ("dobj", "obj") and c.lower_ in _REFLEXIVE for c in head.children):
            return ClaimReading(stance, "", why_not="self")  # "describes himself as ..."
    frame = frame_of(head) if rel.how == "verb" else "noun"
    if rel.how == "verb" and lemma in _NEEDS_CLAUSE and frame not in _CLAUSE_FRAMES:
        return ClaimReading(stance, "", why_not="not_speech", negative=negative)  # "pointing at the crowd"
    if rel.how == "verb" and cue_class(lemma) == "cognition" and not direct and not _root_is_clause(toks):
        return ClaimReading(stance, "", why_not="not_a_proposition", negative=negative)  # "fearing looting"
    if rel.how == "verb" and toks and _cut_short(toks):
        return ClaimReading(stance, "", why_not="fragment", negative=negative)
    if stance == "questions" and rel.how == "verb" and not _asks_a_question(content, toks):
        return ClaimReading(stance, "", why_not="request", negative=negative)  # "asked not to be named"
    body = content
    if lemma == "tell" and rel.how == "verb":
        # "told AFP that ...", "told reporters the port was open": the addressee is not the claim
        for c in head.children:
            if c.dep_ in ("dobj", "dative") and c.i > head.i and c.left_edge.idx == rel.content[0]:
                end = max(t.idx + len(t.text) for t in c.subtree)
                if end < rel.content[1]:
                    body = text[end : rel.content[1]].lstrip(" ,\xa0")
                    toks = [t for t in toks if t.idx >= end]
                break
        else:
            # "told Al Jazeera cluster munitions were used": the parser joined the addressee
            # to the clause's subject; the named outlet or person at the start is the addressee
            first = toks[0] if toks else None
            if first is not None and first.ent_iob_ == "B" and first.ent_type_ in ("ORG", "PERSON", "GPE", "NORP"):
                ent = next((e for e in doc.ents if e.start == first.i), None)
                if ent is not None and ent.end < toks[-1].i and doc[ent.end].ent_iob_ != "I":
                    end = ent.end_char
                    body = text[end : rel.content[1]].lstrip(" ,\xa0")
                    toks = [t for t in toks if t.idx >= end]
    if stance == "accuses":
        target = next((c for c in head.children if c.dep_ in ("dobj", "obj")), None) if rel.how == "verb" else None
        # "accused X of Y": the parser may hang "of Y" on the object ("its allies of scuttling the deal")
        preps = list(head.children) + (list(target.subtree) if target is not None else [])
        has_charge = any(c.dep_ == "prep" and c.lower_ in ("of", "for", "with") for c in preps) or rel.how == "noun"
        if rel.how == "verb" and (target is None or not has_charge):
            return ClaimReading(stance, "", why_not="no_object")
        tgt = _target_text(target, text) if target is not None else None
        if _fragment(body, toks, direct):
            return ClaimReading(stance, "", tgt, negative, "fragment")
        return ClaimReading(stance, f"{past_tense(lemma) if rel.how == 'verb' else 'accused'} {body}", tgt, negative)
    if stance in ("denies", "rejects", "questions"):
        if _fragment(body, toks, direct):
            return ClaimReading(stance, "", None, negative, "fragment")
        verb = past_tense(lemma) if rel.how == "verb" else {"denies": "denied", "rejects": "rejected",
                                                             "questions": "questioned"}[stance]
        if stance == "denies" and _root_is_clause(toks) and not body.lower().startswith("that "):
            return ClaimReading(stance, f"{verb} that {body}", None, negative)  # "denied that a deal was reached"
        return ClaimReading(stance, f"{verb} {body}", None, negative)  # "denied union claims that ..."
    if rel.how == "noun":
        return _reading(stance, _strip_that(body), negative, toks, direct)
    if frame in _CLAUSE_FRAMES or direct and not rel.notes & {"by_quote"} or _is_clause(toks) and frame != "dobj":
        return _reading(stance, _strip_that(body), negative, toks, direct)
    # An object or infinitive ("urged both sides to return", "predicted a rise"): keep the verb.
    if _fragment(body, toks, direct):
        return ClaimReading(stance, "", None, negative, "fragment")
    return ClaimReading(stance, f"{head.text.lower() if not head.text.isupper() else head.text} {body}", None, negative)


def _reading(stance: Stance, body: str, negative: bool, toks: list[Any], direct: bool) -> ClaimReading:
    if _fragment(body, toks, direct):
        return ClaimReading(stance, "", None, negative, "fragment")
    return ClaimReading(stance, body, None, negative)
