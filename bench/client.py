"""A small HTTP browser for the load generator (standard library only): cookies, and forms submitted as a browser would.

Every request opens a new connection to 127.0.0.1 (gunicorn's sync workers close each one anyway) and is recorded as
(label, method, status, end time, seconds).
"""

import http.client
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

TIMEOUT = 30


@dataclass
class Form:
    """One POST form: the controls a browser would send as it stands (not disabled ones), and its submit buttons."""

    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)


class FormParser(HTMLParser):
    """Read every POST form of a page into `forms`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: dict | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = Form()
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "option" and self._select is not None:
            self._option(a)
            return
        name = a.get("name")
        if name and tag in ("input", "select", "textarea"):
            self._form.names.add(name)
        if not name or "disabled" in a:
            return
        if tag == "input":
            self._input(name, (a.get("type") or "text").lower(), a)
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            self._form.buttons.append((name, a.get("value") or ""))
        elif tag == "select":
            self._select = {"name": name, "first": None, "chosen": None}
        elif tag == "textarea":
            self._textarea = [name, ""]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def _input(self, name, kind, a):
        if kind == "submit":
            self._form.buttons.append((name, a.get("value") or ""))
        elif kind in ("checkbox", "radio"):
            if "checked" in a:
                self._form.fields.append((name, a.get("value") or "on"))
        elif kind not in ("button", "image", "reset", "file"):
            self._form.fields.append((name, a.get("value") or ""))

    def _option(self, a):
        value = a.get("value") or ""
        if self._select["first"] is None:
            self._select["first"] = value
        if "selected" in a:
            self._select["chosen"] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            value = self._select["chosen"] if self._select["chosen"] is not None else self._select["first"]
            if value is not None:
                self._form.fields.append((self._select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.fields.append(tuple(self._textarea))
            self._textarea = None


@dataclass
class Page:
    """A response: status, Location (redirects) and the body's first POST form, parsed on demand."""

    status: int
    location: str
    text: str
    _form: Form | None = None

    @property
    def form(self) -> Form:
        """Return the page's POST form with the most controls (its own form, not the header's sign-out button)."""
        if self._form is None:
            parser = FormParser()
            parser.feed(self.text)
            parser.close()
            self._form = max(parser.forms, key=lambda f: len(f.names) + len(f.buttons), default=Form())
        return self._form

    def form_data(self) -> dict[str, str]:
        """Return what the form would send as it stands (the last value of a repeated name wins)."""
        return dict(self.form.fields)


@dataclass
class Browser:
    """One virtual user's cookies and request log."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    log: list = field(default_factory=list)

    def get(self, path: str, label: str) -> Page:
        """GET a path; redirects are not followed (the caller decides, as it checks where they lead)."""
        return self._request("GET", path, label, None)

    def post(self, path: str, data: dict[str, str], label: str) -> Page:
        """POST form data, url-encoded as a browser does."""
        return self._request("POST", path, label, urlencode(data))

    def _request(self, method: str, path: str, label: str, body: str | None) -> Page:
        headers = {"User-Agent": "mips-bench/1", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.time()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        ended = time.time()
        self._cookies_update(response.headers.get_all("Set-Cookie") or [])
        self.log.append((label, method, response.status, ended, ended - started))
        return Page(response.status, urlsplit(response.headers.get("Location") or "").path, text)

    def _cookies_update(self, headers: list[str]) -> None:
        for header in headers:
            pair, _, attributes = header.partition(";")
            name, _, value = pair.strip().partition("=")
            expired = "max-age=0" in attributes.lower().replace(" ", "") or value in ("", '""')
            if expired:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
