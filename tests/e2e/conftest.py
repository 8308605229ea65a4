"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every page a test opens through the `page` fixture (or a context from `new_context`) is
audited when the test ends (docs/accessibility.md): each HTML page the browser navigated to is
opened again in the same session and checked with axe-core (no critical or serious violation
of WCAG 2.2 A/AA) and for duplicate IDs; a Content-Security-Policy violation or a script error
on any page fails the test. Pages changed in place by htmx are checked where they are, with
`audit(page)`.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "docs" / "screenshots"))
PASSWORD = "sandi-uji-123"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# axe-core, vendored from npm (see tests/e2e/vendor/README.md); injected through the DevTools
# protocol, which the page's CSP does not govern, so the CSP under test stays exactly as served.
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = ("critical", "serious")
# Django's own admin is outside the portal's design (README, known limits).
NOT_AUDITED_PREFIXES = ("/django-admin/",)

# Reports every CSP violation to the console, including ones Chromium would only count.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline")
                + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""

DUPLICATE_IDS = """
() => {
  const seen = {};
  document.querySelectorAll("[id]").forEach((el) => { seen[el.id] = (seen[el.id] || 0) + 1; });
  return Object.keys(seen).filter((id) => seen[id] > 1);
}
"""

PAGE_OVERFLOW = """
() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth
"""


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def audit(page) -> list[str]:
    """axe-core (critical and serious only) and duplicate IDs on the page as it is now."""
    problems = []
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS)
    path = urlsplit(page.url).path
    for violation in result["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
            problems.append(f"{path}: axe {violation['impact']} {violation['id']} ({violation['help']}) at {targets}")
    duplicates = page.evaluate(DUPLICATE_IDS)
    if duplicates:
        problems.append(f"{path}: duplicate IDs {duplicates}")
    return problems


def assert_accessible(page) -> None:
    problems = audit(page)
    assert problems == [], "\n".join(problems)


def page_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no sideways scrolling)."""
    return page.evaluate(PAGE_OVERFLOW)


class Watch:
    """Console errors (CSP violations, script errors) and the HTML pages visited in one context."""

    def __init__(self, context, base_url: str):
        self.context = context
        self.base_url = base_url
        self.problems: list[str] = []
        self.visited: dict[str, None] = {}
        context.add_init_script(CSP_LISTENER)
        context.on("page", self.attach)

    def attach(self, page):
        page.on("console", lambda msg: self.problems.append(f"console: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))
        page.on("response", self.remember)

    def remember(self, response):
        request = response.request
        if (request.resource_type == "document" and request.frame.parent_frame is None
                and request.method == "GET" and response.status < 300
                and response.headers.get("content-type", "").startswith("text/html")
                and response.url.startswith(self.base_url)
                and not urlsplit(response.url).path.startswith(NOT_AUDITED_PREFIXES)):
            self.visited[response.url.split("#", 1)[0]] = None

    def audit_visited(self) -> list[str]:
        """Open every visited page again in this session (desktop width) and audit it."""
        problems = []
        if not self.visited:
            return problems
        checker = self.context.new_page()
        checker.set_viewport_size(DESKTOP)
        for url in list(self.visited):
            response = checker.goto(url)
            if response is None or not response.headers.get("content-type", "").startswith("text/html"):
                continue
            checker.wait_for_load_state("load")
            problems += audit(checker)
        checker.close()
        return problems


def _watched(browser, live_server, **options):
    options.setdefault("viewport", DESKTOP)
    options.setdefault("locale", "id-ID")
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    return context, Watch(context, live_server.url)


@pytest.fixture
def new_context(browser, live_server):
    """Make more watched contexts (another viewport, another person, an English browser)."""
    made = []

    def make(**options):
        context, watch = _watched(browser, live_server, **options)
        made.append((context, watch))
        return context

    yield make
    problems = []
    for context, watch in made:
        problems += watch.problems + watch.audit_visited()
        context.close()
    assert problems == [], "\n".join(problems)


@pytest.fixture
def page(browser, live_server):
    """A fresh watched browser context at desktop width; audited when the test ends."""
    context, watch = _watched(browser, live_server)
    page = context.new_page()
    yield page
    problems = watch.problems + watch.audit_visited()
    context.close()
    assert problems == [], "\n".join(problems)


def intercept_file_choosers(page) -> None:
    """Have the browser hand file dialogs to the test from now on. Playwright turns the interception
    on without waiting for the browser when the first "filechooser" listener is added, so a key
    pressed at once inside `expect_file_chooser()` can beat it and open a real (headless, at once
    cancelled) dialog instead. A listener added early keeps the interception on for the whole test."""
    page.on("filechooser", lambda chooser: None)
    page.evaluate("0")  # one round trip to the browser after the subscription was sent


def login(page, live_server, username):
    """Password, then the second factor as a person would: administrators and TPI type the code their
    authenticator app shows (computed here from the device key; the device is enrolled first if
    needed); other roles skip the enrolment offer of their first sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import two_factor
    from accounts.models import User
    from tests.conftest import totp_code

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and two_factor.is_required(user):
        device = TOTPDevice.objects.create(user=user, name=two_factor.TOTP_NAME, confirmed=True)
    first_sign_in = user.last_login is None
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    if device is not None:
        page.wait_for_url("**/akun/dua-langkah/verifikasi/**")
        page.fill("input[name=code]", totp_code(device))
        page.click("main button.btn-primary[type=submit]")  # "Verifikasi" / "Verify"
    elif first_sign_in:
        page.wait_for_url("**/akun/dua-langkah/daftar/**")
        page.click("text=Nanti saja")
    # Most people land on the home page; pimpinan land on their unit's dashboard.
    page.wait_for_url(lambda url: url.startswith(live_server.url) and "/akun/" not in url)


@pytest.fixture
def queued_jobs(monkeypatch) -> list[int]:
    """A stand-in for the report queue: the ids of the jobs sent, each marked as sent as the real
    publish does; the test itself then plays the worker."""
    from django.utils import timezone

    from reports import services
    from reports.models import ReportJob

    sent = []

    def enqueue(job_id):
        sent.append(job_id)
        ReportJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())

    monkeypatch.setattr(services, "report_enqueue", enqueue)
    return sent


def screenshot(page, name, full_page=True):
    """Save a screenshot under docs/screenshots/. Long pages: pass full_page=False (the viewport)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
