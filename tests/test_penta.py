"""The penta classifier stacked on the rule coder: shipped weights, sentence classes, confidence,
and `khaldun eval quad` on its own training file (cross-validated) and on another file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from khaldun.cli import app
from khaldun.events.penta import PentaModel, fit, get_penta_model, sentence_features
from khaldun.ingest.readers import make_article
from khaldun.pipeline import Pipeline

SENTENCES = [  # written for these tests, about real kinds of events
    ("Government troops shelled rebel positions south of Idlib on Monday, killing four fighters.", "4"),
    ("Rebel commanders accused the army of targeting a hospital in Ariha.", "3"),
    ("Turkey and Russia agreed to hold further talks on the future of the M4 highway.", "1"),
    ("The World Food Programme delivered flour and medicine to displaced families near Sarmada.", "2"),
    ("The governor said the city's markets were open and that shops had plenty of bread.", "0"),
    ("Police fired tear gas at hundreds of protesters in central Khartoum.", "4"),
]


def model() -> PentaModel:
    found = get_penta_model()
    assert found is not None, "src/khaldun/data/models/penta.json is missing: run tools/train_penta.py"
    return found


def sentence_class(pipeline: Pipeline, text: str) -> dict[str, float]:
    doc = pipeline.nlp(text)
    article = make_article("test", text, fmt="text", published=date(2020, 3, 1), strip_lines=False)
    events = list(pipeline._code_doc(article, doc).events)
    return model().proba(sentence_features(doc[:], events))


def test_shipped_model_names_its_data_and_licence() -> None:
    about = model().about
    assert "GPL-3.0" in about["licence"] and "cameo_class/train.tsv" in about["trained_on"]
    assert about["sentences"] == 1349 and len(about["sha256"]) == 64


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_sentence_class(pipeline: Pipeline, text: str, expected: str) -> None:
    proba = sentence_class(pipeline, text)
    assert abs(sum(proba.values()) - 1.0) < 1e-6
    assert max(proba, key=proba.__getitem__) == expected, proba


def test_event_confidence_blends_rules_and_classifier() -> None:
    text = "Syrian troops shelled rebel positions near Ariha on Sunday."
    article = make_article("test", text, fmt="text", published=date(2020, 5, 4))
    with_model = Pipeline(penta=model()).code(article).events
    rules_only = Pipeline(penta=None).code(article).events
    assert [e.type.plover for e in with_model] == [e.type.plover for e in rules_only] == ["ASSAULT"]
    assert 0.05 <= with_model[0].confidence <= 0.99
    # the sentence is plainly an attack: the classifier agrees, so confidence does not fall
    assert with_model[0].confidence >= rules_only[0].confidence - 0.05


def test_fit_needs_every_class() -> None:
    with pytest.raises(ValueError, match="must cover all"):
        fit([{"w=attack": 1.0}, {"w=say": 1.0}], ["4", "0"], min_count=1)


def test_eval_quad_on_another_file_scores_the_shipped_model(tmp_path: Path) -> None:
    gold = tmp_path / "mine.tsv"
    gold.write_text("".join(f"{text}\t{label}\r\n" for text, label in SENTENCES * 2), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "quad", "--data", str(gold)])
    assert result.exit_code == 0, result.output
    assert "the shipped model, trained on another file" in " ".join(result.stdout.split())
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("eval quad: macro_f1=")


def test_eval_quad_cross_validates_on_its_training_file(shared: Path) -> None:
    if not (shared / "data" / "cameo_quad" / "train.tsv").exists():
        pytest.fail("cameo_quad/train.tsv missing from the shared folder")
    result = CliRunner().invoke(app, ["eval", "quad", "--shared", str(shared)])
    assert result.exit_code == 0, result.output
    assert "5-fold cross-validated" in " ".join(result.stdout.split())
    last = result.stdout.strip().splitlines()[-1]
    macro = float(last.removeprefix("eval quad: macro_f1="))
    assert macro >= 0.75, last


def test_eval_plover_meets_its_bar(shared: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "plover", "--shared", str(shared)])
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert float(last.removeprefix("eval plover: macro_f1=")) >= 0.70, last
