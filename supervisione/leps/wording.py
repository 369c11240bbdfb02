"""Numbers, hours and euro written as the interface and the exports write them (Italian: comma for decimals,
dot for thousands). The rules use them to say in words what they find; they are the project's one formatter of
each kind, ``supervisione.lib.italian`` (a pure helper at the bottom, like ``leps``)."""

from __future__ import annotations

from supervisione.lib.italian import euro_text, hours_text, number_text

__all__ = ["euro_text", "hours_text", "number_text"]
