"""The browser tests' shared fixture: ``chromium``, one headless Chromium per test module
(tests/fixtures/browser.py)."""

from tests.fixtures.browser import chromium  # noqa: F401  # registered here for every test module
