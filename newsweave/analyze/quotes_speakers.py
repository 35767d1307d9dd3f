"""Who speaks: resolving a source span to a person, organisation, group or anonymous source.

Pronouns go to the last person named before them (outside quotations),
partial names to the full name among the article's entities ("Abu Jaafar"
-> "Mohammed Abu Jaafar"), "they" to a group or organisation that spoke just
before, and descriptions ("a source close to the government") are kept as
anonymous sources. Without a confident referent the speaker is None: no
speaker is better than a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from newsweave.analyze.quotes_rules import Rel, span_of
from newsweave.models import Article, Entity, Quote

PRONOUNS = {"he", "she", "him", "her"}
PLURAL_PRONOUNS = {"they", "them", "we"}
_ANON = re.compile(
    r"^(?:an?|one|two|three|four|several|some|other|another|many)\b.*\b(?:source|sources|official|officials|"
    r"diplomat|diplomats|aide|aides|person|people|insider|insiders|spokesman|spokeswoman|member|members|"
    r"officer|officers|adviser|advisers|analyst|analysts|resident|residents|witness|witnesses|activist|activists)\b",
    re.I,
)
_ANON_HINT = re.compile(r"\b(?:anonymity|unnamed|not authori[sz]ed|close to|familiar with|on condition)\b", re.I)
SpeakerType = Literal["person", "organisation", "group", "anonymous", "unknown"]


def speaker_type(desc: str) -> SpeakerType:
    """A source description's kind: anonymous, group (plural) or unknown."""
    if _ANON.search(desc) or _ANON_HINT.search(desc):
        return "anonymous"
    last = desc.strip().split()[-1].lower() if desc.strip() else ""
    if last.endswith("s") and not last.endswith("ss") and desc[:1].islower() | desc.lower().startswith("the "):
        return "group"
    return "unknown"


def clean_speaker(desc: str) -> str:
    """A source phrase as a speaker string: one line, no trailing punctuation."""
    return " ".join(desc.split()).strip(" ,;:.")


def _doc_text(doc: Any) -> str:
    """``doc.text`` joins every token on each call; kept once per Doc (speed, see bench_analyze)."""
    text = doc.user_data.get("newsweave_text")
    if text is None:
        text = doc.user_data["newsweave_text"] = doc.text
    return str(text)


def _resolve(doc: Any, r: Rel, entities: Sequence[Entity], prev: list[tuple[int, str, SpeakerType]],
             qspans: list[tuple[int, int, bool]]) -> tuple[str | None, str | None, SpeakerType]:
    """Speaker name, role and type for one attribution."""
    from newsweave.analyze.entities import entity_at, find_by_name

    if r.source is None:
        return None, None, "unknown"
    text = _doc_text(doc)
    s, e = r.source
    raw = clean_speaker(text[s:e])
    low = raw.lower()
    if not any(ch.isalpha() for ch in raw):
        return None, None, "unknown"
    if low in ("who", "which", "that") and r.src_tok is not None and r.src_tok.dep_ != "relcl":
        # "X, who said": the relative clause's head noun
        head = r.head.head if r.head.dep_ == "relcl" else None
        if head is not None:
            s, e = span_of(list(head.subtree)[: max(1, head.i - head.left_edge.i + 1)]) or (s, e)
            raw = clean_speaker(text[s:e])
            low = raw.lower()
    head = r.src_tok if r.src_tok is not None and s <= r.src_tok.idx < e else None
    appos = _apposed_name(head) if head is not None and head.pos_ == "NOUN" else None
    if head is not None and head.is_title and head.pos_ != "PRON" and find_by_name(entities, head.text):
        # a known surname the tagger took for a common noun ("Lanning, the governor, said")
        appos = head
    if appos is not None:
        # "Another resident, Rami Zien, ...", "Lanning, the governor": the name in apposition speaks
        ent = entity_at(entities, appos.idx, appos.idx + len(appos.text), ("PERSON", "ORG"))
        ent = ent or find_by_name(entities, appos.text)
    elif head is not None and head.pos_ in ("NOUN", "NUM", "PRON") and head.ent_type_ == "":
        # "Opponents of President Assad": the head noun speaks, not the name inside
        ent = None
    elif head is not None:
        ent = entity_at(entities, head.idx, head.idx + len(head.text))
        ent = ent or entity_at(entities, s, e, ("PERSON",)) or entity_at(entities, s, e, ("ORG", "GPE", "NORP"))
    else:
        ent = entity_at(entities, s, e, ("PERSON",)) or entity_at(entities, s, e, ("ORG", "GPE", "NORP"))
    if ent is not None and low not in PRONOUNS | PLURAL_PRONOUNS:
        kind: SpeakerType = "person" if ent.label == "PERSON" else "organisation"
        if ent.label == "NORP" and len(raw.split()) > 1:
            return raw, None, speaker_type(raw) if speaker_type(raw) != "unknown" else "group"
        return ent.name, ent.role, kind
    if low in PRONOUNS:
        # The last person named before the pronoun, outside quotations, whose gender
        # (when the text shows it) agrees with the pronoun.
        want = "f" if low in ("she", "her") else "m"
        best, best_pos = None, -1
        for ent in entities:
            if ent.label != "PERSON" or gender_of(text, ent) not in (want, None):
                continue
            for ms, _me in ent.mentions:
                if best_pos < ms < s and not any(qs <= ms < qe for qs, qe, _ in qspans):
                    best, best_pos = ent, ms
        if best is not None:
            return best.name, best.role, "person"
        return None, None, "unknown"
    if low in PLURAL_PRONOUNS:
        for pos, name, kind in reversed(prev):
            if pos < s and kind in ("group", "organisation") and s - pos < 600:
                return name, None, kind
        return None, None, "unknown"
    if low in ("i", "you", "it", "this", "that", "who", "which", "what", "whom", "there", "these", "those", "one"):
        return None, None, "unknown"
    # "Opponents of President Assad": only a name at the head of the phrase names the speaker
    named = find_by_name(entities, raw) if head is None or head.pos_ == "PROPN" else None
    if named is not None:
        return named.name, named.role, "person" if named.label == "PERSON" else "organisation"
    name, role = split_title(raw)
    if name != raw and (head is None or head.pos_ == "PROPN"):
        named = find_by_name(entities, name)
        if named is not None:
            return named.name, named.role or role, "person" if named.label == "PERSON" else "organisation"
        return name, role, "person"
    kind = speaker_type(raw)
    if kind == "unknown" and r.src_tok is not None and r.src_tok.tag_ == "NNS":
        kind = "group"
    return raw, None, kind


_FEMALE = re.compile(r"\b(?:Mrs|Ms|Miss|Madam|Queen|Princess|Lady|Dame)\.?\s*$|\b(?:spokeswoman|chairwoman|congresswoman|"
                     r"businesswoman|actress|mother|wife|daughter|sister|grandmother)\b", re.I)
_MALE = re.compile(r"\b(?:Mr|Sir|King|Prince|Lord)\.?\s*$|\b(?:spokesman|chairman|congressman|businessman|"
                   r"actor|father|husband|son|brother|grandfather)\b", re.I)


_SAID_PRONOUN = re.compile(
    r"(?:,[^,.\n]{1,80},)?\s+(?:\w+\s+)?(?:said|says|told \w+|added|wrote|insisted|argued)\s+(?:that\s+)?(he|she)\b"
)


def gender_of(text: str, ent: Entity) -> str | None:
    """'f', 'm' or None from what the article shows: an honorific or role word, else the
    pronoun subject of a speech verb right after a mention ("Varga said she ...")."""
    role = ent.role or ""
    votes = {"f": 0, "m": 0}
    for ms, me in ent.mentions[:6]:
        before = text[max(0, ms - 12) : ms]
        votes["f"] += bool(_FEMALE.search(before)) + bool(_FEMALE.search(role))
        votes["m"] += bool(_MALE.search(before)) + bool(_MALE.search(role))
        after = _SAID_PRONOUN.match(text, me, min(len(text), me + 120))
        if after:
            votes["f" if after.group(1).lower() == "she" else "m"] += 1
    if votes["f"] == votes["m"]:
        return None
    return "f" if votes["f"] > votes["m"] else "m"


def split_title(desc: str) -> tuple[str, str | None]:
    """"Mayor Ines Varga" -> ("Ines Varga", "Mayor"); "Ines Varga, the mayor" -> ("Ines Varga", "the mayor").

    Only for capitalised names; anything else comes back unchanged.
    """
    from newsweave.analyze.entities import TITLE_WORDS

    head, _, appos = desc.partition(",")
    words = head.split()
    i = 0
    while i < len(words) - 1 and (words[i].lower() in TITLE_WORDS or words[i].lower().rstrip(".") in TITLE_WORDS):
        i += 1
    name_words = words[i:]
    if not name_words or not all(w[:1].isupper() for w in name_words) or len(name_words) > 5:
        return desc, None
    if i == 0 and not appos.strip():
        return desc, None
    role_parts = [" ".join(words[:i])] if i else []
    if appos.strip():
        role_parts.append(appos.strip(" ,"))
    return " ".join(name_words), ", ".join(p for p in role_parts if p) or None


def _apposed_name(noun: Any) -> Any | None:
    """A proper name in apposition with a common noun, in either direction."""
    for c in noun.children:
        if c.dep_ == "appos" and c.pos_ == "PROPN":
            return c
    if noun.dep_ == "appos" and noun.head.pos_ == "PROPN":
        return noun.head
    return None


def to_quote(article: Article, doc: Any, r: Rel, entities: Sequence[Entity],
              qspans: list[tuple[int, int, bool]], prev: list[tuple[int, str, SpeakerType]]) -> Quote:
    """Turn a built attribution into a :class:`Quote` with its resolved speaker and kind."""
    speaker, role, kind = _resolve(doc, r, entities, prev, qspans)
    text = article.text
    cs, ce = r.content
    cue = span_of([doc[i] for i in r.cue])
    inside = [q for q in qspans if q[0] >= cs and q[1] <= ce]
    # Direct when the quotation marks, the attribution and punctuation make up the content.
    rest = text[cs:ce]
    for a, b in [q[:2] for q in inside] + [x for x in (r.source, cue) if x]:
        if cs <= a and b <= ce:
            rest = rest[: a - cs] + " " * (b - a) + rest[b - cs :]
    if inside and len(re.sub(r"[\W_]+", "", rest)) <= 3:
        qkind: Literal["direct", "indirect", "mixed"] = "direct"
    elif inside:
        qkind = "mixed"
    else:
        qkind = "indirect"
    return Quote(content=(cs, ce), source=r.source, cue=cue, speaker=speaker, kind=qkind, role=role,
                 speaker_type=kind, article_id=article.id, text=text[cs:ce])
