"""A small HTTP client for the production stack: through nginx from a chosen source address (to
play different people behind the proxy), or straight to one gunicorn instance (to pin a request to
it). Keeps cookies and sends the CSRF token like a browser."""

from __future__ import annotations

import http.client
import re
import ssl
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from portal.demo import DEMO_PASSWORD

from .stack import HTTPS_PORT

HOST = f"localhost:{HTTPS_PORT}"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Client:
    source_ip: str = "127.0.0.1"
    web_port: int | None = None  # None: through nginx over HTTPS; else straight to that gunicorn
    cookies: dict[str, str] = field(default_factory=dict)

    def _connection(self) -> http.client.HTTPConnection:
        if self.web_port:
            return http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=30)
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        return http.client.HTTPSConnection(
            "127.0.0.1", HTTPS_PORT, timeout=30, context=context, source_address=(self.source_ip, 0)
        )

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None) -> Response:
        all_headers = {"Host": HOST, "User-Agent": "dvcq-prod-tests"}
        if self.web_port:
            all_headers["X-Forwarded-Proto"] = "https"  # what nginx would say; gunicorn trusts 127.0.0.1
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["Origin"] = f"https://{HOST}"
            all_headers["Referer"] = f"https://{HOST}{path}"
            all_headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        all_headers.update(headers or {})
        connection = self._connection()
        try:
            connection.request(method, path, body=body, headers=all_headers)
            raw = connection.getresponse()
            for header in raw.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return Response(
                raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read().decode("utf-8", "replace")
            )
        finally:
            connection.close()

    def get(self, path: str, **headers) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict, **headers) -> Response:
        if "csrftoken" not in self.cookies:
            self.get("/tai-khoan/login/")
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self.request("POST", path, data=data, headers=headers)

    def log_in(self, username: str, password: str = DEMO_PASSWORD, **headers) -> Response:
        self.get("/tai-khoan/login/")
        return self.post("/tai-khoan/login/", {"username": username, "password": password}, **headers)


def form_values(html: str, prefix: str) -> dict[str, str]:
    """name → value of the inputs whose name starts with `prefix` (e.g. "v_" for row versions)."""
    values = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if name and name.group(1).startswith(prefix):
            value = re.search(r'value="([^"]*)"', tag)
            values[name.group(1)] = value.group(1) if value else ""
    return values
