"""Support signals: the things in a message (and its history) that a lead would want flagged.

Text signals use whole-word patterns, so look-alikes do not fire ("pursue" is not "sue", "Scunthorpe"
is not profanity), and threats are ignored when negated just before ("I'm not going to sue").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assist.domain import ContactHistory, Signal

LONG_WAIT_HOURS = 24.0
CHASING_MESSAGES = 3  # customer messages in a row with no reply: they are asking again
# "If not, I'd like to speak to someone senior": "if not" and "or not" make a condition, they negate nothing after them.
_NEGATION = re.compile(
    r"\b((?<!\bif )(?<!\bor )not|never|no|don't|dont|won't|wont|wouldn't|isn't|am not|i'm not|without)\b", re.I
)

_PATTERNS: dict[Signal, re.Pattern[str]] = {
    Signal.LEGAL_THREAT: re.compile(
        r"\b(sue|suing|sued|lawsuit|legal action|legal proceedings|litigation|"
        r"small claims|take (you|this|the matter) to court|consumer protection|ombudsman)\b",
        re.I,
    ),
    Signal.CHURN_THREAT: re.compile(
        r"\b(cancel (my|our) (account|subscription|plan|contract)|(switch|switching|move|moving|go|going) to "
        r"(a |an )?(competitor|another (provider|tool|service|vendor)|different (provider|tool|service))|"
        r"evaluating alternatives|looking at alternatives|take (my|our) business elsewhere|leave lumen|"
        r"won't renew|will not renew|not renewing)\b",
        re.I,
    ),
    Signal.HUMAN_REQUEST: re.compile(
        r"\b((speak|talk|chat) (to|with) (a |an |your )?(human|real person|person|manager|supervisor|someone senior)|"
        r"real (human|person)|(your|a) (manager|supervisor)|escalate (this|it|my)|someone senior|not a bot|"
        r"hear (back )?from (a |an )?(human|real person|person))\b",
        re.I,
    ),
    Signal.PROFANITY: re.compile(
        r"\b(fuck\w*|f\*+k\w*|shit\w*|bullshit|crap|crappy|damn|goddamn|wtf|bastards?|bloody hell|piss(ed)? off|"
        r"asshole|dickheads?|screw you|sucks)\b",
        re.I,
    ),
    Signal.BILLING_DISPUTE: re.compile(
        r"\b(chargebacks?|charge ?back|disput(e|ed|ing)|charged (me )?twice|double[- ]?charged|double charge|"
        r"unauthori[sz]ed (charge|payment|transaction)|fraudulent (charge|payment)|overcharged)\b",
        re.I,
    ),
    Signal.SECURITY_INCIDENT: re.compile(
        r"\b((someone|somebody|a stranger|an unknown (person|device)) (else )?(has )?(logged|signed|got) (in|into)|"
        r"(account|accounts|password|api key|key|token) (was |were |has been |have been |got )?(hacked|compromised|"
        r"leaked|stolen|exposed)|(leaked|exposed|stolen|compromised) (our |my |an? )?(api key|password|token|keys?)|"
        r"hacked|phishing|unauthori[sz]ed (access|login|sign-?in)|suspicious (login|sign-?in|activity)|"
        r"data breach|security (hole|flaw|vulnerability|issue|incident)|vulnerabilit(y|ies)|xss|"
        r"account takeover|"
        # Secrets handed to someone else, such as a caller posing as us ("gave them the full card number", "might
        # have given them something"): a caller only asking for them is phishing to explain, not yet an incident.
        r"(gave|given|shared|read out|told|sent) (them|him|her|the caller)\b[^.!?\n]{0,25}?\b"
        r"(card (number|details)|credit card|password|passcode|pin|(security|verification|one-time|2fa) code|"
        r"bank details)|(might|may|could) have (given|told|shared with) (them|him|her|the caller) "
        r"(something|anything))\b",
        re.I,
    ),
    # Time the problem already cost them ("I've wasted hours", issue 35): the model reads such a polite sentence
    # calm (#288's "I've already lost a lot of time on this" at 5 %). "Sorry for wasting your time" is not it.
    Signal.LOST_TIME: re.compile(
        r"\b((lost|wasted|losing|wasting|burned|burnt) (so much |a lot of |hours of |days of |way too much |too much "
        r"|enough )?(time|hours|days|a day|a morning|an afternoon|the (whole |entire )?(day|morning|afternoon|week))|"
        r"(cost|costing) (me|us) (so much time|hours|a day|a morning|an afternoon|the (whole |entire )?"
        r"(day|morning|afternoon)))\b",
        re.I,
    ),
    Signal.TIME_PRESSURE: re.compile(
        r"\b(urgent(ly)?|asap|as soon as possible|immediately|right away|right now|within the hour|time[- ]critical|"
        r"emergency|deadline|can't wait|cannot wait|(whole|entire) team is blocked|we are blocked|we're blocked|"
        r"by (the )?end of (the )?day|by (tomorrow|tonight|monday|tuesday|wednesday|thursday|friday)|"
        r"\beod\b|payroll closes)\b",
        re.I,
    ),
}
# Naming a lawyer is a threat when it is said as one ("I will hand the matter to our lawyer", "my solicitor will be
# in touch"), however calmly. Asked about in a question ("Who can our lawyer talk to about privacy?"), or asking one
# ("our lawyer wants to know…"), it is a threat only if the message reads fed up (`analyze`); a formal threat is
# often calm, so any other statement counts.
_COUNSEL = re.compile(r"\b(lawyers?|attorneys?|solicitors?)\b", re.I)
# A condition that names where they would go is a churn threat ("if I don't get one we're moving to Harvest", "or we
# cancel today and move to Clockify"); our own plans are not elsewhere, and a question ("If we move to Google
# Workspace, does SSO still work?") is not a threat. The name is capitalised, so only the other words ignore case.
_LEAVING_FOR = re.compile(
    r"\b(?i:(if|unless|otherwise|or)\b[^.?!\n]{0,80}?\b"
    r"(?P<verb>move|moving|switch|switching|migrate|migrating)( over| back)? to) "
    r"(?!(?i:free|starter|pro|business|enterprise|annual|monthly|yearly|lumen|the|a|an|another|our|my)\b)"
    r"(?P<name>[A-Z][\w-]{2,})\b[^?\n]*?(?=[.!\n]|$)"
)
# A condition that ends with them leaving, without naming where to ("Fix it or we're gone", "If not, we'll have to
# look at other tools", "otherwise we will have to cancel"): they say it of themselves, and not as a question ("Can I
# pause our plan, or do I have to cancel?"). In the labelled ticket sets every match is an escalation.
_LEAVING_UNLESS = re.compile(
    r"\b(?i:(or|otherwise|else|if not|unless)\b[^.?!;\n]{0,60}?\b(?=(we|i)\b)[^.?!;\n]{0,40}?\b"
    r"(?P<verb>cancel(l?ing|l?ed)?|go(ing)? elsewhere|(we're|we are|i'm|i am) (gone|done with (you|lumen))|"
    r"leav(e|ing)(?! a\b)|look(ing)? (at|for|into) (other|another|alternative)|find (another|a new|a different)))"
    r"\b[^?\n]*?(?=[.!;\n]|$)"
)
_SENTENCE_END = re.compile(r"[.!?\n]")
# A lawyer who is asking ("our lawyer wants to know when the data is gone") puts a question, however it is punctuated.
_ASKING = re.compile(
    r"\s+(wants?|would like|needs?|asked|asks|has asked|is asking)\s+(us\s+|me\s+)?"
    r"(to (know|check|confirm|understand)|whether|if|how|when|what|which|where|why|about)\b",
    re.I,
)
_REPEAT_TEXT = re.compile(
    r"\b((second|third|fourth|fifth|2nd|3rd|4th|5th|\d+th) time|"
    r"this is (now |already )?(my|our|the) (second|third|fourth|fifth|2nd|3rd|4th|5th) "
    r"(email|e-mail|message|mail|ticket|request|attempt)|"
    r"already (wrote|written|contacted|reported|asked|emailed)|"
    r"(reported|asked|contacted you about) this (twice|before|already)|again and again|"
    r"still (not|no|hasn't|haven't))\b",
    re.I,
)
_ACRONYMS = {
    "API",
    "VAT",
    "SSO",
    "SAML",
    "CSV",
    "PDF",
    "URL",
    "ID",
    "IBAN",
    "SEPA",
    "ACH",
    "GDPR",
    "DPA",
    "SOC",
    "HTTP",
    "HTTPS",
    "EU",
    "US",
    "UK",
    "USD",
    "EUR",
    "GBP",
    "INV",
    "OK",
    "FAQ",
    "IT",
    "CEO",
    "CTO",
    "HR",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")


@dataclass(frozen=True)
class Detected:
    signals: tuple[Signal, ...]
    evidence: dict[str, str]
    if_fed_up: tuple[Signal, ...] = ()  # signals that count only when the message itself reads fed up


def detect(text: str, history: ContactHistory | None = None) -> Detected:
    """Every signal in `text` and `history`, with the words (or facts) that triggered each."""
    history = history or ContactHistory()
    found: dict[Signal, str] = {}
    for signal, pattern in _PATTERNS.items():
        match = _first_unnegated(pattern, text)
        if match:
            found[signal] = match
    if_fed_up: tuple[Signal, ...] = ()
    counsel = [] if Signal.LEGAL_THREAT in found else list(_unnegated_matches(_COUNSEL, text))
    if counsel:
        found[Signal.LEGAL_THREAT] = counsel[0].group(0)
        # Only when every mention asks or is asked about: "Our lawyer wants to know why. If this isn't refunded our
        # lawyer will be in touch." is a threat however calmly put.
        if all(_in_question(text, c.end()) or _ASKING.match(text, c.end()) for c in counsel):
            if_fed_up = (Signal.LEGAL_THREAT,)
    leaving = None if Signal.CHURN_THREAT in found else _LEAVING_FOR.search(text)
    # The condition comes first, so the negation to look for is the one just before the move ("not moving to"),
    # within a few words: "if I don't get one we're moving to Harvest" is still a threat.
    if leaving and not _negated(text, leaving.start("verb"), reach=12):
        found[Signal.CHURN_THREAT] = f"moving to {leaving.group('name')}"
    unless = None if Signal.CHURN_THREAT in found else _LEAVING_UNLESS.search(text)
    if unless and not _negated(text, unless.start("verb"), reach=12):
        found[Signal.CHURN_THREAT] = unless.group(0).strip()[:80]
    repeat = _first_unnegated(_REPEAT_TEXT, text)
    if history.earlier_contacts_same_issue > 0:
        found[Signal.REPEAT_CONTACT] = f"{history.earlier_contacts_same_issue + 1} contacts about this issue"
    elif repeat:
        found[Signal.REPEAT_CONTACT] = repeat
    if history.hours_waiting >= LONG_WAIT_HOURS:
        found[Signal.LONG_WAIT] = f"waiting {history.hours_waiting:.0f} h for a reply"
    if history.unanswered_messages >= CHASING_MESSAGES:
        found[Signal.CHASING] = f"{history.unanswered_messages} messages since our last reply"
    if history.previously_escalated:
        found[Signal.PREVIOUS_ESCALATION] = "an earlier ticket was escalated"
    shouting = _shouting(text)
    if shouting:
        found[Signal.ALL_CAPS] = shouting
    bangs = re.search(r"!{2,}|(?:![^!]*){3,}", text)
    if bangs:
        found[Signal.EXCLAMATIONS] = bangs.group(0)[:20]
    ordered = tuple(s for s in Signal if s in found)
    return Detected(signals=ordered, evidence={s.value: found[s] for s in ordered}, if_fed_up=if_fed_up)


def _in_question(text: str, at: int) -> bool:
    """Whether the sentence around position `at` ends with a question mark."""
    end = _SENTENCE_END.search(text, at)
    return end is not None and end.group(0) == "?"


def _first_unnegated(pattern: re.Pattern[str], text: str) -> str | None:
    match = next(_unnegated_matches(pattern, text), None)
    return match.group(0) if match else None


def _unnegated_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    return (m for m in pattern.finditer(text) if not _negated(text, m.start()))


def _negated(text: str, at: int, *, reach: int = 25) -> bool:
    """Whether a negation comes just before position `at`, in the same clause ("...do not escalate. I will sue
    you" is still a threat, and so is "If you don't refund me, I will sue": the comma ends the condition)."""
    return bool(_NEGATION.search(re.split(r"[.!?;,\n]", text[:at])[-1][-reach:]))


def _shouting(text: str) -> str | None:
    """Three or more capitalised words in a row, or a mostly capitalised message (acronyms excluded)."""
    words = [w for w in _WORD.findall(text) if w.upper() not in _ACRONYMS]
    caps = [w for w in words if len(w) >= 2 and w.isupper()]
    if len(words) >= 4 and len(caps) / len(words) >= 0.6:
        return " ".join(caps[:5])
    run: list[str] = []
    for word in words:
        if len(word) >= 2 and word.isupper():
            run.append(word)
            if len(run) >= 3:
                return " ".join(run)
        else:
            run = []
    return None
