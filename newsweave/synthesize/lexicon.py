"""Word forms that say the same thing: irregular verbs and news-event families.

The same-fact test (:mod:`newsweave.synthesize.entail`) compares what two
statements say through their content stems. A suffix stemmer cannot see
that "met" is "meet", that "broke down" and "collapsed" say one thing, or
that dockers who "downed tools" "walked off the job". This module maps such
words and phrases onto one token before the comparison:

* :data:`IRREGULAR`: past forms of common irregular verbs to their base
  ("met" -> "meet", "fled" -> "flee");
* :data:`FAMILIES`: families of words and phrases that name one kind of news
  event or thing ("walked out", "downed tools", "stoppage", "strike" ->
  ``ev:strike``; "death toll", "killed", "died" -> ``ev:die``).

The families are general news vocabulary (labour action, casualties,
displacement, talks, accusations, votes ...), not the wording of any story:
a word joins a family only when the two are interchangeable in a report of
the same event. A family token weighs like any rare content word, so it
never decides a match alone: numbers, names and the other content words
still have to agree, and the numeric and denial vetoes still apply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

__all__ = ["IRREGULAR", "FAMILIES", "family_tokens", "lemma", "has_finite_verb"]

IRREGULAR: dict[str, str] = {
    w: base
    for base, forms in {
        "meet": "met", "see": "saw seen", "break": "broke broken", "begin": "began begun", "go": "went gone",
        "take": "took taken", "give": "gave given", "come": "came", "tell": "told", "say": "said",
        "hold": "held", "lead": "led", "leave": "left", "lose": "lost", "make": "made", "pay": "paid",
        "run": "ran", "send": "sent", "speak": "spoke spoken", "stand": "stood", "fall": "fell fallen",
        "rise": "rose risen", "find": "found", "fight": "fought", "bring": "brought", "buy": "bought",
        "catch": "caught", "think": "thought", "win": "won", "keep": "kept", "know": "knew known",
        "drive": "drove driven", "flee": "fled", "shoot": "shot", "seek": "sought", "sink": "sank sunk",
        "sweep": "swept", "write": "wrote written", "choose": "chose chosen", "hide": "hid hidden",
        "withdraw": "withdrew withdrawn", "become": "became", "grow": "grew grown", "throw": "threw thrown",
        "blow": "blew blown", "deal": "dealt", "feel": "felt", "hear": "heard", "mean": "meant",
        "sell": "sold", "spend": "spent", "steal": "stole stolen", "understand": "understood",
        "wake": "woke woken", "wear": "wore worn", "draw": "drew drawn", "forbid": "forbade forbidden",
        "freeze": "froze frozen", "ride": "rode ridden", "rise up": "rose up", "shake": "shook shaken",
        "sing": "sang sung", "swear": "swore sworn", "strike": "struck", "tear": "tore torn",
        "undertake": "undertook undertaken", "overtake": "overtook overtaken", "arise": "arose arisen",
        "build": "built", "bear": "bore borne", "bind": "bound", "dig": "dug", "feed": "fed", "hang": "hung",
        "lend": "lent", "light": "lit", "slide": "slid", "spin": "spun", "stick": "stuck", "sting": "stung",
        "swing": "swung", "teach": "taught", "weep": "wept", "wind": "wound",
    }.items()
    for w in forms.split()
}  # fmt: skip
# "wound" is also a noun and a verb of its own ("wounded"): the injury sense wins in news.
IRREGULAR.pop("wound", None)

# Families: phrases (lower case, space separated; "*" ends a word prefix)
# that name one kind of event or thing in news reports.
_FAMILY_TEXT: dict[str, str] = {
    "strike": "strike|strikes|striking|striker*|walkout*|walk out|walks out|walked out|walking out|walk off the job|"
              "walked off the job|walking off the job|down tools|downed tools|downing tools|stoppage*|"
              "industrial action|picket*",
    "collapse": "collapse*|broke down|break down|breaks down|broken down|breaking down|breakdown|fell apart|"
                "fall apart|failed|fail|fails|failure|stalled|stall",
    "die": "die|died|dies|dying|dead|death*|death toll|toll|kill|killed|killing*|fatalit*|body|bodies",
    "injure": "injur*|wound*|hurt",
    "evacuate": "evacuat*|evacuee*",
    "flee": "flee|fled|fleeing|displac*|left their homes|leave their homes|left home",
    "missing": "missing|unaccounted",
    "arrest": "arrest*|detain*|detention|custody",
    "meet": "meet|meets|meeting*|met",
    "accuse": "accus*|blame*|blaming|alleg*",
    "deny": "deni*|deny|denying",
    "offer": "offer*|propos*",
    "demand": "demand*|want|wants|wanted|seek*|sought|call for|calls for|called for",
    "talks": "talks|negotiat*",
    "resign": "resign*|quit|quits|step down|steps down|stepped down",
    "vote": "vote*|voting|ballot*",
    "rise": "rise|rises|rising|rose|risen|climb*|increas*|went up|go up|goes up",
    "ship": "ship|ships|vessel*",
    "divert": "divert*|rerout*",
    "warn": "warning*|warned|warn|warns|siren*|alarm*|alert*",
    "rescue": "rescu*|lift* from|pulled out|saved",
    "flood": "flood*|burst its banks|burst their banks|burst the banks|wall of water|walls of water|inundat*|"
             "overflow*|submerg*|deluge*",
    "contract": "contract*|tender*|bid|bids|bidder*",
    "inquiry": "inquir*|investigat*|probe*",
    "court": "court|courts|judge|judges|ruling*|ruled",
    "hire": "hire|hired|hiring|employ*|recruit*|brought in|bring in|bringing in",
    "cost": "cost*|price*|expens*|pay more|paying more|paid more|pay|paying|paid",
    "figure": "number|figure|figures|tally|count",
    "replace": "replac*|strike-breaker*|agency staff|agency workers",
}  # fmt: skip


def _compile(text: str) -> list[tuple[str, ...]]:
    return [tuple(p.split()) for p in text.split("|")]


FAMILIES: dict[str, list[tuple[str, ...]]] = {name: _compile(t) for name, t in _FAMILY_TEXT.items()}
_SINGLE: dict[str, str] = {}
_PREFIX: list[tuple[str, str]] = []
_MULTI: list[tuple[tuple[str, ...], str]] = []
for _name, _phrases in FAMILIES.items():
    for _p in _phrases:
        if len(_p) > 1:
            _MULTI.append((_p, _name))
        elif _p[0].endswith("*"):
            _PREFIX.append((_p[0][:-1], _name))
        else:
            _SINGLE.setdefault(_p[0], _name)
_MULTI.sort(key=lambda t: -len(t[0]))
_PREFIX.sort(key=lambda t: -len(t[0]))
_WORDISH = re.compile(r"^[a-z][a-z'-]*$")


def lemma(word: str) -> str:
    """The base form of an irregular past ("met" -> "meet"), else the word (lower case).

    >>> lemma("Met"), lemma("fled"), lemma("walked")
    ('meet', 'flee', 'walked')
    """
    w = word.lower()
    return IRREGULAR.get(w, w)


@lru_cache(maxsize=65536)
def _word_family(w: str) -> str | None:
    fam = _SINGLE.get(w)
    if fam:
        return fam
    for pre, name in _PREFIX:
        if w.startswith(pre) and len(w) >= len(pre):
            return name
    return None


@lru_cache(maxsize=65536)
def _phrases_from(w: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The multi-word phrases (in :data:`_MULTI`'s order) whose first word can be ``w``:
    found once per word, not tried against every phrase at every position."""
    return tuple((phrase, name) for phrase, name in _MULTI
                 if (first := phrase[0].rstrip("*")) and w.startswith(first))


def _match_at(ws: Sequence[str], i: int, phrase: tuple[str, ...]) -> bool:
    if i + len(phrase) > len(ws):
        return False
    for k, p in enumerate(phrase):
        w = ws[i + k]
        if p.endswith("*"):
            if not w.startswith(p[:-1]):
                return False
        elif w != p:
            return False
    return True


def family_tokens(words: Iterable[str]) -> tuple[list[tuple[int, str]], set[int]]:
    """Family tokens (``ev:NAME``, with the position of their first word)
    found in a lower-cased word sequence, and the positions of the words they cover.

    >>> family_tokens("the dockers downed tools on monday".split())
    ([(2, 'ev:strike')], {2, 3})
    >>> [t for _, t in family_tokens("talks broke down late monday".split())[0]]
    ['ev:talks', 'ev:collapse']
    """
    ws = [w for w in words]
    out: list[tuple[int, str]] = []
    covered: set[int] = set()
    i = 0
    while i < len(ws):
        hit = None
        for phrase, name in _phrases_from(ws[i]):
            if _match_at(ws, i, phrase):
                hit = (len(phrase), name)
                break
        if hit is None and _WORDISH.match(ws[i]):
            fam = _word_family(ws[i])
            if fam:
                hit = (1, fam)
        if hit:
            out.append((i, "ev:" + hit[1]))
            covered.update(range(i, i + hit[0]))
            i += hit[0]
        else:
            i += 1
    return out, covered


# Verbs whose past is their base ("the river burst its banks"), auxiliaries and modals.
_SAME_PAST = frozenset(["burst", "hit", "cut", "put", "set", "let", "quit", "spread", "shut", "cost", "hurt", "split", "beat", "cast", "upset", "bid", "shed"])
_AUX = frozenset(
    ["is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "can", "could", "shall", "should", "may", "might", "must", "did", "does", "do", "isn't", "aren't", "wasn't", "weren't", "hasn't", "haven't", "hadn't", "won't", "wouldn't", "can't", "couldn't", "didn't", "doesn't", "don't"]
)
# -ed words that are rarely verbs in news.
_NOT_VERB_ED = frozenset(["red", "bed", "need", "seed", "feed", "speed", "hundred", "shed", "breed", "creed", "greed", "indeed"])


def has_finite_verb(words: Sequence[str]) -> bool:
    """Whether a lower-cased word sequence holds a finite verb, roughly: an
    auxiliary or modal, a past form ("-ed", an irregular past, "burst"), or
    a present form of an event verb ("floods", "collapses").

    Used to tell a subordinate clause ("after talks broke down") from a
    prepositional phrase of background ("after weeks of intense fighting"),
    which states no fact of its own.

    >>> has_finite_verb("after talks broke down".split()), has_finite_verb("after weeks of fighting".split())
    (True, False)
    >>> has_finite_verb("as the river floods the town".split())
    True
    """
    for w in words:
        if w in _AUX or w in _SAME_PAST or (w in IRREGULAR and w not in ("left", "found", "bound", "light")):
            return True
        if w.endswith("ed") and len(w) > 4 and w not in _NOT_VERB_ED:
            return True
        if w.endswith("s") and not w.endswith("ss") and len(w) > 4 and _word_family(w) and _word_family(w[:-1]):
            return True  # "floods": an event word that is also a form without its "s"
    return False
