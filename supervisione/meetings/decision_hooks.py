"""Per-ATS decisions that change data kept by an app above meetings.

A decision on a topic (``DecisionTopic``), e.g. "co-finanzia con la quota FNPS: sì/no, importo, atto", is about
data that meetings does not own: the FNPS allocations are funding's, an app above this one. Funding registers a
hook for its topic when Django loads it (``FundingConfig.ready``), so that meetings never imports it; recording
an ATS's decision calls the hooks of the decision's topic inside the same transaction. A hook writes (audited)
and returns the sentence the page shows, or raises ``DecisionRefusedError`` with the Italian reason, and then nothing
is recorded. Without a hook (funding not installed) the decision is recorded and changes nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from supervisione.accounts.models import User
    from supervisione.meetings.models import AmbitoDecision


class DecisionRefusedError(Exception):
    """The data the decision is about cannot take it; the message says why, in Italian."""


# (the ATS's decision, who records it) -> what changed, in a sentence ("" when nothing did).
DecisionHook = Callable[["AmbitoDecision", "User"], str]

_hooks: dict[str, list[DecisionHook]] = {}


def register_decision_hook(topic: str, hook: DecisionHook) -> None:
    """Add the hook for the topic (idempotent: Django may call ``ready`` more than once in tests)."""
    hooks = _hooks.setdefault(topic, [])
    if hook not in hooks:
        hooks.append(hook)


def apply_decision(row: AmbitoDecision, *, by: User) -> list[str]:
    """Run the hooks of the decision's topic; what they changed, in sentences."""
    topic = row.decision.topic
    if not topic:
        return []
    return [sentence for hook in _hooks.get(topic, ()) if (sentence := hook(row, by))]
