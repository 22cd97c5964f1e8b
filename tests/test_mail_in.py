"""Email in against a real IMAP server: Debian's Dovecot on loopback with a throwaway mailbox."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, create_engine, func, select

from assist.arrival import admit
from assist.config import Settings
from assist.dev.workspace import free_port
from assist.errors import ConfigError
from assist.mail_in import parse, poll
from assist.store import session_scope
from assist.store.db import upgrade
from assist.store.models import MailCursorRow, MessageRow, TicketRow

ROOT = Path(__file__).parents[1]
USER, PASSWORD = "support@lumen.test", "throwaway-s3cret"
DOVECOT_CONF = """
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={d}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@pytest.fixture
def imap() -> Iterator[Settings]:
    assert shutil.which("dovecot"), (
        "Debian dovecot-imapd is missing: `make test` installs it (apt-get install dovecot-imapd)"
    )
    # Not under pytest's tmp_path: its parents are private to root, and Dovecot's auth process (its own
    # user) must read the password file.
    home = Path(tempfile.mkdtemp(prefix="assist-dovecot-"))
    for sub in ("run", "state", "home"):
        (home / sub).mkdir(parents=True)
    os.chmod(home, 0o755)
    os.chmod(home / "home", 0o777)
    port = free_port()
    (home / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    (home / "dovecot.conf").write_text(DOVECOT_CONF.format(d=home, port=port))
    server = subprocess.Popen(["dovecot", "-F", "-c", str(home / "dovecot.conf")], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, (home / "dovecot.log").read_text()
                time.sleep(0.1)
        yield Settings(
            imap_host="127.0.0.1",
            imap_port=port,
            imap_security="none",
            imap_user=USER,
            imap_password=SecretStr(PASSWORD),
        )
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(home, ignore_errors=True)


def deliver(settings: Settings, *messages: bytes) -> None:
    from imapclient import IMAPClient

    client = IMAPClient("127.0.0.1", port=settings.imap_port, ssl=False)
    client.login(USER, PASSWORD)
    for raw in messages:
        client.append("INBOX", raw)
    client.logout()


def mail(n: int, body: str, *, sender: int, subject: str = "", answers: str = "", references: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = f"Customer {sender} <customer{sender}@example.com>"
    message["To"] = USER
    message["Subject"] = subject or f"Question {n}"
    message["Message-ID"] = f"<m{n}@example.com>"
    message["Date"] = "Mon, 23 Nov 2026 10:00:00 +0000"
    if answers:
        message["In-Reply-To"] = answers
    if references:
        message["References"] = references
    message.set_content(body)
    return bytes(message)


def twenty_messages() -> list[bytes]:
    """12 new threads, 7 replies (In-Reply-To, References only, a [#id] tag, a reply to a reply) and one
    message delivered twice: 12 tickets and 19 messages."""
    new = [mail(n, f"Question number {n}: the export fails.", sender=n) for n in range(1, 13)]
    replies = [
        mail(13, "Any news on this?", sender=1, answers="<m1@example.com>"),
        mail(
            14,
            "Still failing.\n\nOn Monday Customer 2 wrote:\n> Question number 2",
            sender=2,
            answers="<m2@example.com>",
        ),
        mail(15, "Adding a screenshot.", sender=3, references="<m3@example.com>"),
        mail(16, "Following up.", sender=4, subject="Re: Question 4 [#4]"),
        mail(17, "And one more thing.", sender=1, answers="<m13@example.com>", references="<m1@example.com>"),
        mail(18, "Hello?", sender=5, answers="<m5@example.com>"),
        mail(19, "Thanks!", sender=6, answers="<m6@example.com>"),
    ]
    return [*new[:5], new[4], *new[5:], *replies]  # Question 5 arrives twice


def counts(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(TicketRow)) or 0,
            session.scalar(select(func.count()).select_from(MessageRow)) or 0,
        )


def test_threads_replies_and_a_duplicate_become_exactly_the_expected_tickets(
    imap: Settings, sqlite_engine: Engine
) -> None:
    deliver(imap, *twenty_messages())
    report = poll(sqlite_engine, imap)
    assert (len(report.created), len(report.appended), len(report.unchanged), report.errors) == (12, 7, 1, [])
    assert counts(sqlite_engine) == (12, 19)
    with session_scope(sqlite_engine) as session:
        first = session.scalar(select(TicketRow).where(TicketRow.external_id == "mail:<m1@example.com>"))
        assert first is not None and len(first.messages) == 3  # the question, a reply, a reply to the reply
        second = session.scalar(select(TicketRow).where(TicketRow.external_id == "mail:<m2@example.com>"))
        assert second is not None and second.messages[-1].body == "Still failing."  # the quote is cut
    again = poll(sqlite_engine, imap)
    assert (again.created, again.appended) == ([], []) and counts(sqlite_engine) == (12, 19)


def test_a_poll_killed_midway_and_restarted_stores_everything_once(imap: Settings, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mail.db'}"
    engine = create_engine(url)
    upgrade(engine)
    deliver(imap, *twenty_messages())
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "IMAP_HOST": "127.0.0.1",
        "IMAP_PORT": str(imap.imap_port),
        "IMAP_SECURITY": "none",
        "IMAP_USER": USER,
        "IMAP_PASSWORD": PASSWORD,
    }
    poller = subprocess.Popen([sys.executable, "-m", "assist", "mail", "poll"], cwd=ROOT, env=env)
    done_at_kill = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and poller.poll() is None:
        with engine.connect() as connection:
            done_at_kill = connection.scalar(select(func.max(MailCursorRow.last_uid))) or 0
        if done_at_kill:
            poller.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    poller.wait(10)
    assert poller.returncode == -signal.SIGKILL and 0 < done_at_kill < 20  # it really died midway
    finished = subprocess.run([sys.executable, "-m", "assist", "mail", "poll"], cwd=ROOT, env=env, check=True)
    assert finished.returncode == 0
    assert counts(engine) == (12, 19)
    engine.dispose()


def test_parsing_keeps_the_newest_words_and_lists_attachments() -> None:
    message = EmailMessage()
    message["From"] = "Ana Lima <Ana@Example.com>"
    message["Subject"] = "Export"
    message["Message-ID"] = "<x1@example.com>"
    message.set_content(
        "The export is empty now.\n\nBest,\nAna\n\nOn Mon, 3 Mar 2026, Lumen Support wrote:\n> Try again.\n"
    )
    message.add_attachment(b"x" * 2048, maintype="application", subtype="pdf", filename="invoice.pdf")
    parsed = parse(bytes(message))
    assert parsed.sender == "ana@example.com" and parsed.name == "Ana Lima"
    assert admit(parsed.arrival(), max_chars=20_000).body == (
        "The export is empty now.\n\n[Attachments: invoice.pdf (2 KB)]"
    )
    html = EmailMessage()
    html["From"] = "b@example.com"
    html.set_content("<p>Hello <b>there</b></p>", subtype="html")
    assert "Hello" in parse(bytes(html)).words and "<b>" not in parse(bytes(html)).words
    assert parse(bytes(html)).message_id.startswith("<sha256.")  # no Message-ID: one from the content


def test_a_mailbox_without_credentials_is_a_clear_error(sqlite_engine: Engine) -> None:
    with pytest.raises(ConfigError, match="IMAP_HOST"):
        poll(sqlite_engine, Settings(imap_host=None))


def test_our_mailed_reply_stays_in_the_customers_thread_and_their_answer_finds_the_ticket(
    imap: Settings, sqlite_engine: Engine
) -> None:
    from assist.delivery import reply_email
    from assist.store import outbox
    from assist.store.models import OutboxRow
    from assist.ticket_actions import send_reply
    from tests.factories import make_actor

    deliver(imap, mail(1, "The export fails.", sender=1))
    (ticket_id,) = poll(sqlite_engine, imap).created
    with session_scope(sqlite_engine) as session:
        agent = make_actor(session, role="agent")
        version = session.get_one(TicketRow, ticket_id).version
    send_reply(
        sqlite_engine,
        ticket_id=ticket_id,
        expected_version=version,
        text="Hi, try the CSV export again now.",
        draft_id=None,
        actor=agent,
        resolve=False,
        settings=Settings(smtp_host=None, webhook_url=None),
    )
    with session_scope(sqlite_engine) as session:
        outbox_id = session.scalars(select(OutboxRow.id)).one()
        email = reply_email(Settings(smtp_from="support@lumen.app"), outbox.outgoing(session, outbox_id=outbox_id))
    assert email["In-Reply-To"] == email["References"] == "<m1@example.com>"
    assert email["Subject"] == f"Re: Question 1 [#{ticket_id}]"
    answer = mail(2, "Works now, thanks.", sender=1, subject="Re: Question 1", answers=str(email["Message-ID"]))
    deliver(imap, answer)
    assert poll(sqlite_engine, imap).appended == [ticket_id]
