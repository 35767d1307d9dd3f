"""Who said what: quotes and reported speech grouped by speaker across a story.

Speakers are resolved across articles: "Assad", "al-Assad" and "Bashar
al-Assad" are one person; "the U.N." and "the United Nations" one
organisation; an anonymous "source close to the government" keeps its
description. Matching is conservative: a bare surname joins a full name only
when exactly one full name in the story carries it ("Hussein" with two
different Husseins quoted stays apart), because a wrong speaker is worse
than a split one.

Only claims are shown, and only those the quote layer is sure of: an
attribution whose ``claim`` is empty (a position such as "backs", a
self-description, a fragment) or whose ``confidence`` is below
:data:`~newsweave.analyze.quotes_confidence.BRIEFING_MIN_CONFIDENCE` is left
out. Each claim keeps its stance: a denial is shown as "denied that ...",
never as its speaker asserting the denied words, and a denial and an
assertion of the same words are never merged.

Within a speaker, the same quote carried by several outlets is shown once
with all its citations; versions of one direct quote whose words differ
(not merely one an excerpt of the other) are kept side by side, adjacent,
and the speaker is flagged ``variants_differ``.

Cost: names are blocked by surname (people), acronym and name words
(organisations) before any comparison, and a speaker's quotes are merged
through an inverted index (:class:`OverlapClusterer`), so the work grows
linearly with the number of quotes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsweave.analyze.entities import TITLE_WORDS, is_company_name, name_key  # one set of name rules
from newsweave.analyze.quotes_confidence import BRIEFING_MIN_CONFIDENCE
from newsweave.models import Analysis, Citation, Claim, Entity, Quote, SourceEntry, SpeakerQuotes
from newsweave.synthesize.sources import OverlapClusterer, content_tokens, outlet_label

__all__ = ["who_said_what", "speaker_key", "short_description", "shown_claim"]

MAX_COMPARE = 50  # quotes of a candidate speaker compared with an ambiguous surname's quote
MAX_VERSIONS = 4  # wordings of one quote shown side by side; rarer ones fold into the closest
_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "his", "its", "their", "one"])
_ORG_WORDS = re.compile(
    r"\b(?:ministry|army|military|government|council|observatory|nations|agency|committee|media|"
    r"television|tv|forces|front|group|office|department|commission|union|state|authorities|"
    r"monitor|organi[sz]ation|watch|international|channel|unit|court|police|party|coalition|"
    r"alliance|brigade|rebels|opposition|regime|kremlin|pentagon|white house)\b",
    re.I,
)
_COMPANY_NOUNS = frozenset(["company", "firm", "operator", "employer", "carrier", "group", "business"])
_LEAD_DET = re.compile(r"^(?:the|a|an|one|another)\s+", re.I)
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _norm(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORDS.findall(text)]


# A description stands for a speaker only if it names someone who can speak:
# "a source close to the government", "residents", "state television". Anything
# else ("the battle of Aleppo", "explosions") is an extraction slip: dropped.
_SPEAKER_NOUN = re.compile(
    r"\b(?:sources?|officials?|residents?|activists?|witness(?:es)?|spokes(?:man|men|woman|women|person|people)|"
    r"people|medics?|doctors?|rebels?|commanders?|fighters?|analysts?|diplomats?|aides?|ministers?|ministry|"
    r"military|army|government|media|monitors?|police|workers?|staff|volunteers?|journalists?|reporters?|"
    r"correspondents?|observers?|experts?|leaders?|members?|negotiators?|opponents?|critics?|supporters?|"
    r"groups?|agency|channel|television|tv|statement|station|council|committee|authorities|officers?|"
    r"soldiers?|troops|civilians?|survivors?|famil(?:y|ies)|m[ae]n|wom[ae]n|mothers?|fathers?|parents?|"
    r"teachers?|students?|lawyers?|residents?|inhabitants?|villagers?|refugees?|protesters?|demonstrators?|"
    r"campaigners?|researchers?|scientists?|engineers?|unions?|companies|company|firm|office|spokesperson|"
    r"envoys?|delegates?|lawmakers?|legislators?|senators?|voters?|customers?|owners?|rescuers?|someone|"
    r"insurgents?|militants?|opposition|coalition|alliance|front|mission|organi[sz]ations?|charity|"
    r"charities|observatory|commission|authority|presidency|palace|kremlin|state|unit|department|service|bureau|"
    r"board|directorate|inspectorate|administration|institute|hospital|brigade|crew|team)\b",
    re.I,
)
# "Another resident, Rami Zien, who ...": a name inside a description.
_NAME_RUN = re.compile(
    # A whole capitalised run standing after punctuation or at the start, never one
    # following a word: "Opponents of Mayor Teodor Osk" names Osk as an object.
    r"(?<![\w’'-]\s)(?<![\w’'-])([A-Z][\w’'-]+(?:\s+(?:al-|el-|bin\s+|abu\s+)?[A-Z][\w’'-]+)+)"
)
_NAME_LOWER_OK = frozenset(["al", "el", "bin", "ibn", "abu", "bint", "van", "von", "de", "da", "di", "du", "del", "della", "der", "le", "la", "ul", "ad"])


def _kind(q: Quote) -> str:
    name = _LEAD_DET.sub("", (q.speaker or "").strip())
    if q.speaker_type in ("anonymous",) or not name[:1].isupper():
        return "anon"
    if " " not in name and _SPEAKER_NOUN.fullmatch(name):
        return "anon"  # "Residents said": a description, capitalised by the sentence
    if q.speaker_type in ("organisation", "group") or _ORG_WORDS.search(name):
        return "org"
    # A person's name is capitalised words and particles; "Opponents of President
    # Bashar Assad" is a description, and must not become Assad.
    words = re.split(r"[\s]+", name)
    if any(w[:1].islower() and w.split("-")[0].lower() not in _NAME_LOWER_OK for w in words):
        return "anon"
    return "person"


_PAREN_ACRONYM = re.compile(r"\s*\(([A-Z]{2,8})\)\s*$")
_BASED = re.compile(r"^(?:[\w.]+-based|British|Britain's|UK|U\.K\.|US|U\.S\.)\s+(?=[A-Z])")


def _acronym(name: str) -> str:
    name = _BASED.sub("", name)  # "UK-based Syrian Observatory ..." is still SOHR
    letters = name.replace(".", "")
    if letters.isupper() and 2 <= len(letters) <= 6 and " " not in letters:
        return letters
    caps = re.findall(r"\b[A-Z][\w'’-]*", _LEAD_DET.sub("", name))
    return "".join(w[0] for w in caps) if len(caps) >= 2 else ""


def speaker_key(name: str) -> tuple[str, ...]:
    """A person's comparable name tokens, titles dropped.

    >>> speaker_key("President Bashar al-Assad"), speaker_key("Mr. al-Assad")
    (('bashar', 'assad'), ('assad',))
    """
    clean = _LEAD_DET.sub("", name.strip())
    return tuple(t for t in name_key(clean) if t not in TITLE_WORDS and t.rstrip(".") not in TITLE_WORDS)


@dataclass
class _Speaker:
    kind: str
    names: list[str] = field(default_factory=list)
    keys: set[tuple[str, ...]] = field(default_factory=set)
    items: list[tuple[Quote, str, Citation]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return max(self.names, key=lambda n: (len(speaker_key(n)), len(n), n))


_DESC_END = re.compile(r",|\s(?:which|where|waiting|speaking|standing)\b")


def short_description(name: str) -> str:
    """"a Reuters witness waiting at the departure point, where ..." -> "a Reuters witness"."""
    return _DESC_END.split(name, maxsplit=1)[0].strip() or name


class _Resolver:
    """Assigns each speaker string to a story-wide speaker, with blocking."""

    def __init__(self) -> None:
        self.speakers: list[_Speaker] = []
        self.exact: dict[tuple[str, str], int] = {}
        self.by_surname: dict[str, list[int]] = defaultdict(list)
        self.by_acronym: dict[str, list[int]] = defaultdict(list)
        self.by_word: dict[str, list[int]] = defaultdict(list)

    def _new(self, kind: str) -> int:
        self.speakers.append(_Speaker(kind))
        return len(self.speakers) - 1

    def resolve_person(self, name: str, quote_tokens: frozenset[str] | set[str] = frozenset()) -> int:
        key = speaker_key(name)
        if not key:
            return self.resolve_other(name, "anon")
        hits = []
        for sid in self.by_surname.get(key[-1], ()):
            for other in self.speakers[sid].keys:
                short, long_ = (key, other) if len(key) <= len(other) else (other, key)
                if set(short) <= set(long_):
                    hits.append(sid)
                    break
        # Several different full names fit a bare surname: refuse to guess,
        # unless exactly one of them already said these very words.
        hits = list(dict.fromkeys(hits))
        target = hits[0] if len(hits) == 1 else None
        if len(hits) > 1 and len(key) > 1:
            # A full name fits whichever candidate already holds it exactly.
            target = next((sid for sid in hits if key in self.speakers[sid].keys), None)
        elif len(hits) > 1 and quote_tokens:
            # Bounded: only a speaker's first MAX_COMPARE quotes are looked at.
            said = [sid for sid in hits if any(
                OverlapClusterer.overlap(quote_tokens, content_tokens(t)) >= 0.6
                for _, t, _ in self.speakers[sid].items[:MAX_COMPARE]
            )]
            target = said[0] if len(said) == 1 else None
        if target is None:
            target = self._new("person")
            self.by_surname[key[-1]].append(target)
        self.speakers[target].keys.add(key)
        return target

    def resolve_org(self, name: str) -> int:
        clean = _LEAD_DET.sub("", name.strip())
        alias = _PAREN_ACRONYM.search(clean)
        if alias:  # "Harbour and Dock Workers' Union (HDWU)": the name, and HDWU as an alias
            clean = clean[: alias.start()].strip()
        acr = _acronym(clean)
        words = [w for w in _norm(clean) if len(w) > 3]
        hit = None
        if acr and self.by_acronym.get(acr):
            hit = self.by_acronym[acr][0]
        elif len(words) == 1 and len(set(self.by_word.get(words[0], ()))) == 1:
            # "the Observatory" -> the one organisation with that word in its name
            hit = self.by_word[words[0]][0]
        exact = self.exact.get(("org", clean.lower()))
        target = exact if exact is not None else hit
        if target is None:
            target = self._new("org")
        self.exact[("org", clean.lower())] = target
        for a in {acr, alias.group(1) if alias else ""} - {""}:
            if target not in self.by_acronym[a]:
                self.by_acronym[a].append(target)
        if len(words) > 1:
            for w in words:
                if target not in self.by_word[w]:
                    self.by_word[w].append(target)
        return target

    def organisation_for(self, description: str) -> int | None:
        """The one organisation a definite description fits: "the union" when
        one union was named, "the port authority" for "Marrowick Port Authority"."""
        if not re.match(r"^\s*the\s", description, re.I):
            return None
        words = [w for w in _norm(_LEAD_DET.sub("", description)) if len(w) > 3]
        if not words or len(words) > 3:
            return None
        if len(words) == 1 and words[0] in _COMPANY_NOUNS:
            # "the company": the one company that speaks in the story, if there is one
            # (or the one that speaks at least twice as often as any other)
            companies = sorted(((len(sp.items), sid) for sid, sp in enumerate(self.speakers)
                                if sp.kind == "org" and sp.items and any(is_company_name(n) for n in sp.names)),
                               reverse=True)
            if len(companies) == 1 or len(companies) > 1 and companies[0][0] >= 2 * companies[1][0]:
                return companies[0][1]
            return None
        fits: set[int] | None = None
        for w in words:
            ids = set(self.by_word.get(w, ()))
            fits = ids if fits is None else fits & ids
        return next(iter(fits)) if fits and len(fits) == 1 else None

    def named_in(self, description: str) -> int | None:
        """The person a description names in apposition ("Another resident, Rami Zien, who ...")."""
        for m in _NAME_RUN.finditer(description):
            key = speaker_key(m.group(1))
            if len(key) < 2:
                continue
            for sid in self.by_surname.get(key[-1], ()):
                if key in self.speakers[sid].keys:
                    return sid
        return None

    def resolve_other(self, name: str, kind: str) -> int:
        key = (kind, " ".join(_norm(_LEAD_DET.sub("", short_description(name)))))
        if key not in self.exact:
            self.exact[key] = self._new(kind)
        return self.exact[key]


def _citation(an: Analysis, q: Quote) -> Citation:
    idx = q.sentence_index
    if idx < 0:
        idx = next((s.index for s in an.sentences if s.start <= q.content[0] < s.end), 0)
    return Citation(an.article.id, idx, q.content[0], q.content[1])


def _is_excerpt(a: list[str], b: list[str]) -> bool:
    """Whether word list ``a`` appears contiguously inside ``b``."""
    if len(a) > len(b):
        return False
    sa, sb = " " + " ".join(a) + " ", " " + " ".join(b) + " "
    return sa in sb


def _quote_entries(
    items: list[tuple[Quote, str, Citation]], number: dict[str, int]
) -> tuple[list[Claim], bool]:
    """A speaker's claims, one entry per distinct wording, and whether
    versions of one quote differ. ``items`` hold (quote, shown text, citation)."""
    df: Counter[str] = Counter()
    toks = []
    for _, text, _ in items:
        t = content_tokens(text)
        toks.append(t)
        df.update(t)
    # Direct and reported speech are clustered apart (a paraphrase is not a variant),
    # and so is each stance (a denial never merges with an assertion of its words).
    clusterers: dict[tuple[bool, str], OverlapClusterer] = {}
    groups: dict[tuple[bool, str, int], list[int]] = defaultdict(list)
    order = sorted(range(len(items)), key=lambda i: (number.get(items[i][2].article_id, 10**9), items[i][2].start))
    for i in order:
        q = items[i][0]
        key = (q.kind != "indirect", q.stance)
        if key not in clusterers:
            clusterers[key] = OverlapClusterer(df, threshold=0.6, probe=8)
        groups[(*key, clusterers[key].add(toks[i]))].append(i)

    entries: list[tuple[int, int, list[Claim]]] = []
    differ = False
    for members in groups.values():
        versions: dict[str, list[int]] = {}
        for i in members:
            versions.setdefault(" ".join(_norm(items[i][1])), []).append(i)
        # Fold excerpts into the longer version they come from (compared with
        # the first MAX_COMPARE longer versions only, to stay linear).
        keys = sorted(versions, key=lambda k: -len(k))
        kept: list[str] = []
        for k in keys:
            host = next((h for h in kept[:MAX_COMPARE] if _is_excerpt(k.split(), h.split())), None)
            if host is not None:
                versions[host].extend(versions.pop(k))
            else:
                kept.append(k)
        if len(kept) > MAX_VERSIONS:
            # Show the best-supported wordings; the rest join the first (their
            # citations stay, and the speaker is flagged as having variants).
            kept.sort(key=lambda k: -len(versions[k]))
            for k in kept[MAX_VERSIONS:]:
                versions[kept[0]].extend(versions.pop(k))
            kept = kept[:MAX_VERSIONS]
        direct = items[members[0]][0].kind != "indirect"
        if len(kept) > 1 and direct:
            arts = {items[i][2].article_id for k in kept for i in versions[k]}
            differ = differ or len(arts) > 1
        out = []
        for k in kept:
            idx = sorted(versions[k], key=lambda i: (number.get(items[i][2].article_id, 10**9), items[i][2].start))
            rep = max(idx, key=lambda i: len(items[i][1]))
            q = items[rep][0]
            cits = tuple(dict.fromkeys([items[rep][2]] + [items[i][2] for i in idx]))
            out.append(Claim(
                text=items[rep][1].strip(), citations=cits, direct=q.kind != "indirect", stance=q.stance,
                confidence=max(items[i][0].confidence for i in idx), target=q.target, negative=q.negative,
                content=(q.text or "").strip(),
            ))
        n_articles = len({c.article_id for cl in out for c in cl.citations})
        first = min(number.get(c.article_id, 10**9) * 10**6 + c.start for cl in out for c in cl.citations)
        entries.append((-n_articles, first, out))
    entries.sort(key=lambda e: (e[0], e[1]))
    return [x for _, _, out in entries for x in out], differ


_PREPOSITIONS = {"to", "at", "of", "for", "about", "on", "in", "with", "from", "by", "into", "over"}
_VERBAL = re.compile(
    r"\b(?:\w+ed|is|are|was|were|be|been|has|have|had|will|would|can|could|may|might|must|should|did|does|do)\b",
    re.I,
)


def _not_a_claim(text: str) -> bool:
    """Reported "speech" that is only the object of a cue ("to the press", "4.5%",
    "the claim", "at the crowd outside Gate 4"): the quote layer keeps it for
    attribution, but under a speaker's name a reader learns nothing from it.
    A short clause with a verb ("pumps failed") is still a claim."""
    words = text.split()
    if words and words[0].lower().strip("\"“‘'") in _PREPOSITIONS:
        return True
    if " of " in f" {text.lower()} ":  # an accusation's object: "him of neglect"
        return False
    return len(words) < 4 and not _VERBAL.search(text)


def shown_claim(q: Quote, text: str, min_confidence: float = BRIEFING_MIN_CONFIDENCE) -> str | None:
    """The words the briefing shows for a quote, or None when it shows nothing.

    A quote the quote layer read carries its claim ("denied that ...") and a
    confidence; an unread one (``claim`` None, built by hand) stands as its
    text, unless it is only the object of a cue ("to the press").

    >>> shown_claim(Quote((0, 5), None, None, "Ana", kind="indirect", stance="denies",
    ...             claim="denied that the pier was shut", confidence=0.9), "the pier was shut")
    'denied that the pier was shut'
    """
    if q.claim is None:
        if not text.strip() or (q.kind == "indirect" and _not_a_claim(text)):
            return None
        return text
    if not q.claim or q.confidence < min_confidence:
        return None
    return q.claim


def who_said_what(
    analyses: Sequence[Analysis],
    sources: Sequence[SourceEntry],
    entities: Sequence[Entity] | None = None,
    min_confidence: float = BRIEFING_MIN_CONFIDENCE,
) -> tuple[SpeakerQuotes, ...]:
    """Quotes and reported speech of a story, grouped by resolved speaker.

    Args:
        analyses: per-article analyses with quotes (speakers resolved within the article).
        sources: the numbered sources, for outlet names and ordering.
        entities: story-wide merged entities (``merge_story_entities``); when
            given, a speaker matching one takes its full name and role.
        min_confidence: quotes scored below this are left out (the briefing's threshold).

    Returns:
        Speakers by prominence: articles quoting them, then number of
        claims, then first appearance. Each claim carries its shown text
        (with its stance), stance, confidence and citations, which point at
        the quote's content span.

    Example:
        >>> from newsweave.models import Article, Analysis, Quote, SourceEntry
        >>> a = Article('"We will rebuild," said Mayor Ana Ruiz.', id="a")
        >>> q = Quote((1, 16), (23, 37), (18, 22), "Ana Ruiz", role="mayor", speaker_type="person",
        ...           article_id="a", sentence_index=0, text="We will rebuild")
        >>> sq = who_said_what([Analysis(a, (), quotes=(q,))], [SourceEntry(1, "a", "Dock News", None, None, None, None, group=1)])
        >>> sq[0].speaker, sq[0].role, sq[0].quotes[0].text, sq[0].outlets
        ('Ana Ruiz', 'mayor', 'We will rebuild', ('Dock News',))
    """
    number = {s.article_id: s.number for s in sources}
    label = {s.article_id: outlet_label(s) for s in sources}
    resolver = _Resolver()
    roles: dict[int, Counter[str]] = defaultdict(Counter)
    # People first, in source order, so full names exist before bare surnames
    # look for them and the result does not depend on input order.
    pending = []
    for an in analyses:
        boiler = {s.index for s in an.sentences if s.boilerplate}
        for q in an.quotes:
            name = (q.speaker or "").strip()
            if not name or name.lower() in _PRONOUNS or q.sentence_index in boiler:
                continue  # captions ("Raw footage shows ... (Reuters)") are not speech
            shown = shown_claim(q, q.text or an.article.text[q.content[0] : q.content[1]], min_confidence)
            if shown is None:
                continue
            pending.append((an, q, name, shown))
    kind_rank = {"person": 0, "org": 1, "anon": 2}
    pending.sort(
        key=lambda p: (
            kind_rank[_kind(p[1])],
            -len(speaker_key(p[2])),
            number.get(p[0].article.id, 10**9),
            p[1].content[0],
        )
    )
    for an, q, name, text in pending:
        kind = _kind(q)
        if kind == "person":
            sid = resolver.resolve_person(name, content_tokens(text))
        elif kind == "org":
            sid = resolver.resolve_org(name)
        else:
            known = resolver.named_in(name)
            if known is None:
                known = resolver.organisation_for(name)
            if known is None and not _SPEAKER_NOUN.search(name) and q.speaker_type not in ("anonymous", "group"):
                continue  # the quote layer saw no one who can speak in it
            sid = known if known is not None else resolver.resolve_other(name, "anon")
            if known is not None:
                name = resolver.speakers[known].name
        sp = resolver.speakers[sid]
        sp.names.append(_LEAD_DET.sub("", name) if kind != "anon" else short_description(name))
        sp.items.append((q, text, _citation(an, q)))
        if q.role:
            roles[sid][q.role.strip()] += 1

    # Story entities (given, or each article's own) blocked by surname: a
    # speaker takes a fuller name and a role from the entity that contains
    # its name. Without ``entities`` the per-article entities serve, which
    # keeps this linear (no story-wide merge of every entity is needed).
    ent_index: dict[str, list[Entity]] = defaultdict(list)
    pool = entities if entities is not None else [e for an in analyses for e in an.entities]
    for e in pool:
        if e.label != "PERSON":
            continue
        for n in dict.fromkeys((e.name, *e.variants)):
            k = speaker_key(n)
            if k and len(ent_index[k[-1]]) < MAX_COMPARE:
                ent_index[k[-1]].append(e)

    out = []
    for sid, sp in enumerate(resolver.speakers):
        if not sp.items:
            continue
        name = sp.name
        role = roles[sid].most_common(1)[0][0] if roles[sid] else None
        key = speaker_key(name)
        if sp.kind == "person" and key:
            fits = [e for e in ent_index.get(key[-1], ()) if set(key) <= set(speaker_key(e.name))]
            full = {speaker_key(e.name) for e in fits}
            # A bare surname borrows a full name only when one person in the story has it.
            if fits and (len(key) > 1 or len(full) == 1):
                longest = max(fits, key=lambda e: (len(speaker_key(e.name)), len(e.name)))
                if len(speaker_key(longest.name)) >= len(key):
                    name = longest.name
                role = role or next((e.role for e in fits if e.role), None)
        entries, differ = _quote_entries(sp.items, number)
        arts = sorted({c.article_id for cl in entries for c in cl.citations}, key=lambda a: number.get(a, 10**9))
        outlets = tuple(dict.fromkeys(label.get(a, a) for a in arts))
        first = min(number.get(c.article_id, 10**9) * 10**6 + c.start for cl in entries for c in cl.citations)
        kind = {"person": "person", "org": "organisation"}.get(sp.kind, "anonymous")
        out.append((-len(arts), -len(entries), first,
                    SpeakerQuotes(name, role, tuple(entries), outlets, differ, kind)))
    out.sort(key=lambda t: t[:3])
    return tuple(t[3] for t in out)
