"""The booked plan of the sessions tests (``cal``: a plan of the year with its groups, supervisor, contract and the
supervisee persona among the members), on which the home page's query counts grow their data."""

from supervisione.sessions.tests.conftest import cal, media  # noqa: F401  (fixtures shared with the sessions tests)
