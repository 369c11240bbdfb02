"""What the code queues for after the commit (``transaction.on_commit``: background tasks, e-mails) runs in tests
only when asked: each test runs inside a transaction that is never committed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.test import TestCase


@contextmanager
def committed() -> Iterator[list[Callable[[], Any]]]:
    """Run, at the end of the block, what the code inside queued for after the commit, as the commit of a
    request or of a command would (the final register a confirmation issues, for instance)."""
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        yield callbacks
