"""The one rule for each identifier that comes from outside: an e-mail address (customers and users) and a
helpdesk's ticket id (imports, the HTTP intake, the mailbox). Every path that creates or looks one up calls
these, so two spellings of one address are one customer and every stored id can be addressed again.
"""

from __future__ import annotations

import re
import unicodedata

from assist.errors import ValidationError
from assist.store import limits

MAX_EMAIL_CHARS = min(limits.EMAIL, limits.CUSTOMER_EMAIL)  # what the database holds, read from the columns
MAX_EXTERNAL_ID_CHARS = limits.EXTERNAL_ID  # tickets.external_id
# RFC 5322 dot-atom characters (letters and digits of any script, for SMTPUTF8 addresses); no quoted local
# parts: `,` `;` `<` `"` and spaces would make one address read as several in a reply's To: header.
_ATOM = r"[\w!#$%&'*+/=?^`{|}~-]+"
_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+")


def normalise_email(value: str) -> str:
    """The stored form of an e-mail address: outer whitespace stripped, lower-cased, NFKC.

    The whole address is lower-cased, not only the domain: every address stored so far was, and real
    mailboxes do not tell `Ana@` from `ana@`. `lower()`, not `casefold()`: casefolding turns ß into ss, a
    different domain under IDNA 2008.

    Raises:
        ValidationError: whitespace, a control or an invisible character inside, or not an address.
    """
    text = value.strip()
    if len(text) > MAX_EMAIL_CHARS:  # before any regex: a long value costs nothing to refuse
        raise ValidationError(f"The e-mail address is {len(text):,} characters; the limit is {MAX_EMAIL_CHARS}.")
    hidden = next((ch for ch in text if unicodedata.category(ch)[0] in "ZC"), None)
    if hidden is not None:
        raise ValidationError(
            f"'{_shown(text)}' is not an email address: it has a space, line break or invisible character "
            f"(U+{ord(hidden):04X}) inside. Correct it and send it again."
        )
    # NFKC: full-width, mathematical and ligature letters are the address they look like, not a second customer.
    address = unicodedata.normalize("NFKC", text).lower()
    if "=?" in address or "?=" in address:  # a MIME encoded word: mail software would decode it to another address
        raise ValidationError(f"'{_shown(address)}' is not an email address: it holds a MIME encoded word (=?…?=).")
    if not _EMAIL.fullmatch(address):
        raise ValidationError(f"'{_shown(address)}' is not an email address.")
    return address


def check_external_id(value: str) -> str:
    """A helpdesk's ticket id, stripped, if it can be stored and addressed again.

    The follow-up route is `/api/tickets/{external_id:path}/messages`, so a `/` is fine once the client
    percent-encodes the id. Refused: whitespace, controls and invisible characters (a look-alike of another
    id), `%` (a proxy that decodes twice would turn `%2F` into `/`), and `.` or `..` alone (clients resolve
    them as path segments before sending).

    Raises:
        ValidationError: empty, too long, or a character above.
    """
    text = value.strip()
    if not text:
        raise ValidationError("The external id is empty; send the helpdesk's ticket id.")
    if len(text) > MAX_EXTERNAL_ID_CHARS:
        raise ValidationError(
            f"external_id is {len(text):,} characters; the limit is {MAX_EXTERNAL_ID_CHARS}. Shorten it, then send "
            "it again."
        )
    bad = next((ch for ch in text if unicodedata.category(ch)[0] in "ZC" or ch == "%"), None)
    if bad is not None or text in {".", ".."}:
        what = f"U+{ord(bad):04X}" if bad is not None else f"'{text}' alone"
        raise ValidationError(
            f"The external id '{_shown(text)}' holds {what}, which cannot be used in the intake's URLs; use the "
            "helpdesk's id without spaces, invisible characters or '%'."
        )
    return unicodedata.normalize("NFC", text)


def _shown(text: str) -> str:
    """A refused value, short and printable, for an error message."""
    return "".join(ch if ch.isprintable() else "�" for ch in text[:80])
