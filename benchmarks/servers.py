"""Two app servers behind a proxy, sharing PostgreSQL, Redis and the documents (docs/DEPLOYMENT.md).

Two gunicorn servers (2 workers each) on loopback ports, Debian's HAProxy in front of them (round robin), a
Redis both use as their cache (``CACHE_URL``), the same database and the same document storage. It checks what
"one truth" means, then measures:

1. the same figures from both servers: the national observatory read from each server directly shows the
   same figures, computed at the same minute (they share them through Redis);
2. a task started on one server is finished by a worker of the other: the final register of a confirmed
   session, asked for through server A, is issued by the worker that runs beside server B only;
3. load: locust headless through the proxy, as ``load.py`` drives one server, printed beside it.

Only loopback addresses are used; everything started here is stopped at the end. HAProxy and redis-server are
installed from Debian when missing.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from . import load

SERVERS = 2
PROXY_CONFIG = """global
    maxconn 512
defaults
    mode http
    timeout connect 5s
    timeout client 120s
    timeout server 120s
frontend supervisione
    bind 127.0.0.1:{proxy}
    default_backend servers
backend servers
    balance roundrobin
{servers}
"""
# What differs between two answers of the same page and says nothing of its figures.
VOLATILE = re.compile(r'(nonce|content|value)="[^"]*"|csrfmiddlewaretoken[^>]*>')


def _installed(command: str, package: str) -> str:
    found = shutil.which(command) or shutil.which(command, path="/usr/sbin:/usr/bin")
    if found:
        return found
    print(f"    installing {package} (Debian)...")
    subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True, stdout=subprocess.DEVNULL)
    found = shutil.which(command, path="/usr/sbin:/usr/bin")
    if not found:
        raise SystemExit(f"{package} could not be installed")
    return found


class Cluster:
    """Redis, two gunicorn servers, a worker beside the second and HAProxy, started and stopped together."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[subprocess.Popen[bytes]] = []
        self.redis_port = load._free_port()
        self.ports = [load._free_port() for _ in range(SERVERS)]
        self.proxy_port = load._free_port()
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "PYTHONPATH": str(load.ROOT),
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "OBSERVATORY_CACHE_SECONDS": "600",
        }

    def _start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            command,
            cwd=load.ROOT,
            env=self.env,
            stdout=(self.folder / f"{name}.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def start(self) -> None:
        redis = _installed("redis-server", "redis-server")
        haproxy = _installed("haproxy", "haproxy")
        self._start(
            "redis",
            [redis, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--dir", str(self.folder)],
        )
        for index, port in enumerate(self.ports):
            folder = self.folder / f"server-{index + 1}"
            folder.mkdir()
            self.processes.append(load._start_server(folder, port, self.env))
        servers = "\n".join(f"    server app{index + 1} 127.0.0.1:{port}" for index, port in enumerate(self.ports))
        config = self.folder / "haproxy.cfg"
        config.write_text(PROXY_CONFIG.format(proxy=self.proxy_port, servers=servers))
        self._start("haproxy", [haproxy, "-f", str(config), "-db"])
        for port, process in zip(self.ports, self.processes[1:], strict=False):
            load._wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        load._wait_until_up(f"{self.proxy}/healthz", self.processes[-1])

    @property
    def proxy(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def server(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[index]}"

    def start_worker_beside_second_server(self) -> None:
        self._start("worker-2", [str(load.BIN / "python"), "manage.py", "db_worker", "--interval", "0.2"])

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _get(url: str, cookie: str) -> tuple[str, str]:
    """The page's text and the CSRF cookie it set, if any."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310  (our own loopback servers)
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        set_cookie = " ".join(response.headers.get_all("Set-Cookie") or [])
        found = re.search(r"csrftoken=([^;]+)", set_cookie)
        return response.read().decode(), found[1] if found else ""


def same_figures(cluster: Cluster, path: str, cookie_name: str, cookie: str) -> dict[str, Any]:
    """The observatory as each server answers it: the same page once what varies per request is left out."""
    pages = []
    for index in range(SERVERS):
        body, _csrf = _get(cluster.server(index) + path, f"{cookie_name}={cookie}")
        main = body[body.find("<main") : body.find("</main>")]
        pages.append(VOLATILE.sub("", main))
    found = [re.search(r"Cifre calcolate alle ([0-9:]+ del [0-9/]+)", page) for page in pages]
    computed_at = [match[1] if match else "" for match in found]
    same = pages[0] == pages[1] and bool(pages[0])
    print(
        f"    two servers: observatory {'identical' if same else 'DIFFERENT'} on both "
        f"(computed at {', '.join(computed_at)})"
    )
    return {"same": same, "computed_at": computed_at, "digest": hashlib.sha256(pages[0].encode()).hexdigest()[:12]}


def task_across(cluster: Cluster, session: Any, cookie_name: str, cookie: str) -> dict[str, Any]:
    """Asks server A to issue a session's final register; only the worker beside server B runs tasks."""
    from django.urls import reverse

    from supervisione.sessions.models import RegisterDocument

    cluster.start_worker_beside_second_server()
    detail = cluster.server(0) + session.get_absolute_url()
    page, csrf = _get(detail, f"{cookie_name}={cookie}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None or not csrf:
        raise SystemExit("the session page of server A offers no form to issue the register")
    request = urllib.request.Request(  # noqa: S310  (our own loopback server)
        cluster.server(0) + reverse("sessions:register_issue", args=[session.pk]),
        data=urllib.parse.urlencode({"csrfmiddlewaretoken": token[1]}).encode(),
        headers={"Cookie": f"{cookie_name}={cookie}; csrftoken={csrf}", "Referer": detail},
    )
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=120):  # noqa: S310
        pass
    deadline = started + 120
    while time.monotonic() < deadline and not RegisterDocument.objects.filter(session=session).exists():
        time.sleep(0.2)
    seconds = time.monotonic() - started
    done = RegisterDocument.objects.filter(session=session).exists()
    print(f"    two servers: register asked on server A, issued by the worker of server B: {done} in {seconds:.1f} s")
    return {"done": done, "seconds": round(seconds, 1)}


def run(subjects: Any, today: Any, *, seconds: int, users: int) -> dict[str, Any]:
    from django.conf import settings
    from django.urls import reverse

    from supervisione.sessions.models import RegisterStatus, Session

    folder = Path(tempfile.mkdtemp(prefix="supervisione-servers-"))
    cluster = Cluster(folder)
    cookie_name = settings.SESSION_COOKIE_NAME
    (observer,) = load.cookies(subjects.users["observer"], 1)
    (coordinator,) = load.cookies(subjects.users["coordinator"], 1)
    session = (
        Session.objects.filter(partnership=subjects.partnership, register_status=RegisterStatus.CONFIRMED)
        .filter(register_documents__isnull=True)
        .order_by("-date", "pk")
        .first()
    )
    result: dict[str, Any] = {}
    try:
        cluster.start()
        observatory = f"{reverse('monitoring:observatory')}?anno={subjects.year}"
        result["figures"] = same_figures(cluster, observatory, cookie_name, observer)
        if session is not None:
            result["task"] = task_across(cluster, session, cookie_name, coordinator)
        load.write_plan(folder, subjects, today, users)
        load._run_locust(folder, cluster.proxy, cluster.env, seconds=seconds, users=users)
    finally:
        cluster.stop()
    result["load"] = load._results(folder, seconds=seconds, users=users, label="two servers")
    return result
