"""Source identity: outlet names, agency copy against agency citation.

All texts are fictional, written for these tests.
"""

from __future__ import annotations

import pytest

from newsweave.analyze.sentences import split_sentences
from newsweave.models import Article, Citation
from newsweave.synthesize.outlets import agency_key, agency_names, classify_credits, identify_outlet
from newsweave.synthesize.sources import build_sources, independent_count

WIRE = (
    "TARROW, March 3 (XNA) - Flood water closed the main bridge in Tarrow on Tuesday after the river "
    "rose by two metres overnight, the regional water authority said.\n\n"
    "About 1,500 people were moved to schools on higher ground, and the army sent boats to the old town "
    "where several streets were cut off from the rest of the city.\n\n"
    "The authority said the river would crest on Wednesday afternoon and urged people not to return home "
    "before engineers had checked the embankments along both banks.\n\n"
)


@pytest.mark.parametrize(
    "text",
    [
        "The Reuters news agency said the bridge had been closed.",
        "The bridge was closed, Reuters reported.",
        "According to AFP, the bridge was closed on Tuesday.",
        "The bridge was closed, according to Russia's Interfax news agency.",
        "Speaking to Reuters news agency, a rescuer said the bridge was closed.",
        '"The bridge is closed," a rescuer told Anadolu news agency.',
        "The bridge was closed, the Xinhua news agency reported, citing local officials.",
    ],
)
def test_citing_an_agency_is_not_its_copy(text: str) -> None:
    c = classify_credits(text)
    assert c.copy == ()
    assert len(c.cites) == 1


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("TARROW, March 3 (XNA) - The bridge was closed.", "XNA"),
        ("ALDER FORD, Vessland (AP) — The bridge was closed.", "AP"),
        ("KESTRA, Dec. 14 (Reuters) - The bridge was closed.", "Reuters"),
        ("date 2031-03-03 TARROW (Reuters) - The bridge was closed.", "Reuters"),
        ('"It is closed," a rescuer told AFP.', "AFP"),
        ("An AFP correspondent saw the bridge close.", "AFP"),
        ("Nobody crossed, according to a Reuters witness at the bridge.", "Reuters"),
        ("The bridge was closed.\n\nAgence France-Presse contributed to this report.", "AFP"),
        ("The bridge was closed.\n\n(Reporting by Coastline Press Agency; Editing by Ana Roe)", "Coastline Press Agency"),
    ],
)
def test_datelines_credit_lines_and_agency_staff_mark_agency_copy(text: str, agency: str) -> None:
    assert classify_credits(text).copy == (agency,)


@pytest.mark.parametrize(
    "text",
    [
        "Rescuers carry a child across the bridge [Mara Olsen/Reuters]",
        "Rescuers carry a child across the bridge (AP Photo/Ana Roe)",
        "Raw footage shows the bridge under water (Reuters)\n\nThe town was quiet.",
        "The AP courses at the college start in May.",
    ],
)
def test_image_credits_and_look_alikes_credit_nothing(text: str) -> None:
    c = classify_credits(text)
    assert (c.copy, c.cites) == ((), ())


def test_byline_metadata_naming_an_agency_is_its_copy() -> None:
    assert classify_credits("The bridge was closed.", byline="Westland News Agency").copy == ("Westland News Agency",)
    assert classify_credits("The bridge was closed.", byline="Maren Ashby").copy == ()


def test_agency_names_and_aliases() -> None:
    names = agency_names(["BRASK, Oct 14 (WNA) - Rain.", "The Westland News Agency reported more rain."])
    assert set(names) == {"WNA", "Westland News Agency"}
    assert agency_key("Westland News Agency") == agency_key("WNA") == "WNA"
    # An acronym the story knows as an agency is a citation wherever it is quoted.
    assert classify_credits("According to WNA, rain fell.", story_agencies=names).cites == ("WNA",)
    assert classify_credits("According to WNA, rain fell.").cites == ()


@pytest.mark.parametrize(
    ("text", "source", "byline", "outlet"),
    [
        # metadata wins
        (WIRE + "(Reporting by Ana Roe; additional reporting by Valley Star staff)", "Harbour Daily", None,
         "Harbour Daily"),
        # the outlet named only in the credit line (ingest took the dateline's agency)
        (WIRE + "(Reporting by Ana Roe; additional reporting by Valley Star staff)", "XNA", None, "Valley Star"),
        (WIRE + "(Reporting by Ana Roe; additional reporting by Valley Star staff)", None, None, "Valley Star"),
        # only a dateline: the agency's own copy
        (WIRE + "(Reporting by Ana Roe; Editing by Tom Hale)", None, None, "XNA"),
        # a byline naming the outlet, over a URL's domain
        ("By Tessa Lind, The Harrow Weekly\n\nThe bridge was closed on Tuesday.", "harrowweekly.example", None,
         "Harrow Weekly"),
        ("By Tessa Lind | Tarrow Evening Post\n\nThe bridge was closed on Tuesday.", None, None, "Tarrow Evening Post"),
        # a person's byline is not an outlet; the domain stays
        ("By Tessa Lind\n\nThe bridge was closed on Tuesday.", "harrowweekly.example", None, "harrowweekly.example"),
        # a byline sentence is not a byline
        ("By Tuesday, the Daily Star said, the bridge was closed.", None, None, None),
        # quoting an agency or its reporter does not make the article the agency's
        ('"It is closed," a rescuer told AFP.\n\nThe Reuters news agency said so too.', None, None, None),
        ("The bridge was closed.", None, "Westland News Agency", "Westland News Agency"),
    ],
)
def test_identify_outlet(text: str, source: str | None, byline: str | None, outlet: str | None) -> None:
    assert identify_outlet(Article(text, source=source, byline=byline)) == outlet


def _sources(*articles: Article):  # type: ignore[no-untyped-def]
    sents = {a.id: split_sentences(a) for a in articles}
    return build_sources(articles, sents), sents


def test_build_sources_names_outlets_and_splits_copy_from_citation() -> None:
    own = (
        "Shopkeepers in Tarrow's old town spent Tuesday carrying stock upstairs as the river rose.\n\n"
        "The water authority expects the river to crest on Wednesday, according to WNA.\n\n"
        "About 1,500 people were moved to schools, the Westland News Agency reported.\n"
    )
    wire = Article("date 2031-03-03 " + WIRE + "(Reporting by Ana Roe; Editing by Tom Hale)", source="XNA",
                   published="2031-03-03", path="01.txt")
    copy = Article(WIRE + "(Reporting by Ana Roe; additional reporting by Valley Star staff)", source="XNA",
                   published="2031-03-03", path="02.txt")
    cites = Article(own, source="Tarrow Radio", published="2031-03-04", path="03.txt")
    src, _ = _sources(wire, copy, cites)
    by_path = {s.path: s for s in src}
    assert [by_path[p].outlet for p in ("01.txt", "02.txt", "03.txt")] == ["XNA", "Valley Star", "Tarrow Radio"]
    assert by_path["01.txt"].group == by_path["02.txt"].group != by_path["03.txt"].group
    assert by_path["01.txt"].agencies == by_path["02.txt"].agencies == ("XNA",)
    assert by_path["03.txt"].agencies == ()
    assert by_path["03.txt"].cites  # WNA, under one of its names


def test_a_sentence_crediting_an_agency_and_that_agency_s_copy_are_one_report() -> None:
    wire = Article("BRASK, Oct 14 (WNA) - The hospital said its morgue had received 38 bodies since Sunday, "
                   "and doctors expected more.\n", source="Riverside Gazette", published="2031-10-14", path="a.txt")
    other = Article("Anger grew in the valley on Tuesday over the dam.\n\n"
                    "The hospital has counted 38 dead, the Westland News Agency reported.\n",
                    source="Northmoor Radio", published="2031-10-14", path="b.txt")
    src, sents = _sources(wire, other)
    cits = []
    for art in (wire, other):
        s = next(x for x in sents[art.id] if "38" in x.text)
        cits.append(Citation(art.id, s.index, s.start, s.end))
    assert src[0].group != src[1].group
    assert independent_count([wire.id, other.id], src) == 2
    assert independent_count([wire.id, other.id], src, citations=cits, sentences_by_article=sents) == 1
