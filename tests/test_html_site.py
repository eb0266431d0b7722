"""The HTML export as a department head opens it: every page in headless Chromium (Debian's
``chromium`` and ``chromium-driver``, driven by selenium), with axe-core injected into each
page, on a desktop and on a phone, printed, and screenshotted.

Nothing here is skipped: without the browser or axe-core the tests fail and say that
``bash scripts/ensure-browser.sh`` installs them (``make test`` runs it).
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chat_helpers import ANNA, BJORN, CARL
from PIL import Image
from report_helpers import TITLE_1, TITLE_2, fill, report_chat

from bot.exports.options import ExportOptions
from bot.exports.people import People
from bot.exports.site import write_site

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
INSTALL = ("run `bash scripts/ensure-browser.sh` (it installs Debian's chromium and "
           "chromium-driver with apt-get and axe-core from npm into tests/browser)")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars")
PHONE = {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True}
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}


def _missing() -> list[str]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER, AXE) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the Python package selenium (pip install -e '.[test]')")
    return missing


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two salons (one closed with its final report, one open), exported as the site."""
    folder = tmp_path_factory.mktemp("site")

    async def build() -> list[Path]:
        chat = report_chat(f"sqlite:///{folder / 'salonbot.db'}")
        try:
            room, _ = await fill(chat)
            await chat.say(ANNA, room, '!salon close "Tak for i dag"')
            with chat.db.session() as session:
                now = chat.clock.now()
                return write_site(session, folder / "html", ExportOptions("html"),
                                  People.of(session, now), now)
        finally:
            chat.close()

    return asyncio.run(build())


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _missing()
    if missing:
        pytest.fail("The browser test needs " + ", ".join(missing) + ": " + INSTALL,
                    pytrace=False)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.TemporaryDirectory(prefix="salonbot-chromium-")
    options.add_argument(f"--user-data-dir={profile.name}")
    # Every request the page makes is in the performance log (Network.requestWillBeSent).
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        profile.cleanup()


def _open(driver: Any, page: Path, metrics: dict[str, Any]) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "screen"})
    driver.get(page.as_uri())


def _axe(driver: Any) -> list[dict[str, Any]]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        "  .then(r => done(r.violations)).catch(e => done({error: String(e)}));")
    assert not isinstance(result, dict), f"axe-core failed: {result}"
    return list(result)


def requests(driver: Any) -> list[str]:
    """The URLs the browser asked for since the last call."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _readable(page: Path, violations: list[dict[str, Any]]) -> str:
    lines = [f"{page.name}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"      {' '.join(node['target'])}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("        " + node["failureSummary"].replace("\n", "\n        "))
    return "\n".join(lines)


def test_the_site_has_an_index_and_a_page_per_salon(site: list[Path]) -> None:
    assert [p.name for p in site] == ["index.html", "salon-1.html", "salon-2.html"]


@pytest.mark.parametrize("metrics", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_page_has_serious_or_critical_accessibility_violations(
        browser: Any, site: list[Path], metrics: dict[str, Any]) -> None:
    problems = []
    for page in site:
        _open(browser, page, metrics)
        found = [v for v in _axe(browser) if v.get("impact") in ("serious", "critical")]
        if found:
            problems.append(_readable(page, found))
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(
        problems)


@pytest.mark.parametrize("width", [375, 768, 1024])
def test_every_page_fits_the_screen_without_scrolling_sideways(
        browser: Any, site: list[Path], width: int) -> None:
    metrics = PHONE if width == 375 else {**DESKTOP, "width": width, "mobile": width < 1000}
    for page in site:
        _open(browser, page, {**metrics, "width": width})
        inner = browser.execute_script("return window.innerWidth")
        scroll = browser.execute_script(
            "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        assert inner == width, inner
        assert scroll <= width, f"{page.name} is {scroll}px wide on a {width}px screen"
    if width == 375:
        assert browser.execute_script(
            "return getComputedStyle(document.querySelector('table td')).display") == "block", (
            "on a phone a table row is a card")


def _ink(png: bytes) -> float:
    """The share of pixels that are not (nearly) the background's colour."""
    image = Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()
    total = sum(histogram)
    background = max(range(256), key=lambda v: histogram[v])
    near = sum(histogram[max(0, background - 16):background + 17])
    return (total - near) / total


def test_a_screenshot_of_the_index_shows_the_salons(browser: Any, site: list[Path]) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, site[0], DESKTOP)
    height = browser.execute_script("return window.innerHeight")
    width = browser.execute_script("return window.innerWidth")
    for title in (TITLE_1, TITLE_2):
        link = browser.find_element(By.PARTIAL_LINK_TEXT, title)
        assert link.is_displayed(), title
        box = link.rect
        assert box["x"] >= 0 and box["y"] >= 0, (title, box)
        assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, (
            f"{title} is outside the first screen: {box}")
        assert _ink(link.screenshot_as_png) > 0.02, f"the link {title} shows no text"
    shot = browser.get_screenshot_as_png()
    image = Image.open(io.BytesIO(shot))
    assert image.size == (1280, 900)
    assert _ink(shot) > 0.01, "the screenshot of the index is blank"


def test_the_pages_load_nothing_from_anywhere(browser: Any, site: list[Path]) -> None:
    for page in site:
        source = page.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in source and "default-src 'none'" in source
        assert not re.search(r"<(script|link|img|iframe|object|embed)\b", source), page.name
        assert "@import" not in source and "url(" not in source, page.name
        requests(browser)
        _open(browser, page, DESKTOP)
        asked = requests(browser)
        assert asked == [page.as_uri()], f"{page.name} made requests: {asked}"
        entries = browser.execute_script(
            "return performance.getEntries().map(e => e.name)")
        assert all(name.startswith("file://") or not name.startswith(("http", "ws", "//"))
                   for name in entries), entries
        assert browser.execute_script(
            "return performance.getEntriesByType('resource').length") == 0, page.name


def test_the_pages_are_danish_with_one_h1_headings_in_order_and_labelled_tables(
        browser: Any, site: list[Path]) -> None:
    for page in site:
        _open(browser, page, DESKTOP)
        assert browser.execute_script("return document.documentElement.lang") == "da"
        levels = browser.execute_script(
            "return [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]"
            ".map(h => Number(h.tagName[1]))")
        assert levels.count(1) == 1 and levels[0] == 1, (page.name, levels)
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (
            page.name, levels)
        tables = json.loads(browser.execute_script(
            "return JSON.stringify([...document.querySelectorAll('table')].map(t => ["
            "!!t.querySelector('caption'), t.querySelectorAll('th:not([scope])').length]))"))
        assert all(caption and unscoped == 0 for caption, unscoped in tables), (page.name,
                                                                                tables)
        assert browser.execute_script(
            "return !!document.querySelector('main') && !!document.querySelector('header')"
            " && !!document.querySelector('footer')")
    salon = site[1].read_text(encoding="utf-8")
    assert "Kommunens svar" in salon and "besvaret" in salon and "Referat af møde 1" in salon


def test_printing_leaves_out_the_navigation(browser: Any, site: list[Path]) -> None:
    _open(browser, site[1], DESKTOP)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert browser.execute_script(
        "return getComputedStyle(document.querySelector('nav')).display") == "none"
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "screen"})
    assert browser.execute_script(
        "return getComputedStyle(document.querySelector('nav')).display") != "none"


def test_only_consenting_people_are_named_on_the_pages(site: list[Path]) -> None:
    pages = "".join(p.read_text(encoding="utf-8") for p in site)
    assert ANNA in pages, "the host chose consent named"
    assert BJORN not in pages and CARL not in pages
    assert re.search(r"P-[A-Z2-7]{10}", pages), "Bjørn appears under his pseudonym"
