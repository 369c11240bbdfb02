"""The calendar of the sessions' tests (a 2026 plan, its contract with a PNRR row), for the PNRR hand-over's."""

from supervisione.sessions.tests.conftest import cal, media  # noqa: F401  (fixtures used by these tests)
