"""Disputes between parties, built from the claims stage's stances.

The claims stage (:mod:`newsweave.analyze.quotes`) gives every attribution
its speaker, its ``stance`` (asserts, denies, rejects, accuses, questions),
the accused ``target`` and a ``confidence``; only claims the briefing shows
(confidence of at least :data:`~newsweave.analyze.quotes_confidence.BRIEFING_MIN_CONFIDENCE`,
a resolved speaker, not in a caption or credit line) are used. A dispute
pairs what one party says with what another party says against it:

* **a denial and the claim it denies**: a claim by another party that
  states what is denied ("the office was already investigating" against
  "denied that it had opened an investigation"); a denial of "the claim"
  or "that framing" answers the claim made just before it;
* **an accusation and the accused party's answer**: "accused Marsh of
  steering the contract ... she had met" against Marsh denying the
  meeting; "accused the ministry of hiding the diary" against the
  ministry's spokesman saying nobody refused anything;
* **a negation against an assertion**: "there is no investigation" said by
  the office's spokeswoman against another party's "the office is already
  investigating".

Both sides name the same thing: they share a content word of what is
denied or negated (event families count, refusals too), and the claim
side is another party's (speakers' names and roles do not overlap). Each
side holds its party's claims on the thing (the denier's own "I did not
meet him" joins the denial) and cites every sentence the fact model says
states them.

Cost: claims are few (a handful per article); pairing them is quadratic in
the claims of one story, blocked by shared content words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from newsweave.analyze.quotes_confidence import BRIEFING_MIN_CONFIDENCE
from newsweave.models import Analysis, Citation, Dispute, Quote, Sentence
from newsweave.synthesize.clauses import strip_dateline
from newsweave.synthesize.entail import content_terms, statement
from newsweave.synthesize.lexical import STOPWORDS, stem

__all__ = ["claim_disputes", "ClaimRecord", "claim_records", "one_per_thing"]

#: Sentences before a denial of "the claim" where the claim it answers is looked for.
NEAR = 3
#: Share of what is denied (its words weighed by rarity) a claim must state.
MIN_COVER = 0.3
#: A denial answers the claim that states most of what it denies, and those within this share of it.
NEAR_BEST = 0.8

# Words of an attribution, not of what is claimed ("the opposition's claim that ...").
_ATTRIBUTION = frozenset(stem(w) for w in (
    "claim", "claims", "report", "reports", "allegation", "allegations", "accusation", "accusations", "charge",
    "charges", "suggestion", "assertion", "framing", "account", "statement", "opposition", "union",
))  # fmt: skip
# Families of saying and wanting: negating one ("did not want") denies no event.
_ATTITUDES = frozenset("ev:" + f for f in ("accuse", "deny", "offer", "demand", "warn", "talks", "figure", "cost"))
# A denied object that reports someone's claim: "the opposition's claim that ...", "union claims that ...".
_REPORTED = re.compile(r"\b(?:claims?|allegations?|accusations?|charges?|suggestions?|assertions?|reports?)\s+that\b", re.I)
_REFUSAL = re.compile(r"\b(refus\w*|declin\w*)\b", re.I)
_ANAPHOR = re.compile(
    r"^\W*(?:(?:the|this|that|these|those|such)\s+(?:\w+\s+)?(?:claims?|reports?|allegations?|accusations?|charges?|"
    r"suggestions?|assertions?|account|framing|idea|version)|it|them|this|that)\W*$",
    re.I,
)
# Compared as words, not stems: "officer" is a role, "office" a body.
_ROLE_WORDS = frozenset((
    "spokesman", "spokeswoman", "spokesperson", "leader", "head", "chief", "executive", "director", "minister",
    "secretary", "general", "president", "chairman", "official", "officials", "member", "deputy", "press",
    "officer", "adviser", "analyst", "editor", "senior", "political",
))  # fmt: skip
_NOISE = frozenset(["the", "a", "an", "of", "for", "and", "its", "his", "her", "their", "mr", "ms", "mrs", "dr"])


@dataclass
class ClaimRecord:
    """One claim the briefing may show, with what the pairing needs."""

    quote: Quote
    sentences: tuple[Sentence, ...]  # the sentences the claim spans (its own first)
    party: frozenset[str]  # words naming who said it: name and the body of its role
    tokens: frozenset[str]  # what it says: content stems and event families, refusals kept
    negated: frozenset[str]  # what it negates or denies
    negative: bool
    order: tuple[int, int]  # (source number, sentence index)
    extra: list[int] = field(default_factory=list)


def _words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'’-]*", (text or "").lower().replace("’", "'")) if w not in _NOISE}


def _party(q: Quote) -> frozenset[str]:
    """Who said it: the speaker's name words and the body its role names
    ("a spokeswoman for the office" -> office)."""
    words = {w.removesuffix("'s") for w in _words(q.speaker)} | {w.removesuffix("'s") for w in _words(q.role)}
    return frozenset(w for w in words if w not in _ROLE_WORDS and w not in STOPWORDS and len(w) > 2)


def _tokens(text: str) -> frozenset[str]:
    toks = {t for t in content_terms(text) if t not in ("ev:deny", "ev:accuse")}
    toks |= {stem(m.group(1)) for m in _REFUSAL.finditer(text)}  # a refusal is what is in dispute here
    return frozenset(t for t in toks if t not in _ATTRIBUTION)


def _claim_text(q: Quote) -> str:
    return q.text or q.claim or ""


def claim_records(
    analyses: Sequence[Analysis], number: dict[str, int], min_confidence: float = BRIEFING_MIN_CONFIDENCE
) -> list[ClaimRecord]:
    """The story's showable claims in reading order (source number, then sentence)."""
    out = []
    for an in analyses:
        sents = an.sentences
        for q in an.quotes:
            if q.confidence < min_confidence or not q.speaker or q.claim == "" or q.stance == "questions":
                continue
            if not 0 <= q.sentence_index < len(sents) or sents[q.sentence_index].boilerplate:
                continue
            spans = tuple(s for s in sents if s.start < q.content[1] and q.content[0] < s.end and not s.boilerplate)
            own = sents[q.sentence_index]
            spans = (own, *(s for s in spans if s.index != own.index))
            text = _claim_text(q)
            st = statement(text)
            out.append(ClaimRecord(q, spans, _party(q), _tokens(text), st.negated_terms | _negated_refusal(text),
                                   st.negative or q.negative or q.is_denial,
                                   (number.get(an.article.id, 10**9), q.sentence_index)))
    # A speaker's party named in one article holds in the others ("Ruth Amsel", the Civic
    # Forum's leader in one, a bare name in an interview's transcript).
    parties: dict[str, set[str]] = {}
    for r in out:
        if r.quote.speaker:
            parties.setdefault(r.quote.speaker.lower(), set()).update(r.party)
    for r in out:
        if r.quote.speaker:
            r.party = frozenset(parties[r.quote.speaker.lower()])
    out.sort(key=lambda r: r.order)
    return out


def _negated_refusal(text: str) -> frozenset[str]:
    """"Nobody has refused anything": the refusal is what is negated."""
    if re.search(r"\b(?:nobody|no one|never|not)\b[^.;]{0,20}\brefus", text, re.I):
        return frozenset({"refus"})
    return frozenset()


def _same_party(a: ClaimRecord, b: ClaimRecord) -> bool:
    return bool(a.party & b.party) or a.quote.speaker == b.quote.speaker


def _names_party(text: str | None, party: frozenset[str]) -> bool:
    """Whether ``text`` (a target, a claim) names the party: "the ministry" for
    the ministry's spokesman, "Marsh" for Elena Marsh."""
    return bool({w.removesuffix("'s") for w in _words(text)} & party)


Weigher = Callable[[frozenset[str]], float]


def _pair_denial(d: ClaimRecord, recs: Sequence[ClaimRecord], weigh: Weigher) -> list[int]:
    """The claims a denial (or rejection) answers, best first."""
    obj = d.quote.text or ""
    i = recs.index(d)
    if _ANAPHOR.match(obj):
        # "rejects that framing", "denied the claim": the claim made just before, by another party.
        near = [k for k in range(i - 1, -1, -1)
                if recs[k].order[0] == d.order[0] and 0 < d.order[1] - recs[k].order[1] <= NEAR
                and not _same_party(recs[k], d) and not recs[k].quote.is_denial]
        return near[:1] + [k for k in near[1:] if recs[k].quote.speaker == recs[near[0]].quote.speaker]
    total = weigh(d.tokens) or 1.0
    scored = []
    for k, c in enumerate(recs):
        if k == i or c.quote.is_denial or _same_party(c, d) or c.negative and c.quote.stance != "accuses":
            continue
        shared = d.tokens & c.tokens
        accused = c.quote.stance == "accuses" and _names_party(c.quote.target, d.party)
        cover = weigh(shared) / total
        if (accused and shared) or (len(shared) >= 2 and cover >= MIN_COVER):
            scored.append((accused, cover, -c.order[0], -c.order[1], k))
    scored.sort(reverse=True)
    # The claim it answers best, and only those that state the thing nearly as well.
    return [k for acc, cover, *_, k in scored
            if acc == scored[0][0] and cover >= NEAR_BEST * scored[0][1]]


def _pair_negation(n: ClaimRecord, recs: Sequence[ClaimRecord]) -> list[int]:
    """Another party's assertions that state what a negative claim negates,
    about the negating party ("the office was already investigating" /
    the office's "there is no investigation")."""
    out = []
    for k, c in enumerate(recs):
        if c is n or c.negative or _same_party(c, n) or c.quote.stance not in ("asserts", "accuses"):
            continue
        if n.negated & c.tokens and (_names_party(_claim_text(c.quote), n.party) or _names_party(c.quote.target, n.party)):
            out.append(k)
    return out


def _states(a: frozenset[str], b: frozenset[str], weigh: Weigher) -> bool:
    """Whether two claims are on one thing: two or more words in common that
    make up a fair share (:data:`MIN_COVER`, by rarity) of the answer ``b``."""
    shared = a & b
    return len(shared) >= 2 and weigh(shared) >= MIN_COVER * (weigh(b) or 1.0)


#: Share of a shown claim (its words weighed by rarity) that its party's words in another article must state.
ECHO_COVER = 0.4


def _echoes(shown: frozenset[str], other: frozenset[str], weigh: Weigher) -> bool:
    """Whether a party's claim in another article says what the shown claim
    says: two or more of its words, making up 40% of it by rarity."""
    shared = shown & other
    return len(shared) >= 2 and weigh(shared) >= ECHO_COVER * (weigh(shown) or 1.0)


def _side(recs: Sequence[ClaimRecord], ks: Sequence[int]) -> list[ClaimRecord]:
    return [recs[k] for k in dict.fromkeys(ks)]


def claim_disputes(
    analyses: Sequence[Analysis],
    number: dict[str, int],
    cite: Callable[[Sentence], tuple[Citation, ...]],
) -> list[Dispute]:
    """Disputes between parties built from their claims (see the module docstring).

    Args:
        analyses: the story's analyses (sentences and claims).
        number: article id -> source number (for reading order).
        cite: a sentence -> the citations of what it states (the fact model's support).

    Returns:
        One :class:`~newsweave.models.Dispute` of kind ``"denial"`` per thing
        in dispute (a denial, a rejection or a negation against a claim, or
        an accusation against the accused party's answer), the claim side first.
    """
    recs = claim_records(analyses, number)
    df: Counter[str] = Counter()
    for an in analyses:
        for s in an.sentences:
            df.update(set(content_terms(s.text)))
    n = max(1, sum(len(an.sentences) for an in analyses))

    def weigh(toks: frozenset[str]) -> float:
        return sum(math.log(1 + n / (df.get(t, 0) + 1)) for t in toks)

    pairs: list[tuple[list[int], list[int], str]] = []
    for i, r in enumerate(recs):
        if r.quote.is_denial:
            claims = _pair_denial(r, recs, weigh)
            if claims:
                pairs.append((claims[:3], [i], "denial"))
        elif r.quote.stance == "accuses" and r.quote.target:
            # The accused party's own denials of the thing, and its negations of it
            # (what it negates is what it is accused of).
            answers = [k for k, c in enumerate(recs)
                       if k != i and _names_party(r.quote.target, c.party) and not _same_party(c, r)
                       and (c.quote.is_denial or r.tokens & c.negated) and _states(r.tokens, c.tokens | c.negated, weigh)]
            if answers:
                pairs.append(([i], answers[:3], "answer"))
        elif r.negative and r.negated:
            # What it negates is a thing that happens ("there is no investigation"), or they share enough.
            claims = [k for k in _pair_negation(r, recs)
                      if (r.negated & recs[k].tokens) - _ATTITUDES and any(t.startswith("ev:") for t in r.negated & recs[k].tokens)
                      or _states(r.tokens | r.negated, recs[k].tokens, weigh)]
            if claims:
                pairs.append((claims[:3], [i], "denial"))
    # A claim and its answer are different sentences: a denial is never paired with its own words.
    pairs = [(a, b, kind) for a, b, kind in pairs if not _sentences(recs, a) & _sentences(recs, b)]
    return _merge(recs, pairs, cite, weigh)


def _sentences(recs: Sequence[ClaimRecord], ks: Sequence[int]) -> set[tuple[str, int]]:
    return {(s.article_id, s.index) for k in ks for s in recs[k].sentences}


def _merge(
    recs: Sequence[ClaimRecord],
    pairs: Sequence[tuple[list[int], list[int], str]],
    cite: Callable[[Sentence], tuple[Citation, ...]],
    weigh: Weigher,
) -> list[Dispute]:
    """One dispute per thing: pairs sharing a claim on either side are one,
    and each side gathers its party's other claims on the thing (the
    denier's "I did not meet him" beside the denial), and cites the articles
    where the party says what the side shows in other words (:func:`_echoes`)."""
    groups: list[tuple[set[int], set[int], str]] = []
    for a, b, kind in pairs:
        # One thing in dispute: the same claim on the same side, and the same two parties.
        hit = next((g for g in groups if (g[0] & set(a) or g[1] & set(b))
                    and _party_of(recs, g[0]) & _party_of(recs, a) and _party_of(recs, g[1]) & _party_of(recs, b)),
                   None)
        if hit is None:
            groups.append((set(a), set(b), kind))
        else:
            hit[0].update(x for x in a if x not in hit[1])
            hit[1].update(x for x in b if x not in hit[0])
    out = []
    for ga, gb, _kind in groups:
        sides = []
        for ks in (ga, gb):
            members = sorted(ks, key=lambda k: recs[k].order)
            party = frozenset().union(*(recs[k].party for k in members))
            what = frozenset().union(*(recs[k].tokens | recs[k].negated for k in (ga | gb)))
            # The same party's other claims on the thing join its side.
            more = [k for k, r in enumerate(recs) if k not in ga | gb and r.party & party
                    and r.negative == recs[members[0]].negative and len(r.tokens & what) >= 2]
            cits: list[Citation] = []
            for r in _side(recs, members):
                for s in r.sentences:
                    cits.extend(cite(s))
            # The party's other claims on the thing are cited only in articles that state the claims
            # paired: what the side shows is those, and no article is cited for what it does not state.
            stating = {c.article_id for c in cits}
            for r in _side(recs, more):
                for s in r.sentences:
                    cits.extend(c for c in cite(s) if c.article_id in stating)
            if ks is ga:
                # "rejected the opposition's claim that X": the denial reports the claim, so
                # the claim side cites the denial's own sentence too (that article states the claim).
                cits.extend(cite(recs[k].sentences[0])[0] for k in sorted(gb, key=lambda k: recs[k].order)
                            if recs[k].quote.is_denial and _REPORTED.search(recs[k].quote.text or ""))
            stating = {c.article_id for c in cits}
            for k, r in enumerate(recs):
                aid = r.sentences[0].article_id
                if k not in ga | gb and aid not in stating and r.party & party and not r.quote.is_denial \
                        and _echoes(recs[members[0]].tokens, r.tokens, weigh):
                    # The party's own sentences there that say it, nothing else.
                    cits.extend(cite(x)[0] for x in r.sentences if _tokens(x.text) & recs[members[0]].tokens)
                    stating.add(aid)
            side = _side(recs, members)
            shown = side[0].sentences[0].text
            sides.append((shown[strip_dateline(shown):], tuple(dict.fromkeys(cits))))
        topic = _topic(recs[min(gb, key=lambda k: recs[k].order)])
        out.append(Dispute("denial", topic, (sides[0], sides[1])))
    return out


def _party_of(recs: Sequence[ClaimRecord], ks: Sequence[int] | set[int]) -> frozenset[str]:
    """Words naming the parties of claims ``ks`` (their speakers too, so a claim always names its own)."""
    return frozenset().union(*(recs[k].party | {recs[k].quote.speaker or ""} for k in ks))


def _topic(r: ClaimRecord) -> str:
    words = (r.quote.claim or r.quote.text or "").split()
    return " ".join(words[:12]).rstrip(",;:") + ("…" if len(words) > 12 else "")


def _key(c: Citation) -> tuple[str, int]:
    return c.article_id, c.sentence_index


def one_per_thing(disputes: Sequence[Dispute]) -> list[Dispute]:
    """One dispute per thing in dispute: a denial-kind dispute whose side
    shows a sentence that another (earlier) one shows or cites on a side is the same
    quarrel told twice (the residents' accusation against the board's
    denial, and the survivors' words against its engineer's), so its
    citations join that one, side to matching side, and it goes.

    >>> from newsweave.models import Citation
    >>> c = lambda i: Citation("a", i, i, i + 1)
    >>> d1 = Dispute("denial", "t", (("claim", (c(0), c(1))), ("denial", (c(2),))))
    >>> d2 = Dispute("denial", "u", (("denial again", (c(5),)), ("claim again", (c(1), c(4)))))
    >>> [[[x.sentence_index for x in cits] for _, cits in d.sides] for d in one_per_thing([d1, d2])]
    [[[0, 1, 4], [2, 5]]]
    """
    out: list[Dispute] = []
    for d in disputes:
        target = None
        if d.kind == "denial" and len(d.sides) == 2:
            shown = [{text, *(_key(c) for c in cits[:1])} for text, cits in d.sides]
            for n, e in enumerate(out):
                if e.kind != "denial" or len(e.sides) != 2:
                    continue
                cited = [{text, *(_key(c) for c in cits)} for text, cits in e.sides]
                if shown[0] & cited[0] or shown[1] & cited[1]:
                    target = (n, False)
                elif shown[0] & cited[1] or shown[1] & cited[0]:
                    target = (n, True)
                if target:
                    break
        if target is None:
            out.append(d)
            continue
        n, crossed = target
        e = out[n]
        mine = d.sides[::-1] if crossed else d.sides
        sides = tuple((text, tuple(dict.fromkeys((*cits, *more)))) for (text, cits), (_, more) in zip(e.sides, mine))
        out[n] = Dispute(e.kind, e.topic, (sides[0], sides[1]))
    return out
