"""Browser journeys (``make e2e``), one file per persona or capability under ``tests/``.

The fixtures and helpers are in ``supervisione.testing.browser``; docs/ACCESSIBILITY.md says how to write one.
"""
