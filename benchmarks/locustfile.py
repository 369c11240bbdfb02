"""The locust users of the load test (``load.py`` writes the plan: session cookies and paths).

Each user takes its own logged-in session cookie and asks for the ATS dashboard and the ATS calendar month in
turn, with a think time of 0.5-1.5 s. Anything but a 200 is an error (a redirect to the login page too).
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text())
_cookies = itertools.cycle(PLAN["cookies"])


class Referent(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.cookie = f"{PLAN['cookie_name']}={next(_cookies)}"

    def _get(self, name: str) -> None:
        response: Any
        with self.client.get(
            PLAN["paths"][name], name=name, headers={"Cookie": self.cookie}, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task
    def dashboard(self) -> None:
        self._get("ATS dashboard")

    @task
    def calendar(self) -> None:
        self._get("calendar month (ATS)")
