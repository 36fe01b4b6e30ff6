"""Settings read from environment variables."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from limits import parse_many

ENVIRONMENTS = ("production", "development", "testing")
# "Exit now" leaves for a plain page nobody would wonder about, as GOV.UK's "Exit this page" does.
DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"


class ConfigError(RuntimeError):
    """The environment does not describe a runnable service."""


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number of seconds, not {raw!r}") from exc
    if not value >= 0 or value == float("inf"):
        raise ConfigError(f"{name} must be zero or a positive number of seconds, not {raw!r}")
    return value


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


# coturn's shared-secret credentials cannot be revoked, so they live at most a day.
TURN_TTL_RANGE = (60, 86400)


def _turn_ttl() -> int:
    ttl = _int("HEARTH_TURN_TTL_SECONDS", 3600)
    low, high = TURN_TTL_RANGE
    if not low <= ttl <= high:
        raise ConfigError(f"HEARTH_TURN_TTL_SECONDS must be between {low} and {high} (a day), not {ttl}")
    return ttl


def _csv(name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in os.environ.get(name, "").split(",") if part.strip())


def _web_url(name: str, default: str) -> str:
    raw = os.environ.get(name, "").strip() or default
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", raw):
        raise ConfigError(f"{name} must be an http:// or https:// address, not {raw!r}")
    return raw


def psycopg2_url(url: str) -> str:
    """Pin PostgreSQL URLs to psycopg2, which cooperates with eventlet through psycogreen."""
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg2://" + url[len(scheme) :]
    return url


# Per API key, over every endpoint: a busy integration's bursts pass, a runaway loop is stopped.
DEFAULT_API_RATE_LIMIT = "600/minute;10000/hour"


def _rate_limit(name: str, default: str) -> str:
    raw = os.environ.get(name, "").strip() or default
    try:
        parse_many(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be rate limits such as '600/minute;10000/hour', not {raw!r}") from exc
    return raw


# Sockets one process holds before it answers new ones 503: the sizing docs/deploy.md takes from
# bench/fanout.py (deploy/gunicorn.conf.py repeats the number, as it imports nothing of Hearth).
DEFAULT_MAX_SOCKETS = 600

# An unreachable database host answers within this many seconds instead of holding requests.
DATABASE_CONNECT_TIMEOUT_SECONDS = 5
# Connections each process keeps to PostgreSQL (the readiness probe has two more of its own).
DATABASE_POOL_SIZE = 15


def engine_options(database_url: str) -> dict[str, Any]:
    """SQLAlchemy engine options: bound PostgreSQL connect time (idle connections: `service.pool_ping`)."""
    options: dict[str, Any] = {}
    if database_url.startswith(("postgres://", "postgresql")):
        options["connect_args"] = {"connect_timeout": DATABASE_CONNECT_TIMEOUT_SECONDS}
        # As many connections at most as before (5 kept + 10 overflow), all of them kept: an
        # overflow connection was closed on return and opened anew by the next burst, each
        # opening a round trip of its own and a new server process.
        options["pool_size"], options["max_overflow"] = DATABASE_POOL_SIZE, 0
    return options


@dataclass(frozen=True)
class Settings:
    """What the app factory needs, as read from the environment."""

    env: str
    secret_key: str | None
    database_url: str | None
    redis_url: str | None
    base_url: str
    schedule_horizon_weeks: int
    max_body_bytes: int
    cors_origins: tuple[str, ...]
    async_mode: str
    reconnect_grace_seconds: int
    room_clock_seconds: int
    alert_take_seconds: int = 120
    unattended_seconds: int = 300
    webhook_down_seconds: int = 1800
    stun_urls: tuple[str, ...] = ()
    turn_urls: tuple[str, ...] = ()
    turn_secret: str | None = None
    turn_ttl_seconds: int = 3600
    webhook_poll_seconds: float = 0
    webhook_timeout_seconds: float = 10
    webhook_private_addresses: bool = False
    exit_url: str = DEFAULT_EXIT_URL
    origins_given: bool = False
    base_url_given: bool = False
    max_sockets: int = DEFAULT_MAX_SOCKETS
    redis_max_connections: int = 50
    redis_pool_timeout_seconds: float = 5.0
    on_call_poll_seconds: float = 0
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str | None = None
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    data_key: str | None = None
    proxy_hops: int = 0
    api_rate_limit: str = DEFAULT_API_RATE_LIMIT
    sign_in_free_tries: int = 3
    sign_in_client_free_tries: int = 20
    sign_in_max_wait_seconds: int = 900
    sign_in_first_wait_seconds: int = 1

    @classmethod
    def from_environ(cls) -> Settings:
        env = os.environ.get("HEARTH_ENV", "production").strip().lower()
        if env not in ENVIRONMENTS:
            raise ConfigError(f"HEARTH_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
        origins = tuple(o.rstrip("/") for o in _csv("HEARTH_ALLOWED_ORIGINS"))
        base_url = os.environ.get("HEARTH_BASE_URL") or None
        return cls(
            env=env,
            secret_key=os.environ.get("SECRET_KEY") or None,
            database_url=os.environ.get("DATABASE_URL") or None,
            redis_url=os.environ.get("REDIS_URL") or None,
            base_url=(base_url or "http://127.0.0.1:5000").rstrip("/"),
            base_url_given=base_url is not None,
            schedule_horizon_weeks=max(12, _int("HEARTH_SCHEDULE_HORIZON_WEEKS", 13)),
            max_body_bytes=_int("HEARTH_MAX_BODY_BYTES", 64 * 1024),
            cors_origins=origins,
            origins_given="HEARTH_ALLOWED_ORIGINS" in os.environ,
            # The production entry point (service/wsgi.py) sets it to HEARTH_WORKER.
            async_mode=os.environ.get("HEARTH_ASYNC_MODE", "threading"),
            stun_urls=_csv("HEARTH_STUN_URLS"),
            turn_urls=_csv("HEARTH_TURN_URLS"),
            turn_secret=os.environ.get("HEARTH_TURN_SECRET") or None,
            turn_ttl_seconds=_turn_ttl(),
            reconnect_grace_seconds=max(0, _int("HEARTH_RECONNECT_GRACE_SECONDS", 180)),
            # Tests look at the clock themselves rather than leave a thread behind per app.
            room_clock_seconds=max(0, _int("HEARTH_ROOM_CLOCK_SECONDS", 0 if env == "testing" else 1)),
            # Tests drive delivery themselves (deliver_due) rather than leave a worker per app.
            webhook_poll_seconds=_float("HEARTH_WEBHOOK_POLL_SECONDS", 0 if env == "testing" else 2),
            webhook_timeout_seconds=max(1.0, _float("HEARTH_WEBHOOK_TIMEOUT_SECONDS", 10)),
            # Outside production, receivers on this machine or the local network are the norm.
            webhook_private_addresses=_bool("HEARTH_WEBHOOK_PRIVATE_ADDRESSES", env != "production"),
            # Tests drive the on-call policy themselves (oncall.page_due) rather than leave a loop per app.
            on_call_poll_seconds=_float("HEARTH_ON_CALL_POLL_SECONDS", 0 if env == "testing" else 1),
            smtp_host=os.environ.get("HEARTH_SMTP_HOST") or None,
            smtp_port=_int("HEARTH_SMTP_PORT", 25),
            smtp_from=os.environ.get("HEARTH_SMTP_FROM") or None,
            smtp_username=os.environ.get("HEARTH_SMTP_USERNAME") or None,
            smtp_password=os.environ.get("HEARTH_SMTP_PASSWORD") or None,
            smtp_starttls=_bool("HEARTH_SMTP_STARTTLS", False),
            # An alert nobody took by then goes to the organization as an incident.
            alert_take_seconds=max(0, _int("HEARTH_ALERT_TAKE_SECONDS", 120)),
            # A room nobody opened this long after its start is reported to the organization.
            unattended_seconds=max(1, _int("HEARTH_UNATTENDED_SECONDS", 300)),
            # An endpoint failing every attempt this long (and three times in a row) is down.
            webhook_down_seconds=max(60, _int("HEARTH_WEBHOOK_DOWN_SECONDS", 1800)),
            exit_url=_web_url("HEARTH_EXIT_URL", DEFAULT_EXIT_URL),
            # Past this many sockets a process answers new ones 503 (deploy/gunicorn.conf.py reads
            # the same variable to size worker_connections above it).
            max_sockets=max(1, _int("HEARTH_MAX_SOCKETS", DEFAULT_MAX_SOCKETS)),
            redis_max_connections=max(2, _int("HEARTH_REDIS_MAX_CONNECTIONS", 50)),
            redis_pool_timeout_seconds=_float("HEARTH_REDIS_POOL_TIMEOUT_SECONDS", 5.0),
            data_key=os.environ.get("HEARTH_DATA_KEY") or None,
            # Production runs behind nginx, which sets X-Forwarded-For to the address it saw.
            proxy_hops=max(0, _int("HEARTH_PROXY_HOPS", 1 if env == "production" else 0)),
            api_rate_limit=_rate_limit("HEARTH_API_RATE_LIMIT", DEFAULT_API_RATE_LIMIT),
            sign_in_free_tries=max(1, _int("HEARTH_SIGN_IN_FREE_TRIES", 3)),
            sign_in_client_free_tries=max(1, _int("HEARTH_SIGN_IN_CLIENT_FREE_TRIES", 20)),
            sign_in_max_wait_seconds=max(1, _int("HEARTH_SIGN_IN_MAX_WAIT_SECONDS", 900)),
            sign_in_first_wait_seconds=max(1, _int("HEARTH_SIGN_IN_FIRST_WAIT_SECONDS", 1)),
        )

    def refuse_unsafe_production(self) -> None:
        """Raise ConfigError when production is asked to run in a way that is not safe for people."""
        if self.env != "production":
            return
        if self.secret_key is None:
            raise ConfigError(
                "SECRET_KEY is required in production. For local use set HEARTH_ENV=development."
            )
        if len(self.secret_key) < 32:
            raise ConfigError(
                "SECRET_KEY must be at least 32 random characters in production "
                '(python3 -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
        if not self.base_url_given:
            raise ConfigError(
                "HEARTH_BASE_URL is required in production: join links and the Origin check use it."
            )
        if "*" in self.cors_origins:
            raise ConfigError(
                "HEARTH_ALLOWED_ORIGINS may not be '*' in production: name the origins that may "
                "open rooms (by default HEARTH_BASE_URL alone)."
            )
        if bool(self.turn_urls) != bool(self.turn_secret):
            raise ConfigError(
                "HEARTH_TURN_URLS and HEARTH_TURN_SECRET go together: with one alone no media is "
                "relayed, and every participant would learn the others' network addresses."
            )
        if self.data_key is not None and len(self.data_key) < 32:
            raise ConfigError(
                "HEARTH_DATA_KEY must be at least 32 random characters when it is set "
                '(python3 -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
        if self.origins_given and not self.cors_origins:
            raise ConfigError(
                "HEARTH_ALLOWED_ORIGINS is set but empty; an empty list would switch the Origin check "
                "off. Name the allowed origins, or unset it to allow HEARTH_BASE_URL alone."
            )

    def flask_config(self, instance_path: str) -> dict[str, Any]:
        """The Flask config mapping for these settings."""
        self.refuse_unsafe_production()
        secret = self.secret_key or f"hearth-{self.env}-only-key"
        database_url = self.database_url or f"sqlite:///{os.path.join(instance_path, 'hearth.db')}"
        origins = self.cors_origins or (self.base_url,)
        return {
            "HEARTH_ENV": self.env,
            "TESTING": self.env == "testing",
            "SECRET_KEY": secret,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": self.redis_url,
            "HEARTH_BASE_URL": self.base_url,
            "HEARTH_ALLOWED_ORIGINS": origins,
            "HEARTH_SCHEDULE_HORIZON_WEEKS": self.schedule_horizon_weeks,
            "MAX_CONTENT_LENGTH": self.max_body_bytes,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.base_url.startswith("https://"),
            "SOCKETIO_ASYNC_MODE": self.async_mode,
            "HEARTH_STUN_URLS": list(self.stun_urls),
            "HEARTH_TURN_URLS": list(self.turn_urls),
            "HEARTH_TURN_SECRET": self.turn_secret,
            "HEARTH_TURN_TTL_SECONDS": self.turn_ttl_seconds,
            # Production relays media by default wherever it can; organizations and groups may opt out.
            "HEARTH_RELAY_MEDIA_DEFAULT": self.env == "production"
            and bool(self.turn_urls and self.turn_secret),
            "HEARTH_RECONNECT_GRACE_SECONDS": self.reconnect_grace_seconds,
            "HEARTH_ROOM_CLOCK_SECONDS": self.room_clock_seconds,
            "HEARTH_ALERT_TAKE_SECONDS": self.alert_take_seconds,
            "HEARTH_UNATTENDED_SECONDS": self.unattended_seconds,
            "HEARTH_WEBHOOK_DOWN_SECONDS": self.webhook_down_seconds,
            "HEARTH_EXIT_URL": self.exit_url,
            "WEBHOOKS_ALLOW_HTTP": self.env != "production",
            "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": self.webhook_private_addresses,
            "HEARTH_WEBHOOK_POLL_SECONDS": self.webhook_poll_seconds,
            "HEARTH_WEBHOOK_TIMEOUT_SECONDS": self.webhook_timeout_seconds,
            "HEARTH_MAX_SOCKETS": self.max_sockets,
            "HEARTH_REDIS_MAX_CONNECTIONS": self.redis_max_connections,
            "HEARTH_REDIS_POOL_TIMEOUT_SECONDS": self.redis_pool_timeout_seconds,
            "HEARTH_ON_CALL_POLL_SECONDS": self.on_call_poll_seconds,
            "HEARTH_SMTP_HOST": self.smtp_host,
            "HEARTH_SMTP_PORT": self.smtp_port,
            "HEARTH_SMTP_FROM": self.smtp_from,
            "HEARTH_SMTP_USERNAME": self.smtp_username,
            "HEARTH_SMTP_PASSWORD": self.smtp_password,
            "HEARTH_SMTP_STARTTLS": self.smtp_starttls,
            "HEARTH_DATA_KEY": self.data_key,
            "HEARTH_PROXY_HOPS": self.proxy_hops,
            "HEARTH_API_RATE_LIMIT": self.api_rate_limit,
            "HEARTH_SIGN_IN_FREE_TRIES": self.sign_in_free_tries,
            "HEARTH_SIGN_IN_CLIENT_FREE_TRIES": self.sign_in_client_free_tries,
            "HEARTH_SIGN_IN_MAX_WAIT_SECONDS": self.sign_in_max_wait_seconds,
            "HEARTH_SIGN_IN_FIRST_WAIT_SECONDS": self.sign_in_first_wait_seconds,
            "API_TITLE": "Hearth",
            "API_VERSION": "v1",
            "OPENAPI_VERSION": "3.1.0",
            "OPENAPI_URL_PREFIX": "/api/v1",
            "OPENAPI_JSON_PATH": "openapi.json",
            "API_SPEC_OPTIONS": {
                "info": {
                    "description": (
                        "The organization API of Hearth: schedule peer support circles, "
                        "register participants, and receive alerts."
                    )
                },
                "components": {
                    "securitySchemes": {
                        "apiKey": {"type": "http", "scheme": "bearer", "bearerFormat": "API key"}
                    }
                },
                "security": [{"apiKey": []}],
            },
        }
