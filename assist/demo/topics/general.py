"""General questions: privacy and compliance, invoicing clients, approvals, support, ideas."""

from __future__ import annotations

from assist.demo.wording import ENTERPRISE_FEATURES, PLANS, PRO_FEATURES, FollowUp, Topic, Wording, topic

PRIVACY = topic(
    "privacy",
    "general",
    "privacy-gdpr",
    Wording(
        "dpa",
        ("Need a DPA",),
        ("Our legal team needs a signed Data Processing Agreement before we can roll Lumen out.",),
        (
            "Data Processing Agreement (DPA): owners can sign our standard DPA under Settings → Security → Compliance.",
            "It includes the EU Standard Contractual Clauses.",
        ),
        "An owner can sign our standard DPA right away under Settings → Security → Compliance; it includes the EU "
        "Standard Contractual Clauses.",
        (
            FollowUp(
                "Signed, thanks. Legal also wants the list of your sub-processors.",
                (
                    "Sub-processors: listed at lumen.app/legal/subprocessors; we announce changes 30 days ahead by email.",
                ),
                "They're listed at lumen.app/legal/subprocessors, and we announce changes 30 days ahead by email.",
            ),
        ),
        howto=True,
        rewrite=(
            "No need to wait for us: an owner can sign the standard DPA, EU Standard Contractual Clauses "
            "included, under Settings → Security → Compliance."
        ),
    ),
    Wording(
        "data-location",
        ("Where is our data stored",),
        ("Where is our data stored? We need it to stay in the EU.",),
        ("Where data is stored: by default in the EU (Frankfurt).",),
        "Your data is stored in the EU, in Frankfurt, by default, so it stays in the EU.",
        (
            FollowUp(
                "Our US office would prefer US hosting for their workspace. Is that possible?",
                ("Enterprise customers can choose US data residency.",),
                "US data residency is available to Enterprise customers; your account manager can set it up.",
            ),
        ),
        howto=True,
        rewrite="By default everything is stored in Frankfurt, so your data stays in the EU.",
    ),
    Wording(
        "client-data-deletion",
        ("Client asked us to delete their data",),
        ("One of our clients asked us to delete all their data. How do we do that in Lumen?",),
        (
            "if one of your clients asks you to delete their data, delete the client in Lumen; it removes their contacts "
            "and portal access.",
            "Invoices are kept while you are legally required to keep them.",
        ),
        "Delete the client in Lumen: that removes their contacts and portal access. Invoices are kept for as long as "
        "you're legally required to keep them.",
        (
            FollowUp(
                "Done. Who can our lawyer talk to if she has more privacy questions?",
                ("Questions for our Data Protection Officer: privacy@lumen.app.",),
                "She can write to our Data Protection Officer at privacy@lumen.app, who answers all privacy questions.",
            ),
        ),
        howto=True,
        rewrite=(
            "Deleting the client in Lumen removes their contacts and portal access. Their invoices stay as long "
            "as the law requires you to keep them."
        ),
    ),
)

SECURITY = topic(
    "security",
    "general",
    "security-compliance",
    Wording(
        "soc2-report",
        ("SOC 2 report request",),
        ("Can you send us your SOC 2 report for our vendor review?",),
        (
            "SOC 2 Type II: audited yearly. Owners can download the report from Settings → Security → Compliance after accepting an NDA.",
        ),
        "Our SOC 2 Type II report is audited yearly, and an owner can download it under Settings → Security → "
        "Compliance after accepting the NDA there.",
        (
            FollowUp(
                "Got it. Our security team also has a 120-question questionnaire. Can you fill it in?",
                (
                    "Security questionnaires: Enterprise customers can send questionnaires to their account manager; we "
                    "answer within 10 business days.",
                ),
                "Yes: please send it to your account manager, and we answer within 10 business days.",
            ),
        ),
        plans=ENTERPRISE_FEATURES,
        howto=True,
        rewrite=(
            "An owner can download our SOC 2 Type II report (audited every year) under Settings → Security → "
            "Compliance once they've accepted the NDA."
        ),
    ),
    Wording(
        "pentest-summary",
        ("Penetration test summary",),
        ("Do you run penetration tests? Our CISO would like to see a summary.",),
        ("Penetration tests: by an external firm every year; a summary is available on request.",),
        "Yes: an external firm tests Lumen every year, and a summary is available on request. I'll send it to you.",
        (
            FollowUp(
                "Thanks. Is our data encrypted at rest as well?",
                ("Encryption: TLS 1.2+ in transit, AES-256 at rest.",),
                "Yes: your data is encrypted with AES-256 at rest, and with TLS 1.2 or newer in transit.",
            ),
        ),
        howto=True,
        rewrite="We do: an external firm runs a penetration test every year, and I can send you the summary.",
    ),
)

CLIENT_INVOICING = topic(
    "client-invoicing",
    "general",
    "client-invoicing",
    Wording(
        "no-pay-button",
        ("Client can't pay invoice online",),
        ("My client says there's no pay button on the invoice I sent.",),
        (
            "Connect Stripe or PayPal under Settings → Payments.",
            "Clients can then pay by card or bank transfer from the invoice link; the invoice is marked paid automatically.",
        ),
        "The pay button appears once a payment provider is connected: connect Stripe or PayPal under Settings → "
        "Payments. Your client can then pay by card or bank transfer from the same invoice link, and the invoice is "
        "marked paid automatically.",
        (
            FollowUp(
                "Connected Stripe, the button is there now. Does Lumen take a fee on those payments?",
                ("Lumen does not charge a fee on client payments; the payment provider's fees apply.",),
                "No, Lumen doesn't charge a fee on client payments; only Stripe's own fees apply.",
            ),
        ),
        rewrite=(
            "Clients only see a pay button once Stripe or PayPal is connected under Settings → Payments. After "
            "that they can pay by card or bank transfer from the invoice link, and the invoice is marked paid on "
            "its own."
        ),
        fixable=True,
    ),
    Wording(
        "payment-reminders",
        ("Automatic payment reminders",),
        ("Can Lumen remind my clients automatically when an invoice is overdue?",),
        (
            "Turn on automatic reminders under Settings → Invoices → Reminders: before the due date, on the due date, and every 7 days after.",
        ),
        "Yes: turn on automatic reminders under Settings → Invoices → Reminders. They go out before the due date, on the "
        "due date, and every 7 days after.",
        (
            FollowUp(
                "Great. One client also needs a purchase order number on every invoice. Where do I add it?",
                ("Check line items, tax rates and due date. Add a purchase order number if your client needs one.",),
                "You add it while creating the invoice, in the step where you check line items, tax rates and due date.",
            ),
        ),
        howto=True,
        non_native="Hello, is possible that Lumen send reminder to my clients automatic when the invoice is overdue?",
        rewrite=(
            "It can: switch on reminders under Settings → Invoices → Reminders, and clients get one before the "
            "due date, one on it, and one every 7 days after."
        ),
    ),
    Wording(
        "edit-sent-invoice",
        ("Edit a sent invoice",),
        ("I sent an invoice with the wrong hourly rate. Can I still change it?",),
        ("Sent invoices can be edited until they are paid; the client's link always shows the latest version.",),
        "Yes, as long as it isn't paid: sent invoices can be edited until they're paid, and your client's link always "
        "shows the latest version.",
        (
            FollowUp(
                "Too late for this one, the client already paid it. What now?",
                ("For a paid invoice, issue a credit note from ⋯ → Credit note.",),
                "For a paid invoice, issue a credit note from ⋯ → Credit note on the invoice, then send a new one with "
                "the right rate.",
            ),
        ),
        rewrite="You can, until it's paid: edit the invoice, and your client's link will show the corrected version.",
    ),
    plans=PLANS,
)

APPROVALS = topic(
    "approvals",
    "general",
    "time-tracking-approvals",
    Wording(
        "approvals-setup",
        ("Timesheet approvals",),
        ("How do I set it up so that managers approve timesheets before we invoice?",),
        (
            "Turn on Settings → Time → Require approval and choose approvers per project.",
            "Members submit their week from Timesheet → Submit week.",
            "Approvers see submitted weeks under Approvals and can approve or reject with a comment.",
        ),
        "Turn on Settings → Time → Require approval and choose the approvers per project. Members then submit their "
        "week from Timesheet → Submit week, and approvers approve or reject it under Approvals.",
        (
            FollowUp(
                "One week was approved with a typo in it. Where is the Unlock option?",
                (
                    "Approved entries are locked; an admin can unlock a week from Approvals → ⋯ → Unlock if a correction is needed.",
                ),
                "Approved entries are locked, and an admin unlocks the week from Approvals → ⋯ → Unlock; then the "
                "member can correct it and submit it again.",
            ),
        ),
        howto=True,
        rewrite=(
            "Switch on Settings → Time → Require approval and pick approvers for each project. Members submit "
            "their week under Timesheet → Submit week, and the approvers approve or reject it under Approvals."
        ),
    ),
    Wording(
        "fix-approved-week",
        ("Unlock an approved week", "Fix an approved timesheet"),
        ("A week was approved with a mistake in it. How can the employee fix it?",),
        (
            "Approved entries are locked; an admin can unlock a week from Approvals → ⋯ → Unlock if a correction is needed.",
        ),
        "Approved entries are locked, so an admin first unlocks the week from Approvals → ⋯ → Unlock; then the employee "
        "can correct it.",
        (
            FollowUp(
                "Unlocked and corrected. Does the employee need to send it in again?",
                ("Members submit their week from Timesheet → Submit week.",),
                "Yes: they submit the week again from Timesheet → Submit week, and it goes back to the approver.",
            ),
        ),
        terse="approved week has a mistake. how to fix",
        rewrite=(
            "Approved weeks are locked, so an admin needs to unlock it first (Approvals → ⋯ → Unlock). After that"
            " the employee can make the correction."
        ),
    ),
    Wording(
        "hours-not-invoiceable",
        ("Hours greyed out on invoice",),
        ("Why can't I add some of this week's hours to the client invoice? They're greyed out.",),
        ("Only approved time can be added to invoices.",),
        "Your workspace requires approval, and only approved time can be added to invoices. Those hours haven't been "
        "approved yet.",
        (
            FollowUp(
                "Who can approve them?",
                ("Approvers see submitted weeks under Approvals and can approve or reject with a comment.",),
                "The approvers chosen for that project: once the member submits the week, they see it under Approvals "
                "and can approve or reject it.",
            ),
        ),
        rewrite="Only approved time can go on an invoice, and those hours haven't been approved yet.",
    ),
    plans=PRO_FEATURES,
)

SUPPORT = topic(
    "support",
    "general",
    "support-hours",
    Wording(
        "support-hours",
        ("Support hours",),
        ("What are your support hours? We're in Sydney.",),
        ("Monday to Friday, 07:00–19:00 UTC.",),
        "Our support team works Monday to Friday, 07:00–19:00 UTC, which is early evening to early morning in Sydney. "
        "Anything you send outside those hours is answered first thing.",
        (
            FollowUp(
                "Do you have weekend support for emergencies?",
                ("Enterprise customers have 24/7 support for urgent issues (the whole team cannot work).",),
                "Around-the-clock support is part of Enterprise: Enterprise customers have 24/7 support for urgent "
                "issues, when the whole team cannot work. On other plans, weekend messages are answered on Monday.",
            ),
        ),
        howto=True,
        rewrite=(
            "We're here Monday to Friday from 07:00 to 19:00 UTC, which for you in Sydney is early evening to "
            "early morning. Messages that arrive outside those hours are picked up first thing."
        ),
    ),
    Wording(
        "feature-request",
        ("Feature request: Gantt view",),
        ("Could you add a Gantt chart view for projects? We'd really use it.",),
        (
            "We read every request. Post ideas and vote at lumen.app/ideas, or tell support and we will log it for you with your workspace attached.",
        ),
        "Thanks for the idea! We read every request: I've logged it for you with your workspace attached, and you can "
        "also vote for it at lumen.app/ideas.",
        (
            FollowUp(
                "When can we expect it?",
                ("We do not promise release dates for planned features.",),
                "I can't give you a date, I'm afraid: we don't promise release dates for planned features. You'll get an "
                "email when its status changes.",
            ),
        ),
        article="feature-requests",
        howto=True,
        rewrite=(
            "Thanks for the suggestion! I've logged it with your workspace attached; you can also vote for it at "
            "lumen.app/ideas, where the product team reviews the most-voted ideas every month."
        ),
    ),
    plans=PLANS,
)

TOPICS: tuple[Topic, ...] = (PRIVACY, SECURITY, CLIENT_INVOICING, APPROVALS, SUPPORT)
