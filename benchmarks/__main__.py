"""``python -m benchmarks`` (``make bench``): run every benchmark module of this folder in turn."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path


def run_all() -> None:
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"benchmarks.{module.name}")
        main = getattr(loaded, "main", None)
        if callable(main):
            main()


if __name__ == "__main__":
    run_all()
