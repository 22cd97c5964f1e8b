"""Fixtures the security suite shares with the feature tests."""

from tests.test_mail_in import imap  # noqa: F401 (the real Dovecot mailbox, for the mail findings)
