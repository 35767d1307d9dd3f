"""Sources: numbering, wire copy between outlets, agency copy inside one article."""

from __future__ import annotations

from newsweave.analyze.sentences import split_sentences
from newsweave.models import Article, Citation
from newsweave.synthesize.sources import (
    OverlapClusterer,
    agency_credits,
    build_sources,
    content_tokens,
    independence_phrase,
    independent_count,
)

# A fictional wire story about a flood in the town of Velmora, five paragraphs.
WIRE = [
    "Floodwater from the Ostra river swept through the lower town of Velmora on Sunday night, "
    "forcing hundreds of families onto rooftops as emergency crews worked in heavy rain.",
    "The regional governor, Ilse Marankova, said three pumping stations had failed within an hour "
    "of each other and that the town's old levee had been breached in two places.",
    "Rescue boats from the neighbouring districts of Brask and Tollen reached the flooded streets "
    "shortly before dawn and began ferrying elderly residents to a school on higher ground.",
    "Engineers had warned in a report published last spring that the levee was decades overdue for "
    "repairs, but the regional council postponed the work twice for lack of funds.",
    "Weather forecasters expect the river to crest again on Tuesday afternoon after more rain falls "
    "across the hills north of the town, and officials urged people not to return home yet.",
]
DOCK_LEAD = (
    "Dock News has learned that the families evacuated from Velmora overnight were mostly elderly "
    "tenants of the riverside flats that the council had promised to rehouse two years ago."
)
OWN = [
    "Velmora woke to brown water in its market square, and to anger that a disaster foretold for "
    "years had finally arrived on a quiet Sunday evening in the middle of winter.",
    "Shopkeepers along the canal told our reporter that they had moved stock upstairs twice this "
    "month already, each time after rumours of a failing pump spread through the town.",
    "The mayor's office said the town hall would stay open through the night as a shelter, with "
    "blankets and hot food provided by volunteers from the local football club.",
]


def _art(paras: list[str], *, source: str, published: str, path: str) -> Article:
    text = f"date {published} " + "\n\n".join(paras) + "\n"
    return Article(text, source=source, published=published, path=path)


def _sources(*articles: Article):
    sents = {a.id: split_sentences(a) for a in articles}
    return build_sources(articles, sents), sents


def test_empty_story_has_no_sources():
    assert build_sources([], {}) == ()


def test_numbering_is_by_date_then_path_whatever_the_input_order():
    late = _art(OWN[:1], source="Late Post", published="2025-02-03", path="b.txt")
    early = _art(OWN[1:2], source="Early Times", published="2025-02-02", path="z.txt")
    undated = Article("An undated note about the flood in Velmora.", source="Undated Daily", path="a.txt")
    src = build_sources([undated, late, early])
    assert [s.outlet for s in src] == ["Early Times", "Late Post", "Undated Daily"]
    assert [s.number for s in src] == [1, 2, 3]


def test_wire_copy_between_two_outlets_is_one_group():
    wire = _art(WIRE, source="Harbor Wire", published="2025-02-02", path="wire.txt")
    # A second outlet runs its own lead, then three wire paragraphs (one lightly edited).
    edited = WIRE[2].replace("shortly before dawn", "just before dawn")
    copy = _art([DOCK_LEAD, WIRE[1], edited, WIRE[3]], source="Dock News", published="2025-02-03", path="dock.txt")
    own = _art(OWN, source="Valley Courier", published="2025-02-03", path="valley.txt")
    src, _ = _sources(copy, own, wire)
    by_outlet = {s.outlet: s for s in src}
    assert by_outlet["Harbor Wire"].number == 1
    assert by_outlet["Dock News"].group == by_outlet["Harbor Wire"].group == 1
    assert by_outlet["Dock News"].copy_of == 1
    assert by_outlet["Harbor Wire"].copy_of is None
    assert by_outlet["Valley Courier"].group != 1
    assert by_outlet["Valley Courier"].copy_of is None


def test_one_shared_paragraph_in_long_articles_is_not_a_copy():
    wire = _art(WIRE, source="Harbor Wire", published="2025-02-02", path="wire.txt")
    other = _art(OWN + [WIRE[4]], source="Dock News", published="2025-02-03", path="dock.txt")
    src, _ = _sources(wire, other)
    assert src[0].group != src[1].group


def test_agency_credits_inside_one_article():
    text = (
        "Nobody had left by noon, according to a Reuters witness at the bridge.\n\n"
        '"We have no boats left," a volunteer told AFP.\n\n'
        "The Associated Press counted 40 people on one roof.\n\n"
        "Rescuers carry a child to safety [Mara Olsen/Reuters]"
    )
    assert agency_credits(text) == ("Reuters", "AFP", "AP")
    assert agency_credits("Rescuers carry a child [Mara Olsen/Reuters]") == ()
    assert agency_credits("BRASK (Reuters) - The river rose again.") == ("Reuters",)
    # Any agency filing a dateline, even one we do not know by name.
    assert agency_credits("VELMORA, March 10 (VPA) - The river rose again.") == ("VPA",)
    assert agency_credits("BRASK (AP) — The river rose.") == ("AP",)
    assert agency_credits("The council met on Monday.") == ()
    art = _art(["The council met on Monday and a member told AFP the vote was close."],
               source="Valley Courier", published="2025-02-03", path="v.txt")
    src, _ = _sources(art)
    assert src[0].agencies == ("AFP",)


def test_independent_count_counts_groups_once():
    wire = _art(WIRE, source="Harbor Wire", published="2025-02-02", path="wire.txt")
    copy = _art([DOCK_LEAD, *WIRE[1:4]], source="Dock News", published="2025-02-03", path="dock.txt")
    own = _art(OWN, source="Valley Courier", published="2025-02-03", path="valley.txt")
    src, _ = _sources(wire, copy, own)
    ids = [s.article_id for s in src]
    assert independent_count(ids, src) == 2
    assert independent_count(ids[:2], src) == 1
    assert independence_phrase(ids, src) == "Reported by three outlets, two independent reports"
    assert independence_phrase(ids[2:], src) == "Reported by one outlet, one independent report"


def test_same_agency_quote_carried_by_two_outlets_counts_once():
    line = '"The water came in faster than anyone expected," a rescue worker told AFP.'
    a = _art([OWN[0], line], source="Dock News", published="2025-02-03", path="a.txt")
    b = _art([OWN[2], line.replace("anyone", "any of us")], source="Valley Courier",
             published="2025-02-03", path="b.txt")
    src, sents = _sources(a, b)
    assert src[0].group != src[1].group  # different articles overall
    cits = []
    for art in (a, b):
        s = next(x for x in sents[art.id] if "AFP" in x.text)
        cits.append(Citation(art.id, s.index, s.start, s.end))
    ids = [a.id, b.id]
    assert independent_count(ids, src) == 2
    assert independent_count(ids, src, citations=cits, sentences_by_article=sents) == 1


def test_content_tokens_and_clusterer():
    assert content_tokens("The buses were parked") == {"bus", "parked"}
    c = OverlapClusterer(threshold=0.5)
    a = c.add({"levee", "breached", "velmora"})
    b = c.add({"levee", "breached", "town"})
    d = c.add({"football", "club", "blanket"})
    assert a == b and d != a


def test_many_copies_of_one_wire_story_form_one_group():
    copies = [_art(WIRE, source=f"Paper {i}", published="2025-02-03", path=f"p{i:02d}.txt") for i in range(40)]
    own = _art(OWN, source="Valley Courier", published="2025-02-04", path="valley.txt")
    # Identical texts would share a content hash: give each a distinct closing line.
    copies = [Article(c.text + f"\nPaper {i} staff\n", source=c.source, published=c.published, path=c.path)
              for i, c in enumerate(copies)]
    src, _ = _sources(*copies, own)
    groups = {s.group for s in src if s.outlet != "Valley Courier"}
    assert groups == {1}
    assert sum(1 for s in src if s.copy_of == 1) == 39
