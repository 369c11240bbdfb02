"""Browser journeys (``make e2e``): the demo on a live server, Debian's Chromium, axe-core on every page.

A journey is a test marked ``e2e`` that takes the ``journey`` fixture (a desktop browser tab) or
``phone_journey`` (a phone-sized one) and walks the product as one persona would (``another_journey`` opens
more browsers in the same test, for a second person or a second tab):

    @pytest.mark.e2e
    def test_it_lets_the_coordinator_fix_the_pec(journey: Journey) -> None:
        journey.login("coordinatore.poggiardo")
        journey.click_link("Ambito di Maglie")
        journey.fill("PEC", "non-una-pec")
        journey.submit("Salva")
        journey.expect_field_error("PEC", "indirizzo email valido")

Every page the journey reaches (``visit``, ``click_link``, ``submit``, ``login``, or ``checkpoint`` after
anything else) is checked: ``<html lang="it">``, zero axe-core violations of the WCAG 2.1 A and AA rules,
no horizontal scrolling (reflow), no error in the browser console (a Content-Security-Policy violation shows
there), and a screenshot is saved as ``e2e-artifacts/<test>/<NN>-<step>.png``. A failing journey also leaves
``failure.png``.

The server is started once per run: a fresh SQLite database in a temporary folder, migrated, with
``manage.py demo --skip-municipalities`` loaded (every demo user has the password ``demo-supervisione``),
served by ``runserver --insecure`` with DEBUG off on a free loopback port, so that error pages are the real
ones; a worker beside it delivers e-mails as files, whose links a journey follows (``demo_server.link_to``).
``E2E_BASE_URL`` points the journeys at a server already running instead (with ``E2E_MAIL_DIR``, its e-mails).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, Response

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "e2e-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "demo-supervisione"  # the published password of the demo users
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class Journey:
    """One persona's browser tab, with the checks every page must pass."""

    def __init__(self, page: Page, base_url: str, folder: Path) -> None:
        self.page = page
        self.base_url = base_url
        self.folder = folder
        self.steps = 0
        self.console_errors: list[str] = []
        page.on("console", lambda message: self._console(message.type, message.text))
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))

    def _console(self, kind: str, text: str) -> None:
        if kind == "error":
            self.console_errors.append(text)

    # --- moving around -----------------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def visit(self, path: str, *, status: int = 200, step: str = "") -> Response:
        response = self.page.goto(self.url(path))
        assert response is not None, f"no response from {path}"
        assert response.status == status, f"{path} answered {response.status}, expected {status}"
        self.checkpoint(step or path, status=status)
        return response

    def click_link(self, name: str, *, step: str = "", exact: bool = True) -> None:
        """Follow the first link with this accessible name (what a screen reader announces)."""
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=name, exact=exact).first.click()
        self.checkpoint(step or name)

    def field(self, label: str) -> Locator:
        """The form field with this label (the label must be tied to the field, WCAG 1.3.1); the asterisk of
        required fields, hidden from screen readers, may follow it."""
        return self.page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))

    def fill(self, label: str, value: str) -> None:
        self.field(label).fill(value)

    def choose(self, label: str, option: str) -> None:
        """Pick an option of a select by its visible text."""
        self.field(label).select_option(label=option)

    def submit(self, button: str = "Salva", *, step: str = "", status: int = 200) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()
        self.checkpoint(step or f"dopo {button}", status=status)

    def submit_import(self, button: str = "Carica e controlla", *, step: str) -> None:
        """Upload a census file: the worker reads it while the page polls, then the page reloads with the preview.

        The waiting page is not checked: it may reload while it is being checked."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()
        self.page.locator("#avanzamento").wait_for(state="detached", timeout=30_000)
        self.page.wait_for_load_state()
        self.checkpoint(step)

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.visit("/accedi/", step="accesso")
        self.fill("Nome utente", username)
        self.fill("Password", password)
        self.submit("Accedi", step=f"accesso come {username}")
        assert "/accedi/" not in self.page.url, f"{username} could not log in: {self.main_text()[:300]}"

    def logout(self) -> None:
        self.submit("Esci", step="uscita")

    def open_menu(self) -> None:
        """On a phone the main navigation hides behind the menu button: open it."""
        toggle = self.page.get_by_role("button", name="Mostra o nascondi il menu")
        if toggle.is_visible():
            toggle.click()
            self.page.get_by_role("navigation", name="Navigazione principale").get_by_role("link").first.wait_for()
            self.checkpoint("menu aperto")

    def navigate(self, *labels: str, step: str = "") -> None:
        """Follow the main menu: ``navigate("Partenariati")`` or, for a drop-down group,
        ``navigate("Anagrafiche", "Ambiti Territoriali Sociali")``."""
        self.open_menu()
        menu = self.page.get_by_role("navigation", name="Navigazione principale")
        *groups, item = labels
        for group in groups:
            menu.get_by_role("button", name=group, exact=True).click()
        with self.page.expect_navigation():
            menu.get_by_role("link", name=item, exact=True).click()
        self.checkpoint(step or item)

    # --- what the page shows -------------------------------------------------------------------------------

    def main_text(self) -> str:
        return self.page.inner_text("main")

    def expect_text(self, *texts: str) -> None:
        shown = self.main_text()
        missing = [text for text in texts if text not in shown]
        assert not missing, f"{self.page.url} does not show {missing}; it shows:\n{shown[:2000]}"

    def expect_no_text(self, *texts: str) -> None:
        shown = self.main_text()
        present = [text for text in texts if text in shown]
        assert not present, f"{self.page.url} shows {present}, which it must not"

    def expect_field_error(self, label: str, message: str) -> None:
        """The field is marked invalid and its error is announced with it (aria-describedby), as WCAG 3.3.1
        asks, and the form starts with an alert that screen readers read at once."""
        field = self.field(label)
        assert field.get_attribute("aria-invalid") == "true", f"{label} is not marked aria-invalid"
        described_by = (field.get_attribute("aria-describedby") or "").split()
        texts = [self.page.locator(f"#{identifier}").inner_text() for identifier in described_by]
        assert any(message in text for text in texts), f"{label}: {message!r} is not among its descriptions {texts}"
        assert self.page.locator("[role=alert]").count() > 0, "the form errors are not announced (role=alert)"

    # --- keyboard -----------------------------------------------------------------------------------------------

    def focused(self) -> dict[str, Any]:
        """The element with the keyboard focus, and whether its focus can be seen: an outline or a box shadow
        that is drawn (not transparent, not zero-sized), once the focus transition has finished. A radio button
        or checkbox that is itself transparent or clipped (drawn by its label) must show the focus on its label."""
        result: dict[str, Any] = self.page.evaluate(
            """async () => {
                const element = document.activeElement;
                const box = element.getBoundingClientRect();
                const unpainted = parseFloat(getComputedStyle(element).opacity) === 0 || box.width <= 1
                    || box.height <= 1;
                const shown = unpainted && element.labels && element.labels.length ? element.labels[0] : element;
                await Promise.all(shown.getAnimations().map((animation) => animation.finished));
                const style = getComputedStyle(shown);
                const drawn = (color) => {
                    const parts = color.match(/[\\d.]+/g) || [];
                    return color !== "transparent" && (parts.length < 4 || parseFloat(parts[3]) > 0.5);
                };
                const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
                    && drawn(style.outlineColor);
                const shadow = style.boxShadow !== "none" && style.boxShadow.split(/,(?![^(]*\\))/).some((part) => {
                    const color = (part.match(/rgba?\\([^)]*\\)/) || ["rgb(0,0,0)"])[0];
                    const sizes = part.replace(color, "").trim().split(/\\s+/).map(parseFloat);
                    return drawn(color) && sizes.some((size) => size > 0);
                });
                return {
                    tag: element.tagName.toLowerCase(),
                    id: element.id || "",
                    text: (element.innerText || element.value || "").trim().slice(0, 60),
                    href: element.getAttribute("href") || "",
                    visible: (shown !== element || !unpainted) && (outline || shadow),
                    on_label: shown !== element,
                    style: `outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}; `
                        + `box-shadow ${style.boxShadow}`,
                };
            }"""
        )
        return result

    def tab_to(self, matches: Callable[[dict[str, Any]], bool], *, limit: int = 60) -> dict[str, Any]:
        """Press Tab until the focused element ``matches``; every element on the way must show its focus."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            element = self.focused()
            if element["tag"] == "body":
                continue  # past the last element the focus leaves the page, as to a browser's address bar
            assert element["visible"], f"the keyboard focus cannot be seen on {element}"
            if matches(element):
                return element
        raise AssertionError(f"not reached with {limit} presses of Tab")

    def press(self, key: str, *, step: str, navigates: bool = True) -> None:
        if navigates:
            with self.page.expect_navigation():
                self.page.keyboard.press(key)
        else:
            self.page.keyboard.press(key)
        self.checkpoint(step)

    # --- checks and evidence ------------------------------------------------------------------------------------

    def checkpoint(self, step: str, *, status: int = 200) -> None:
        """Check the page as it is now and save its screenshot."""
        self.page.wait_for_load_state("load")
        # A menu fading in is checked, and photographed, once it has finished appearing.
        self.page.evaluate(
            """async () => {
                const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
                for (let quiet = 0, tries = 0; quiet < 3 && tries < 120; tries++) {
                    await frame();
                    const running = document.getAnimations().filter((a) => a.playState === "running");
                    quiet = running.length ? 0 : quiet + 1;
                    await Promise.all(running.map((animation) => animation.finished));
                }
            }"""
        )
        self.shot(step)
        problems: list[str] = []
        language = self.page.get_attribute("html", "lang")
        if language != "it":
            problems.append(f'<html lang="{language}"> instead of "it"')
        errors = [
            error
            for error in self.console_errors
            if not (status >= 400 and f"status of {status}" in error)  # the page's own expected status
        ]
        self.console_errors.clear()
        problems += [f"browser console: {error}" for error in errors]
        root = "document.documentElement"
        overflow = self.page.evaluate(f"() => {root}.scrollWidth - {root}.clientWidth")
        if overflow > 0:
            problems.append(f"the page is {overflow} px wider than the window: it must reflow (WCAG 1.4.10)")
        problems += self.typography_problems()
        violations = self.accessibility_violations()
        if violations:
            problems.append(describe_violations(violations))
        assert not problems, f"{self.page.url} ({step}):\n" + "\n".join(problems)

    def typography_problems(self) -> list[str]:
        """Text set in a serif font (Bootstrap Italia's Lora, never loaded here) and selects drawn with two arrows
        (the native one and a background image): both were seen on pages before (issue 17.5); a stat card's figure
        broken across lines on a phone (35.611,2 | 0 €)."""
        found: dict[str, list[str]] = self.page.evaluate(
            r"""() => {
                const shown = (el) => el.offsetParent !== null;
                const serif = [];
                for (const el of document.querySelectorAll("body *")) {
                    const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
                    const family = getComputedStyle(el).fontFamily;
                    if (text && shown(el) && /serif/i.test(family) && !/sans-serif/i.test(family)) {
                        serif.push(`${el.tagName.toLowerCase()} «${el.textContent.trim().slice(0, 40)}» in ${family}`);
                    }
                }
                const arrows = [...document.querySelectorAll("select")].filter((el) => shown(el)
                    && getComputedStyle(el).appearance !== "none" && getComputedStyle(el).backgroundImage !== "none");
                // A figure of a stat card is one word per number: broken across lines it reads as two.
                const broken = [];
                for (const el of document.querySelectorAll(".stat-value")) {
                    if (!shown(el)) continue;
                    for (const node of el.childNodes) {
                        if (node.nodeType !== 3) continue;
                        for (const match of node.textContent.matchAll(/\S+/g)) {
                            const range = document.createRange();
                            range.setStart(node, match.index);
                            range.setEnd(node, match.index + match[0].length);
                            const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                            if (tops.size > 1) broken.push(match[0]);
                        }
                    }
                }
                return {serif: serif.slice(0, 5), arrows: arrows.map((el) => `#${el.id}`), broken: broken.slice(0, 5)};
            }"""
        )
        problems = [f"serif text: {item}" for item in found["serif"]]
        problems += [f"select {item} shows two arrows (native and background image)" for item in found["arrows"]]
        problems += [f"figure «{item}» broken across lines in a stat card" for item in found["broken"]]
        return problems

    def accessibility_violations(self) -> list[dict[str, Any]]:
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        violations: list[dict[str, Any]] = self.page.evaluate(
            "async (options) => (await window.axe.run(document, options)).violations", options
        )
        return violations

    def shot(self, step: str) -> Path:
        self.steps += 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")[:60] or "pagina"
        path = self.folder / f"{self.steps:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """axe-core's findings as a list a developer can act on: rule, impact, what to fix, where."""
    lines = [f"{len(violations)} accessibility violations (axe-core, WCAG 2.1 A/AA):"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:8]:
            summary = " ".join(str(node.get("failureSummary", "")).split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more elements")
    return "\n".join(lines)


# --- the server and the browser -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The e2e server stopped at start-up:\n{log.read_text()[-3000:]}")
        with (
            contextlib.suppress(urllib.error.URLError, ConnectionError),
            urllib.request.urlopen(url, timeout=2) as answer,  # noqa: S310  (a loopback http URL we built)
        ):
            if answer.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"The e2e server did not answer {url} within {timeout} s:\n{log.read_text()[-3000:]}")


def _manage(*args: str, env: dict[str, str], **options: Any) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, str(ROOT / "manage.py"), *args]  # this interpreter, arguments from this module
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **options)  # noqa: S603  (this interpreter, manage.py)


class Mailbox:
    """The e-mails a server wrote as files in ``folder`` (Django's file-based backend), delivered by its worker
    from the task queue of ``database``; a journey reads their links as a person clicks them."""

    def __init__(self, folder: Path | None, database: Path | None = None) -> None:
        self.mail = folder
        self.database = database

    def wait_for_the_worker(self, timeout: float = 30) -> None:
        """Until the worker has run every task queued so far (e-mails are delivered by it, after the request)."""
        if self.database is None:
            time.sleep(2)  # a server started elsewhere: its queue is not ours to read
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.closing(sqlite3.connect(self.database, timeout=10)) as connection:
                (pending,) = connection.execute(
                    "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
                ).fetchone()
            if not pending:
                return
            time.sleep(0.2)
        raise AssertionError(f"the worker left tasks queued after {timeout:.0f} s")

    def messages(self) -> list[str]:
        """The e-mails sent so far, oldest first, each as its text (headers and body)."""
        if self.mail is None:
            raise AssertionError("this server's e-mails are not readable here: set E2E_MAIL_DIR to its EMAIL_FILE_PATH")
        files = sorted(self.mail.glob("*.log"), key=lambda file: file.stat().st_mtime_ns)
        return [message for file in files for message in file.read_text().split("-" * 79) if message.strip()]

    def link_to(self, address: str, path_prefix: str) -> str:
        """The last link to ``path_prefix`` in the e-mails sent to ``address``."""
        self.wait_for_the_worker()
        found: list[str] = [
            link
            for message in self.messages()
            if re.search(rf"^To: .*{re.escape(address)}", message, re.MULTILINE)
            for link in re.findall(rf"https?://[^\s]+{re.escape(path_prefix)}[^\s]*", message)
        ]
        assert found, f"no e-mail to {address} with a link to {path_prefix}: {self.messages()[-3:]}"
        return found[-1]


class DemoServer(Mailbox):
    """A server started for the run (``demo_server``, ``empty_server``) and the e-mails it sent."""

    def __init__(self, url: str, mail: Path | None, database: Path | None = None) -> None:
        super().__init__(mail, database)
        self.url = url


def _server_env(folder: Path, database: str) -> dict[str, str]:
    """The environment of a server on a new SQLite database in ``folder``, its e-mails as files in ``mail``."""
    (folder / "mail").mkdir()
    ARTIFACTS.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(
        SUPERVISIONE_ENV="development",
        DATABASE_URL=f"sqlite:///{folder / database}",
        MEDIA_ROOT=str(folder / "media"),
        DEBUG="1",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(folder / "mail"),
    )
    return env


@contextlib.contextmanager
def _serving(env: dict[str, str], log: Path) -> Iterator[str]:
    """``runserver --insecure`` with DEBUG off (the 404 and 500 pages are the real ones; static files served) on a
    free loopback port, and the worker beside it as `make run` starts one (census files, e-mails, final
    registers); yields the server's address, stops both at the end."""
    url = f"http://127.0.0.1:{_free_port()}"
    command = [sys.executable, str(ROOT / "manage.py"), "runserver", url.removeprefix("http://"), "--noreload"]
    worker = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload", "--interval", "0.2"]
    with log.open("wb") as output:
        running = [
            subprocess.Popen(  # noqa: S603  (this interpreter and manage.py, fixed arguments)
                arguments, cwd=ROOT, env={**env, "DEBUG": "0"}, stdout=output, stderr=subprocess.STDOUT
            )
            for arguments in ([*command, "--insecure"], worker)
        ]
    try:
        _wait_until_up(f"{url}/healthz", running[0], log)
        yield url
    finally:
        for process in running:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A server with the demo data, started for this run (or ``E2E_BASE_URL``, with its e-mails in
    ``E2E_MAIL_DIR`` if a journey reads them). Its e-mails are files, delivered by the worker beside it."""
    if existing := os.environ.get("E2E_BASE_URL"):
        mail_dir = os.environ.get("E2E_MAIL_DIR")
        yield DemoServer(existing.rstrip("/"), Path(mail_dir) if mail_dir else None)
        return
    folder = tmp_path_factory.mktemp("e2e-server")
    env = _server_env(folder, "e2e.sqlite3")
    _manage("migrate", "--noinput", "-v0", env=env)
    _manage("demo", "--skip-municipalities", env=env, stdout=subprocess.DEVNULL)
    with _serving(env, ARTIFACTS / "server.log") as url:
        yield DemoServer(url, folder / "mail", folder / "e2e.sqlite3")


@pytest.fixture(scope="session")
def live_url(demo_server: DemoServer) -> str:
    """The address of the demo's server (``demo_server``)."""
    return demo_server.url


class EmptyServer(DemoServer):
    """A server of an empty database: only the reference data (regions and municipalities) and an administrator,
    as a new installation starts. Its e-mails are files in ``mail``, where a journey reads their links."""

    ADMIN = "amministratore"
    PASSWORD = "amministratore-di-prova-2026"


@pytest.fixture(scope="session")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmptyServer]:
    """A server started for this run on a new database with the reference data and the administrator only
    (``E2E_EMPTY_BASE_URL`` and ``E2E_EMPTY_MAIL_DIR`` point at one already running instead)."""
    if existing := os.environ.get("E2E_EMPTY_BASE_URL"):
        yield EmptyServer(existing.rstrip("/"), Path(os.environ["E2E_EMPTY_MAIL_DIR"]))
        return
    folder = tmp_path_factory.mktemp("e2e-empty")
    env = _server_env(folder, "empty.sqlite3")
    _manage("migrate", "--noinput", "-v0", env=env)
    _manage("load_municipalities", env=env, stdout=subprocess.DEVNULL)
    _manage(
        "createsuperuser",
        "--noinput",
        f"--username={EmptyServer.ADMIN}",
        "--email=amministratore@supervisione.example.it",
        env={**env, "DJANGO_SUPERUSER_PASSWORD": EmptyServer.PASSWORD},
        stdout=subprocess.DEVNULL,
    )
    with _serving(env, ARTIFACTS / "empty-server.log") as url:
        yield EmptyServer(url, folder / "mail", folder / "empty.sqlite3")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; Playwright never downloads a browser here."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415  (only browser tests need Playwright)

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make e2e`, which installs Debian's chromium")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make e2e`, which installs axe-core from package-lock.json")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test, so that a journey can tell it failed and leave a screenshot."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _journey(
    request: pytest.FixtureRequest, browser: Browser, live_url: str, *, suffix: str = "", **context: Any
) -> Iterator[Journey]:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name + (f"-{suffix}" if suffix else ""))
    folder = ARTIFACTS / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    browser_context = browser.new_context(locale="it-IT", timezone_id="Europe/Rome", reduced_motion="reduce", **context)
    # Injected before any script of the page, out of reach of its Content-Security-Policy.
    browser_context.add_init_script(path=str(AXE))
    page = browser_context.new_page()
    page.set_default_timeout(15_000)
    journey = Journey(page, live_url, folder)
    yield journey
    call = getattr(request.node, "report_call", None)
    if call is not None and call.failed:
        page.screenshot(path=str(folder / "failure.png"), full_page=True)
    browser_context.close()


@pytest.fixture
def journey(request: pytest.FixtureRequest, browser: Browser, live_url: str) -> Iterator[Journey]:
    """A desktop browser tab (1280 x 900)."""
    yield from _journey(request, browser, live_url, viewport=DESKTOP)


@pytest.fixture
def new_ats_journey(
    request: pytest.FixtureRequest, browser: Browser, empty_server: EmptyServer
) -> Iterator[Callable[..., Journey]]:
    """Browser tabs on the empty server (``empty_server``): ``new_ats_journey("amministratore")``, each person
    in a browser of their own."""
    with contextlib.ExitStack() as opened:

        def open_journey(label: str, *, phone: bool = False) -> Journey:
            device = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if phone else {"viewport": DESKTOP}
            tab = _journey(request, browser, empty_server.url, suffix=label, **device)
            journey = next(tab)
            opened.callback(next, tab, None)
            journey.page.on("dialog", lambda dialog: dialog.accept())  # "Trasmettere...?": the person says yes
            return journey

        yield open_journey


@pytest.fixture
def phone_journey(request: pytest.FixtureRequest, browser: Browser, live_url: str) -> Iterator[Journey]:
    """A phone-sized, touch browser tab (390 x 844), as a supervisor holding a session would use."""
    yield from _journey(request, browser, live_url, viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def another_journey(
    request: pytest.FixtureRequest, browser: Browser, live_url: str
) -> Iterator[Callable[..., Journey]]:
    """Opens more browsers in the same test, each with its own cookies and its own folder of screenshots: a
    second person (``another_journey("supervisionato", phone=True)``), or the same person in a second tab."""
    with contextlib.ExitStack() as opened:

        def open_journey(label: str, *, phone: bool = False) -> Journey:
            device = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if phone else {"viewport": DESKTOP}
            tab = _journey(request, browser, live_url, suffix=label, **device)
            journey = next(tab)
            opened.callback(next, tab, None)  # its closing part: a screenshot if the test failed, then close
            return journey

        yield open_journey
