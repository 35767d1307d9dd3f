"""Who speaks: resolving a source span to a person, organisation, group or anonymous source.

:class:`SpeakerResolver` reads an article's attributions in text order and
keeps what it has resolved, because the referent of a pronoun or a definite
description is usually a speaker who was just quoted:

* names go to the full name among the article's entities ("Abu Jaafar" ->
  "Mohammed Abu Jaafar"); institutions and groups stay speakers in their own
  right ("Opponents of President Assad" are the opponents, not Assad);
* "he"/"she" go to the most recent gender-compatible *subject*: the speaker
  of an attribution just before, or a person who is the subject of a clause
  ("Mayor Reilly said he had spoken to Vessey. '...,' he said." is Reilly's,
  never Vessey's), and only failing both to the last person named;
* "they" and "it" go to a group or organisation that spoke just before;
* definite descriptions ("the monitor", "the source", "the spokeswoman") go
  to the speaker just quoted whose name, role or description fits, or stay
  as an anonymous source with their description;
* a quotation standing alone in its paragraph, with no cue, belongs to the
  speaker quoted on both sides of it; a lone question between one speaker's
  answers is the interviewer's, and has no speaker.

Without a confident referent the speaker is None: no speaker is better than
a wrong one. Each result says how it was found (``Speaker.via``), which the
confidence model reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from newsweave.analyze.entities import TITLE_WORDS, doc_text, entity_at, find_by_name
from newsweave.analyze.quotes_spans import Rel, span_of
from newsweave.models import Entity, Span

SpeakerType = Literal["person", "organisation", "group", "anonymous", "unknown"]
PRONOUNS = {"he", "she", "him", "her"}
PLURAL_PRONOUNS = {"they", "them", "we"}
_NEVER = {"i", "you", "this", "that", "who", "which", "what", "whom", "there", "these", "those", "one", "me", "us"}
_ANON = re.compile(
    r"^(?:an?|one|two|three|four|several|some|other|another|many)\b.*\b(?:source|sources|official|officials|"
    r"diplomat|diplomats|aide|aides|person|people|insider|insiders|spokesman|spokeswoman|member|members|"
    r"officer|officers|adviser|advisers|analyst|analysts|resident|residents|witness|witnesses|activist|activists)\b",
    re.I,
)
_ANON_HINT = re.compile(
    r"\b(?:anonymity|unnamed|not authori[sz]ed|close to|familiar with|on condition|not to be (?:named|identified))\b",
    re.I,
)
# Head nouns of definite descriptions that stand for an organisation or for a person.
_ORG_NOUNS = frozenset(
    ["monitor", "group", "agency", "organisation", "organization", "ministry", "army", "military", "government",
     "company", "firm", "union", "authority", "council", "committee", "observatory", "channel", "broadcaster",
     "network", "body", "court", "party", "bank", "commission", "institute", "watchdog", "charity", "operator",
     "board", "department", "office", "coalition", "alliance", "regime", "administration", "newspaper", "agency"]
)
_PERSON_NOUNS = TITLE_WORDS | {"source", "official", "spokesman", "spokeswoman", "spokesperson", "woman", "man",
                               "operator", "driver", "worker", "officer", "soldier", "fighter", "mother", "father"}
# Nouns that say only what kind of speaker it is: "the monitor" may be the Observatory just quoted.
_GENERIC_NOUNS = frozenset(["monitor", "group", "organisation", "organization", "body", "watchdog", "official",
                            "spokesman", "spokeswoman", "spokesperson"])
# How far back (in paragraphs) a pronoun or description looks for the speaker it stands for.
LOOKBACK_PARAGRAPHS = 3


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker and how it was found (``via``)."""

    name: str | None
    role: str | None = None
    kind: SpeakerType = "unknown"
    via: str = "none"  # name | said_before | subject | mention | group | definite | description | anonymous | turn


NO_SPEAKER = Speaker(None)


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


def _description_gender(desc: str) -> str | None:
    """'f', 'm' or None for a description ("a spokeswoman", "who feared for his job")."""
    f = bool(_FEMALE.search(desc)) or bool(re.search(r"\bher\b", desc, re.I))
    m = bool(_MALE.search(desc)) or bool(re.search(r"\bhis\b", desc, re.I))
    return "f" if f and not m else "m" if m and not f else None


def split_title(desc: str) -> tuple[str, str | None]:
    """"Mayor Ines Varga" -> ("Ines Varga", "Mayor"); "Ines Varga, the mayor" -> ("Ines Varga", "the mayor").

    Only for capitalised names; anything else comes back unchanged.
    """
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


_DOCUMENT_NOUNS = frozenset(["poll", "survey", "study", "report", "analysis", "review", "audit", "assessment",
                             "census", "statement", "letter", "memo", "filing", "estimate", "investigation"])


def _author_of_document(noun: Any) -> Any | None:
    """The author of a document that "found" or "said" something: "a poll by X", "X's report"."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in _DOCUMENT_NOUNS:
        return None
    for c in noun.children:
        if c.dep_ == "poss" and (c.pos_ == "PROPN" or c.ent_type_ in ("ORG", "PERSON")):
            return c
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
            if pobj is not None and (pobj.pos_ == "PROPN" or pobj.ent_type_ in ("ORG", "PERSON")):
                return pobj
    return None


def _apposed_name(noun: Any) -> Any | None:
    """A proper name in apposition with a common noun, in either direction."""
    for c in noun.children:
        if c.dep_ == "appos" and c.pos_ == "PROPN":
            return c
    if noun.dep_ == "appos" and noun.head.pos_ == "PROPN":
        return noun.head
    return None


_INDEFINITE = re.compile(r"^(?:an?|one|another)\s", re.I)
_AGENT_SUFFIX = re.compile(r"(?:er|or|ist|ian|ant|ent|man|woman|person|wife|mother|father)$")


def _unnamed_person(desc: str, head: Any) -> bool:
    """'a crane operator', 'one resident', 'another driver': an indefinite person, unnamed."""
    if not _INDEFINITE.match(desc) or head.pos_ != "NOUN" or head.tag_ != "NN":
        return False
    lemma = head.lemma_.lower()
    return lemma in _PERSON_NOUNS or (bool(_AGENT_SUFFIX.search(lemma)) and lemma not in _ORG_NOUNS)


def _head_word(desc: str) -> str:
    """The head noun of a name or description, singular, lower case: "a spokeswoman for the port
    authority" -> "spokeswoman", "Marrowick Port Authority (MPA)" -> "authority"."""
    desc = re.sub(r"\s*\([^)]*\)", "", desc)
    desc = re.split(r",|\s(?:of|for|at|in|from|with|who|which|that|on|close|familiar|speaking|knowledgeable|"
                    r"briefed|involved|based|waiting|standing)\b", desc, maxsplit=1)[0]
    words = re.findall(r"[\w’'-]+", desc.lower())
    if not words:
        return ""
    w = re.sub(r"['’]s?$", "", words[-1])
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


@dataclass
class _Said:
    """An attribution already resolved: where its source stood, who, in which paragraph."""

    pos: int
    para: int
    speaker: Speaker
    gender: str | None


class SpeakerResolver:
    """Resolves the speakers of one article's attributions, in text order.

    Call :meth:`resolve` for each attribution in order of its source (or cue)
    position; each result is remembered as a referent for later pronouns and
    descriptions. :meth:`resolve_turns` then gives lone quotation paragraphs
    the speaker quoted around them.
    """

    def __init__(self, doc: Any, entities: Sequence[Entity], qspans: Sequence[tuple[int, int, bool]]) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.entities = entities
        self.qspans = qspans
        self.said: list[_Said] = []
        self._para_starts = [0] + [m.end() for m in re.finditer(r"\n+", self.text)]
        self._subjects: list[tuple[int, Entity]] | None = None

    # ---------------------------------------------------------------- helpers
    def para_index(self, pos: int) -> int:
        """The index of the paragraph holding ``pos``."""
        from bisect import bisect_right

        return bisect_right(self._para_starts, pos) - 1

    def _in_quote(self, pos: int) -> bool:
        return any(qs <= pos < qe for qs, qe, _ in self.qspans)

    def _gender(self, sp: Speaker) -> str | None:
        if sp.kind == "person" and sp.name:
            ent = find_by_name(self.entities, sp.name, "PERSON")
            g = gender_of(self.text, ent) if ent is not None else None
            return g or _description_gender(sp.role or "")
        return _description_gender(" ".join(x for x in (sp.name, sp.role) if x))

    def _person_subjects(self) -> list[tuple[int, Entity]]:
        """Mentions of people that are the subject of a clause, outside quotations."""
        if self._subjects is None:
            out = []
            for ent in self.entities:
                if ent.label != "PERSON":
                    continue
                for ms, me in ent.mentions:
                    if self._in_quote(ms):
                        continue
                    toks = [t for t in self.doc.char_span(ms, me, alignment_mode="expand") or ()]
                    root = max(toks, key=lambda t: t.i, default=None)
                    if root is not None and (root.dep_ in ("nsubj", "nsubjpass") or (
                            root.dep_ in ("compound", "appos") and root.head.dep_ in ("nsubj", "nsubjpass"))):
                        out.append((ms, ent))
            self._subjects = sorted(out, key=lambda x: x[0])
        return self._subjects

    def remember(self, pos: int, sp: Speaker, source: Span | None = None) -> None:
        """Keep a resolved speaker as a referent for what follows.

        Args:
            pos: where the attribution names its speaker.
            sp: the speaker.
            source: the source span, whose words (a pronoun, "Lanning, the governor, said
                he ...") may show the speaker's gender.
        """
        if not sp.name:
            return
        gender = self._gender(sp)
        if gender is None and source is not None:
            word = self.text[source[0] : source[1]].lower()
            if word in ("he", "she"):
                gender = "f" if word == "she" else "m"
            else:
                after = _SAID_PRONOUN.match(self.text, source[1], min(len(self.text), source[1] + 120))
                if after:
                    gender = "f" if after.group(1).lower() == "she" else "m"
        self.said.append(_Said(pos, self.para_index(pos), sp, gender))

    # ---------------------------------------------------------------- pronouns
    def _pronoun(self, low: str, s: int) -> Speaker:
        want = "f" if low in ("she", "her") else "m"
        para = self.para_index(s)
        best: tuple[int, Speaker] | None = None
        for said in self.said:
            if said.pos < s and para - said.para <= LOOKBACK_PARAGRAPHS and said.speaker.kind in ("person", "anonymous") \
                    and said.gender in (want, None) and (best is None or said.pos > best[0]):
                best = (said.pos, Speaker(said.speaker.name, said.speaker.role, said.speaker.kind, "said_before"))
        for pos, ent in self._person_subjects():
            if pos >= s or para - self.para_index(pos) > LOOKBACK_PARAGRAPHS:
                continue
            if gender_of(self.text, ent) in (want, None) and (best is None or pos > best[0]):
                best = (pos, Speaker(ent.name, ent.role, "person", "subject"))
        if best is not None:
            return best[1]
        # The last person named before the pronoun, outside quotations, whose gender
        # (when the text shows it) agrees with the pronoun.
        last, last_pos = None, -1
        for ent in self.entities:
            if ent.label != "PERSON" or gender_of(self.text, ent) not in (want, None):
                continue
            for ms, _me in ent.mentions:
                if last_pos < ms < s and not self._in_quote(ms):
                    last, last_pos = ent, ms
        if last is not None:
            return Speaker(last.name, last.role, "person", "mention")
        return NO_SPEAKER

    def _collective(self, low: str, s: int) -> Speaker:
        """"they": a group or organisation that spoke just before. "It" stays unresolved: it is
        as often the document or the thing just named ("It shows that ...") as a speaker."""
        if low == "it":
            return self._it(s)
        kinds = ("group", "organisation")
        para = self.para_index(s)
        for said in reversed(self.said):
            if said.pos < s and said.speaker.kind in kinds and para - said.para <= 1 and s - said.pos < 600:
                return Speaker(said.speaker.name, said.speaker.role, said.speaker.kind, "group")
        return NO_SPEAKER

    def _it(self, s: int) -> Speaker:
        """"The service put the toll at 23. It said 27 were missing.": "it" is the organisation that
        is the subject of the sentence before, in the same paragraph, and nothing else."""
        doc = self.doc
        tok = next((t for t in doc if t.idx >= s), None)
        if tok is None or tok.sent.start == 0:
            return NO_SPEAKER
        prev = doc[tok.sent.start - 1].sent
        if self.para_index(prev.start_char) != self.para_index(s):
            return NO_SPEAKER
        subj = next((c for c in prev.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.lower_ in ("it", "this", "that", "which"):
            return NO_SPEAKER
        toks = list(subj.subtree)
        raw = clean_speaker(self.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)])
        sp = self._named(raw, subj, toks[0].idx, toks[-1].idx + len(toks[-1].text)) or self._definite(raw, subj, s)
        if sp is not None and sp.kind == "organisation":
            return Speaker(sp.name, sp.role, sp.kind, "group")
        return NO_SPEAKER

    # ---------------------------------------------------------------- descriptions
    def _definite(self, raw: str, head: Any | None, s: int) -> Speaker | None:
        """"the monitor", "the union", "the spokeswoman": the speaker quoted before that it names.

        A speaker whose name or role has the description's head noun as its own head
        ("the union" -> "Harbour and Dock Workers' Union", "the spokeswoman" -> "Ilse
        Brandt, a spokeswoman for ...") is taken when it is the only one in the article so
        far, or the latest within a few paragraphs. A generic noun ("the monitor", "the
        official") may also stand for the speaker quoted just before, if of the right kind.
        """
        words = raw.split()
        if not words or words[0].lower() != "the" or len(words) > 3 or head is None or head.pos_ != "NOUN":
            return None
        if any(t.pos_ == "PROPN" or t.ent_type_ for t in head.subtree if t.i != head.i):
            return None  # "the Syrian army" names its referent; only "the army" points back
        noun = head.lemma_.lower()
        # "the union" is never its general secretary: the kinds must agree
        kinds = {"organisation", "group"} if noun in _ORG_NOUNS else {"person", "anonymous", "unknown"} \
            if noun in _PERSON_NOUNS else {"person", "anonymous", "unknown", "organisation", "group"}
        before = [x for x in self.said if x.pos < s and x.speaker.kind in kinds]
        fits = [x for x in before if noun in {_head_word(x.speaker.name or ""), _head_word(x.speaker.role or "")}]
        para = self.para_index(s)
        names = {x.speaker.name for x in fits}
        if len(names) == 1 or fits and para - fits[-1].para <= LOOKBACK_PARAGRAPHS:
            sp = fits[-1].speaker
            return Speaker(sp.name, sp.role, sp.kind, "definite")
        last = self.said[-1] if self.said and self.said[-1].pos < s else None
        if noun in _GENERIC_NOUNS and last is not None and last.speaker.kind in kinds and para - last.para <= 1:
            sp = last.speaker
            return Speaker(sp.name, sp.role, sp.kind, "definite")
        return None

    # ---------------------------------------------------------------- main
    def resolve(self, r: Rel) -> Speaker:
        """Speaker name, role, type and resolution path for one attribution."""
        if r.source is None:
            return NO_SPEAKER
        text = self.text
        s, e = r.source
        raw = clean_speaker(text[s:e])
        low = raw.lower()
        if not any(ch.isalpha() for ch in raw):
            return NO_SPEAKER
        if low in ("who", "which", "that") and r.src_tok is not None and r.src_tok.dep_ != "relcl":
            # "X, who said": the relative clause's head noun
            head = r.head.head if r.head.dep_ == "relcl" else None
            if head is not None:
                s, e = span_of(list(head.subtree)[: max(1, head.i - head.left_edge.i + 1)]) or (s, e)
                raw = clean_speaker(text[s:e])
                low = raw.lower()
        if low in PRONOUNS:
            return self._pronoun(low, s)
        if low in PLURAL_PRONOUNS or low == "it":
            return self._collective(low, s)
        if low in _NEVER:
            return NO_SPEAKER
        head = r.src_tok if r.src_tok is not None and s <= r.src_tok.idx < e else None
        author = _author_of_document(head) if head is not None else None
        if author is not None:  # "A poll by the Norvik Institute found ...": the institute speaks
            ent = entity_at(self.entities, author.idx, author.idx + len(author.text), ("ORG", "PERSON"))
            if ent is not None:
                return Speaker(ent.name, ent.role, "person" if ent.label == "PERSON" else "organisation", "name")
        found = self._named(raw, head, s, e)
        if found is not None:
            return found
        definite = self._definite(raw, head, s)
        if definite is not None:
            return definite
        # "Opponents of President Assad": only a name at the head of the phrase names the speaker
        named = find_by_name(self.entities, raw) if head is None or head.pos_ == "PROPN" else None
        if named is not None:
            return Speaker(named.name, named.role, "person" if named.label == "PERSON" else "organisation", "name")
        name, role = split_title(raw)
        if name != raw and (head is None or head.pos_ == "PROPN"):
            named = find_by_name(self.entities, name)
            if named is not None:
                kind: SpeakerType = "person" if named.label == "PERSON" else "organisation"
                return Speaker(named.name, named.role or role, kind, "name")
            return Speaker(name, role, "person", "name")
        kind = speaker_type(raw)
        if kind == "unknown" and r.src_tok is not None and r.src_tok.tag_ == "NNS":
            kind = "group"
        if kind == "unknown" and head is not None and _unnamed_person(raw, head):
            kind = "anonymous"  # "One crane operator, who ...": someone, unnamed
        if kind == "unknown" and head is not None and head.lemma_.lower() in _ORG_NOUNS and head.tag_ == "NN":
            kind = "organisation"  # "the Syrian army", "the defence ministry"
        if kind == "unknown" and raw[:1].isupper() and head is not None and head.pos_ == "PROPN":
            return Speaker(raw, None, kind, "name")
        return Speaker(raw, None, kind, "anonymous" if kind == "anonymous" else "description")

    def _named(self, raw: str, head: Any | None, s: int, e: int) -> Speaker | None:
        """A speaker named by an entity at the head of the source phrase (or in apposition to it)."""
        entities = self.entities
        appos = _apposed_name(head) if head is not None and head.pos_ == "NOUN" else None
        if head is not None and head.is_title and head.pos_ != "PRON" and find_by_name(entities, head.text):
            # a known surname the tagger took for a common noun ("Lanning, the governor, said")
            appos = head
        if appos is not None:
            # "Another resident, Rami Zien, ...", "Lanning, the governor": the name in apposition speaks
            ent = entity_at(entities, appos.idx, appos.idx + len(appos.text), ("PERSON", "ORG"))
            ent = ent or find_by_name(entities, appos.text)
        elif head is not None and head.pos_ in ("NOUN", "NUM", "PRON") and head.ent_type_ == "":
            ent = None  # "Opponents of President Assad": the head noun speaks, not the name inside
        elif head is not None:
            ent = entity_at(entities, head.idx, head.idx + len(head.text))
            ent = ent or entity_at(entities, s, e, ("PERSON",)) or entity_at(entities, s, e, ("ORG", "GPE", "NORP"))
        else:
            ent = entity_at(entities, s, e, ("PERSON",)) or entity_at(entities, s, e, ("ORG", "GPE", "NORP"))
        if ent is None:
            return None
        if ent.label == "NORP" and len(raw.split()) > 1:
            kind = speaker_type(raw)
            return Speaker(raw, None, kind if kind != "unknown" else "group", "description")
        return Speaker(ent.name, ent.role, "person" if ent.label == "PERSON" else "organisation", "name")

    def paragraph_subject(self, para: int) -> tuple[Speaker, Span] | None:
        """The person who is the subject of the last clause of a paragraph that quotes nobody
        ("Civic Forum leader Ruth Amsel held up a copy of the log."), with that mention's span."""
        last = None
        for pos, ent in self._person_subjects():
            if self.para_index(pos) == para:
                last = (pos, ent)
        if last is None:
            return None
        pos, ent = last
        span = next(((s, e) for s, e in ent.mentions if s == pos), (pos, pos))
        return Speaker(ent.name, ent.role, "person", "turn"), span

    def resolve_turns(self, lone: Span, before: Speaker | None, after: Speaker | None,
                      actor: Speaker | None = None, replied: bool = False) -> Speaker:
        """The speaker of a quotation alone in its paragraph, from the paragraphs around it.

        * between two attributions to one speaker: that speaker's, unless it is a
          question, which is then the interviewer's (no speaker);
        * after a paragraph whose subject is a person who is not quoted there, and before
          another speaker's reply ("replied", "answered"): that person's turn in the exchange;
        * anything else: no speaker.

        Args:
            lone: the quotation's span.
            before: the speaker of the last attribution in the paragraph before, if any.
            after: the speaker of the first attribution in the paragraph after, if any.
            actor: the person the paragraph before is about, when it quotes nobody.
            replied: whether the attribution after is a reply ("Marsh replied").
        """
        inner = self.text[lone[0] : lone[1]].strip("\"“”‘’'«» \n")
        same = before is not None and after is not None and before.name and before.name == after.name
        if same and inner.endswith("?"):
            return NO_SPEAKER  # a lone question between someone's answers is the interviewer's
        if same and before is not None:
            return Speaker(before.name, before.role, before.kind, "turn")
        if before is None and actor is not None and after is not None and after.name and after.name != actor.name \
                and replied and len(inner.split()) >= 4:
            return actor  # "Amsel held up the log. / '...?' / '...,' Marsh replied."
        return NO_SPEAKER

