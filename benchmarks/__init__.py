"""Benchmarks: each module has a ``main()`` that prints its figures. They never fail on time."""
