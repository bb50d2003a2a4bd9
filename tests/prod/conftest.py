"""Fixtures of the production-stack suite (`make prod-test`, run by .ci/run after `make test`)."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect

from portal.demo import DEMO_PASSWORD

from .smtp_sink import SmtpSink
from .stack import Stack, running_stack


@pytest.fixture(scope="session")
def _running():
    with running_stack() as running:
        yield running


@pytest.fixture(scope="session")
def stack(request) -> Stack:
    if os.environ.get("PROD_STACK_REUSE"):
        # While developing these tests: a stack already started by tests/prod/stack.py's __main__.
        stack = Stack()
        stack.read_env()
        return stack
    return request.getfixturevalue("_running")[0]


@pytest.fixture(scope="session")
def smtp(_running) -> SmtpSink:
    return _running[1]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, stack):
    return {
        **browser_context_args,
        "base_url": stack.base_url,
        "ignore_https_errors": True,  # the stack's self-signed certificate
        "locale": "en-US",
        "timezone_id": "Asia/Ho_Chi_Minh",
    }


class PageProblems:
    """Everything a page did wrong that a user would not see at once: failed static files, CSP
    violations, script errors, server errors."""

    def __init__(self, page: Page):
        self.items: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.items.append(f"script error: {error}"))
        page.on("response", self._response)

    def _console(self, message) -> None:
        # A failed resource is reported with its address by _response.
        if "Failed to load resource" in message.text:
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            self.items.append(f"console: {message.text}")

    def _response(self, response) -> None:
        is_resource = response.request.resource_type != "document"
        if response.status >= 500 or (is_resource and response.status >= 400):
            self.items.append(f"{response.status} {response.url}")


@pytest.fixture
def problems(page: Page) -> PageProblems:
    return PageProblems(page)


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/tai-khoan/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("nav")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/tai-khoan/login/"))
