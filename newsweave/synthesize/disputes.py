"""Agreement and disputes: denials, competing blame, numeric conflicts.

* **Denials**: a sentence with a denial cue ("denied", "rejected claims",
  "dismissed reports", "no truth", "were false") is paired with the claim
  it denies: the sentence, in any article, that best covers the denied
  words (rare words weigh more; "deal", "truce" and "agreement" count as
  one word), with a bonus for a claim stated just before in the same
  article; when the fact model found a sentence stating what the denial
  denies (a contradiction, unit against unit), that sentence is the claim.
  A claim from elsewhere must state what happened, not only name the
  parties. Denials of one thing by one party are one dispute. Both sides
  are cited, with every sentence that states them (paraphrases too, unless
  the side is a quotation).
* **Competing blame**: "A accused B of X", "A blamed B for X", "A said B
  violated the truce" are collected; accusations about the same thing
  (their offence words overlap) that blame parties on different sides
  ("the government and Iran" against "the rebels") make one dispute, one
  side per party blamed.
* **Numeric conflicts**: conflicting entries of the figures ledger.

The agreement views (corroborated, single-source) are in
:mod:`newsweave.synthesize.agreement`.

Cost: only sentences with a cue are looked at closely; each is matched
through an inverted index over the story's sentences by its rarest words
(capped postings), and blame records are clustered through
:class:`OverlapClusterer`, so the work is linear in sentences.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from newsweave.models import Analysis, Citation, Dispute, Fact, LedgerEntry, Sentence, SourceEntry
from newsweave.synthesize.claim_disputes import claim_disputes, one_per_thing
from newsweave.synthesize.clauses import needs_antecedent
from newsweave.synthesize.entail import content_terms, statement
from newsweave.synthesize.sources import (
    SYNONYMS,
    OverlapClusterer,
    content_tokens,
    word_forms,
    word_forms_with_stops,
)

__all__ = [
    "find_disputes",
    "find_denials",
    "find_blame",
    "numeric_disputes",
    "party_key",
    "offence_head",
]

MAX_POSTING = 64
DENIAL_MIN_SCORE = 0.35
NEAR = 5  # sentences before a denial where its claim is looked for first
NEAR_MIN_SCORE = 0.2  # ... and the lower match they need there
NEAR_MIN_COVER = 0.0  # share of the denied words (by rarity) a nearby claim must state
EMBEDDED_MIN_COVER = 0.5  # ... and another sentence, for a claim the denial itself reports

_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|denials?|refuted|refutes|rebuffed)\b"
    r"|\b(?:rejected|rejects|rejecting|dismissed|dismisses|dismissing)\s+(?:the\s+|these\s+|such\s+)?"
    r"(?:claims?|allegations?|accusations?|reports?|suggestions?|charges?|assertions?)\b"
    r"|\bdismissed\s+(?:them|it|this|that)?\s*as\b"
    r"|\bno\s+truth\b"
    r"|\b(?:was|were|is|are|as)\s+(?:completely\s+|totally\s+|entirely\s+)?"
    r"(?:false|untrue|baseless|unfounded|fabricated|groundless|lies)\b"
    r"|\bfalse\s+(?:claims?|reports?|allegations?|news)\b",
    re.I,
)
# Where the denied proposition ends: "denied X, and Russia said ..." denies X only.
_OBJECT_END = re.compile(r"\s+(?:and\s+(?:said|says)|but)\b|,\s*(?:saying|and|but|while|as|adding)\b|[;.“”\"]")
# A conditional or future statement is no claim to deny ("When an agreement is reached ...").
_CONDITIONAL = re.compile(r"^\W*(?:if|when|unless|once|whether)\b|\b(?:will|would|could|might)\s+(?:be\s+)?\w+", re.I)
_CLAIM_CUE = re.compile(
    r"\b(?:said|says|claimed|claims|announced|reported|reports|told|confirmed|stated|insisted|alleged|"
    r"accused|voiced|received)\b",
    re.I,
)
_PARTY = {
    "government": "government", "regime": "government", "army": "government", "military": "government",
    "authority": "government", "authorities": "government", "troop": "government", "loyalist": "government",
    "pro-government": "government", "administration": "government",
    "rebel": "opposition", "opposition": "opposition", "insurgent": "opposition", "opponent": "opposition",
    "militant": "opposition", "terrorist": "opposition",
    "moscow": "russia", "russian": "russia", "kremlin": "russia", "tehran": "iran", "iranian": "iran",
    "ankara": "turkey", "turkish": "turkey", "washington": "united states", "american": "united states",
    "damascus": "syria", "beijing": "china", "chinese": "china", "kyiv": "ukraine", "kiev": "ukraine",
}  # fmt: skip
_PARTY_NOISE = frozenset(["group", "force", "ally", "allies", "supporter", "backer", "side", "member", "fighter", "unit", "its"])
_GENERIC = frozenset(["claim", "ev:accuse", "ev:deny", "report", "allegation", "accusation"])
_QUOTATION = re.compile(r"[“\"][^”\"]{12,}[”\"]")
_PRONOUN = re.compile(r"^(?:it|he|she|they|them|him|her|us|we|this|that|those|these)$", re.I)

_VERB_BREAK = (
    r"(?:broke|broken|breaking|violated|violating|breached|breaching|scuttled|scuttling|sabotaged|"
    r"foiled|foiling|blocked|blocking|derailed|wrecked|undermined)"
)
# Accusations: "accused B of X", "blamed B for X", "said B violated X".
# The accuser is not needed to build sides (a side is the party blamed),
# so patterns start at the cue.
_BLAME = (
    re.compile(
        r"\b(?:accused|accuses|accusing)\s+(?P<tgt>[^;:.“”\"]{2,80}?)\s+of\s+(?P<off>[^;.]{3,160})", re.I
    ),
    re.compile(r"\b(?:blamed|blames|blaming)\s+(?P<tgt>[^;:.“”\"]{2,80}?)\s+for\s+(?P<off>[^;.]{3,160})", re.I),
    # "... the union blames Kestrel, saying ...": the offence comes from the sentence.
    re.compile(r"\b(?:blamed|blames|blaming)\s+(?P<tgt>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}|the\s+\w+)(?=\s*[,;.])"),
    re.compile(
        r"\b(?:said|says|saying|claimed|claiming|insisted|alleged)\s+(?:that\s+)?"
        r"(?P<tgt>(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,3}?)\s+(?:had\s+|have\s+|has\s+)?"
        r"(?:[\w-]+\s+){0,3}?(?P<off>" + _VERB_BREAK + r"\b[^;.]{2,120})",
        re.I,
    ),
)
# The core of an offence: "scuttling the deal" out of "scuttling the deal by adding ...".
_OFFENCE_END = re.compile(r"\s+(?:by|when|after|before|while|because|in order|as|and said|saying)\b|[,;:(“\"]")


def party_key(text: str) -> frozenset[str]:
    """The parties a noun phrase names, normalised ("Assad's regime" -> {assad, government}).

    >>> sorted(party_key("the Syrian government and Iran")), sorted(party_key("rebel groups"))
    (['government', 'iran', 'syrian'], ['opposition'])
    >>> sorted(party_key("Opponents of President Bashar Assad"))
    ['opposition']
    """
    if re.match(r"^\s*(?:the\s+)?(?:opponents|critics|enemies|foes)\s+of\b", text, re.I):
        return frozenset({"opposition"})
    toks = set()
    for t in content_tokens(text):
        t = _PARTY.get(t, t)
        if t not in _PARTY_NOISE and t not in {"president", "minister", "spokesman", "mr"}:
            toks.add(t)
    return frozenset(toks)


@dataclass
class _Sent:
    sentence: Sentence
    tokens: set[str]
    number: int
    denial: bool  # the cues are matched once per sentence, not once per comparison
    claim_cue: bool
    conditional: bool
    norm: str  # whitespace- and case-folded text: copies of one sentence share it


def _index(analyses: Sequence[Analysis], number: dict[str, int]) -> tuple[list[_Sent], Counter[str]]:
    items = []
    df: Counter[str] = Counter()
    for an in analyses:
        for s in an.sentences:
            if s.boilerplate:
                continue
            toks = content_tokens(s.text, SYNONYMS)
            items.append(
                _Sent(
                    s, toks, number.get(an.article.id, 10**9),
                    bool(_DENIAL.search(s.text)), bool(_CLAIM_CUE.search(s.text)),
                    bool(_CONDITIONAL.search(s.text)), " ".join(s.text.lower().split()),
                )
            )  # fmt: skip
            df.update(toks)
    return items, df


def _cite(s: Sentence) -> Citation:
    return Citation(s.article_id, s.index, s.start, s.end)


def _fact_citations(s: Sentence, fact_of: dict[tuple[str, int], Fact]) -> tuple[Citation, ...]:
    """The sentence first, then every other sentence stating its fact; those
    stating it in other words too, unless the sentence is a quotation (a
    quotation is cited only to the articles carrying its words)."""
    own = _cite(s)
    f = fact_of.get((s.article_id, s.index))
    if f is None:
        return (own,)
    others = f.citations if _QUOTATION.search(s.text) else (*f.citations, *f.paraphrases)
    return tuple(dict.fromkeys([own, *others]))


def _contradicting(s: Sentence, fact_of: dict[tuple[str, int], Fact]) -> tuple[Citation, ...]:
    f = fact_of.get((s.article_id, s.index))
    return f.contradicted_by if f is not None else ()


def _fact_index(facts: Sequence[Fact]) -> dict[tuple[str, int], Fact]:
    """Sentence -> the fact it represents."""
    return {(f.citations[0].article_id, f.citations[0].sentence_index): f for f in facts if f.citations}


def _short(text: str, words: int = 12) -> str:
    w = text.split()
    return " ".join(w[:words]).rstrip(",;:") + ("…" if len(w) > words else "")


def _denied_object(text: str, m: re.Match[str]) -> str:
    """What is denied: the words after the cue ("an agreement had been
    reached"), or before it for "... were false"."""
    after = text[m.end() :].strip(" ,:")
    obj = after if len(after.split()) >= 2 else text[: m.start()]
    return _OBJECT_END.split(obj, maxsplit=1)[0]


def _merge_sides(d: Dispute, claims: Sequence[Citation], denials: Sequence[Citation]) -> Dispute:
    (ct, cc), (dt, dc) = d.sides
    return Dispute(d.kind, d.topic, ((ct, tuple(dict.fromkeys(cc + tuple(claims)))),
                                     (dt, tuple(dict.fromkeys(dc + tuple(denials))))))  # fmt: skip


def find_denials(
    analyses: Sequence[Analysis], facts: Sequence[Fact], sources: Sequence[SourceEntry]
) -> list[Dispute]:
    """Explicit denials paired with the claims they deny (both sides cited).

    Denials of one claim (the same wire sentence run by several outlets, or
    two outlets' wordings of one denial) are one dispute.
    """
    number = {s.article_id: s.number for s in sources}
    items, df = _index(analyses, number)
    n = max(1, len(items))
    idf = {t: math.log(1 + n / c) for t, c in df.items()}
    postings: dict[str, list[int]] = defaultdict(list)
    for k, it in enumerate(items):
        for t in it.tokens:
            if len(postings[t]) < MAX_POSTING:
                postings[t].append(k)
    fact_of = _fact_index(facts)
    where = {(i.sentence.article_id, i.sentence.index): k for k, i in enumerate(items)}
    out: list[Dispute] = []
    # Copies of one denial are paired once; later copies add their citations.
    seen: dict[str, tuple[int, str]] = {}  # denial text -> (dispute index, claim text)
    by_norm: dict[tuple[str, str], Sentence] = {(i.sentence.article_id, i.norm): i.sentence for i in items}
    # Denials of one thing in other words join through their denied words.
    topics = OverlapClusterer(Counter(), threshold=0.6)
    topic_dispute: dict[int, int] = {}
    for k, it in enumerate(items):
        if not it.denial:
            continue
        if it.norm in seen:
            di, claim_norm = seen[it.norm]
            twin = by_norm.get((it.sentence.article_id, claim_norm))
            out[di] = _merge_sides(out[di], [_cite(twin)] if twin else [], [_cite(it.sentence)])
            continue
        m = _DENIAL.search(it.sentence.text)
        if not m:
            continue
        obj_text = _denied_object(it.sentence.text, m)
        obj = content_tokens(obj_text, SYNONYMS)
        if not obj:
            continue
        anaphoric = _ANAPHOR.match(obj_text) is not None
        embedded = _EMBEDDED.match(obj_text)
        if anaphoric:
            # "denied the claim": the claim is what the article said just before.
            scores = {c: (1.0 - 0.1 * (k - c), 1, 1.0) for c in range(max(0, k - 2), k)
                      if items[c].sentence.article_id == it.sentence.article_id and not items[c].denial}  # fmt: skip
        else:
            scores = _claim_scores(k, it, obj, items, idf, postings)
            # The fact model's contradiction (a sentence stating what this one
            # denies, unit against unit) names the claim better than word overlap.
            contra = [c for x in _contradicting(it.sentence, fact_of)
                      if (c := where.get((x.article_id, x.sentence_index))) is not None and not items[c].denial]
            if contra:
                scores = {contra[0]: (2.0, 2, 1.0)}
        if not anaphoric:
            # A claim from elsewhere in the story must state what happened,
            # not only name who (names and roles are no claim).
            what = set(statement(obj_text).content)
            scores = {c: v for c, v in scores.items()
                      if v[1] or what & set(statement(items[c].sentence.text).content)}
        if embedded:
            # "denied union claims that X": the claim is stated in the denial
            # itself; another sentence stands for it only if it states X well.
            scores = {c: v for c, v in scores.items() if v[0] >= EMBEDDED_MIN_COVER}
        if not scores and embedded and embedded.start("claim") > 0 and _CLAIM_NOUN.search(obj_text[: embedded.start("claim")]):
            # Only "denied claims that X" reports a claim; "denied that X" says nobody claimed it.
            claim_text = obj_text.strip()
            tid = topics.add(obj)
            # The claim side cites the denial sentence only: that is where the claim is
            # reported (the denial's fact may hold other denials, not the claim).
            own, denial_cits = (_cite(it.sentence),), _fact_citations(it.sentence, fact_of)
            if tid in topic_dispute:
                out[topic_dispute[tid]] = _merge_sides(out[topic_dispute[tid]], own, denial_cits)
            else:
                topic_dispute[tid] = len(out)
                out.append(Dispute("denial", _short(claim_text), ((claim_text, own), (it.sentence.text, denial_cits))))
            continue
        if not scores:
            continue
        best = _best_claim(scores, items)
        claim = items[best].sentence
        # Just before a denial a claim often takes two or three sentences ("the
        # rebels said the deal was back on. ... They said they had agreed ..."):
        # cite those that score nearly as well, and show the first.
        block = [items[c].sentence for c, (sc, tier, _) in scores.items()
                 if tier and items[c].sentence.article_id == claim.article_id
                 and claim.index - 3 <= items[c].sentence.index and sc >= 0.6 * scores[best][0]
                 and not items[c].conditional]  # fmt: skip
        claim_sents = sorted({claim, *block}, key=lambda x: x.index)
        cits: list[Citation] = []
        for cs in [claim, *claim_sents]:
            cits.extend(_fact_citations(cs, fact_of))
        seen[it.norm] = (len(out), items[best].norm)
        # "denied the claim": name the topic by the claim's words instead.
        topic_tokens = content_tokens(claim.text, SYNONYMS) if anaphoric else obj
        tid = topics.add(topic_tokens)
        if tid in topic_dispute:
            di = topic_dispute[tid]
            out[di] = _merge_sides(out[di], cits, _fact_citations(it.sentence, fact_of))
            seen[it.norm] = (di, items[best].norm)
            continue
        topic_dispute[tid] = len(out)
        topic = _short(claim_sents[0].text if anaphoric else obj_text)
        out.append(
            Dispute(
                "denial",
                topic,
                (
                    (claim_sents[0].text, tuple(dict.fromkeys(cits))),
                    (it.sentence.text, _fact_citations(it.sentence, fact_of)),
                ),
            )
        )
    return _merge_same_denials(out)


def _denier(text: str) -> set[str]:
    """Who denies: the content words before the denial cue ("Kestrel Terminals denied ...")."""
    m = _DENIAL.search(text)
    return content_tokens(text[: m.start()], SYNONYMS) if m else set()


def _merge_same_denials(disputes: list[Dispute]) -> list[Dispute]:
    """One dispute per denied thing: two denials by the same party of claims
    that share two things (event families count: "bringing in agency
    workers" and "brought in replacement workers") are one dispute, shown
    with the first standalone wording of each side and citing both."""
    keys = [(_denier(d.sides[1][0]), set(content_terms(d.sides[0][0])) - _GENERIC) for d in disputes]
    out: list[Dispute] = []
    into: list[int] = []  # dispute index -> index in out
    for i, d in enumerate(disputes):
        target = next(
            (into[j] for j in range(i) if keys[i][0] & keys[j][0] and len(keys[i][1] & keys[j][1]) >= 2), None
        )
        if target is None:
            into.append(len(out))
            out.append(d)
            continue
        into.append(target)
        old = out[target]
        sides = []
        for (t_old, c_old), (t_new, c_new) in zip(old.sides, d.sides):
            text = t_new if needs_antecedent(t_old) and not needs_antecedent(t_new) else t_old
            sides.append((text, tuple(dict.fromkeys(c_old + c_new))))
        out[target] = Dispute(old.kind, old.topic, tuple(sides))
    return out


_ANAPHOR = re.compile(r"^\s*(?:the|this|that|these|those|such)\s+(?:claims?|reports?|allegations?|accusations?|"
                      r"charges?|suggestions?|assertions?|account)\s*$|^\s*(?:it|them|this|that)\s*$", re.I)
# "denied union claims that Kestrel had brought in agency workers": the claim is reported inside.
_EMBEDDED = re.compile(
    r"^\s*(?:(?:(?:a|an|the|their|its|his|her)\s+)?(?:[\w’'-]+\s+){0,3}?"
    r"(?:claims?|reports?|allegations?|accusations?|suggestions?|assertions?|charges?)\s+)?that\s+(?P<claim>.+)$",
    re.I,
)
_CLAIM_NOUN = re.compile(r"\b(?:claims?|reports?|allegations?|accusations?|suggestions?|assertions?|charges?)\b", re.I)
_NEGATION = re.compile(r"no|not|never|nobody|none|nothing|\w*n't", re.I)


def _best_claim(scores: dict[int, tuple[float, int, float]], items: list[_Sent]) -> int:
    """The claim a denial answers: reporters put a denial right after what it
    denies, so the best sentence just before it in the same article (tier 1)
    wins; the best match elsewhere in the story only when there is none."""
    return max(scores, key=lambda c: (scores[c][1], scores[c][0], -items[c].number))


def _negates(text: str, shared: set[str]) -> bool:
    """Whether a negation stands just before one of the shared words."""
    words = word_forms_with_stops(text)
    for i, w in enumerate(words):
        if SYNONYMS.get(w, w) in shared and any(_NEGATION.fullmatch(x) for x in words[max(0, i - 3) : i]):
            return True
    return False


def _claim_scores(
    k: int,
    it: _Sent,
    obj: set[str],
    items: list[_Sent],
    idf: dict[str, float],
    postings: dict[str, list[int]],
) -> dict[int, tuple[float, int, float]]:
    """Candidate claims for the denial ``items[k]``: item -> (score, tier, coverage).

    The score is the share of the denied words (weighted by rarity) a
    sentence states, plus a little for a reporting verb; conditional
    sentences lose (they hedge) and negated ones are out (they restate the
    denial). Tier 1 is a
    sentence just before the denial in the same article: reporters put a
    denial next to what it denies, so tier 1 wins over a better word match
    elsewhere in the story.
    """
    total = sum(idf.get(t, 1.0) for t in obj)
    cands: set[int] = set()
    for t in sorted(obj, key=lambda t: -idf.get(t, 0.0))[:6]:
        cands.update(postings.get(t, ()))
    cands.update(c for c in range(max(0, k - NEAR), k) if items[c].sentence.article_id == it.sentence.article_id)
    out = {}
    for c in cands:
        other = items[c]
        if c == k or other.denial:
            continue
        shared = obj & other.tokens
        if not shared:
            continue
        cover = score = sum(idf.get(t, 1.0) for t in shared) / total
        same_art = other.sentence.article_id == it.sentence.article_id
        gap = it.sentence.index - other.sentence.index
        tier = 1 if same_art and 0 < gap <= NEAR else 0
        if tier:
            score += 0.1 * (1.0 - (gap - 1) / NEAR)
        elif same_art and gap < 0:
            score -= 0.15  # a claim rarely follows its denial
        if other.claim_cue:
            score += 0.1
        if other.conditional:
            score -= 0.4
        if _negates(other.sentence.text, shared):
            continue  # "no replacement workers had been hired" is the denial again, not the claim
        if score >= (NEAR_MIN_SCORE if tier else DENIAL_MIN_SCORE) and (cover >= NEAR_MIN_COVER or not tier):
            out[c] = (score, tier, cover)
    return out


@dataclass
class _Blame:
    target: str
    target_key: frozenset[str]
    offence: str
    sentence: Sentence


def _blame_records(analyses: Sequence[Analysis]) -> list[_Blame]:
    """Every accusation in the story; one sentence may hold two ("A blames B
    for X; B blames A"), and one without its own offence takes its sentence
    neighbour's."""
    out = []
    for an in analyses:
        for s in an.sentences:
            if s.boilerplate:
                continue
            found: list[tuple[int, _Blame]] = []
            for pat in _BLAME:
                for m in pat.finditer(s.text):
                    if any(start <= m.start() < start + 3 for start, _ in found):
                        continue
                    tgt = m.group("tgt").strip()
                    key = party_key(tgt)
                    if not key or _PRONOUN.match(tgt) or tgt.lower() in ("each other", "one another"):
                        continue
                    off = (m.groupdict().get("off") or "").strip().lstrip("“\"‘'")
                    offence = _OFFENCE_END.split(off, maxsplit=1)[0]
                    found.append((m.start(), _Blame(tgt, key, offence, s)))
            given = next((b.offence for _, b in found if b.offence), "")
            for _, b in sorted(found, key=lambda t: t[0]):
                if not b.offence:
                    b.offence = given
                out.append(b)
    return out


# Verb-like words of an offence: what was done, not what it was done to.
_OFFENCE_VERBS = frozenset(
    ["break", "quit", "away", "trying", "try", "attempt", "attempting", "seeking", "refusing", "failing", "using", "allowing", "causing", "putting", "bringing", "starting", "stopping"]
)


def offence_head(offence: str) -> str:
    """What an accusation is about: the first thing named after the deed.

    >>> offence_head("scuttling the deal by adding new conditions"), offence_head("violated a ceasefire")
    ('deal', 'deal')
    >>> offence_head("walking away from the table"), offence_head("trying to break the strike")
    ('talk', 'strike')
    """
    forms = [SYNONYMS.get(w, w) for w in word_forms(offence)]
    rest = [w for w in forms if w not in _OFFENCE_VERBS]
    return rest[0] if rest else (forms[0] if forms else "")


def find_blame(
    analyses: Sequence[Analysis], facts: Sequence[Fact], sources: Sequence[SourceEntry]
) -> list[Dispute]:
    """Competing blame: accusations over one thing that blame different parties."""
    number = {s.article_id: s.number for s in sources}
    records = _blame_records(analyses)
    records.sort(key=lambda r: (number.get(r.sentence.article_id, 10**9), r.sentence.index))
    # Blocked by what the blame is about: accusations over one thing compete.
    topics: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        head = offence_head(r.offence)
        if head:
            topics[head].append(i)
    fact_of = _fact_index(facts)
    out = []
    for members in topics.values():
        # Sides: records whose blamed parties overlap are one side.
        sides: list[tuple[set[str], list[int]]] = []
        for i in members:
            key = set(records[i].target_key)
            hit = next((s for s in sides if s[0] & key), None)
            if hit is None:
                sides.append((key, [i]))
            else:
                hit[0].update(key)
                hit[1].append(i)
        if len(sides) < 2:
            continue
        rendered = []
        for _, idx in sides:
            rep = records[idx[0]]
            cits: list[Citation] = []
            for i in idx:
                cits.extend(_fact_citations(records[i].sentence, fact_of))
            rendered.append((rep.sentence.text, tuple(dict.fromkeys(cits))))
        topic_off = min((records[i].offence for i in members), key=len)
        out.append(Dispute("blame", "blame for " + _short(topic_off, 8), tuple(rendered)))
    return out


def numeric_disputes(ledger: Sequence[LedgerEntry]) -> list[Dispute]:
    """Ledger entries whose parties give different numbers, as disputes: one side per
    number in dispute (rows that agree with a side, or that an update superseded, are left out).

    A side reads like "4,000 of its members (Harbour and Dock Workers' Union)":
    the row's wording and who gave it.
    """
    out = []
    for e in ledger:
        if e.status not in ("conflict", "conflicting"):
            continue
        if e.figures:
            sides = [
                (f"{r.text} ({r.by})" if r.by else r.text, tuple(r.citations))
                for r in e.figures
                if r.disputed
            ]
            if len(sides) > 1:
                out.append(Dispute("numeric", e.counted, tuple(sides)))
            continue
        by_value: dict[str, list[tuple[str, str | None, Citation]]] = defaultdict(list)
        for text, who, cit in e.values:
            by_value[_number_key(text)].append((text, who, cit))
        legacy = []
        for vals in by_value.values():
            text = Counter(t for t, _, _ in vals).most_common(1)[0][0]
            whos = list(dict.fromkeys(w for _, w, _ in vals if w))[:3]
            label = f"{text} ({'; '.join(whos)})" if whos else text
            legacy.append((label, tuple(dict.fromkeys(c for _, _, c in vals))))
        if len(legacy) > 1:
            out.append(Dispute("numeric", e.counted, tuple(legacy)))
    return out


_NUMBER = re.compile(r"\d[\d,.]*")


def _number_key(text: str) -> str:
    """The number a figure's wording gives ("about 1,200" -> "1200"), else its words."""
    m = _NUMBER.search(text)
    return m.group().replace(",", "").rstrip(".") if m else text.lower()


def find_disputes(
    analyses: Sequence[Analysis],
    facts: Sequence[Fact],
    sources: Sequence[SourceEntry],
    ledger: Sequence[LedgerEntry] | None = None,
) -> tuple[Dispute, ...]:
    """All disputes of a story: denials, competing blame, numeric conflicts.

    Args:
        analyses: per-article analyses (sentences, quotes, figures).
        facts: aligned facts; a side cites every sentence of its fact.
        sources: the numbered sources.
        ledger: the figures ledger, computed here when not given.

    Example:
        >>> from newsweave.models import Article, Analysis, Sentence, SourceEntry
        >>> t = "Union leaders said a wage deal had been reached. The port authority denied a deal was reached."
        >>> a = Article(t, id="a")
        >>> sents = (Sentence("a", 0, 0, 48, t[:48]), Sentence("a", 1, 49, len(t), t[49:]))
        >>> d = find_disputes([Analysis(a, sents)], [], [SourceEntry(1, "a", "A", None, None, None, None, group=1)])
        >>> d[0].kind, [s[0] for s in d[0].sides]
        ('denial', ['Union leaders said a wage deal had been reached.', 'The port authority denied a deal was reached.'])
    """
    if ledger is None:
        from newsweave.synthesize.ledger import figures_ledger

        ledger = figures_ledger(analyses, sources)
    number = {s.article_id: s.number for s in sources}
    fact_of = _fact_index(facts)
    claimed = claim_disputes(analyses, number, lambda s: _fact_citations(s, fact_of))
    # A denial the claims already pair (with its speaker and stance) is not paired again by its words.
    taken = {(c.article_id, c.sentence_index) for d in claimed for _, cits in d.sides for c in cits}
    denials = [d for d in find_denials(analyses, facts, sources)
               if not {(c.article_id, c.sentence_index) for c in d.sides[1][1][:1]} & taken]
    return tuple(one_per_thing(claimed + denials) + find_blame(analyses, facts, sources) + numeric_disputes(ledger))
