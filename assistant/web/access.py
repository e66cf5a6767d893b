"""Who may use the app, and where it may listen.

Login is off when no users or admins are configured, which is allowed only on
a loopback address: anyone who can reach a non-loopback port could otherwise
read the corpus and, as the implicit admin, change it.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Callable, Mapping

from assistant.errors import ConfigError
from assistant.settings import WebSettings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


class AccessError(ConfigError):
    """The app would be reachable by others without a login."""


def server_address(env: Mapping[str, str] | None = None) -> tuple[str, int]:
    """Host and port from Gradio's usual ``GRADIO_SERVER_NAME`` / ``GRADIO_SERVER_PORT``."""
    env = os.environ if env is None else env
    host = env.get("GRADIO_SERVER_NAME") or DEFAULT_HOST
    raw_port = env.get("GRADIO_SERVER_PORT") or str(DEFAULT_PORT)
    try:
        port = int(raw_port)
    except ValueError:
        raise ConfigError(f"GRADIO_SERVER_PORT must be a port number, got {raw_port!r}") from None
    if not 0 < port < 65536:
        raise ConfigError(f"GRADIO_SERVER_PORT must be between 1 and 65535, got {port}")
    return host, port


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``; False for 0.0.0.0, :: and any other address."""
    host = host.strip().strip("[]").lower()
    if host in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def login_required(web: WebSettings) -> bool:
    return bool(web.users or web.admins)


def check_binding(host: str, web: WebSettings) -> None:
    """Refuse to serve a non-loopback address without configured users."""
    if not is_loopback(host) and not login_required(web):
        raise AccessError(
            f"refusing to listen on {host!r} without a login: anyone on the network could use and change "
            "the assistant. Configure users, e.g. ASSISTANT_WEB__USERS='{\"official\": \"password\"}' and "
            "ASSISTANT_WEB__ADMINS='{\"admin\": \"password\"}', or listen on 127.0.0.1 "
            "(unset GRADIO_SERVER_NAME)."
        )


def _accounts(web: WebSettings) -> dict[str, str]:
    accounts = {name: secret.get_secret_value() for name, secret in web.users.items()}
    accounts.update({name: secret.get_secret_value() for name, secret in web.admins.items()})
    return accounts


def authenticator(web: WebSettings) -> Callable[[str, str], bool] | None:
    """The ``auth`` callable for ``launch``: None when login is off."""
    if not login_required(web):
        return None
    accounts = _accounts(web)

    def check(username: str, password: str) -> bool:
        expected = accounts.get(username)
        # Compare in constant time; an unknown user costs the same as a wrong password.
        return hmac.compare_digest((expected or "\0").encode(), (password or "").encode()) and expected is not None

    return check


def is_admin(web: WebSettings, username: str | None) -> bool:
    """Admins may upload and delete. Without login (loopback only) the local user is the admin."""
    if not login_required(web):
        return True
    return username is not None and username in web.admins
