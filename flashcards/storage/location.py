"""Where a collection lives: a file path or a server URL, as people see it and as a driver needs it.

A URL's password must never reach a message, a log line or a toast, so every place that shows a
location goes through `display_location`. URLs are split here rather than by `urllib.parse`:
a password typed with a raw `/`, `#`, `?` or `@` makes the standard parser take part of it for
the host or the port (and the driver then quotes it back in a traceback). The credentials are
everything before the *last* `@`, so an unencoded password still lands in the password; a
percent-encoded one (`%2F`, `%40`, `%25`, ...) is decoded, as in libpq's own URIs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote

from flashcards.errors import UserError

POSTGRES_SCHEMES = ("postgresql", "postgres")
MASK = "***"
_SECRET_OPTION = re.compile(r"(?i)((?:^|[?&])password=)[^&#]*")


def default_db_target() -> str:
    """`FLASHCARDS_DB` if set, else collection.db in the user's data dir (created on demand)."""
    env = os.environ.get("FLASHCARDS_DB")
    if env:
        return env
    import platformdirs  # not needed when the collection is named

    data = platformdirs.user_data_path("flashcards")
    data.mkdir(parents=True, exist_ok=True)
    return str(data / "collection.db")


def is_url(target: str | Path) -> bool:
    """True for a server URL (`scheme://…`), False for a collection file's path."""
    return "://" in str(target)


def _split(target: str) -> tuple[str, str | None, str]:
    """(scheme, credentials or None, host and the rest) of a URL, credentials unparsed."""
    scheme, _, rest = target.partition("://")
    at = rest.rfind("@")
    if at == -1:
        return scheme, None, rest
    return scheme, rest[:at], rest[at + 1 :]


def display_location(target: str | Path) -> str:
    """The path or URL as people may see it: a URL's password (and any `password=` option)
    replaced by `***`, e.g. `postgresql://user:***@host:5432/db`. A path is shown as it is."""
    text = str(target)
    if not is_url(text):
        return text
    scheme, credentials, rest = _split(text)
    rest = _SECRET_OPTION.sub(rf"\g<1>{MASK}", rest)
    if credentials is None:
        return f"{scheme}://{rest}"
    user, has_password, _ = credentials.partition(":")
    return f"{scheme}://{user}:{MASK}@{rest}" if has_password else f"{scheme}://{user}@{rest}"


@dataclass(frozen=True)
class ServerLocation:
    """A server URL taken apart, percent-decoded, ready for the driver."""

    scheme: str
    host: str | None
    port: int | None
    database: str | None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    options: dict[str, str] = field(default_factory=dict, repr=False)


def parse_server_url(target: str) -> ServerLocation:
    """Take a `postgresql://user:password@host:port/dbname?option=value` URL apart.

    A malformed URL is a one-line `UserError` that shows the URL masked, never the password.
    """
    where = display_location(target)
    scheme, credentials, rest = _split(target)
    scheme = scheme.lower()
    if scheme not in POSTGRES_SCHEMES:
        raise UserError(
            f"{where}: unknown kind of database {scheme!r} (use a postgresql:// URL or a file path)"
        )
    user = password = None
    if credentials is not None:
        raw_user, has_password, raw_password = credentials.partition(":")
        user = unquote(raw_user) or None
        password = unquote(raw_password) if has_password else None
    cut = min((i for i in (rest.find("/"), rest.find("?")) if i != -1), default=len(rest))
    hostport, tail = rest[:cut], rest[cut:]
    database_part, _, query = tail.lstrip("/").partition("?")
    host, port = _host_port(hostport, where)
    options = dict(parse_qsl(query, keep_blank_values=True))
    return ServerLocation(
        scheme=scheme,
        host=host,
        port=port,
        database=unquote(database_part) or None,
        user=user,
        password=password,
        options=options,
    )


def _host_port(hostport: str, where: str) -> tuple[str | None, int | None]:
    """The host and port of `host`, `host:5432`, `[::1]:5432` (the port a number 1-65535)."""
    if hostport.startswith("["):
        host, bracket, after = hostport[1:].partition("]")
        if not bracket or (after and not after.startswith(":")):
            raise UserError(f"{where}: the server address is not valid")
        port_text = after[1:] if after else ""
    else:
        host, _, port_text = hostport.partition(":")
    if not port_text:
        return unquote(host) or None, None
    if not port_text.isascii() or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise UserError(
            f"{where}: the port is not a number from 1 to 65535 (if the password has / # ? or @ "
            "in it, write them as %2F %23 %3F %40)"
        )
    return unquote(host) or None, int(port_text)
