"""A real headless Chromium (Debian's) driven by Playwright, with the network cut off.

Every request other than the page's own file is recorded and aborted; console messages,
page errors and dialogs (alert, confirm) are recorded; nothing is mocked.
"""
from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic"]


@dataclass
class PageRun:
    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"] + self.errors


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright
    profile = tempfile.mkdtemp(prefix="itu-graph-chromium-")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=FLAGS, headless=True,
                                                       viewport={"width": 1280, "height": 900})
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def open_page(context, path: Path):
    """Open a local file with every other request blocked and recorded."""
    run = PageRun()
    page = context.new_page()
    own = Path(path).resolve().as_uri()

    def route(r):
        if r.request.url == own:
            r.continue_()
        else:
            run.requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: run.console.append((m.type, m.text)))
    page.on("pageerror", lambda e: run.errors.append(str(e)))

    def dialog(d):
        run.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(own)
    try:
        yield page, run
    finally:
        page.close()


def wait_for(page, expression: str, timeout: float = 20.0):
    """Poll a JS expression (page.evaluate is not subject to the page's CSP; wait_for_function is)."""
    import time
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(f"() => ({expression})")
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{expression!r} still false after {timeout} s")
        page.wait_for_timeout(100)
