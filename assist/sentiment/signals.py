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
# "If not, I'd like to speak to someone senior": "if not" and "or not" make a condition, they negate nothing after them;
# "no choice" does not either, it announces one ("I have no choice but to take legal action").
_NEGATION = re.compile(
    r"\b((?<!\bif )(?<!\bor )not|never|no(?! (other )?(choice|option|alternative)s?\b)|don't|dont|won't|wont|"
    r"wouldn't|isn't|aren't|am not|i'm not|without)\b",
    re.I,
)

_PATTERNS: dict[Signal, re.Pattern[str]] = {
    Signal.LEGAL_THREAT: re.compile(
        r"\b(sue|suing|sued|lawsuit|legal action|legal proceedings|litigation|"
        r"small claims|take (you|this|the matter) to court|consumer protection|ombudsman|"
        # A complaint to a regulator, made or said as what they will do: the support-style sets label "I'll be
        # lodging a complaint with the ICO" a legal threat, and the ticket sets escalate it. Reporting "this" is
        # often a duty ("you must report this to the ICO within 72 hours"), so only reporting us counts; a question
        # about one ("should I report you to the ICO?") does not (the sentence's end, looked for within 300
        # characters so a long message is read in linear time).
        r"((lodge|lodging|lodged|file|filing|filed|make|making|made|submit|submitting|submitted|raise|raising|"
        r"raised|send|sending|sent) an? (formal |official )?complaint|complain|complaining|complained|"
        r"(report|reporting|reported) (you|lumen|your company)) (with|to) (the )?(ico|information commissioner"
        r"('s office)?|cnil|data protection (authority|authorities|regulator|commission|commissioner)|supervisory "
        r"authority|regulators?|ftc|trading standards|attorney general|cfpb|better business bureau|bbb)\b"
        r"(?=[^?\n]{0,300}?([.!](\s|$)|\n|$)))\b",
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
        r"real (human|person)|escalate (this|it|my)|someone senior|not a bot|"
        r"(unless|until) (i|we) hear (back )?from (a |an )?(human|real person|person)|"
        # A manager asked for ("pass this to a manager", "get me a manager"), not one named: managers approve
        # timesheets here, so "As a manager, how do I approve…" and "so a manager checks hours" ask nothing of us.
        r"((i'd|i would|we'd|we would) like|(i|we) want|get me|give me|get|put me through to|pass (this|it)( on)? to|"
        r"hand(ed)? (this |it )?(over )?to|handled by|escalated? (this |it )?to|transfer (me|this|it) to) "
        r"(an? [a-z]+ or )?(a|your) (manager|supervisor)(?!'s| role| account))\b",
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
        r"(something|anything)|"
        # A secret published ("pushed our API key to a public GitHub repo"), another company's data in sight
        # ("clients that aren't ours", "someone else's data"), a change they did not make ("my password was
        # changed. I did NOT change it"): issue 32's labelled tickets escalate each.
        r"(api key|secret|token|password|credentials|\.env)\b[^.!?\n]{0,80}?\bpublic (github |gitlab )?"
        r"(repo|repository)|"
        r"(someone else's|another (company's|customer's|workspace's)) data|(clients|projects|invoices|data) that "
        r"(aren't|are not) ours|(password|e-?mail( address)?|2fa|two-factor[a-z ]*) (was|has been|got) (changed|reset|"
        r"turned off|disabled)\b[^!?\n]{0,40}?\bi (did not|didn't|never) (change|reset|request|turn|disable|do))\b",
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
# A condition followed at once by what they will do, said of themselves: "Fix it or we're gone", "If not, we'll
# honestly have to look at other tools", "otherwise we will have to cancel", "If this isn't fixed by Friday, I'm
# cancelling". Only leaving counts: cancelling with no object or with the account (not "cancel the duplicate
# order"), being gone or done, going elsewhere, leaving Lumen or us (not "leave the workspace", "on leave"), other
# tools or providers (not "another time"). A question is not a threat ("or do I have to cancel?").
_LEAVING_ON_CONDITION = re.compile(
    r"""(?ix)
    (?: \b(?:or|otherwise|else|if\ not)\b ,?\s* (?:then\s+)?      # "or we…", "If not, we…"
      | \b(?:if|unless)\b [^.?!;,\n]{1,80} ,\s* (?:then\s+)?      # "If this isn't fixed by Friday, I…"
    )
    (?=(?:we|i)\b) [^.?!;\n]{0,50}?                                # they say it of themselves
    (?P<verb>
        cancel(?:l?ing)?\b (?!\s+(?:the|a|an|one|this|that|it|them|any|each)\b)
      | (?:we're|we\ are|i'm|i\ am)\ (?:gone|out|done)\b (?=\s*(?:[.!\n]|$))
      | (?:go|going|look|looking)\ elsewhere
      | take\ (?:our|my)\ business\ elsewhere
      | leav(?:e|ing)\ (?:you|lumen)\b (?:\ (?:too|as\ well|for\ good))? (?=\s*(?:[.!\n]|$))
      | (?:look|looking)\ (?:at|for|into)\ (?:other|another|alternative|a\ new|a\ different)\s
        (?:tools?|providers?|vendors?|services?|solutions?|software|products?)\b
      | look(?:ing)?\ at\ alternatives
      | find\ (?:another|a\ new|a\ different)\ (?:tool|provider|vendor|service|solution)\b
      | switch(?:ing)?\ (?:providers?|tools?|vendors?|services?)\b
      | stop\ paying\b
    )
    [^?\n]*? (?=[.!;\n]|$)                                           # the sentence is not a question
    """
)
_SENTENCE_END = re.compile(r"[.!?\n]")
# Where a sentence's own clause begins after what came first: the comma closing an opening condition, or "but".
_OPENING_CONDITION = re.compile(r"^\s*(?:if|unless|when|whether)\b[^,]*,|,\s*but\b", re.I)
# A lawyer who is asking ("our lawyer wants to know when the data is gone") puts a question, however it is punctuated.
_ASKING = re.compile(
    r"\s+(wants?|would like|needs?|asked|asks|has asked|is asking)\s+(us\s+|me\s+)?"
    r"(to (know|check|confirm|understand)|whether|if|how|when|what|which|where|why|about)\b",
    re.I,
)
_REPEAT_TEXT = re.compile(
    r"\b((second|third|fourth|fifth|2nd|3rd|4th|5th|\d+th) time|"
    # "This is my third email." / "…message about this" / "…email asking for…"; not "the second email address".
    r"this is (now |already )?(my|our) (second|third|fourth|fifth|\d+(st|nd|rd|th)) "
    r"(email|e-mail|message|mail|request|follow-up)(?=\s*([.!;\n]|$)|\s+(about|regarding|re|asking|chasing)\b)|"
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
    leaving = None if Signal.CHURN_THREAT in found else _leaving(text)
    if leaving:
        found[Signal.CHURN_THREAT] = leaving
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


def _leaving(text: str) -> str | None:
    """The words of a conditional threat to leave: moving to a named tool, or leaving without naming one. The
    condition comes first, so the negation to look for is the one just before the move ("not moving to"), within
    a few words: "if I don't get one we're moving to Harvest" is still a threat."""
    named = _LEAVING_FOR.search(text)
    if named and not _negated(text, named.start("verb"), reach=12):
        return f"moving to {named.group('name')}"
    unnamed = _LEAVING_ON_CONDITION.search(text)
    if unnamed and not _negated(text, unnamed.start("verb"), reach=12):
        return text[unnamed.start() : unnamed.end("verb")].strip()
    return None


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
    """Whether a negation comes just before position `at`, in the same clause: "...do not escalate. I will sue
    you" is still a threat, and so are "If you don't refund me, I will sue" and "Not today, but we are evaluating
    alternatives" (a negation in an opening condition, or before "but", stays there); "We won't, under any
    circumstances, cancel our subscription" is not one."""
    clause = _OPENING_CONDITION.split(re.split(r"[.!?;\n]", text[:at])[-1])[-1]
    # Searched from a start position, not in a cut-off tail, so "if not" is seen whole however long the clause.
    return bool(_NEGATION.search(clause, max(0, len(clause) - reach)))


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
