"""Claims with stance, and the error classes of who-said-what, on fictional text we wrote."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.analyze import nlp as nlp_mod
from newsweave.analyze.quotes import extract_quotes
from newsweave.cli import main as cli_main
from newsweave.models import Article, Quote

needs_spacy = pytest.mark.skipif(not nlp_mod.nlp_available(), reason="spaCy extra not installed")
PKG = Path(__file__).resolve().parent.parent / "newsweave" / "analyze"


def _quotes(text: str) -> tuple[Quote, ...]:
    return extract_quotes(Article(text))


def _find(quotes, needle: str) -> Quote:
    for q in quotes:
        if needle in q.text:
            return q
    raise AssertionError(f"no quote holds {needle!r}: {[q.text for q in quotes]}")


def _claims(quotes) -> list[str]:
    return [q.claim for q in quotes if q.claim]


# ------------------------------------------------------------------ stance
@needs_spacy
def test_denial_is_shown_as_a_denial_never_as_the_denied_words() -> None:
    text = "The Lorvale harbour board denied the pier had been sold to a developer."
    q = _find(_quotes(text), "pier had been sold")
    assert q.stance == "denies" and q.is_denial
    assert q.claim == "denied that the pier had been sold to a developer"
    assert "harbour board" in (q.speaker or "")


@needs_spacy
def test_denial_of_an_action_keeps_its_verb() -> None:
    text = "The river police have denied firing on the fishing boats near Brask."
    q = _find(_quotes(text), "firing on the fishing boats")
    assert q.stance == "denies"
    assert q.claim.startswith("denied firing on the fishing boats")


@needs_spacy
def test_denial_of_a_reported_claim_reads_naturally() -> None:
    text = "Martin Ruell, the mill's owner, denied union claims that the mill had hired guards."
    q = _find(_quotes(text), "hired guards")
    assert q.claim == "denied union claims that the mill had hired guards"


@needs_spacy
def test_accusation_is_complete_with_its_target_and_charge() -> None:
    text = "Dana Okoro accused the Velmora Mill Company of locking out its night shift."
    q = _find(_quotes(text), "locking out")
    assert q.stance == "accuses"
    assert q.claim == "accused the Velmora Mill Company of locking out its night shift"
    assert q.target == "the Velmora Mill Company"
    assert q.speaker == "Dana Okoro"


@needs_spacy
def test_a_denial_and_the_next_statement_are_two_claims_of_one_speaker() -> None:
    text = ("The Lorvale water board denied an agreement had been reached and said in a statement that the "
            "negotiations were difficult.")
    qs = _quotes(text)
    denial = _find(qs, "agreement had been reached")
    assert denial.claim == "denied that an agreement had been reached"
    said = _find(qs, "negotiations were difficult")
    assert said.stance == "asserts"
    assert said.speaker == denial.speaker


@needs_spacy
def test_negative_claims_are_marked() -> None:
    text = "Ruell said no guards had been hired at the mill."
    q = _find(_quotes(text), "no guards had been hired")
    assert q.negative and q.stance == "asserts"


# ------------------------------------------------------------------ what is not a claim
@needs_spacy
@pytest.mark.parametrize(
    "text, needle",
    [
        ("Velmora backs some of the farmers' groups fighting the dam.", "farmers"),  # a position, not speech
        ("Ana Ruiz, who describes herself as a volunteer medic, said the clinic was full.", "volunteer medic"),
        ("Citing port and police sources, the Lorvale Herald said the ferry had sunk.", "port and police"),
        ("Calling that an \u201cinsult,\u201d the mayor left the hall.", "insult"),
        ("The villagers, fearing looting by the militia, packed their bags.", "looting"),
        ("A nurse, who asked not to be named, said the ward was closed.", "not to be named"),
    ],
)
def test_positions_self_descriptions_source_lists_and_fragments_are_not_claims(text: str, needle: str) -> None:
    for q in _quotes(text):
        if needle in q.text:
            assert not q.claim, (q.text, q.claim)


@needs_spacy
def test_an_interviewers_question_is_not_the_interviewees_claim() -> None:
    text = "Asked whether the bridge would reopen in May, Mayor Teodor Osk said engineers were still checking it."
    qs = _quotes(text)
    for q in qs:
        if "bridge would reopen" in q.text:
            assert q.speaker is None
    assert _find(qs, "engineers were still checking").speaker == "Teodor Osk"


# ------------------------------------------------------------------ content spans
@needs_spacy
def test_the_content_keeps_its_subject() -> None:
    text = "The council said on Monday engineers had \u201csealed the breach in the levee.\u201d"
    q = _find(_quotes(text), "sealed the breach")
    assert q.text.startswith("engineers had")


@needs_spacy
def test_two_attributions_joined_by_a_semicolon_stay_apart() -> None:
    text = ("The union says 900 millers have stopped work; the Velmora Mill Company says the figure is "
            "closer to 300.")
    qs = _quotes(text)
    company = _find(qs, "closer to 300")
    assert "900 millers" not in company.text
    assert "Velmora Mill Company" in (company.speaker or "")
    assert _find(qs, "900 millers").speaker != company.speaker


@needs_spacy
def test_according_to_vouches_for_its_own_clause_only() -> None:
    text = "Until then, the barges wait: at least 9 were moored at Brask on Friday, according to the harbour master."
    q = _find(_quotes(text), "at least 9")
    assert not q.text.startswith("Until then")


# ------------------------------------------------------------------ speakers
@needs_spacy
def test_a_pronoun_after_an_embedded_name_is_the_speaker_before() -> None:
    text = ("Mayor Teodor Osk said he had spoken to both Dana Okoro and Martin Ruell on Friday. "
            "\u201cEvery week this goes on, the town pays for it,\u201d he said.")
    q = _find(_quotes(text), "the town pays")
    assert q.speaker == "Teodor Osk"


@needs_spacy
def test_a_pronoun_after_an_unnamed_source_is_that_source() -> None:
    text = ("Ruell said the mill would stay open.\n\n"
            "One loom operator, who asked not to be named for fear of losing his job, said workers were angry. "
            "\u201cThey want us to train the machines that replace us,\u201d he said.")
    q = _find(_quotes(text), "train the machines")
    assert q.speaker is not None and "loom operator" in q.speaker


@needs_spacy
def test_definite_descriptions_resolve_to_the_speaker_they_point_back_to() -> None:
    text = ("Talks were still going on, a source close to the Lorvale council said.\n\n"
            "\u201cWhen a deal is reached, it will be announced by the council,\u201d the source told the Herald.\n\n"
            "More than 40 homes were flooded, the Brask River Observatory said on Friday.\n\n"
            "Another 12 homes were damaged upstream, the monitor said.")
    qs = _quotes(text)
    assert "source close to the Lorvale council" in (_find(qs, "will be announced").speaker or "")
    assert _find(qs, "12 homes").speaker == "Brask River Observatory"


@needs_spacy
def test_a_description_that_names_its_referent_is_not_resolved_back() -> None:
    text = ("The Lorvale council said 40 homes were flooded.\n\n"
            "The Velmoran army has denied blocking the relief convoys.")
    q = _find(_quotes(text), "blocking the relief convoys")
    assert "council" not in (q.speaker or "")
    assert "army" in (q.speaker or "").lower()


@needs_spacy
def test_the_union_is_not_its_general_secretary() -> None:
    text = ("\u201cWe stay out,\u201d said Dana Okoro, the union's general secretary.\n\n"
            "The union is demanding a 9% rise over two years.")
    for q in _quotes(text):
        if "9% rise" in q.text:
            assert q.speaker != "Dana Okoro"


@needs_spacy
def test_opponents_of_a_person_are_the_speaker_not_the_person() -> None:
    text = "Opponents of Mayor Teodor Osk accused his office of neglecting the levee."
    q = _find(_quotes(text), "neglecting the levee")
    assert q.speaker is not None and q.speaker.startswith("Opponents")


@needs_spacy
def test_a_lone_quotation_between_one_speakers_words_is_theirs_a_lone_question_is_not() -> None:
    text = ("\u201cThe dikes held,\u201d said Ines Varga, the mayor of Lorvale.\n\n"
            "\u201cWhy did the pumps fail?\u201d\n\n"
            "\u201cBecause nobody paid for their repair,\u201d Varga said.\n\n"
            "\u201cWe will rebuild the pumping station before the winter storms arrive.\u201d\n\n"
            "\u201cAnd we will pay for it ourselves,\u201d Varga said.")
    qs = _quotes(text)
    for q in qs:
        if "pumps fail" in q.text:
            assert q.speaker is None and not q.claim
    assert _find(qs, "before the winter storms").speaker == "Ines Varga"


@needs_spacy
@pytest.mark.parametrize("quote_mark", ["", '"'])
def test_transcript_turns_are_signed_by_their_speaker_and_the_interviewer_makes_no_claims(quote_mark: str) -> None:
    text = ("The mayor spoke to Radio Lorvale on Sunday.\n\n"
            f"{quote_mark}Piet Haller: Will the bridge open in May?\n\n"
            f"{quote_mark}Ines Varga: It will open in June, not May, because the steel arrived late.\n\n"
            f"{quote_mark}Piet Haller: Who pays for the delay?\n\n"
            f"{quote_mark}Ines Varga: The builder pays, under the contract we signed in March.")
    qs = _quotes(text)
    q = _find(qs, "because the steel arrived late")
    assert q.speaker == "Ines Varga" and q.claim
    assert "Ines Varga:" not in q.text
    for q in qs:
        if "Who pays" in q.text or "open in May?" in q.text:
            assert not q.claim


@needs_spacy
def test_a_lone_line_in_an_exchange_belongs_to_the_person_just_described() -> None:
    text = ("Opposition leader Ruth Amsel waved a copy of the contract in the chamber.\n\n"
            "\u201cThen why was it signed on a Sunday?\u201d\n\n"
            "\u201cBecause the ministry works on Sundays,\u201d Mayor Ines Varga replied.")
    q = _find(_quotes(text), "signed on a Sunday")
    assert q.speaker == "Ruth Amsel"


@needs_spacy
def test_a_document_speaks_for_its_author() -> None:
    text = "A survey by the Brask Polling Institute found that 61% of residents want the dam removed."
    q = _find(_quotes(text), "61% of residents")
    assert q.speaker == "Brask Polling Institute"


# ------------------------------------------------------------------ confidence and the CLI
@needs_spacy
def test_every_quote_has_a_confidence_and_evidence() -> None:
    qs = _quotes("\u201cThe dikes held,\u201d said Ines Varga, the mayor of Lorvale. Ruell said prices rose.")
    assert qs
    for q in qs:
        assert 0.0 <= q.confidence <= 1.0
        assert any(e.startswith("how:") for e in q.evidence)


@needs_spacy
def test_quotes_cli_min_confidence_filters(tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("\u201cThe dikes held,\u201d said Ines Varga, the mayor of Lorvale. "
                    "Velmora backs some of the farmers' groups.\n", encoding="utf-8")
    every = json.loads(CliRunner().invoke(cli_main, ["quotes", str(path), "--json"]).stdout)
    sure = json.loads(CliRunner().invoke(cli_main, ["quotes", str(path), "--json", "--min-confidence", "0.99"]).stdout)
    assert every and all({"stance", "confidence"} <= set(r) for r in every)
    assert all(r["confidence"] >= 0.99 for r in sure) and len(sure) <= len(every)
    bad = CliRunner().invoke(cli_main, ["quotes", str(path), "--json", "--min-confidence", "2"])
    assert bad.exit_code == 2


# ------------------------------------------------------------------ module structure
def _imports(path: Path) -> list[tuple[str, list[str]]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.module, [a.name for a in node.names]))
    return out


def test_quote_modules_import_one_way_and_share_no_private_names() -> None:
    layer = {"quotes_lexicon": 0, "quotes_spans": 0, "quotes_patterns": 1, "quotes_stance": 1,
             "quotes_speakers": 1, "quotes_confidence": 2, "quotes_rules": 2, "quotes": 3}
    for name, level in layer.items():
        for module, names in _imports(PKG / f"{name}.py"):
            other = module.rsplit(".", 1)[-1]
            if other in layer and other != name:
                assert layer[other] < level, f"{name} imports {other}: imports must run one way"
            if module.startswith("newsweave"):
                assert not [n for n in names if n.startswith("_")], f"{name} imports private names from {module}"


# ------------------------------------------------------------------ roles and speech not yet made
@needs_spacy
def test_roles_from_relative_clauses_and_possessive_appositions() -> None:
    from newsweave.analyze.entities import extract_entities

    text = ("Marta Ivers, who chairs the Brask village council, said the sirens were silent.\n\n"
            "The Lorvale Water Board denied the claim. Its chief engineer, Piet Haller, said the gates were safe.")
    roles = {e.name: e.role for e in extract_entities(Article(text)) if e.label == "PERSON"}
    assert roles.get("Marta Ivers") == "who chairs the Brask village council"
    assert roles.get("Piet Haller", "").startswith("chief engineer of the Lorvale Water Board")


@needs_spacy
@pytest.mark.parametrize("text", [
    "Velmora Holdings is due to report its results on 26 March.",
    "The minister will announce the new budget on Friday.",
])
def test_speech_not_yet_made_is_not_a_claim(text: str) -> None:
    assert not _claims(_quotes(text))


# ------------------------------------------------------------------ the briefing's who-said-what section
def _briefing_with_a_denial():
    from newsweave.analyze.sentences import split_sentences
    from newsweave.models import Briefing, Citation, Claim, SourceEntry, SpeakerQuotes, SummarySentence

    text = "The Lorvale water board denied the pumps had failed. Okoro accused the board of lying."
    a = Article(text, id="a1", source="Lorvale Herald")
    sents = split_sentences(a)
    c0 = Citation("a1", 0, text.index("the pumps"), text.index(" failed") + 7)
    c1 = Citation("a1", 1, text.index("the board of"), len(text) - 1)
    return Briefing(
        title="Pumps", sources=(SourceEntry(1, "a1", "Lorvale Herald", None, None, None, "01-herald.txt", group=1),),
        summary=(SummarySentence(sents[0].text, (c0,)),), articles=(a,), sentences={"a1": sents},
        speakers=(
            SpeakerQuotes("Lorvale water board", None, (Claim("denied that the pumps had failed", (c0,), False,
                                                              "denies", 0.91, None, False, "the pumps had failed"),),
                          ("Lorvale Herald",), False, "organisation"),
            SpeakerQuotes("Dana Okoro", "union leader", (Claim("accused the board of lying", (c1,), False, "accuses",
                                                               0.88, "the board", False, "the board of lying"),),
                          ("Lorvale Herald",)),
        ),
    )


def test_json_who_said_what_carries_stance_confidence_and_round_trips() -> None:
    from newsweave.render.json import from_json, to_dict, to_json

    b = _briefing_with_a_denial()
    data = to_dict(b)
    board = data["speakers"][0]
    item = board["quotes"][0]
    assert board["speaker"] == "Lorvale water board" and board["type"] == "organisation"
    assert item["text"] == "denied that the pumps had failed" and item["stance"] == "denies"
    assert item["confidence"] == 0.91 and item["content"] == "the pumps had failed" and item["denial"] is True
    assert {"text", "stance", "confidence", "direct", "citations", "target"} <= set(item)
    assert data["speakers"][1]["quotes"][0]["target"] == "the board"
    assert from_json(to_json(b)).speakers == b.speakers


def test_markdown_and_html_show_a_denial_as_a_denial() -> None:
    from newsweave.render.html import to_html
    from newsweave.render.markdown import to_markdown

    b = _briefing_with_a_denial()
    md = to_markdown(b)
    assert "denied that the pumps had failed" in md and "accused the board of lying" in md
    html = to_html(b)
    assert 'class="stance-denies"' in html and "denied that the pumps had failed" in html
