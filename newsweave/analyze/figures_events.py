"""What a figure says happened, what kind of figure it is, and whose words govern it.

A figure's *frame* is read from the words that govern it:

* ``event``: what happened to the counted things: killed, injured, missing,
  evacuated, fled, left, displaced, remaining, detained, released, handed over,
  rescued, capacity (a place able to host them), on strike, waiting, diverted;
  or None when nothing in its clause says;
* ``kind``: ``reported`` (the default), ``estimated`` ("he estimated there
  were ...", "an estimated 130,000"), ``demanded`` ("they want the handover of
  250 fighters"), ``planned`` ("a camp to host 80,000 people") or ``offered``;
* ``speaker``: the subject of the reporting verb that governs the figure (or of
  the demand, plan or offer), as a span; the speaker's name is worked out in
  :mod:`newsweave.analyze.figures_speakers`.

With a dependency parse the frame is read by walking up from the figure to its
governing verbs ("host 80,000 people" -> capacity; "the handover of over 250
fighters" under "wanted" -> handed over, demanded). Without one, the word
windows of :mod:`newsweave.analyze.figures_cues` stand in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Frame", "frame_from_doc", "noun_event", "has_parse", "EVENTS", "EVENT_LEMMAS"]

# Lemmas (verbs, nouns, adjectives) that say what happened to the counted things.
EVENT_LEMMAS: dict[str, str] = {}
for _event, _words in {
    "killed": "kill die dead death toll execute execution slaughter massacre perish fatality murder behead "
              "drown fatal",
    "injured": "wound injure injury hurt maim",
    "casualties": "casualty",
    "missing": "missing disappear unaccounted",
    "evacuated": "evacuate evacuation evacuee airlift bus",
    "fled": "flee escape",
    "left": "leave exit depart departure",
    "displaced": "displace displacement uproot homeless",
    "remaining": "remain trap stay besiege strand",
    "detained": "arrest detain detention capture jail imprison abduct kidnap hostage",
    "released": "release free",
    "handed over": "handover",
    "rescued": "rescue",
    "deployed": "deploy dispatch",
    "damaged": "destroy damage demolish raze flatten",
    "cut": "layoff redundancy",
    "burned": "burn scorch char blacken",
    "arrived": "arrive",
    "capacity": "host house accommodate capacity",
    "on strike": "strike walkout stoppage",
    "waiting": "wait queue anchor idle",
    "diverted": "divert reroute",
    "protesting": "protest march rally demonstrate",
}.items():
    for _w in _words.split():
        EVENT_LEMMAS[_w] = _event
EVENTS = frozenset(EVENT_LEMMAS.values())

# Counted nouns that carry their own event ("62 deaths", "300 evacuees", "4,000 strikers").
_NOUN_EVENTS = {
    "death": "killed", "dead": "killed", "fatality": "killed", "body": "killed", "victim": "killed",
    "injury": "injured", "injured": "injured", "wounded": "injured", "casualty": "casualties",
    "evacuee": "evacuated", "refugee": "displaced", "hostage": "detained", "prisoner": "detained",
    "detainee": "detained", "captive": "detained", "striker": "on strike", "survivor": "rescued",
}  # fmt: skip
# Verbs (lemmas) that make a figure something wanted, planned or offered rather than reported.
_KIND_LEMMAS = {
    **dict.fromkeys(["want", "demand", "seek", "ask", "insist", "require", "call", "press", "urge"], "demanded"),
    **dict.fromkeys(["plan", "intend", "aim", "propose", "prepare", "design", "build"], "planned"),
    **dict.fromkeys(["offer"], "offered"),
    **dict.fromkeys(["estimate"], "estimated"),
}
# Reporting verbs: their subject gave the figure.
_SPEECH_LEMMAS = frozenset(
    ["say", "tell", "report", "announce", "state", "add", "confirm", "claim", "tweet", "write", "estimate", "count", "record", "document", "warn", "accuse", "allege", "insist", "predict", "note", "explain", "show", "find", "quote", "reckon", "calculate"]
)
_NUMBER_NOUNS = frozenset(["number", "figure", "toll", "total", "count", "estimate", "tally"])
_FACILITIES = frozenset(["camp", "shelter", "centre", "center", "tent", "hall", "clinic", "hospital", "housing", "accommodation", "bed", "place", "room", "space", "site", "facility", "home"])
_CUT_LEMMAS = frozenset(["cut", "shed", "axe", "slash", "eliminate", "scrap", "lose", "cost", "threaten"])
_JOB_NOUNS = frozenset(["job", "post", "position", "role", "worker", "employee", "staff", "workplace"])
_LIGHT_VERBS = frozenset(["be", "have", "do", "get", "make", "take", "become", "seem", "appear"])


@dataclass(frozen=True, slots=True)
class Frame:
    """What governs one figure (see the module docstring)."""

    event: str | None = None
    kind: str = "reported"
    speaker: tuple[int, int] | None = None  # span of who gave it, in the article text
    speaker_pronoun: bool = False  # the span is "he", "they" ... (resolve from earlier sentences)
    counted: str | None = None  # what is counted, when the figure's own phrase does not say ("offered 4.5%")
    actor: tuple[int, int] | None = None  # an organisation that did what the figure counts ("the province opened 14 shelters")
    revised: bool = False
    parsed: bool = False  # read from a dependency parse
    crossed: bool = False  # the parse tied the figure to words outside its sentence (read it again alone)


def noun_event(counted: str | None) -> str | None:
    """The event a counted noun carries by itself ("deaths" -> killed), else None.

    >>> noun_event("deaths"), noun_event("buses")
    ('killed', None)
    """
    if not counted:
        return None
    w = counted.lower().split()[-1]
    for cand in (w, w[:-1] if w.endswith("s") else w, w[:-3] + "y" if w.endswith("ies") else w):
        if cand in _NOUN_EVENTS:
            return _NOUN_EVENTS[cand]
    return None


# --- with a dependency parse ------------------------------------------------


def has_parse(doc: Any) -> bool:
    """Whether a Doc carries dependency labels."""
    try:
        return bool(doc is not None and doc.has_annotation("DEP"))
    except (AttributeError, ValueError):
        return False


def _lemma(tok: Any) -> str:
    return str(tok.lemma_ or tok.text).lower()


def _token_event(tok: Any, child: Any | None) -> str | None:
    """The event a governing token names, given the child we came up from."""
    lem = _lemma(tok)
    low = tok.text.lower()
    if lem == "shoot" or low.startswith("shot"):
        return "killed" if any(c.text.lower() == "dead" for c in tok.children) else None
    if lem in ("keep", "hold") and any(c.dep_ == "prep" and c.text.lower() in ("in", "inside") for c in tok.children):
        return "remaining"  # "kept 100,000 people in east Aleppo"
    if lem in ("hold", "take") and any(c.text.lower() in ("hostage", "captive", "prisoner") for c in tok.children):
        return "detained"
    if lem == "leave" and low == "left" and tok.dep_ in ("amod", "acl") and child is not None:
        return "remaining"  # "the civilians left in the enclave"
    if tok.pos_ == "NOUN" and lem in _FACILITIES and child is not None and child.text.lower() == "for":
        return "capacity"  # "a camp at the sports ground for up to 800 people"
    if lem in _CUT_LEMMAS and child is not None and _lemma(child) in _JOB_NOUNS:
        return "cut"  # "cutting 1,800 jobs", "would cost 3,500 jobs"
    if lem == "treat" and any(c.text.lower() == "for" or c.text.lower() == "in" for c in tok.children):
        return "injured"  # "treated in hospital for injuries"
    if lem == "pull" and any(c.text.lower() == "out" for c in tok.children):
        return "rescued"
    if lem == "bring" and any(c.text.lower() in ("out", "surface", "safety") or any(
            g.text.lower() in ("surface", "safety") for g in c.children) for c in tok.children):
        return "rescued"  # "brought 112 workers to the surface"
    if lem == "send" and tok.tag_ == "VBN":
        return "deployed"
    if lem == "join" and any(_lemma(c) in ("strike", "stoppage", "walkout", "picket") for c in tok.children):
        return "on strike"
    if lem in ("walk", "down") and any(c.text.lower() in ("out", "off", "tools") for c in tok.children):
        return "on strike"  # "walked out", "walked off the job", "downed tools"
    if lem in ("be", "stay", "remain") and any(c.text.lower() == "out" and c.dep_ in ("advmod", "prt", "acomp")
                                               and not any(g.text.lower() == "of" for g in c.children)
                                               for c in tok.children):
        return "on strike"  # "4,000 workers are out", "we will stay out"
    if lem == "still" or (lem == "be" and any(c.text.lower() == "still" or (
            c.dep_ == "prep" and any(g.text.lower() == "still" for g in c.children)) for c in tok.children)):
        return "remaining"
    if lem == "strike" and tok.pos_ == "VERB":
        return None  # "a missile struck", not a stoppage
    if lem == "bus" and tok.pos_ != "VERB":
        return None
    return EVENT_LEMMAS.get(lem) or EVENT_LEMMAS.get(low)


def _np_span(tok: Any) -> tuple[int, int]:
    """The noun phrase of a subject token without relative clauses or appositions."""
    left = tok
    for t in reversed(list(tok.lefts)):
        if t.dep_ in ("compound", "det", "amod", "poss", "nmod", "case", "punct") or t.i == left.i - 1:
            left = t if t.i < left.i else left
    right = tok
    for t in tok.rights:
        if t.dep_ == "prep" and t.text.lower() in ("of", "for", "from", "in", "at", "by") and t.i == right.i + 1:
            right = max(t.subtree, key=lambda x: x.i)
        elif t.dep_ == "cc" and t.i == right.i + 1:
            continue  # "the UN and Amnesty International": both named
        elif t.dep_ == "conj" and t.pos_ == "PROPN" and t.i <= right.i + 3:
            right = max((x for x in t.subtree if x.dep_ not in ("relcl", "acl", "punct", "appos")), key=lambda x: x.i)
        else:
            break
    if left.dep_ == "case":
        left = tok
    start = min(left.idx, tok.idx)
    return start, right.idx + len(right.text)


def _subject(verb: Any) -> tuple[tuple[int, int] | None, bool]:
    """The subject span of a verb ("the Marrowick Port Authority"), and whether it is a pronoun.
    A descriptor with a name in apposition gives the name ("its spokesman, Idris Kallan")."""
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.dep_ != "expl":
            if c.dep_ == "nsubjpass":
                break  # "it was announced": nobody named
            if c.pos_ == "NOUN":
                for a in c.children:
                    if a.dep_ == "appos" and a.pos_ == "PROPN" and a.ent_type_ == "PERSON":
                        return _np_span(a), False
            return _np_span(c), c.tag_ in ("PRP",)
    for c in verb.children:  # "..., said the union": an agent after a passive, or an inverted subject
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return _np_span(g), g.tag_ == "PRP"
    if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.i != verb.i:
        return _subject(verb.head)  # "planning to set up", "said ... and added"
    return None, False


def _according_to(verb: Any) -> tuple[int, int] | None:
    for c in verb.children:
        if c.dep_ == "prep" and c.text.lower() == "according":
            for g in c.subtree:
                if g.dep_ == "pobj" and g.head.text.lower() == "to":
                    return _np_span(g)
    return None


def _figure_head(doc: Any, fstart: int, fend: int) -> Any | None:
    span = doc.char_span(fstart, fend, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _what_of_measure(head: Any) -> Any | None:
    """The token naming what a percentage or measure without a counted noun measures:
    "offered 4.5%" -> offer, "shares fell 6.2%" -> shares, "an offer of 4.5%" -> offer,
    "cut profit by 8%" -> profit, "the fire burned 4,200 hectares" -> fire."""
    tok = head
    if tok.dep_ == "pobj" and tok.head.text.lower() == "of" and tok.head.head.pos_ == "NOUN" \
            and _lemma(tok.head.head) not in _NUMBER_NOUNS:
        return tok.head.head  # "an offer of 4.5%", "a rise of 9%"
    if tok.dep_ == "pobj" and tok.head.text.lower() in ("by", "for", "over", "across", "along"):
        tok = tok.head  # "cut profit by about 8%", "lorries queued for three kilometres"
    gov = tok.head
    if gov.pos_ not in ("VERB", "AUX"):
        return None
    lem = _lemma(gov)
    if lem in _MEASURE_VERBS:
        return gov
    for dep in ("dobj", "nsubj"):
        for c in gov.children:
            if c.dep_ == dep and c.i != tok.i and c.i != head.i and c.pos_ in ("NOUN", "PROPN") \
                    and _lemma(c) not in _NUMBER_NOUNS:
                return c
    return None


_MEASURE_VERBS = {"offer": "offer", "cost": "cost", "lose": "loss", "spend": "spending", "pay": "payment",
                  "fine": "fine", "owe": "debt", "invest": "investment"}


_PASS_PREPS = frozenset(["of", "to", "at", "by", "from", "for"])  # "evacuation of X", "rose to X", "put at X"
_SPEECH_NOUNS = frozenset(["concern", "alarm", "fear", "warning", "estimate", "figure"])
_PLANNED_AUX = frozenset(["will", "'ll", "wo"])
_PLANNED_LEMMAS = frozenset(["mean", "due", "expect", "allow", "schedule", "set"])


def _is_speech(tok: Any) -> bool:
    """A reporting verb, or "put the number at", "raised alarms about", "voiced concern"."""
    lem = _lemma(tok)
    if lem in _SPEECH_LEMMAS:
        return True
    objs = [_lemma(c) for c in tok.children if c.dep_ == "dobj"]
    if lem == "put":  # "put the number at", "put the difference at 180 million"
        return bool(objs) and (any(o in _NUMBER_NOUNS for o in objs)
                               or any(c.dep_ == "prep" and c.text.lower() == "at" for c in tok.children))
    return lem in ("raise", "voice", "express", "sound") and any(o in _SPEECH_NOUNS for o in objs)


def _verbal_event(tok: Any, child: Any | None) -> str | None:
    """The event of a verb or its complement: "have gone missing", "were found dead", "thought to remain"."""
    ev = _token_event(tok, child)
    if ev:
        return ev
    for c in tok.children:
        if c.dep_ in ("acomp", "xcomp", "oprd") and c is not child:
            ev = _token_event(c, tok)
            if ev:
                return ev
            for g in c.children:  # "thought to remain"
                if g.dep_ in ("xcomp", "acomp"):
                    ev = _token_event(g, c)
                    if ev:
                        return ev
    return None


def _own_event(nouns: list[Any], fstart: int, fend: int) -> str | None:
    """What the figure's own modifiers say: "80,000 people fleeing", "civilians being executed",
    "trapped civilians", "fighters still in the enclave"."""
    for n in nouns:
        for c in n.children:
            if c.dep_ in ("acl", "relcl") and not fstart <= c.idx < fend:
                ev = _verbal_event(c, n)
                if ev:
                    return ev
            elif c.dep_ == "amod" or (c.dep_ == "prep" and any(g.text.lower() == "still" for g in c.children)):
                ev = "remaining" if c.dep_ == "prep" else _token_event(c, n)
                if ev:
                    return ev
            elif c.dep_ == "advmod" and c.text.lower() == "still":
                return "remaining"
    return None


_ORG_NOUNS = frozenset(
    ["province", "government", "ministry", "council", "authority", "agency", "institute", "service", "company", "board", "office", "army", "police", "municipality", "city", "state", "commission", "committee", "department", "union", "party", "organisation", "organization"]
)


def _plans(verb: Any) -> bool:
    """A verb of plans or schedules ("was meant to", "would allow"), or one in the future
    ("will host"; "it would install" in reported speech)."""
    return _lemma(verb) in _PLANNED_LEMMAS or any(
        c.dep_ == "aux" and (c.text.lower() in _PLANNED_AUX or (c.text.lower() == "would" and _agent_subject(verb)))
        for c in verb.children
    )


def _agent_subject(verb: Any) -> bool:
    """Whether a verb's subject is a party ("it would install", "the province would open"), so
    that "would" reports a plan; "a strike would cut profit" is a projection."""
    return any(c.dep_ == "nsubj" and (c.tag_ == "PRP" or c.ent_type_ in ("ORG", "GPE", "PERSON", "NORP")
                                      or _lemma(c) in _ORG_NOUNS) for c in verb.children)


def _organisation(verb: Any) -> tuple[int, int] | None:
    """The verb's subject when it is an organisation ("The province opened 14 shelters")."""
    for c in verb.children:
        if c.dep_ == "nsubj" and (c.ent_type_ in ("ORG", "GPE") or _lemma(c) in _ORG_NOUNS):
            return _np_span(c)
    return None


def _appended_speaker(root: Any, fend: int, doc: Any) -> tuple[tuple[int, int] | None, bool]:
    """"The toll rose to 31, the service said": a reporting verb the parser hung off the
    root (parataxis) after the figure."""
    for c in root.children:
        if (c.dep_ == "parataxis" or (c.dep_ in ("ccomp", "conj") and c.idx >= fend)) and _is_speech(c):
            found, pr = _subject(c)
            if found is not None and not _date_like(found, doc):
                return found, pr
    return None, False


_EVIDENCE = frozenset(["image", "images", "data", "figure", "figures", "record", "records", "report", "study", "survey", "footage", "photo", "photos", "analysis", "count", "map", "maps", "document", "documents"])


def _evidence(doc: Any, span: tuple[int, int]) -> bool:
    """"Satellite images showed ...": evidence, not a party; the party is whoever cites it."""
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    return bool(sp is not None and len(sp) and sp.root.pos_ == "NOUN" and _lemma(sp.root) in _EVIDENCE)


def _date_like(span: tuple[int, int] | None, doc: Any) -> bool:
    if span is None:
        return False
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    return bool(sp is not None and len(sp) and all(t.ent_type_ in ("DATE", "TIME") for t in sp))


def frame_from_doc(doc: Any, sent_start: int, sent_end: int, fstart: int, fend: int) -> Frame | None:
    """The frame of the figure at ``text[fstart:fend]`` read from a parsed Doc (None without a parse).

    Walks up from the figure: the first event word it is an argument of is its
    event (a plain verb that names no event ends the search: "20 buses stood";
    an adverbial phrase, "after 130,000 fled", does too); else the figure's own
    modifiers say ("80,000 people fleeing"). The first verb of wanting,
    planning or offering on the way sets its kind, and the first reporting verb
    (or "according to") gives its speaker.
    """
    if not has_parse(doc):
        return None
    head = _figure_head(doc, fstart, fend)
    if head is None:
        return None
    event: str | None = None
    event_open = True
    kind = "reported"
    speaker: tuple[int, int] | None = None
    pronoun = False
    kind_subject: tuple[tuple[int, int] | None, bool] = (None, False)
    counted = None
    what = _what_of_measure(head)
    counted = None
    if what is not None and sent_start <= what.idx < sent_end:
        counted = _MEASURE_VERBS.get(_lemma(what), str(what.text)) if what.pos_ in ("VERB", "AUX") else str(what.text)
    nouns = [t for t in doc.char_span(fstart, fend, alignment_mode="expand") if t.pos_ in ("NOUN", "PROPN")] + [head]
    actor: tuple[int, int] | None = None
    crossed = False
    tok, child = head, None
    steps = 0
    while tok.head.i != tok.i and steps < 14:
        child, tok = tok, tok.head
        steps += 1
        if not (sent_start <= tok.idx < sent_end):
            crossed = True
            break
        lem = _lemma(tok)
        if actor is None and tok.pos_ == "VERB" and child.dep_ in ("dobj", "pobj", "prep"):
            actor = _organisation(tok)
        if child.dep_ in ("conj", "appos") and tok.pos_ in ("NOUN", "PROPN"):
            nouns.append(tok)  # "5,000 fighters ..., as well as 15,000 civilians": the first conjunct's frame
        if event_open:
            if tok.dep_ == "prep" and child.dep_ == "pobj" and tok.text.lower() not in _PASS_PREPS:
                event_open = False  # "after 130,000 fled", "during the assault"
            ev = None if not event_open else _verbal_event(tok, child)
            if ev and not (lem == "toll" and child.dep_ == "nsubj"):
                event, event_open = ev, False
            elif tok.pos_ == "VERB" and lem not in _LIGHT_VERBS and lem not in _KIND_LEMMAS \
                    and not _is_speech(tok) and lem not in _PLANNED_LEMMAS:
                event_open = False  # "20 buses stood": the clause names no event
        as_subject = child.dep_ in ("nsubj", "nsubjpass", "csubj")
        if kind == "reported" and tok.pos_ in ("VERB", "AUX", "ADJ") and not as_subject:
            if lem in _KIND_LEMMAS and lem != "estimate":
                kind = _KIND_LEMMAS[lem]
                kind_subject = _subject(tok)
            elif _plans(tok) and not _is_speech(tok):
                kind = "planned"  # "was meant to", "would allow", "will host": nobody's plan named
        elif kind == "reported" and lem in ("plan", "proposal", "capacity") and tok.pos_ == "NOUN":
            kind = "planned"
        if tok.pos_ in ("VERB", "AUX"):
            acc = _according_to(tok)
            if acc or _is_speech(tok):
                if lem == "estimate" and kind == "reported":
                    kind = "estimated"
                found, pr = (acc, False) if acc else _subject(tok)
                if found is not None and not _date_like(found, doc) and not _evidence(doc, found):
                    speaker, pronoun = found, pr
                    break
    if speaker is None and tok.head.i == tok.i:
        speaker, pronoun = _appended_speaker(tok, fend, doc)
    if event is None:
        event = _own_event(nouns, fstart, fend)
    if speaker is None and kind in ("demanded", "planned", "offered"):
        speaker, pronoun = kind_subject  # "the union is demanding a 9% rise": the union gave it
    if speaker is not None and fstart <= speaker[0] < fend:
        speaker = None  # "Three rebel spokesmen said": the figure is the speakers
    outside = [sp for sp in (speaker, actor) if sp is not None and not (sent_start <= sp[0] < sent_end)]
    return Frame(event=event, kind=kind, speaker=speaker, speaker_pronoun=pronoun, counted=counted, parsed=True,
                 actor=actor if speaker is None else None, crossed=crossed or bool(outside))
