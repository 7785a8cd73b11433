"""Who a browser's request comes from, for `serve web --login token|header`.

- `TokenLogin`: the link `inkstream users add NAME` prints, `/?token=…`, is checked once
  and swapped for a cookie (HttpOnly, SameSite=Lax, Secure over https), then the browser
  is sent on to `/`, so the token leaves the address bar and the history. A client that is
  no browser may send `Authorization: Bearer TOKEN` instead.
- `HeaderLogin`: a reverse proxy that has logged the user in says who it is in one
  header (`X-Forwarded-User: alice` by default). It is believed only from the proxy's own
  addresses (`--trusted-proxy`, loopback by default): from anyone else, 403. With
  `--user-header Authorization`, the user name of the `Basic` credentials the proxy
  checked (nginx's `auth_basic` passes them on) is the name.

Either way the name must be a safe folder name (`tui.ssh.auth.safe_name`) not starting
with `key-`: it picks `users/<name>/`, the history folder `serve ssh` gives that name.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import ipaddress
from collections.abc import Iterable
from typing import Protocol

from aiohttp import web

from tui.ssh.auth import KEY_PREFIX, safe_name
from tui.ssh.web_users import WebUsers

__all__ = ["COOKIE", "HeaderLogin", "Login", "TokenLogin", "is_loopback"]

COOKIE = "inkstream_token"
COOKIE_DAYS = 30
NEEDS_LOGIN = (
    "inkstream: this chat needs a login. Open the link that `inkstream users add NAME` "
    "printed for you, or ask whoever runs this server for one.\n"
)


def is_loopback(host: str) -> bool:
    """Whether `host` is an address only this machine reaches.

    Example:
        >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost")
        (True, True, True)
        >>> is_loopback("0.0.0.0"), is_loopback(""), is_loopback("chat.example.org")
        (False, False, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _unauthorized() -> web.HTTPUnauthorized:
    return web.HTTPUnauthorized(
        text=NEEDS_LOGIN, headers={"WWW-Authenticate": 'Bearer realm="inkstream"'}
    )


class Login(Protocol):
    """A way to tell who a request comes from."""

    def user(self, request: web.Request) -> str:
        """The name of the request's user.

        Raises:
            web.HTTPException: 401 when no user is logged in, 403 when the request may not
                say who it is.
        """

    def landing(self, request: web.Request) -> web.StreamResponse | None:
        """A response to `/` that logs the browser in (a redirect with a cookie), or `None`
        to serve the page."""

    def logged_in(self, user: str) -> None:
        """Note that `user` has started an app."""


class TokenLogin:
    """Per-user tokens from `inkstream users add`.

    Args:
        users: The users and their hashed tokens.
        secure: Whether the cookie is for https only.
    """

    def __init__(self, users: WebUsers, secure: bool = False) -> None:
        self.users = users
        self.secure = secure

    def _token(self, request: web.Request) -> str | None:
        kind, _, value = request.headers.get("Authorization", "").partition(" ")
        if kind.lower() == "bearer" and value:
            return value.strip()
        return request.cookies.get(COOKIE)

    def user(self, request: web.Request) -> str:
        """The user whose token the request carries (see `Login.user`)."""
        name = self.users.who(self._token(request))
        if name is None:
            raise _unauthorized()
        return name

    def landing(self, request: web.Request) -> web.StreamResponse | None:
        """A `/?token=…` link: the cookie and a redirect to `/`; 401 for a wrong token."""
        if "token" not in request.query:
            return None
        token = request.query["token"]
        if self.users.who(token) is None:
            raise _unauthorized()
        response = web.HTTPSeeOther("/")
        response.set_cookie(
            COOKIE,
            token,
            max_age=COOKIE_DAYS * 24 * 3600,
            path="/",
            httponly=True,
            samesite="Lax",
            secure=self.secure,
        )
        return response

    def logged_in(self, user: str) -> None:
        """Record the time, for `inkstream users list`."""
        with contextlib.suppress(OSError):
            self.users.record_login(user)


class HeaderLogin:
    """A user name in a header that a trusted reverse proxy sets.

    Args:
        header: The header, such as `X-Forwarded-User` or `Authorization`.
        trusted: The proxy's addresses; any other peer gets 403.
    """

    def __init__(self, header: str, trusted: Iterable[str] = ("127.0.0.1", "::1")) -> None:
        self.header = header
        self.trusted = {ipaddress.ip_address(address) for address in trusted}

    def _name(self, request: web.Request) -> str | None:
        value = request.headers.get(self.header, "").strip()
        if self.header.lower() != "authorization":
            return value or None
        kind, _, credentials = value.partition(" ")
        if kind.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[0] or None

    def user(self, request: web.Request) -> str:
        """The user the proxy names (see `Login.user`)."""
        try:
            peer = ipaddress.ip_address(request.remote or "")
        except ValueError:
            peer = None
        if peer not in self.trusted:
            raise web.HTTPForbidden(text="inkstream: log in through the proxy\n")
        name = self._name(request)
        if name is None:
            raise _unauthorized()
        if safe_name(name) is None or name.lower().startswith(KEY_PREFIX):
            raise web.HTTPForbidden(text="inkstream: that user name can't be used\n")
        return name

    def landing(self, request: web.Request) -> web.StreamResponse | None:
        """Nothing to do: the proxy sends the header with every request."""
        return None

    def logged_in(self, user: str) -> None:
        """Nothing to record: the proxy keeps its own log."""
