"""The scoring of one respondent's answers, pure and typed (Kristensen et al. 2005 for the CBI).

An answer is the index of the option chosen (0 = the first, e.g. "Sempre"), or ``None`` for an item left blank.
An item scores its option's points, reversed where the instrument says so (low + high - points); a scale's score
is the mean of its answered items, or ``None`` when fewer than the scale's ``min_answered`` were answered.
"""

from __future__ import annotations

from collections.abc import Mapping

from supervisione.wellbeing.instruments import Instrument, Item


class AnswerError(ValueError):
    """Answers that do not fit the instrument (a wrong option, an unknown item)."""


def item_score(item: Item, option: int) -> int:
    if not 0 <= option < len(item.options):
        raise AnswerError(f"Risposta non valida per la domanda «{item.text}».")
    points = item.options[option].score
    if item.reverse:
        scores = [choice.score for choice in item.options]
        return min(scores) + max(scores) - points
    return points


def scale_scores(instrument: Instrument, answers: Mapping[str, int | None]) -> dict[str, float | None]:
    """Each scale's score for one respondent (``None``: too few items answered on that scale)."""
    unknown = set(answers) - {item.key for item in instrument.items}
    if unknown:
        raise AnswerError("Risposte a domande che il questionario non ha: " + ", ".join(sorted(unknown)) + ".")
    scores: dict[str, float | None] = {}
    for scale in instrument.scales:
        points = [
            item_score(item, option)
            for item in instrument.items_of(scale.key)
            if (option := answers.get(item.key)) is not None
        ]
        scores[scale.key] = sum(points) / len(points) if len(points) >= scale.min_answered else None
    return scores
