"""The sources list: numbering, wire copy between articles, agency copy inside one.

Three of ten "sources" are often the same wire text. This module finds them:

* **between articles**: paragraphs are shingled into word 3-grams and hashed
  with MinHash; a banded LSH index (:class:`PassageIndex`) returns, for each
  paragraph, only the paragraphs likely to share most of its shingles, so the
  cost grows with the number of paragraphs (linear in articles), never with
  all pairs of them.
  Articles that share enough passages form one *group*; each member names the
  earliest (then longest) member as ``copy_of``.
* **inside one article**: a dateline, credit line or byline naming an agency,
  or the agency's own staff ("told AFP", "a Reuters witness"), put the agency
  in ``SourceEntry.agencies`` (agency copy); an agency the article only cites
  ("Reuters reported", "according to AFP") goes in ``SourceEntry.cites``.
  Both, and the outlet's name, are read by :mod:`newsweave.synthesize.outlets`.

:func:`independent_count` counts the independent reports behind a set of
articles (distinct groups, and the same agency's copy carried by two outlets
counted once), and :func:`independence_phrase` words it the way a briefing
does: "Reported by three outlets, two independent reports".

The small text helpers at the end (:func:`content_tokens`,
:class:`OverlapClusterer`) are shared by the other synthesis modules
(timeline, speakers, ledger, disputes) so they all bound their work the same way.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache

from newsweave.models import Article, Citation, Sentence, SourceEntry
from newsweave.synthesize.outlets import (
    agency_credits,
    agency_display,
    agency_key,
    agency_names,
    classify_credits,
    identify_outlet,
)

__all__ = [
    "build_sources",
    "agency_credits",
    "independent_count",
    "independence_phrase",
    "outlet_label",
    "content_tokens",
    "word_forms",
    "word_forms_with_stops",
    "singular",
    "SYNONYMS",
    "OverlapClusterer",
]

NUM_PERM = 64
_MERSENNE = (1 << 61) - 1
LSH_THRESHOLD = 0.5  # Jaccard of two paragraphs' shingle sets to count as one passage
MIN_PARA_TOKENS = 12  # shorter paragraphs (headlines, credits) say nothing about copying
SHARED_PARAS = 3  # this many shared passages make two articles one report...
SHARED_FRACTION = 0.3  # ...or this share of the shorter article's words

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

_NUMBER_WORDS = (
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
)  # fmt: skip


def _norm_words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _shingles(tokens: Sequence[str], k: int = 3) -> set[str]:
    if len(tokens) < k:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1)}


def _paragraphs(article: Article, sentences: Sequence[Sentence] | None) -> list[str]:
    """The article's body paragraphs, boilerplate left out."""
    if sentences:
        paras: dict[int, list[str]] = defaultdict(list)
        for s in sentences:
            if not s.boilerplate:
                paras[s.paragraph].append(s.text)
        return [" ".join(v) for _, v in sorted(paras.items())]
    return [ln.strip() for ln in article.text.splitlines() if ln.strip()]


def _order_key(a: Article) -> tuple[str, str, str]:
    # Undated articles go last: their place in the story is least certain.
    return (a.date or "9999-99-99", a.path or "", a.id)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


class PassageIndex:
    """MinHash signatures of paragraphs in a banded LSH index.

    The same scheme as datasketch's ``MinHash`` + ``MinHashLSH`` (universal
    hashing ``(a*x + b) mod (2^61 - 1)`` over 32-bit shingle hashes, ``BANDS``
    bands of ``ROWS`` rows, so pairs above a Jaccard of about 0.5 share a
    bucket), written with numpy here because importing datasketch pulls in
    scipy and costs about a second of every cold CLI start. Shingles are
    hashed with CRC-32, so signatures are stable across processes and
    machines (workers can build them apart and merge the buckets).

    Each bucket keeps at most ``MAX_BUCKET`` entries: a passage already seen
    in that many places is known to be wire copy, and a story of 500 copies
    of one AP text must not make every new paragraph meet 500 old ones.
    """

    BANDS, ROWS = 16, 4
    MAX_BUCKET = 32

    def __init__(self) -> None:
        import numpy as np

        rng = np.random.RandomState(1)
        self._np = np
        self._a = rng.randint(1, _MERSENNE, size=NUM_PERM, dtype=np.uint64)
        self._b = rng.randint(0, _MERSENNE, size=NUM_PERM, dtype=np.uint64)
        self.buckets: list[dict[bytes, list[tuple[int, int]]]] = [{} for _ in range(self.BANDS)]

    def signature(self, shingles: set[str]):  # type: ignore[no-untyped-def]
        """The MinHash signature (NUM_PERM unsigned ints) of a shingle set."""
        np = self._np
        hv = np.fromiter((zlib.crc32(x.encode("utf-8")) for x in shingles), dtype=np.uint64, count=len(shingles))
        # uint64 arithmetic wraps on overflow, as in datasketch: still a hash family.
        ph = ((hv[:, None] * self._a[None, :] + self._b[None, :]) % np.uint64(_MERSENNE)) & np.uint64(0xFFFFFFFF)
        return ph.min(axis=0)

    def _keys(self, sig) -> list[bytes]:  # type: ignore[no-untyped-def]
        r = self.ROWS
        return [sig[i * r : (i + 1) * r].tobytes() for i in range(self.BANDS)]

    def query(self, sig) -> set[tuple[int, int]]:  # type: ignore[no-untyped-def]
        """Keys of indexed passages sharing at least one band with ``sig``."""
        out: set[tuple[int, int]] = set()
        for band, key in zip(self.buckets, self._keys(sig), strict=True):
            out.update(band.get(key, ()))
        return out

    def insert(self, key: tuple[int, int], sig) -> None:  # type: ignore[no-untyped-def]
        for band, k in zip(self.buckets, self._keys(sig), strict=True):
            lst = band.setdefault(k, [])
            if len(lst) < self.MAX_BUCKET:
                lst.append(key)


def _group_articles(paras: list[list[set[str]]], sizes: list[int]) -> _UnionFind:
    """Union articles that share enough passages.

    Bounded: each paragraph is hashed once and looked up in the banded
    index, whose buckets are capped; candidates already in the article's
    group are skipped, so a group of many copies collapses as it is read
    and the work stays linear in paragraphs.
    """
    index = PassageIndex()
    uf = _UnionFind(len(paras))
    for ai, plist in enumerate(paras):
        sigs = []
        shared: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # other article -> [passages, words]
        for pi, sh in enumerate(plist):
            if not sh:
                continue
            sig = index.signature(sh)
            sigs.append((pi, sig))
            best_by_root: dict[int, tuple[int, int]] = {}
            for aj, pj in index.query(sig):
                root = uf.find(aj)
                if root in best_by_root:
                    continue  # one verified match per earlier group is enough
                other = paras[aj][pj]
                inter = len(sh & other)
                # Verify exactly: LSH only proposes candidates. Containment
                # keeps a trimmed wire paragraph matched to its full version.
                if inter / min(len(sh), len(other)) < 0.6:
                    continue
                best_by_root[root] = (inter, aj)
            for inter, aj in best_by_root.values():
                rec = shared[aj]
                rec[0] += 1
                rec[1] += inter + 2  # shingles ~ words
        for aj, (n_shared, words) in shared.items():
            if uf.find(aj) == uf.find(ai):
                continue
            smaller = max(1, min(sizes[ai], sizes[aj]))
            if n_shared >= SHARED_PARAS or words / smaller >= SHARED_FRACTION:
                uf.union(ai, aj)
        # Insert after querying so an article never matches itself.
        for pi, sig in sigs:
            index.insert((ai, pi), sig)
    return uf


def build_sources(
    articles: Sequence[Article],
    sentences_by_article: Mapping[str, Sequence[Sentence]] | None = None,
) -> tuple[SourceEntry, ...]:
    """Number a story's articles and find which are copies of the same report.

    Articles are numbered 1..n by publication date, then path, then id, so a
    briefing's ``[n]`` marks are stable across runs. Two articles are one
    report when they share at least three passages (paragraphs whose word
    3-gram sets overlap by 60%), or passages making up 30% of the shorter one.

    Args:
        articles: the story's articles.
        sentences_by_article: sentences per article id; paragraphs and
            boilerplate flags come from them (plain lines when missing).

    Returns:
        One :class:`SourceEntry` per article, in number order. ``group`` is
        the number of the group's original; ``copy_of`` is set on the others.

    Example:
        >>> from newsweave.models import Article
        >>> s = build_sources([Article("One report.", source="A"), Article("Another.", source="B")])
        >>> [(e.number, e.group, e.copy_of) for e in s]
        [(1, 1, None), (2, 2, None)]
    """
    ordered = sorted(articles, key=_order_key)
    sents = sentences_by_article or {}
    paras: list[list[set[str]]] = []
    sizes: list[int] = []
    for a in ordered:
        plist = _paragraphs(a, sents.get(a.id))
        toks = [_norm_words(p) for p in plist]
        paras.append([_shingles(t) if len(t) >= MIN_PARA_TOKENS else set() for t in toks])
        sizes.append(sum(len(t) for t in toks))
    # Agencies are read with the names the whole story gives them, so that
    # "according to WNA" in one article is known by another's dateline.
    story_agencies = agency_names(a.text for a in ordered)
    credits = [classify_credits(a.text, a.byline, story_agencies) for a in ordered]
    shown = agency_display([n for c in credits for n in (*c.copy, *c.cites)])

    def names(found: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(shown.get(agency_key(n), n) for n in found))

    uf = _group_articles(paras, sizes)

    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ordered)):
        members[uf.find(i)].append(i)
    original: dict[int, int] = {}
    for root, idx in members.items():
        # The original is the earliest, then the longest (copies trim).
        original[root] = min(idx, key=lambda k: (_order_key(ordered[k])[0], -sizes[k], k))

    out = []
    for i, a in enumerate(ordered):
        orig = original[uf.find(i)]
        out.append(
            SourceEntry(
                number=i + 1,
                article_id=a.id,
                outlet=identify_outlet(a),
                title=a.title,
                date=a.date,
                url=a.url,
                path=a.path,
                group=orig + 1,
                copy_of=None if orig == i else orig + 1,
                agencies=names(credits[i].copy),
                cites=names(credits[i].cites),
            )
        )
    return tuple(out)


def _near_same(a: str, b: str) -> bool:
    sa, sb = _shingles(_norm_words(a)), _shingles(_norm_words(b))
    if not sa or not sb:
        return False
    return len(sa & sb) / min(len(sa), len(sb)) >= 0.6


def independent_count(
    article_ids: Iterable[str],
    sources: Sequence[SourceEntry],
    *,
    citations: Sequence[Citation] = (),
    sentences_by_article: Mapping[str, Sequence[Sentence]] | None = None,
) -> int:
    """How many independent reports stand behind a statement.

    Articles in one wire-copy group count once. With ``citations`` and
    ``sentences_by_article``, two cited sentences from different groups also
    count once when both credit the same agency ("told AFP" in each), when
    one credits an agency ("the Westland News Agency reported") and the other
    article is that agency's copy, or when the sentences are near-identical
    and both articles credit that agency somewhere: that is one agency's
    report carried twice.

    Bounded: citations are blocked by agency before any comparison, so only
    sentences crediting one agency are compared with each other.

    >>> from newsweave.models import SourceEntry
    >>> src = [SourceEntry(1, "a", "A", None, None, None, None, group=1),
    ...        SourceEntry(2, "b", "B", None, None, None, None, group=1, copy_of=1),
    ...        SourceEntry(3, "c", "C", None, None, None, None, group=3)]
    >>> independent_count(["a", "b", "c"], src)
    2
    """
    by_id = {s.article_id: s for s in sources}
    ids = [i for i in dict.fromkeys(article_ids) if i in by_id]
    groups = {by_id[i].group for i in ids}
    if not citations or not sentences_by_article or len(groups) < 2:
        return len(groups)
    parent = {g: g for g in groups}

    def find(g: int) -> int:
        while parent[g] != g:
            g = parent[g]
        return g

    text_of: dict[tuple[str, int], str] = {}
    for aid in {c.article_id for c in citations}:
        for s in sentences_by_article.get(aid, ()):
            text_of[(s.article_id, s.index)] = s.text
    story_agencies = tuple(sorted({n for e in sources for n in (*e.agencies, *e.cites)}))
    # Block cited sentences by the agencies credited around them (copied or cited:
    # two outlets quoting one agency's report are one source for that statement).
    blocks: dict[str, list[tuple[int, str, bool, bool]]] = defaultdict(list)
    for c in citations:
        src = by_id.get(c.article_id)
        text = text_of.get((c.article_id, c.sentence_index), "")
        if src is None or not text:
            continue
        in_sentence = _sentence_agencies(text, story_agencies)
        copy = {agency_key(n) for n in src.agencies}
        for ag in in_sentence | copy | {agency_key(n) for n in src.cites}:
            blocks[ag].append((src.group, text, ag in in_sentence, ag in copy))
    for items in blocks.values():
        for k, (g1, t1, own1, copy1) in enumerate(items):
            for g2, t2, own2, copy2 in items[k + 1 :]:
                if find(g1) == find(g2):
                    continue
                # Both sentences credit the agency, or one credits it and the
                # other article is its copy, or the words are the agency's twice.
                if (own1 and (own2 or copy2)) or (own2 and copy1) or _near_same(t1, t2):
                    parent[find(g2)] = find(g1)
    return len({find(g) for g in groups})


@lru_cache(maxsize=1 << 14)
def _sentence_agencies(text: str, story_agencies: tuple[str, ...]) -> frozenset[str]:
    return frozenset(agency_key(n) for n in agency_credits(text, story_agencies))


def outlet_label(entry: SourceEntry) -> str:
    """The name a reader sees for a source: its outlet, else ``[n]`` and title."""
    if entry.outlet:
        return entry.outlet
    return f"[{entry.number}]" + (f" {entry.title}" if entry.title else "")


def _count_word(n: int, noun: str) -> str:
    word = _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)
    return f"{word} {noun}{'' if n == 1 else 's'}"


def independence_phrase(
    article_ids: Iterable[str], sources: Sequence[SourceEntry], independent: int | None = None
) -> str:
    """The briefing's sentence on how well a statement is sourced.

    Outlets are distinct outlet names (an article without one counts alone).

    >>> from newsweave.models import SourceEntry
    >>> src = [SourceEntry(1, "a", "A", None, None, None, None, group=1),
    ...        SourceEntry(2, "b", "B", None, None, None, None, group=1, copy_of=1),
    ...        SourceEntry(3, "c", "C", None, None, None, None, group=3)]
    >>> independence_phrase(["a", "b", "c"], src)
    'Reported by three outlets, two independent reports'
    """
    by_id = {s.article_id: s for s in sources}
    entries = [by_id[i] for i in dict.fromkeys(article_ids) if i in by_id]
    outlets = {(e.outlet or f"#{e.number}").casefold() for e in entries}
    if independent is None:
        independent = independent_count([e.article_id for e in entries], sources)
    return f"Reported by {_count_word(len(outlets), 'outlet')}, {_count_word(independent, 'independent report')}"


# --- text helpers shared by the synthesis modules ---------------------------

_STOP_WORDS = """a an the and or but of to in on at by for from with without as is are was were be been
    being has have had do does did will would could should may might can this that these those
    it its it's he she they them their his her we our you your i me my not no there here who whom
    which what when where while than then so if also just into onto over under after before
    about against between among amid during said says say saying told tell according mr mrs ms dr one
    some any all more most such only very still even up out off new"""
_STOP = frozenset(_STOP_WORDS.split())
_IRREGULAR = {"people": "people", "children": "child", "women": "woman", "men": "man", "news": "news"}


def singular(word: str) -> str:
    """A lemma-ish singular for counted nouns: "civilians" -> "civilian".

    >>> [singular(w) for w in ["buses", "casualties", "children", "fighters", "people", "news"]]
    ['bus', 'casualty', 'child', 'fighter', 'people', 'news']
    """
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses", "uses", "zes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


# Words that differ only in wording when matching one event or claim across
# sources: "truce" / "agreement" / "deal", "executed" / "shot dead" / "killed".
SYNONYMS: dict[str, str] = {
    "cease-fire": "deal", "ceasefire": "deal", "truce": "deal", "agreement": "deal", "accord": "deal",
    "arrangement": "deal", "pact": "deal", "agreed": "deal", "agree": "deal",
    "killing": "kill", "killed": "kill", "dead": "kill", "died": "kill", "executed": "kill",
    "executing": "kill", "execution": "kill", "shooting": "kill", "shot": "kill", "slaughter": "kill",
    "massacre": "kill", "murder": "kill", "reached": "reach", "struck": "reach",
    "brokered": "mediate", "broker": "mediate", "mediated": "mediate",
    "scuttling": "break", "scuttled": "break", "foiling": "break", "foiled": "break",
    "blocking": "break", "blocked": "break", "broke": "break", "broken": "break", "breaking": "break",
    "violating": "break", "violated": "break", "violation": "break", "breach": "break",
    "breached": "break", "sabotaging": "break", "sabotaged": "break", "undermining": "break",
    "derailing": "break", "derailed": "break", "wrecking": "break", "collapsed": "break",
    "unravelled": "break", "unraveled": "break", "crumbled": "break",
    "airstrike": "strike", "bombing": "strike", "shelling": "strike", "bombardment": "strike",
    "breakdown": "break", "collapse": "break",
    "talk": "talk", "table": "talk", "negotiation": "talk", "negotiating": "talk",
    "walked": "quit", "walking": "quit", "walkout": "quit",
}  # fmt: skip
_DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}")
_CEASE = re.compile(r"\bcease-fire", re.I)  # the tokenizer would split it into "cease" + "fire"


def content_tokens(text: str, synonyms: Mapping[str, str] | None = None) -> set[str]:
    """Lower-cased singular content words of ``text`` (stop words dropped),
    each mapped through ``synonyms`` when given ("truce" -> "deal").
    Dotted acronyms are closed up first ("U.N." -> "un").

    Cached for the shared :data:`SYNONYMS` (and none): the timeline, ledger
    and disputes read the same sentences, and copies repeat them."""
    if synonyms is None or synonyms is SYNONYMS:
        return set(_cached_tokens(text, synonyms is not None))
    return _content_tokens(text, synonyms)


@lru_cache(maxsize=1 << 16)
def _cached_tokens(text: str, with_synonyms: bool) -> frozenset[str]:
    return frozenset(_content_tokens(text, SYNONYMS if with_synonyms else None))


@lru_cache(maxsize=1 << 16)
def _word_form(w: str) -> str:
    """A word's singular form, '' for stop words (cached: the vocabulary is small)."""
    if w in _STOP or len(w) < 2:
        return ""
    return singular(w.replace("'s", ""))


def word_forms(text: str) -> list[str]:
    """The singular content words of ``text`` in order (stop words dropped).

    >>> word_forms("The talks broke down over buses")
    ['talk', 'broke', 'down', 'bus']
    """
    if "ease-" in text:
        text = _CEASE.sub("ceasefire", text)
    return [f for f in (_word_form(w) for w in _norm_words(text)) if f]


def word_forms_with_stops(text: str) -> list[str]:
    """Every word of ``text`` in order, singular, stop words kept ("no", "not")."""
    return [singular(w) for w in _norm_words(text)]


def _content_tokens(text: str, synonyms: Mapping[str, str] | None) -> set[str]:
    if "." in text:
        text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    if "ease-" in text:
        text = _CEASE.sub("ceasefire", text)
    forms = {_word_form(w) for w in _norm_words(text)}
    forms.discard("")
    if synonyms:
        return {synonyms.get(w, w) for w in forms}
    return forms


class OverlapClusterer:
    """Greedy clustering of token sets by overlap, through an inverted index.

    Each new item is compared only with clusters that share one of its
    ``probe`` rarest tokens (rarity from document frequencies given up
    front), and at most ``max_candidates`` of them, so clustering n items
    costs O(n * probe * max_candidates) rather than O(n^2).
    """

    def __init__(
        self,
        doc_freq: Counter[str] | None = None,
        threshold: float = 0.5,
        probe: int = 6,
        max_candidates: int = 50,
    ) -> None:
        self.df = doc_freq or Counter()
        self.threshold = threshold
        self.probe = probe
        self.max_candidates = max_candidates
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.rep: list[set[str]] = []  # the first member's tokens, per cluster

    @staticmethod
    def overlap(a: AbstractSet[str], b: AbstractSet[str]) -> float:
        """Overlap coefficient: shared tokens over the smaller set."""
        if not a or not b:
            return 0.0
        return len(a & b) / min(len(a), len(b))

    def add(self, tokens: set[str]) -> int:
        """Put ``tokens`` in the best matching cluster (or a new one); return its id."""
        # A word only this item has (document frequency 1) can match nothing: skip it.
        rare = sorted((t for t in tokens if self.df.get(t, 0) != 1), key=lambda t: (self.df.get(t, 0), t))
        rare = rare[: self.probe]
        seen: set[int] = set()
        best, best_score = -1, 0.0
        for t in rare:
            for cid in self.postings.get(t, ())[: self.max_candidates]:
                if cid in seen:
                    continue
                seen.add(cid)
                score = self.overlap(tokens, self.rep[cid])
                if score > best_score:
                    best, best_score = cid, score
            if len(seen) >= self.max_candidates:
                break
        if best >= 0 and best_score >= self.threshold:
            return best
        cid = len(self.rep)
        self.rep.append(set(tokens))
        for t in rare:
            self.postings[t].append(cid)
        return cid
