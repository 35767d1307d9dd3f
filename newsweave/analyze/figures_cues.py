"""Word-window cues of a figure's frame, for text without a dependency parse and
for the patterns a parse of a long sentence often gets wrong.

* :func:`event_of` and :func:`frame_from_rules`: the event and kind from words
  around the figure inside its clause;
* :func:`adjacent_event`: an event word right next to the figure ("killing at
  least 23 people", "41 people were still missing");
* :func:`event_noun_before`: an event noun the figure depends on ("the
  evacuation of 300 people", "room for 5,000 people");
* :func:`is_revision`: a figure worded as a revision ("the toll rose to 31").
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsweave.analyze.figures_events import EVENT_LEMMAS, Frame

__all__ = ["event_of", "frame_from_rules", "adjacent_event", "event_noun_before", "is_revision"]

# A number changed right before the figure ("rose to 62"), or a revision named anywhere in its sentence.
_REVISED_LEFT = re.compile(
    r"\b(?:r[io]se[ns]?|risen|climb(?:ed|s)?|jump(?:ed|s)?|increased|went\s+up|soared|revised|raised|"
    r"bringing\s+the\s+(?:death\s+)?toll|raising\s+the\s+(?:death\s+)?toll)\s+(?:\w+\s+){0,2}to\s+"
    r"(?:(?:at\s+least|more\s+than|over|about|some|nearly)\s+)?$|\breached\s+$",
    re.I,
)
_REVISED_SENTENCE = re.compile(
    r"\b(?:new|latest|updated|revised)\s+(?:death\s+)?(?:toll|figures?|count|tally|estimate)\b|"
    r"\b(?:revis\w+|updat\w+|rais\w+)\s+(?:its|the|their|his|her)\s+(?:death\s+)?(?:toll|figures?|count|tally|"
    r"estimate)\b",
    re.I,
)

_NOUN_OF = re.compile(r"\b([a-z]+)\s+of\s+(?:the\s+|some\s+|about\s+|over\s+|at\s+least\s+|more\s+than\s+)?$", re.I)
_ROOM_FOR = re.compile(
    r"\b(?:(?:room|space|beds?|places?|capacity|enough)\s+|(?:camp|shelter|centre|center|tents?|hall|clinic)\b"
    r"[^.;,]{0,40}?\s)for\s+(?:up\s+to\s+|some\s+|about\s+)?$",
    re.I,
)


def event_noun_before(text: str, fstart: int) -> str | None:
    """The event a noun right before the figure names: "the evacuation of 300 people",
    "the handover of over 250 fighters", "the deaths of 12 miners".

    >>> event_noun_before("wanted the handover of over 250 fighters", 23)
    'handed over'
    """
    left = text[max(0, fstart - 80):fstart]
    if _ROOM_FOR.search(left):
        return "capacity"  # "14 shelters with room for 5,000 people"
    m = _NOUN_OF.search(left)
    if not m:
        return None
    w = m.group(1).lower()
    for cand in (w, w[:-1] if w.endswith("s") else w):
        ev = EVENT_LEMMAS.get(cand)
        if ev and cand not in ("bus", "strike", "toll") or cand == "toll":
            return ev
    return None


# --- rules (no parse) -------------------------------------------------------

EVENT_BEFORE, EVENT_AFTER = 50, 90  # characters around a figure where its event word may be
_CLAUSE_START = re.compile(r"[;:]\s|,\s|\band that\b|\bbut\b|\bwhile\b|\bwhen\b|\bwhere\b|\bwho\b")
_SPEECH_AFTER = re.compile(r"^[\w ’'-]{0,40}?\b(?:said|say|says|told|tell|added)\b")
_NOUN_WOUNDED = re.compile(r".*\b(?:the|of)\s+$")
_EVENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("killed", re.compile(r"\b(?:kill\w*|dead|die[ds]?|dying|deaths?|execut\w*|slaughter\w*|massacr\w*|"
                          r"lost their lives|death toll|toll|fatalit\w*|shot dead|perish\w*|drown\w*)\b", re.I)),
    ("injured", re.compile(r"\b(?:wound\w*|injur\w*|hurt)\b", re.I)),
    ("casualties", re.compile(r"\bcasualt\w*\b", re.I)),
    ("capacity", re.compile(r"\b(?:to\s+host|to\s+house|to\s+accommodate|capacity|can\s+(?:host|house|hold))\b", re.I)),
    ("evacuated", re.compile(r"\b(?:evacuat\w*|evacuees?|airlift\w*)\b", re.I)),
    ("fled", re.compile(r"\b(?:fled|flee\w*|escap\w*)\b", re.I)),
    ("left", re.compile(r"\b(?:had\s+left|have\s+left|has\s+left|leaving|exit\w*|depart\w*)\b", re.I)),
    ("remaining", re.compile(r"\b(?:remain\w*|trapped|still\s+in|besieged|stay\w*|holed up|stranded|kept\s+\S+\s+"
                             r"(?:\S+\s+)?in)\b", re.I)),
    ("displaced", re.compile(r"\b(?:displac\w*|homeless|uproot\w*)\b", re.I)),
    ("detained", re.compile(r"\b(?:arrest\w*|detain\w*|captur\w*|hostages?|prisoners?|abduct\w*|kidnap\w*|jail\w*)\b", re.I)),
    ("handed over", re.compile(r"\b(?:handover|hand(?:ed|ing)?\s+over)\b", re.I)),
    ("released", re.compile(r"\b(?:releas\w*|freed)\b", re.I)),
    ("missing", re.compile(r"\b(?:missing|disappear\w*|unaccounted)\b", re.I)),
    ("on strike", re.compile(r"\b(?:on\s+strike|walk(?:ed|s)?\s+(?:out|off)|joined\s+the\s+(?:strike|stoppage|walkout)|"
                             r"downed\s+tools|strikers?)\b", re.I)),
    ("diverted", re.compile(r"\b(?:divert\w*|re-?routed|redirected|turned back|turned away)\b", re.I)),
    ("waiting", re.compile(r"\b(?:wait\w*|queu\w*|at anchor|idle)\b", re.I)),
    ("rescued", re.compile(r"\b(?:rescu\w*|saved)\b", re.I)),
)  # fmt: skip
_KIND_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("demanded", re.compile(r"\b(?:want\w*|demand\w*|call\w*\s+for|seek\w*|sought|ask\w*\s+for|insist\w*\s+on|"
                            r"handover|hand\s+over|urg\w*|press\w*\s+for)\b", re.I)),
    ("planned", re.compile(r"\b(?:plan\w*|intend\w*|aim\w*|propos\w*|to\s+host|to\s+house|to\s+build|will\s+build|"
                           r"designed\s+to|meant\s+to|due\s+to|expected\s+to|would\s+allow|pave\s+the\s+way)\b", re.I)),
    ("offered", re.compile(r"\boffer\w*\b", re.I)),
    ("estimated", re.compile(r"\b(?:estimat\w*|thought\s+to|believed\s+to|reckon\w*)\b", re.I)),
)


def _clause_window(sentence: str, pos: int, end: int) -> tuple[int, int]:
    lo, hi = max(0, pos - EVENT_BEFORE), min(len(sentence), end + EVENT_AFTER)
    for m in _CLAUSE_START.finditer(sentence, lo, pos):
        lo = m.end()
    semi = sentence.find(";", end, hi)
    if semi >= 0:
        hi = semi
    return lo, hi


def event_of(sentence: str, pos: int, end: int | None = None) -> str:
    """What happened to the counted things, from words around ``pos`` inside its clause
    (the rule path; a parse does better). "" when nothing says.

    >>> event_of("At least 82 civilians were executed, the UN said.", 9)
    'killed'
    >>> event_of("A camp to host 80,000 people fleeing the city.", 15)
    'capacity'
    """
    end = pos if end is None else end
    best, best_d = "", 10**9
    lo, hi = _clause_window(sentence, pos, end)
    after = sentence[end:hi]
    if _SPEECH_AFTER.match(after):
        return ""  # "Three rebel spokesmen said ...": a count of speakers, not of victims
    for name, pat in _EVENTS:
        for m in pat.finditer(sentence, lo, hi):
            if name == "injured" and _NOUN_WOUNDED.match(sentence, max(0, m.start() - 5), m.start()):
                continue  # "evacuation of the wounded": people, not an event
            d = m.start() - end if m.start() >= end else (pos - m.end()) + 8  # prefer what follows
            if name == "capacity" and m.start() < pos:
                d = 0  # "to host 80,000 people fleeing": the frame before wins
            if d < best_d:
                best, best_d = name, d
    return best


_ADJ_LEFT = re.compile(
    r"\b(killing|killed|kills|kill|executing|executed|wounding|wounded|injuring|injured|evacuating|evacuated|"
    r"rescuing|rescued|displacing|displaced|arresting|arrested|detaining|detained|hosting|host|house|housing|"
    r"accommodate|sheltering|freeing|freed|releasing|released|deploying|deployed)\s+$",
    re.I,
)
_ADJ_RIGHT = re.compile(
    r"^\s+(?:(?:have|had|has|were|was|are|is|been|being|reportedly|already|also|still|now|later|all)\s+){0,3}"
    r"(killed|died|dead|drowned|perished|executed|wounded|injured|hurt|evacuated|rescued|fled|escaped|missing|"
    r"displaced|trapped|stranded|remained|remain|arrested|detained|released|freed|deployed|destroyed|damaged|"
    r"waiting|queued|diverted|on\s+strike|walked\s+out|treated)\b",
    re.I,
)
_ABLE_TO = re.compile(
    r"\b(?:able\s+to|can|could|designed\s+to|built\s+to)\s+(?:treat|hold|host|house|take|accommodate|serve|carry|"
    r"seat|shelter|sleep)\s+(?:up\s+to\s+|some\s+|about\s+)?$",
    re.I,
)
_ADJ_EVENT = {
    "killing": "killed", "killed": "killed", "kills": "killed", "kill": "killed", "executing": "killed",
    "executed": "killed", "died": "killed", "dead": "killed", "drowned": "killed", "perished": "killed",
    "wounding": "injured", "wounded": "injured", "injuring": "injured", "injured": "injured", "hurt": "injured",
    "treated": "injured", "evacuating": "evacuated", "evacuated": "evacuated", "rescuing": "rescued",
    "rescued": "rescued", "fled": "fled", "escaped": "fled", "missing": "missing", "displacing": "displaced",
    "displaced": "displaced", "trapped": "remaining", "stranded": "remaining", "remained": "remaining",
    "remain": "remaining", "arresting": "detained", "arrested": "detained", "detaining": "detained",
    "detained": "detained", "released": "released", "freed": "released", "freeing": "released",
    "releasing": "released", "deployed": "deployed", "deploying": "deployed", "destroyed": "damaged",
    "damaged": "damaged", "waiting": "waiting", "queued": "waiting", "diverted": "diverted",
    "hosting": "capacity", "host": "capacity", "house": "capacity", "housing": "capacity",
    "accommodate": "capacity", "sheltering": "capacity",
}  # fmt: skip


def adjacent_event(text: str, start: int, end: int) -> str | None:
    """An event word right next to the figure: "killing at least 23 people", "41 people were
    still missing", "130,000 fled" (these beat a parse, which long sentences often get wrong).

    >>> t = "the river burst its banks, killing at least 23 people"
    >>> adjacent_event(t, t.index("at least"), len(t))
    'killed'
    """
    m = _ADJ_LEFT.search(text[max(0, start - 20):start])
    if m:
        return _ADJ_EVENT[m.group(1).lower()]
    if _ABLE_TO.search(text[max(0, start - 30):start]):
        return "capacity"  # "a clinic able to treat 60 patients"
    m = _ADJ_RIGHT.match(text[end:end + 60])
    if m:
        word = " ".join(m.group(1).lower().split())
        return "on strike" if word in ("on strike", "walked out") else _ADJ_EVENT.get(word)
    return None


def frame_from_rules(sentence: str, pos: int, end: int) -> Frame:
    """The frame from words around the figure inside its clause (offsets into ``sentence``)."""
    ev = event_of(sentence, pos, end) or None
    lo, _ = _clause_window(sentence, pos, end)
    left = sentence[max(0, lo - 60):pos]
    kind = "reported"
    for name, pat in _KIND_RULES:
        if pat.search(left):
            kind = name
            break
    if ev == "capacity" and kind == "reported" and re.search(r"\bto\s+(?:host|house|accommodate)\b", left, re.I):
        kind = "planned"
    return Frame(event=ev, kind=kind)


def is_revision(sentence: str, pos: int) -> bool:
    """Whether the figure at ``pos`` is worded as a revision ("the toll rose to 62", "in a new toll").

    >>> is_revision("The toll rose to 62 on Tuesday.", 17)
    True
    >>> is_revision("Police said 62 people died.", 12)
    False
    """
    return bool(_REVISED_LEFT.search(sentence[max(0, pos - 50):pos]) or _revised_sentence(sentence))


@lru_cache(maxsize=16)
def _revised_sentence(sentence: str) -> bool:
    # Asked once per figure: a one-line text with thousands of figures must not be searched thousands of times.
    return bool(_REVISED_SENTENCE.search(sentence))
