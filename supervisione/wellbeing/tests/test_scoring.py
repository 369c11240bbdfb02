"""The instrument files load and the CBI is scored as Kristensen et al. (2005) say, on worked numbers."""

from __future__ import annotations

import copy
import json

import pytest

from supervisione.wellbeing import instruments
from supervisione.wellbeing.instruments import InstrumentError
from supervisione.wellbeing.scoring import AnswerError, item_score, scale_scores

CBI = instruments.get("cbi-it", "1")
FEEDBACK = instruments.get("feedback-it", "1")
ALWAYS, OFTEN, SOMETIMES, SELDOM, NEVER = range(5)


def test_it_ships_the_cbi_with_19_items_in_three_scales_and_its_source() -> None:
    assert len(CBI.items) == 19
    assert [(scale.key, len(CBI.items_of(scale.key))) for scale in CBI.scales] == [
        ("personal", 6),
        ("work", 7),
        ("client", 6),
    ]
    assert [item.key for item in CBI.items if item.reverse] == ["q13"]
    assert "10.1080/02678370500297720" in CBI.citation
    assert "Kristensen" in CBI.authors[0]
    assert CBI.terms
    assert CBI.validated
    assert "Non è il testo della validazione italiana" in CBI.translation_note
    assert all((scale.low, scale.high, scale.cutoff, scale.min_answered) == (0, 100, 50, 3) for scale in CBI.scales)


def test_it_labels_the_feedback_form_as_not_validated() -> None:
    assert not FEEDBACK.validated
    assert FEEDBACK.label.endswith("(non validato)")
    assert FEEDBACK.label.count("non validato") == 1
    assert 4 <= len(FEEDBACK.items) <= 6
    assert FEEDBACK.free_text
    assert all((scale.low, scale.high) == (0, 10) for scale in FEEDBACK.scales)


def test_it_scores_answers_100_75_50_25_0_and_reverses_item_13() -> None:
    q01 = CBI.items[0]
    assert [item_score(q01, option) for option in range(5)] == [100, 75, 50, 25, 0]
    q13 = next(item for item in CBI.items if item.key == "q13")
    assert [item_score(q13, option) for option in range(5)] == [0, 25, 50, 75, 100]
    with pytest.raises(AnswerError):
        item_score(q01, 5)


def test_it_scores_each_scale_as_the_mean_of_its_items() -> None:
    # Personal: Sempre, Spesso, A volte, A volte, Raramente, Mai -> (100+75+50+50+25+0)/6 = 50.
    # Work: q07-q12 all "In misura elevata"/"Spesso" (75) and q13 "Sempre" energy (reversed: 0) -> 450/7.
    # Client: only two answered (q14 100, q15 75): fewer than 3 -> no score.
    answers: dict[str, int | None] = {
        "q01": ALWAYS, "q02": OFTEN, "q03": SOMETIMES, "q04": SOMETIMES, "q05": SELDOM, "q06": NEVER,
        "q07": OFTEN, "q08": OFTEN, "q09": OFTEN, "q10": OFTEN, "q11": OFTEN, "q12": OFTEN, "q13": ALWAYS,
        "q14": ALWAYS, "q15": OFTEN, "q16": None,
    }  # fmt: skip
    scores = scale_scores(CBI, answers)
    assert scores["personal"] == 50
    assert scores["work"] == pytest.approx(450 / 7)  # 64.29
    assert scores["client"] is None


def test_it_scores_a_scale_with_exactly_three_items_answered() -> None:
    scores = scale_scores(CBI, {"q14": ALWAYS, "q15": ALWAYS, "q16": SELDOM})
    assert scores == {"personal": None, "work": None, "client": 75}


def test_it_refuses_answers_to_items_the_instrument_does_not_have() -> None:
    with pytest.raises(AnswerError, match="q99"):
        scale_scores(CBI, {"q99": 1})


def test_it_scores_the_feedback_form_0_to_10() -> None:
    assert scale_scores(FEEDBACK, {"f1": 8, "f2": 10, "f3": 0, "f4": None, "f5": 7}) == {
        "heard": 8, "topics": 10, "method": 0, "relief": None, "overall": 7,
    }  # fmt: skip


def _cbi_data() -> dict[str, object]:
    data: dict[str, object] = json.loads((instruments.FOLDER / "cbi-it.json").read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def test_the_loader_refuses_an_item_of_an_unknown_scale() -> None:
    data = _cbi_data()
    data["items"][0]["scale"] = "sleep"  # type: ignore[index]
    with pytest.raises(InstrumentError, match="scala non definita"):
        instruments.parse(data)


def test_the_loader_refuses_an_impossible_missing_item_rule_and_undefined_answers() -> None:
    data = _cbi_data()
    data["scales"][2]["min_answered"] = 7  # type: ignore[index]
    with pytest.raises(InstrumentError, match="impossibile"):
        instruments.parse(data)
    data = _cbi_data()
    data["items"][0]["response"] = "agreement"  # type: ignore[index]
    with pytest.raises(InstrumentError, match="non definite"):
        instruments.parse(data)
    data = _cbi_data()
    del data["terms"]
    with pytest.raises(InstrumentError, match="terms"):
        instruments.parse(data)


def test_it_offers_the_newest_version_of_each_instrument() -> None:
    assert [(one.key, one.version) for one in instruments.latest()] == [("cbi-it", "1"), ("feedback-it", "1")]
