"""How customers and agents write in the demo: openings by mood, long messages with the question in the
middle, escalation sentences, repeat contacts, thank-yous, and the agents' own edits and rewrites."""

from __future__ import annotations

# How customers in each mood open and close a message reporting that something is wrong. {problem} is the wording.
OPENINGS: dict[str, tuple[str, ...]] = {
    "calm": (
        "Hi there,\n\n{problem}\n\nThanks in advance for your help.",
        "Hello,\n\n{problem} Could you point me in the right direction?\n\nBest regards",
        "Hi team, quick question. {problem}\n\nThank you!",
    ),
    "confused": (
        "Hi,\n\nI'm a bit lost. {problem} I've read the help pages but I'm not sure which steps apply to me.",
        "Hello, sorry if this is obvious. {problem} What am I supposed to do here?",
        "Hi, {problem} I don't really understand what's going on, can someone explain?",
    ),
    "frustrated": (
        "Hi,\n\n{problem} Honestly this is getting frustrating, it has already cost me a morning.",
        "{problem} I've already lost a lot of time on this and I'd really appreciate a proper answer.",
        "Hello,\n\n{problem} This is the second time this month something like this happens. Please sort it out.",
    ),
    "angry": (
        "{problem} This is completely unacceptable. I'm paying for a service that doesn't work.",
        "{problem}\n\nI am really angry about this. Nobody has given me a straight answer!!",
        "{problem} WHY is this so hard?? Fix it today.",
    ),
    "urgent": (
        "URGENT: {problem} Our whole team is blocked and we have a client deadline today.",
        "{problem} This needs attention right away, our team is blocked until it's sorted.",
        "Hi, this is time-critical. {problem} Please call me or reply within the hour.",
    ),
}

# The same moods around a how-to question: nothing is broken, so nobody demands a fix.
HOWTO_OPENINGS: dict[str, tuple[str, ...]] = {
    "calm": OPENINGS["calm"],
    "confused": OPENINGS["confused"],
    "frustrated": (
        "Hi,\n\n{problem} I've searched the help center for ages and can't find a clear answer.",
        "{problem} I've already lost a lot of time on this and I'd really appreciate a proper answer.",
        "Hello,\n\n{problem} Nobody on our team knows, and I've been clicking around all morning.",
    ),
    "angry": (
        "{problem} Why is something this basic so hard to find? This is unacceptable.",
        "{problem}\n\nI am really angry about this. Nobody has given me a straight answer!!",
        "{problem} I pay for this tool, I expect to find this without writing to support.",
    ),
    "urgent": (
        "URGENT: {problem} We need this sorted today, a client deadline depends on it.",
        "{problem} This needs attention right away, our team is waiting on it.",
        "Hi, this is time-critical. {problem} Please call me or reply within the hour.",
    ),
}

# Long messages: a greeting, some context, the question in the middle, an unrelated remark and a signature.
LONG_OPENINGS: dict[str, tuple[str, ...]] = {
    "calm": (
        "Hi Lumen team,\n\nI hope you're having a good week. We've been using Lumen at {company} for a couple of years "
        "now and it mostly works really well for us.\n\n{problem}\n\nNo huge rush, but our project leads asked me to "
        "look into it before the end of the month.\n\nMany thanks,\n{name}\nOperations, {company}",
        "Hello,\n\nQuick bit of background first: I look after our tools at {company}, so the team's questions "
        "usually land with me.\n\n{problem}\n\nOn a different note, the team really likes the new timesheet view.\n\n"
        "Kind regards,\n{name}\n{company}\nSent from my phone",
    ),
    "confused": (
        "Hi there,\n\nI took over the Lumen account at {company} from a colleague last month, so please bear with me "
        "if this is a basic one.\n\n{problem}\n\nI tried to follow the help pages but got a bit lost.\n\nThanks so "
        "much,\n{name}\n{company}",
    ),
    "frustrated": (
        "Hi,\n\nI've been going back and forth with my colleagues about this all morning and we're out of ideas.\n\n"
        "{problem}\n\nWe rely on Lumen every day, so I'd appreciate a proper answer.\n\nRegards,\n{name} | {company}",
    ),
}

# Extra sentences that make a ticket escalation-worthy; appended to some messages.
ESCALATORS: dict[str, tuple[str, ...]] = {
    "legal": (
        "If this isn't resolved by Friday I will hand the matter to our lawyer.",
        "We are considering legal action over this.",
    ),
    "churn": (
        "Frankly we're evaluating alternatives and will cancel if this keeps happening.",
        "If I don't get an answer this week we're moving to another provider.",
    ),
    "manager": (
        "I'd like to speak to a manager about this, please.",
        "Can you escalate this to someone senior? I want a human who can actually decide.",
    ),
}

# Opening words of a repeat contact about the same wording, by how many earlier tickets the customer has on it (1, 2+).
REPEAT_CONTACT: dict[bool, tuple[str, ...]] = {  # keyed by Wording.howto
    False: (
        "I already wrote to you about this and it still isn't fixed.",
        "This is now the third time I'm contacting you about exactly the same problem.",
    ),
    True: (
        "I asked you about this before, but I still haven't managed to sort it out.",
        "This is now the third time I'm contacting you about exactly the same question.",
    ),
}

# A happy customer after the agent's answer, and what the agent answers to that.
THANKS: dict[bool, tuple[str, ...]] = {  # keyed by Wording.fixable: it works again, or the answer helped
    True: ("Works now, thanks a lot for the quick help.", "That did it, all sorted on our side now. Thanks!"),
    False: ("Perfect, that's exactly what I needed. Thank you!", "Got it, thanks so much for the quick answer."),
}
THANKS_REPLY: dict[bool, str] = {
    True: "Great to hear it's working now, and thanks for letting us know. I'll close this ticket; if anything else "
    "comes up, just reply here.",
    False: "You're welcome, glad that helped. I'll close this ticket; if anything else comes up, just reply here.",
}

# What an agent adds to a draft (a light edit). The apology only goes to a customer who is upset.
EDITS = ("\n\nI've added a note to your account.", "\n\nHappy to walk you through it.")
APOLOGY = "\n\nSorry for the trouble."

# How an agent frames an answer in their own way when they rewrite a draft (where no own wording is written).
REWRITE_LEADS = (
    "Thanks for getting back to me, and for the details; they made this quick to check. ",
    "Thanks for bearing with us while I looked into this for you. ",
)
REWRITE_CLOSINGS = (
    "I'll keep this ticket open until you confirm everything works on your side.",
    "If anything still looks off, send me a screenshot and I'll take another look right away.",
)

# A lead's guidance when returning an escalation to tier 1 (the queue stores it as "Returned to tier 1: …").
RETURN_NOTE = (
    "Returned to tier 1: no lead decision needed here. The help article covers it: please answer with the steps and "
    "keep the customer posted."
)
