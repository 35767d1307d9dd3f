"""The spaCy speed-ups change no annotation, and spaCy's command line still works.

Texts are fictional (the Marrowick port strike).
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from newsweave.analyze import nlp as nlp_mod
from newsweave.analyze import nlp_speedups

needs_spacy = pytest.mark.skipif(not nlp_mod.nlp_available(), reason="spaCy extra not installed")

TEXTS = [
    "date 2025-03-04\nDockers walk out at Marrowick\n\nMARROWICK (Wire) — About 300 dockers walked out on Monday, "
    "the union said, and 40 ships were left waiting. “We ain't going back until the pay is fixed,” said Ines "
    "Varga, 52, a crane driver. Harbour master Tomas Reed told reporters: “It's gonna be a long week.”",
    "Let's be clear, y'all: the council did not agree. It said it would meet the union's leaders on Thursday; "
    "you can't run a port on promises, a spokesman for Kestrel Terminals Ltd. added. Gon na see.\n\n\n"
    "  \tNobody answered her.  What did they do? They waited. There were 12 buses at 6:30 a.m.",
    "«Nous sommes 40», a dit le délégué. The vote is on 2/3 and the result 3/4 — 10 % of 1,200 crates, i.e. "
    "120, were lost in the storm of 12-14 March. Mr. O'Neill (D-Ore.) said he'd do it again, and she'd too.",
]


def _annotations(doc):  # type: ignore[no-untyped-def]
    return [
        (t.text, t.whitespace_, t.tag_, t.pos_, str(t.morph), t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_,
         t.is_sent_start, t.norm_)
        for t in doc
    ]


@needs_spacy
def test_speedups_change_no_annotation(monkeypatch: pytest.MonkeyPatch) -> None:
    model = importlib.import_module(nlp_mod.MODEL)
    exclude = ["senter"]
    plain = model.load(exclude=exclude)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")  # numpy's BLAS for the products, as in the CLI
    fast = model.load(exclude=exclude, config=nlp_speedups.load_overrides())
    assert nlp_speedups.tokenizer_loaded(fast)
    nlp_speedups.speed_up(fast)
    ruler = fast.get_pipe("attribute_ruler")
    assert isinstance(ruler.match.__self__, nlp_speedups.IndexedRuler)  # installed, so it is what is compared
    for a, b in zip(plain.pipe(TEXTS), fast.pipe(TEXTS), strict=True):
        assert _annotations(a) == _annotations(b)
    # The index also finds what a second pass over the same words finds (its memo is used).
    assert [_annotations(d) for d in fast.pipe(TEXTS)] == [_annotations(d) for d in plain.pipe(TEXTS)]


@needs_spacy
def test_ruler_with_a_pattern_it_cannot_read_keeps_spacys_matcher() -> None:
    from spacy.lang.en import English

    nlp = English()
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "Marrowick"}]], {"POS": "PROPN"})
    assert not nlp_speedups.IndexedRuler.install(ruler)
    assert nlp("Marrowick wins")[0].pos_ == "PROPN"


@needs_spacy
def test_spacy_command_line_still_loads_on_first_use() -> None:
    code = (
        "import sys\n"
        "from newsweave.analyze.nlp_speedups import import_spacy\n"
        "spacy = import_spacy()\n"
        "assert type(sys.modules['spacy.cli']).__name__ == '_LazyModule', 'spacy.cli was imported'\n"
        "assert 'typer' not in sys.modules\n"
        "from spacy.cli import download\n"
        "assert callable(download) and type(sys.modules['spacy.cli']).__name__ == 'module'\n"
        "assert spacy.cli is sys.modules['spacy.cli'] and callable(spacy.info)\n"
        "import spacy.cli.info\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"


def test_plain_spacy_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWEAVE_PLAIN_SPACY", "1")
    assert nlp_speedups.plain_spacy() and nlp_speedups.load_overrides() == {}
    monkeypatch.delenv("NEWSWEAVE_PLAIN_SPACY")
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert not nlp_speedups.plain_spacy() and not nlp_speedups.one_blas_thread()


@needs_spacy
def test_entry_points_listed_once_answer_as_before() -> None:
    code = (
        "import catalogue, srsly\n"
        "from spacy.util import registry\n"
        "from newsweave.analyze.nlp_speedups import entry_points_once\n"
        "regs = [srsly.msgpack_decoders, srsly.msgpack_encoders, registry.factories, registry.architectures,\n"
        "        registry.tokenizers, registry.misc]\n"
        "before = [sorted(r.get_all()) for r in regs], [r.get_entry_point('x-none') for r in regs]\n"
        "entry_points_once(); entry_points_once()\n"
        "after = [sorted(r.get_all()) for r in regs], [r.get_entry_point('x-none') for r in regs]\n"
        "assert before == after, (before, after)\n"
        "assert any(before[0]), 'nothing registered: the comparison would prove nothing'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"


def _line_breaks_reference(doc):  # type: ignore[no-untyped-def]
    """The plain definition: a token after one holding a line break starts a sentence."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
    return doc


@needs_spacy
@pytest.mark.parametrize("text", [*TEXTS, "\n", "a\n", "\nDockers walk out\n\n  Marrowick", "x \n y", "", "  \n\n  a",
                                  "Headline without stop\nMARROWICK (Wire) — They left.\r\nThen\n"])
def test_line_breaks_by_offsets_match_the_plain_definition(text: str) -> None:
    nlp = nlp_mod.get_nlp(("tok2vec",))
    fast, plain = nlp_mod.mark_line_breaks(nlp.make_doc(text)), _line_breaks_reference(nlp.make_doc(text))
    assert [t.is_sent_start for t in fast] == [t.is_sent_start for t in plain]


def test_figures_of_a_text_without_numbers_load_no_spacy() -> None:
    code = (
        "import sys\n"
        "from newsweave.analyze.figures import figures_json\n"
        "from newsweave.models import Article\n"
        "assert figures_json(Article('Nothing much happened at the Marrowick harbour today.')) == []\n"
        "assert 'spacy' not in sys.modules\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"
