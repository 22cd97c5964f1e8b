"""Settings: the only place that reads the environment (and `.env`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET_CHARS = 32


class Settings(BaseSettings):
    """Every tunable of Assist Console. Field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Storage
    database_url: str = Field(
        default="sqlite:///data/assist.db",
        description="SQLAlchemy URL; a SQLite file by default, postgresql://... for a team.",
    )
    chroma_path: Path = Field(default=Path("data/chroma"), description="Embedded chroma folder.")
    chroma_host: str | None = Field(default=None, description="Chroma server host; overrides CHROMA_PATH.")
    chroma_port: int = Field(default=8000, description="Chroma server port.")

    # LLM drafting (optional)
    openai_api_key: SecretStr | None = Field(default=None, description="Enables LLM drafts.")
    openai_base_url: str | None = Field(default=None, description="OpenAI-compatible server, e.g. vLLM or Ollama.")
    openai_model: str = Field(default="gpt-4o-mini", description="Chat model name.")
    llm_timeout_s: float = Field(
        default=20.0, gt=0, description="Longest wait for an LLM draft, retries included, before falling back."
    )
    llm_max_retries: int = Field(default=1, ge=0, le=5, description="Retries of a failed LLM request.")
    llm_usd_per_1k_input: float = Field(default=0.00015, ge=0, description="Price of 1,000 prompt tokens.")
    llm_usd_per_1k_output: float = Field(default=0.0006, ge=0, description="Price of 1,000 completion tokens.")
    default_phone_region: str = Field(
        default="US", min_length=2, max_length=2, description="Country for phone numbers written without +code."
    )
    mask_phone_numbers: bool = Field(
        default=False, description="Mask phone numbers in arriving messages too (card numbers always are)."
    )
    mask_ibans: bool = Field(default=False, description="Mask IBANs in arriving messages too (last 4 kept).")
    otlp_endpoint: str | None = Field(default=None, description="OpenTelemetry collector; enables per-step spans.")

    # Models
    sentiment_model: Path | None = Field(
        default=None, description="Local Hugging Face sentiment model directory; default: the shipped one."
    )
    sentiment_labels: dict[str, str] = Field(
        default_factory=dict,
        description='Model label -> negative/neutral/positive, e.g. {"LABEL_0": "negative", "LABEL_1": "positive"}.',
    )

    triage_model_path: Path = Field(
        default=Path("data/models/triage.skops"), description="Learned triage model (python -m assist train triage)."
    )
    torch_threads: int | None = Field(
        default=None, ge=1, description="CPU threads for model inference; default: torch's choice."
    )

    # Delivery of sent replies (an outbox row is always written; these hand it on)
    smtp_host: str | None = Field(default=None, description="SMTP server for outbound replies.")
    smtp_port: int = Field(default=587, description="SMTP port (STARTTLS unless 465).")
    smtp_user: str | None = Field(default=None, description="SMTP user name.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_from: str = Field(default="support@lumen.app", description="From address of replies.")
    webhook_url: str | None = Field(default=None, description="POST each reply here (JSON, HMAC-signed).")
    webhook_secret: SecretStr | None = Field(default=None, description="HMAC-SHA256 key for X-Assist-Signature.")
    chat_reply_url: str | None = Field(
        default=None, description="POST replies to chat tickets here (JSON, signed like the webhook); never mailed."
    )
    delivery_max_attempts: int = Field(default=8, ge=1, description="Attempts before a delivery is marked failed.")

    # Email in (`python -m assist mail poll`)
    imap_host: str | None = Field(default=None, description="IMAP server of the support mailbox.")
    imap_port: int | None = Field(default=None, description="IMAP port (default 993 for ssl, 143 otherwise).")
    imap_security: Literal["ssl", "starttls", "none"] = Field(
        default="ssl", description="IMAPS, STARTTLS, or none (loopback test servers only)."
    )
    imap_user: str | None = Field(default=None, description="IMAP user name.")
    imap_password: SecretStr | None = Field(default=None, description="IMAP password.")
    imap_folder: str = Field(default="INBOX", description="Folder new mail arrives in.")
    mail_poll_seconds: int = Field(default=30, ge=5, description="`mail poll --watch`: seconds between polls.")

    # Intake of tickets over HTTP (`python -m assist serve`)
    intake_secret: SecretStr | None = Field(
        default=None, description="HMAC-SHA256 key the helpdesk signs intake requests with (X-Assist-Signature)."
    )
    intake_max_bytes: int = Field(default=262_144, ge=1024, description="Largest accepted intake request body.")
    intake_replay_window_s: int = Field(
        default=300, ge=10, description="How old (or how far ahead) a signed request's timestamp may be."
    )
    workers: int = Field(default=1, ge=0, le=16, description="Assistance worker threads in the serving process.")
    queue_url: str | None = Field(
        default=None, description="Redis for `python -m assist worker` processes; set, serve enqueues instead."
    )

    port: int = Field(default=8501, ge=1, le=65535, description="Port the app listens on (`make run PORT=...`).")
    public_url: str | None = Field(
        default=None, description="Base URL of links sent to customers; default http://localhost:<PORT>."
    )
    survey_valid_days: int = Field(default=14, ge=1, description="How long a CSAT survey link works.")

    # Security
    secret_key: SecretStr | None = Field(
        default=None,
        description=f"Signs survey links, sessions and unlock links; required outside demo mode "
        f"(at least {MIN_SECRET_CHARS} characters).",
    )
    demo_mode: bool = Field(default=True, description="Demo workspace and demo users allowed.")
    session_timeout_minutes: int = Field(default=60, ge=5, description="Sign out after this long without activity.")
    session_max_hours: int = Field(default=12, ge=1, description="Sign out after this long however active.")
    login_max_failures: int = Field(default=5, ge=1, description="Failed sign-ins per 15 minutes before a pause.")

    # Workspace behaviour
    page_size: int = Field(default=25, ge=5, le=200, description="Tickets per inbox page.")
    metrics_cache_seconds: int = Field(default=60, ge=0, description="How long dashboard figures are cached.")
    max_message_chars: int = Field(default=20_000, ge=100, description="Longest accepted message body.")
    kb_upload_max_mb: int = Field(default=10, ge=1, le=1000, description="Largest accepted upload (KB, imports).")
    help_center_url: str | None = Field(
        default=None,
        description="Public help-center base address; an article without its own `url` links to <this>/<article id>.",
    )
    assist_holdout_percent: int = Field(
        default=0,
        ge=0,
        le=100,
        description="Share of new tickets shown no draft and no articles while no experiment runs (Metrics page).",
    )

    # Escalation thresholds
    draft_min_confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Below this confidence, as shown, no answer is drafted (a clarifying question or escalation is "
        "offered instead); empty: the threshold fitted with the confidence model, which reads the model's own figure "
        "(the team's recalibration then moves the badge, not which tickets get an answer; set this to let it).",
    )
    escalation_min_confidence: float = Field(
        default=0.45, ge=0, le=1, description="Drafts below this confidence suggest escalation."
    )
    escalation_frustration: float = Field(
        default=0.7, ge=0, le=1, description="Frustration at or above this counts as high."
    )
    escalation_priority: int = Field(default=8, ge=1, le=10, description="Priority at or above this escalates.")
    escalation_repeat_contacts: int = Field(
        default=3, ge=2, description="Contacts about the same issue that send it to tier 2."
    )

    @field_validator("public_url", "help_center_url", "webhook_url", "chat_reply_url", "openai_base_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        """An address the app links to or calls: http(s) with a host, refused at start otherwise (a link with no
        scheme would be relative to the app, a `javascript:` one worse). An empty value counts as unset."""
        address = (value or "").strip()
        if not address:
            return None
        parts = urlsplit(address)
        if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in address):
            # The value is never repeated: a webhook's path or a server's user:password may be a secret.
            raise ValueError("must be an http:// or https:// address with a host and no spaces")
        return address

    @field_validator("public_url", "help_center_url")
    @classmethod
    def _base_address(cls, value: str | None) -> str | None:
        """A base the app appends paths to (`/survey?t=`, `/<article id>`): kept without a trailing slash."""
        return value.rstrip("/") if value else value

    @model_validator(mode="after")
    def _secret_key_outside_demo_mode(self) -> Settings:
        """Outside demo mode a real SECRET_KEY is required: every entry point refuses to start without one
        (an empty value counts as none, the published demo key as too weak)."""
        key = self.secret_key.get_secret_value().strip() if self.secret_key is not None else ""
        if not key:
            self.secret_key = None
        if self.demo_mode:
            return self
        if not key:
            raise ValueError(
                "SECRET_KEY is not set. Set it (a long random string: python -c "
                "'import secrets; print(secrets.token_urlsafe(32))') in the environment or .env, "
                "or set DEMO_MODE=true for a demo."
            )
        if len(key) < MIN_SECRET_CHARS or key == DEMO_SECRET:
            raise ValueError(
                f"SECRET_KEY is too weak: use a random string of at least {MIN_SECRET_CHARS} characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(32))')."
            )
        return self

    @property
    def public_base_url(self) -> str:
        """Where customers reach the app: PUBLIC_URL, else this machine on the port the app runs on."""
        return self.public_url or f"http://localhost:{self.port}"


DEMO_SECRET = "demo-mode-secret-not-for-production"


def signing_key(settings: Settings) -> str:
    """SECRET_KEY, or a fixed demo key in demo mode (never outside it).

    Raises:
        ConfigError: no SECRET_KEY while DEMO_MODE is off.
    """
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    if settings.demo_mode:
        return DEMO_SECRET
    from assist.errors import ConfigError

    raise ConfigError("SECRET_KEY is not set. Set it (a long random string) in the environment or .env.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once.

    Raises:
        ConfigError: a setting is missing or invalid; the message names each one (never its value).
    """
    try:
        return Settings()
    except ValidationError as e:
        from assist.errors import ConfigError

        problems = " ".join(_problem(error) for error in e.errors())
        # Not chained: pydantic's error quotes the raw input, secrets (SMTP_PASSWORD, ...) included.
        raise ConfigError(f"Assist Console cannot start: {problems}") from None


def _problem(error: Any) -> str:
    """One invalid setting as a sentence that says what to do."""
    field = ".".join(str(part) for part in error.get("loc", ())).upper()
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ").rstrip(".") + "."
    return f"{field}: {message} Fix it in the environment or .env." if field else message
