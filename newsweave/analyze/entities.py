"""Named entities merged within an article and across a story, with roles.

People, organisations, places and groups come from spaCy's NER. Mentions of
one referent are merged: "Assad", "al-Assad", "Bashar Assad" and "President
Bashar al-Assad" become one PERSON named by its longest full form, and a later
"the Observatory" joins the "Syrian Observatory for Human Rights" named
earlier. Roles come from appositions ("Hadeel Al-Shalchi, Syria researcher for
Human Rights Watch") and from titles in front of a name ("UN High
Commissioner for Human Rights Zeid Ra'ad al Hussein", "activist Mohammad
al-Khatib").

Without spaCy a conservative rule path finds only names it can type with
confidence (a title or role word next to them, an organisation suffix); it
returns fewer entities, never guessed ones.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any

from newsweave.models import Article, Entity, Span

LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP")

# Titles and role words that may stand before a name ("Rebel spokesman X").
TITLE_WORDS = frozenset(
    ["president", "vice", "prime", "minister", "secretary", "general", "chancellor", "king", "queen", "prince", "emir", "sheikh", "senator", "sen", "sen.", "rep", "rep.", "representative", "gov", "gov.", "governor", "mayor", "judge", "justice", "ambassador", "envoy", "commissioner", "chairman", "chairwoman", "chair", "chief", "head", "director", "spokesman", "spokeswoman", "spokesperson", "leader", "commander", "colonel", "col", "col.", "gen", "gen.", "general", "lt", "lt.", "major", "maj.", "captain", "capt.", "sgt.", "admiral", "officer", "official", "activist", "researcher", "analyst", "journalist", "correspondent", "reporter", "editor", "professor", "prof", "prof.", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "sir", "lord", "dame", "pope", "bishop", "imam", "rabbi", "father", "rev", "rev.", "cardinal", "ayatollah", "founder", "co-founder", "ceo", "executive", "manager", "adviser", "advisor", "advisers", "lawyer", "attorney", "economist", "expert", "deputy", "foreign", "interior", "defense", "defence", "state", "special", "coordinator", "negotiator", "monitor", "doctor", "nurse", "medic", "rescuer", "resident", "witness", "candidate", "nominee", "member", "mp", "lawmaker", "legislator", "strategist", "pollster", "consultant", "author", "writer", "historian", "scientist", "surgeon", "worker", "volunteer", "photographer", "campaigner", "organizer", "organiser"]
)
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame|Rev|Sen|Rep|Gov|Gen|Col|Lt|Capt|Sgt|Maj)\.?\s+")
# Name particles ignored when comparing names: "al-Assad" ~ "Assad".
_PARTICLE = re.compile(r"^(?:al|el|ul|ad|as|an|ar|bin|ibn|abu|van|von|de|da|di|du|del|della|der|le|la)[-\s]", re.I)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_ORG_SUFFIX = re.compile(
    r"\b(?:Organi[sz]ation|Agency|Council|Ministry|Party|Committee|Watch|Observatory|International|"
    r"Nations|Union|Army|Front|Forces|Brigade|Corps|Institute|University|Bank|Fund|Commission|"
    r"Department|Office|Association|Federation|Court|Parliament|Congress|Senate|Guard|Group|"
    r"Foundation|Network|Times|Post|News|Press|Reuters)\b"
)
# The last word of a company's name; a PERSON ending in one is a mislabelled organisation.
COMPANY_END = re.compile(
    r"\b(?:Terminals|Holdings|Industries|Systems|Airlines|Airways|Motors|Energy|Securities|Partners|Capital|"
    r"Logistics|Shipping|Lines|Ports|Services|Technologies|Pharmaceuticals|Inc|Ltd|LLC|PLC|Corp|Corporation|"
    r"Company|GmbH|AG|Group|Bank|Union|Authority|Council|Ministry|Agency|Association|Institute|Foundation|"
    r"Observatory|Commission|Committee|Board|Party|Front|Army|Police)\.?['’]?s?$"
)
_NOT_COMPANY = re.compile(r"\b(?:Union|Authority|Council|Ministry|Agency|Association|Institute|Foundation|"
                          r"Observatory|Commission|Committee|Board|Party|Front|Army|Police)\b")
_ALIASES = {
    "us": "United States", "u.s.": "United States", "usa": "United States", "america": "United States",
    "uk": "United Kingdom", "u.k.": "United Kingdom", "britain": "United Kingdom",
    "un": "United Nations", "u.n.": "United Nations", "u.s": "United States", "u.n": "United Nations",
}


def _clean_name(name: str) -> str:
    """Strip determiners, honorifics and a possessive ending from an entity text."""
    name = " ".join(name.split())
    name = re.sub(r"^(?:the|The|THE)\s+", "", name)
    name = _POSSESSIVE.sub("", name).strip(" ,.;:-–—\"“”‘’'()")
    prev = None
    while prev != name:
        prev = name
        name = _HONORIFIC.sub("", name)
    return name


@lru_cache(maxsize=8192)
def is_company_name(name: str) -> bool:
    """Whether a name ends like a company's ("Kestrel Terminals", "Acme Inc.").

    >>> is_company_name("Kestrel Terminals"), is_company_name("Dana Okafor")
    (True, False)
    """
    return bool(COMPANY_END.search(name.strip())) and len(name.split()) > 1 and not _NOT_COMPANY.search(name)


def name_key(name: str) -> tuple[str, ...]:
    """Comparable tokens of a name: lower case, particles and hyphen prefixes dropped.

    >>> name_key("President Bashar al-Assad")
    ('president', 'bashar', 'assad')
    """
    out = []
    for tok in re.split(r"\s+", name.strip()):
        tok = _PARTICLE.sub("", tok).strip(".,'’\"")
        if tok and tok.lower() not in {"al", "el", "bin", "ibn", "van", "von", "de", "da"}:
            out.append(tok.lower())
    return tuple(out)


@lru_cache(maxsize=8192)
def _person_key(name: str) -> tuple[str, ...]:
    """Name tokens without titles ("President", "Mr.")."""
    return tuple(t for t in name_key(name) if t not in TITLE_WORDS)


def _acronym(name: str) -> str:
    """Initials of the capitalised words: "Human Rights Watch" -> "HRW"."""
    return "".join(w[0] for w in re.findall(r"[A-Z][\w'’-]*", name) if w[0].isupper())


@dataclass
class _Cluster:
    """Mentions of one referent while merging."""
    label: str
    names: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)
    role: str | None = None

    @property
    def name(self) -> str:
        # The longest full form: most name tokens, then most characters.
        return max(self.names, key=lambda n: (len(_person_key(n) or name_key(n)), len(n)))

    def to_entity(self, article_id: str) -> Entity:
        canonical = self.name
        variants = tuple(dict.fromkeys(n for n in self.names if n != canonical))
        mentions = tuple(sorted(set(self.mentions)))
        return Entity(canonical, self.label, mentions, variants, self.role, article_id)


def _same_person(a: str, b: str) -> bool:
    """Whether two person names can denote one person ("Assad" ~ "Bashar al-Assad").

    The shorter name's tokens must all occur in the longer one and share its
    surname; a lone first name ("Ted") is not enough.
    """
    ka, kb = _person_key(a), _person_key(b)
    if not ka or not kb:
        return False
    short, long_ = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    return short[-1] == long_[-1] and set(short) <= set(long_)


def _fits_cluster(name: str, names: Sequence[str]) -> bool:
    """A name joins a person cluster only if it fits every multi-word name in it."""
    multi = [n for n in names if len(_person_key(n)) >= 2] or list(names)
    return all(_same_person(name, n) for n in multi)


def _same_org(a: str, b: str) -> bool:
    """Whether two organisation/place names denote one referent (aliases, acronyms)."""
    ka, kb = name_key(a), name_key(b)
    if ka == kb:
        return True
    if _ALIASES.get(a.lower()) == b or _ALIASES.get(b.lower()) == a:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return bool(short.isupper() and 2 <= len(short) <= 6 and _acronym(long_) == short)


class _Merger:
    """Accumulates mentions into clusters, one per referent."""

    def __init__(self) -> None:
        self.clusters: list[_Cluster] = []

    def add(self, name: str, label: str, span: Span, role: str | None = None) -> _Cluster | None:
        name = _clean_name(name)
        if len(name) < 2 or not any(c.isalpha() for c in name) or re.search(r"[/\[\]|@#]", name):
            return None  # photo credits ("Name/Reuters"), markup, handles
        if label in ("GPE", "LOC", "NORP"):
            name = _ALIASES.get(name.lower(), name)
        target = None
        for cl in reversed(self.clusters):  # most recent compatible referent wins
            if label == "PERSON" and cl.label == "PERSON":
                if _fits_cluster(name, cl.names):
                    target = cl
                    break
            elif cl.label == label and any(_same_org(name, n) for n in cl.names):
                target = cl
                break
        if target is None:
            target = self._cross_label(name, label)
        if target is None:
            target = _Cluster(label)
            self.clusters.append(target)
        if name not in target.names:  # each name once: every later mention is checked against the names
            target.names.append(name)
        target.mentions.append(span)
        if role and not target.role:
            target.role = role
        return target


    def _cross_label(self, name: str, label: str) -> _Cluster | None:
        """NER often mislabels a later partial mention ("Abu Jaafar" as ORG): join its referent."""
        for cl in reversed(self.clusters):
            if (label != "PERSON" and cl.label == "PERSON"
                    and any(len(_person_key(n)) >= 2 and _same_person(name, n) for n in cl.names)):
                return cl
            if (label == "PERSON" and cl.label == "ORG" and len(name.split()) == 1
                    and any(name in n.split() and len(n.split()) > 1 for n in cl.names)):
                return cl
        return None

    def relabel(self) -> None:
        """Merge clusters with the same name under different labels; the majority label wins."""
        by_key: dict[tuple[str, ...], _Cluster] = {}
        kept = []
        for cl in self.clusters:
            key = name_key(cl.name)
            other = by_key.get(key)
            if other is None or {cl.label, other.label} <= {"PERSON", "ORG"} and cl.role and other.role:
                by_key[key] = cl
                kept.append(cl)
                continue
            if len(cl.mentions) > len(other.mentions):
                other.label = cl.label
            other.names.extend(cl.names)
            other.mentions.extend(cl.mentions)
            other.role = other.role or cl.role
        self.clusters = kept


def _repair_span(ent: Any) -> Any:
    """Extend a name cut at a connector: "Lorvale Observatory for" -> "... for Coastal Safety"."""
    doc = ent.doc
    end = ent.end
    if doc[end - 1].lower_ not in ("for", "of", "and", "the", "de"):
        return ent
    while end < len(doc) and (doc[end].pos_ == "PROPN" or doc[end].lower_ in ("for", "of", "and", "the")):
        end += 1
    while end > ent.start + 1 and doc[end - 1].lower_ in ("for", "of", "and", "the", "de"):
        end -= 1
    return doc[ent.start : end]


def _has_person_apposition(ent: Any) -> bool:
    """Whether a name has a role noun in apposition ("X, a researcher ..."): then it is a person."""
    root = ent.root
    for child in root.children:
        if (child.dep_ == "appos" and child.i >= ent.end and child.pos_ == "NOUN"
                and (child.lower_ in TITLE_WORDS or child.lemma_.lower() in TITLE_WORDS)):
            return True
    return False


def _has_age(ent: Any) -> bool:
    """"Agnes Tolley, 67, was ...": a name followed by an age in commas is a person."""
    doc = ent.doc
    e = ent.end
    return (len(ent) >= 2 and e + 2 < len(doc) and doc[e].text == "," and doc[e + 1].like_num
            and doc[e + 2].text == "," and doc[e + 1].text.isdigit() and 1 <= int(doc[e + 1].text) <= 120)


def _np_role_before(ent: Any) -> str | None:
    """Title words in front of a name inside its own noun phrase ("Rebel spokesman X")."""
    doc = ent.doc
    root = ent.root
    left = [t for t in root.subtree if t.i < ent.start]
    # Only the contiguous run just before the name, inside the same phrase.
    run: list[Any] = []
    for t in reversed(left):
        if t.i != (run[-1].i - 1 if run else ent.start - 1):
            break
        if t.is_punct or t.pos_ in ("VERB", "AUX", "PRON") or t.dep_ in ("poss", "case"):
            break
        run.append(t)
    run.reverse()
    while run and (run[0].pos_ in ("DET", "ADP", "CCONJ") or run[0].lower_ in ("'s", "’s")):
        run.pop(0)
    if not run:
        return None
    if not any(t.lower_.strip(".") in TITLE_WORDS or t.lower_ in TITLE_WORDS for t in run):
        return None
    text = doc_text(doc)[run[0].idx : run[-1].idx + len(run[-1].text)]
    if _HONORIFIC.match(text + " ") and len(run) == 1:
        return None  # "Mr." alone is no role
    return text


def doc_text(doc: Any) -> str:
    """``doc.text`` joins every token on each call; kept once per Doc (speed, see bench_analyze)."""
    text = doc.user_data.get("newsweave_text")
    if text is None:
        text = doc.user_data["newsweave_text"] = doc.text
    return str(text)


def _affiliation(ent: Any) -> str | None:
    """"Yasser al-Youssef from the Nureddin al-Zinki rebel group": the group a person is from."""
    for child in ent.root.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "of", "with") and child.i == ent.end:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is None or not any(t.ent_type_ in ("ORG", "FAC", "NORP") or t.pos_ == "PROPN" for t in pobj.subtree):
                continue
            toks = list(child.subtree)
            text = doc_text(ent.doc)[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
            if len(text) <= 100:
                return text
    return None


def _apposition_role(ent: Any) -> str | None:
    """The apposition after a name ("X, head of forensics in eastern Aleppo,")."""
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos" and child.i >= ent.end:
            drop = {t.i for d in child.subtree if d.dep_ in ("relcl", "acl") for t in d.subtree}
            drop |= set(range(ent.start, ent.end))
            toks = []
            for t in child.subtree:  # stop at the first dropped token: the role is one phrase
                if t.i in drop:
                    break
                toks.append(t)
            while toks and (toks[-1].is_punct or toks[-1].pos_ in ("CCONJ", "ADP", "DET")):
                toks.pop()
            if not toks:
                continue
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
            text = doc_text(ent.doc)[start:end].strip(" ,;")
            if child.ent_type_ == "PERSON" and child.i == child.left_edge.i:
                continue  # a second name, not a role
            if 2 <= len(text) <= 140 and not text.lower().startswith(("who ", "which ", "whose ")):
                return text
    # The reverse order: "the head of the Observatory, Rami Abdurrahman,", "Its chief engineer, Piet Varga,".
    if root.dep_ == "appos" and root.head.i < ent.start and root.head.pos_ == "NOUN":
        head = root.head
        toks = [t for t in head.subtree if t.i < ent.start and not t.is_punct]
        if toks and (head.lower_ in TITLE_WORDS or _AGENT_NOUN.search(head.lower_)):
            text = doc_text(ent.doc)[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
            return _owner_named(re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I), head)
    return None


_AGENT_NOUN = re.compile(r"(?:er|or|ist|ian|man|woman|person)$")
_ROLE_VERBS = frozenset(["run", "chair", "lead", "head", "direct", "manage", "own", "found", "represent", "oversee",
                         "coordinate", "edit", "command", "govern", "organise", "organize", "coach", "advise"])


def _owner_named(role: str, head: Any) -> str:
    """"Its chief engineer" -> "chief engineer of the Water Board": the possessive's organisation is
    the subject of the sentence before, when that is an organisation."""
    m = re.match(r"(?i)^(its|their)\s+", role)
    if not m:
        return role
    sent = head.sent
    if sent.start == 0:
        return role
    prev = head.doc[sent.start - 1].sent
    subj = next((c for c in prev.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or not any(t.ent_type_ == "ORG" for t in subj.subtree):
        return role
    drop = {t.i for c in subj.children if c.dep_ in ("relcl", "acl", "appos") for t in c.subtree}
    toks = [t for t in subj.subtree if t.i not in drop and not t.is_punct]
    owner = doc_text(head.doc)[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
    owner = re.sub(r"^The\s", "the ", owner)
    return f"{role[m.end():]} of {owner}"


def _relative_role(ent: Any) -> str | None:
    """"Marta Holm, who chairs the village council": a role told by a relative clause."""
    for child in ent.root.children:
        if child.dep_ == "relcl" and child.i >= ent.end and child.lemma_.lower() in _ROLE_VERBS:
            obj = next((c for c in child.children if c.dep_ in ("dobj", "obj")), None)
            if obj is None:
                continue
            toks = [child, *obj.subtree]
            text = doc_text(ent.doc)[child.idx : toks[-1].idx + len(toks[-1].text)]
            if len(text) <= 100:
                return f"who {text}"
    return None


def _role_from_regex(text: str, end: int) -> str | None:
    """An apposition after a name read from plain text (rule path)."""
    m = re.match(
        r",\s+((?:the|a|an)\s+)?([^,.;\"“”]{3,100}?)\s*(?:,|\bsaid\b|\.(?:\s|$))", text[end : end + 140]
    )
    if not m:
        return None
    role = m.group(2).strip()
    first = role.split()[0].lower() if role.split() else ""
    if first in ("who", "which", "whose", "said", "says", "told", "and", "but") or first not in TITLE_WORDS and not (
        m.group(1) and any(w.lower() in TITLE_WORDS for w in role.split())
    ):
        return None
    return role


def extract_entities(article: Article, doc: Any | None = None) -> tuple[Entity, ...]:
    """People, organisations, places and groups in one article, merged and with roles.

    Args:
        article: the article (offsets are into ``article.text``).
        doc: a spaCy Doc of ``article.text`` with ``ner`` and ``parser``; when
            None, spaCy is used if installed, else the rule path.

    Returns:
        Entities in order of first mention.

    Example:
        >>> from newsweave.models import Article
        >>> ents = extract_entities(Article("Talks resumed. Mayor Ines Varga said so. Varga left."))  # doctest: +SKIP
        >>> ents[0].name, ents[0].role  # doctest: +SKIP
        ('Ines Varga', 'Mayor')
    """
    if doc is None:
        from newsweave.analyze.nlp import parse

        doc = parse(article.text, where=article.path)
        if doc is None:  # no spaCy, or a text too long to parse
            return _rule_entities(article)
    merger = _Merger()
    for ent in doc.ents:
        label = ent.label_
        if label not in LABELS:
            continue
        ent = _repair_span(ent)
        if label in ("ORG", "GPE", "NORP", "LOC") and (_has_person_apposition(ent) or _has_age(ent)):
            label = "PERSON"  # "X, a researcher for ...", "X, 67,": the small model often calls X an ORG
        elif label == "PERSON" and len(ent) > 1 and COMPANY_END.search(ent.text):
            label = "ORG"  # "Kestrel Terminals", "Fairhaven Securities": a company, whatever the model says
        role = None
        if label == "PERSON":
            role = _apposition_role(ent) or _np_role_before(ent) or _affiliation(ent) or _relative_role(ent)
        merger.add(ent.text, label, (ent.start_char, ent.end_char), role)
    merger.relabel()
    _add_definite_aliases(article.text, merger)
    return tuple(cl.to_entity(article.id) for cl in merger.clusters)


def _add_definite_aliases(text: str, merger: _Merger) -> None:
    """'the Observatory' after 'Syrian Observatory for Human Rights': a mention of the latter."""
    orgs = [cl for cl in merger.clusters if cl.label == "ORG"]
    if not orgs:
        return
    taken = {m for cl in merger.clusters for m in cl.mentions}
    for m in re.finditer(r"\b[Tt]he ((?:[A-Z][\w’'-]+ ){0,2}[A-Z][\w’'-]+)", text):
        span = (m.start(1), m.end(1))
        if any(s <= span[0] < e for s, e in taken):
            continue
        words = m.group(1).split()
        for cl in orgs:
            first = min(cl.mentions)[0]
            if first >= m.start():
                continue
            full = cl.name.split()
            if len(full) > len(words) and all(w in full for w in words) and words[-1] in full:
                cl.mentions.append(span)
                cl.names.append(m.group(1))
                break


_RULE_NAME = r"(?:[A-Z][\w’'-]+|al-[A-Z][\w’'-]+|(?:al|bin|de|van|von|abu|Abu)\s(?=[A-Z]))(?:\s(?:[A-Z][\w’'-]+|al-[A-Z][\w’'-]+|al|bin|de|van|von))*"


def _rule_entities(article: Article) -> tuple[Entity, ...]:
    """Conservative names without spaCy: titled people and suffixed organisations."""
    text = article.text
    merger = _Merger()
    title = "|".join(sorted((re.escape(w) for w in TITLE_WORDS if w.isalpha() and len(w) > 2), key=len, reverse=True))
    person_re = re.compile(rf"\b(?i:({title}))\s+({_RULE_NAME})")
    for m in person_re.finditer(text):
        name, start, title = m.group(2), m.start(2), m.group(1)
        # "Deputy Mayor Ilse Brandvold": further title words belong to the role
        while len(name.split()) > 1 and name.split()[0].lower().rstrip(".") in TITLE_WORDS:
            first = name.split()[0]
            rest = name[len(first) :]
            title, name, start = f"{title} {first}", rest.lstrip(), start + len(name) - len(rest.lstrip())
        if len(name.split()) < 2 and not re.match(r"(?i)mr|mrs|ms|dr", m.group(1)):
            continue
        merger.add(name, "PERSON", (start, start + len(name)), title if title[0].isupper() else None)
    for m in re.finditer(rf"\b({_RULE_NAME}),\s+(?:the\s+|a\s+|an\s+)?[a-z]", text):
        name = m.group(1)
        if len(name.split()) >= 2:
            role = _role_from_regex(text, m.end(1))
            if role:
                merger.add(name, "PERSON", (m.start(1), m.end(1)), role)
    for m in re.finditer(rf"\b({_RULE_NAME})", text):
        if _ORG_SUFFIX.search(m.group(1)) and len(m.group(1).split()) >= 2:
            merger.add(m.group(1), "ORG", (m.start(1), m.end(1)))
    # Later bare surnames of people already found ("Varga said").
    people = [cl for cl in merger.clusters if cl.label == "PERSON"]
    for cl in people:
        last = cl.name.split()[-1]
        # Is a hit inside a mention? The mentions by start, with the furthest end so far (the
        # hits added below never hold a later hit: finditer's matches do not overlap).
        spans = sorted(cl.mentions)
        starts = [s for s, _ in spans]
        reach = list(accumulate((e for _, e in spans), max))
        for m in re.finditer(rf"\b{re.escape(last)}\b", text):
            i = bisect_right(starts, m.start())
            if not (i and reach[i - 1] > m.start()):
                cl.mentions.append((m.start(), m.end()))
    return tuple(cl.to_entity(article.id) for cl in merger.clusters)


def merge_story_entities(per_article: Iterable[Sequence[Entity]]) -> list[Entity]:
    """Merge the entities of a story's articles into one list.

    Name variants are merged with the same rules as within an article; the
    first role found is kept, and every article's mentions survive under the
    article id of the first article that named the entity (``mentions`` of
    merged entities are only meaningful together with ``variants``).

    Example:
        >>> a = Entity("Bashar al-Assad", "PERSON", role="Syrian President")
        >>> b = Entity("Assad", "PERSON")
        >>> [e.name for e in merge_story_entities([(a,), (b,)])]
        ['Bashar al-Assad']
    """
    merged: list[tuple[_Cluster, str]] = []
    for ents in per_article:
        for e in ents:
            names = [e.name, *e.variants]
            target = None
            for cl, _aid in merged:
                if cl.label != e.label:
                    continue
                if e.label == "PERSON":
                    hit = all(_fits_cluster(a, cl.names) for a in names)
                else:
                    hit = any(_same_org(a, b) for a in names for b in cl.names)
                if hit:
                    target = cl
                    break
            if target is None:
                target = _Cluster(e.label)
                merged.append((target, e.article_id))
            target.names.extend(names)
            target.mentions.extend(e.mentions)
            if e.role and not target.role:
                target.role = e.role
    out = []
    for cl, aid in merged:
        ent = cl.to_entity(aid)
        out.append(Entity(ent.name, ent.label, ent.mentions, ent.variants, ent.role, aid))
    return out


def entity_at(entities: Sequence[Entity], start: int, end: int, labels: Iterable[str] = LABELS) -> Entity | None:
    """The entity with a mention overlapping ``[start, end)`` (the longest overlap)."""
    best, best_ov = None, 0
    wanted = set(labels)
    for e in entities:
        if e.label not in wanted:
            continue
        for s, t in e.mentions:
            ov = min(end, t) - max(start, s)
            if ov > best_ov:
                best, best_ov = e, ov
    return best


def find_by_name(entities: Sequence[Entity], name: str, label: str | None = None) -> Entity | None:
    """The entity a (partial) name refers to: "Abu Jaafar" -> "Mohammed Abu Jaafar"."""
    clean = _clean_name(name)
    if not clean:
        return None
    for e in entities:
        if label and e.label != label:
            continue
        names = [e.name, *e.variants]
        if e.label == "PERSON":
            if _fits_cluster(clean, names):
                return e
        elif any(_same_org(clean, n) for n in names):
            return e
    return None
