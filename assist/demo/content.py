"""Words for the demo workspace: support topics for the fictional SaaS "Lumen", and the ways
customers in different moods write about them. `assist.demo` combines them deterministically.

Each topic names the knowledge-base article (in `kb_docs/`) that answers it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    key: str
    category: str
    article: str
    subjects: tuple[str, ...]
    problems: tuple[str, ...]  # the customer's own description, several wordings
    follow_ups: tuple[str, ...]  # what they write when it is still not solved
    agent_reply: str  # what a good agent answered (grounded in `article`)
    also: tuple[str, ...] = ()  # other articles that answer it as well (used when scoring retrieval)


TOPICS: tuple[Topic, ...] = (
    Topic(
        "reset-email-missing",
        "account",
        "password-reset",
        ("Password reset email not arriving", "Can't reset my password", "No reset link"),
        (
            "I clicked 'Forgot password' three times this morning and no email ever showed up. I checked spam too.",
            "The password reset link never arrives. My colleague got hers in seconds, so I'm not sure what's different for me.",
            "Trying to reset my password but the email doesn't come. I need to get into my timesheets before payroll closes.",
        ),
        (
            "Still no reset email. I've tried again and checked every folder.",
            "I requested another link and got nothing again.",
        ),
        "Thanks for the details. Reset emails come from no-reply@lumen.app and can take up to five minutes; "
        "corporate filters sometimes hold them, so it's worth asking IT to allow lumen.app. Also note that if your "
        "workspace uses SSO, password reset is disabled and you sign in through your identity provider instead. "
        "Could you confirm the exact address you sign in with?",
    ),
    Topic(
        "reset-link-expired",
        "account",
        "password-reset",
        ("Reset link expired", "Password link says invalid"),
        (
            "The reset link says it has expired, but I only got it yesterday evening.",
            "Every time I click the password reset link it says 'link expired or already used'.",
        ),
        ("I tried the newest link and it still says expired.",),
        "Reset links are valid for 60 minutes and only the newest one works, so an older email will show that message. "
        "Please request a fresh link from the sign-in page and use it right away.",
    ),
    Topic(
        "2fa-lost-phone",
        "account",
        "two-factor-authentication",
        ("Lost phone, can't get 2FA code", "2FA locked me out", "New phone - authenticator codes gone"),
        (
            "I got a new phone and my authenticator app didn't transfer. Now I can't log in because Lumen wants a 2FA code.",
            "My phone was stolen over the weekend and with it my two-factor app. How do I get back into my account?",
            "The 6-digit codes from my authenticator keep getting rejected and I'm locked out.",
        ),
        (
            "I don't have the recovery codes either. I'm the only owner of our workspace.",
            "Still can't get in. The codes are definitely from the right account.",
        ),
        "You can sign in with one of the recovery codes you saved when you turned on 2FA (choose 'Use a recovery code'). "
        "If you don't have them, another owner or admin can reset 2FA under Settings → Members. If you're the only owner, "
        "we can verify ownership with a recent invoice number and the last 4 digits of the card on file.",
    ),
    Topic(
        "sso-audience",
        "account",
        "sso-saml",
        ("SSO error: audience mismatch", "SAML setup failing with Okta", "Entra ID login not working"),
        (
            "We're setting up SAML with Okta and every test fails with 'Invalid SAML response: audience mismatch'.",
            "Our IT team configured Microsoft Entra ID but users get 'Signature validation failed' since this morning.",
            "After we enforced SSO, two of our people get 'User not provisioned' when they try to log in.",
        ),
        ("We copied the Entity ID again and it still fails.",),
        "That error means the Entity ID in your identity provider doesn't exactly match the one in Lumen, including the "
        "trailing slash. Please copy it again from Settings → Security → Single sign-on and run Test connection.",
    ),
    Topic(
        "account-locked",
        "account",
        "account-locked",
        ("Account locked", "Too many attempts error", "Access paused"),
        (
            "It says 'Too many attempts, try again later' and I can't sign in at all.",
            "I'm getting 'Your access has been paused' when I log in. Nobody told me anything.",
        ),
        ("It's been more than an hour and it's still locked.",),
        "After 10 failed attempts the account locks for 30 minutes as a safety measure; resetting the password doesn't "
        "shorten it. After that you can sign in or use Forgot password, and I'd recommend turning on two-factor authentication.",
        also=("login-troubleshooting",),
    ),
    Topic(
        "lost-email-access",
        "account",
        "account-locked",
        ("Lost access to my email", "Left company, need to move account"),
        (
            "I left my old agency and no longer have that mailbox, but my Lumen account is still tied to it. I'm the owner.",
            "Our previous office manager set up the account with her email and she has left. How do we take over?",
        ),
        ("I sent you the invoice number yesterday, any update?",),
        "We can move the sign-in email once we've verified ownership: please send the workspace name, the old address, "
        "a recent invoice number and the last 4 digits of the card on file. It can take up to two business days.",
    ),
    Topic(
        "invite-missing",
        "account",
        "team-members",
        ("Invitation email never arrived", "Can't add a new team member", "Seat count question"),
        (
            "I invited two new designers yesterday and neither received the invitation.",
            "We removed a contractor last week but the seat is still on our bill. How do seats work?",
            "How do I make my colleague an admin so she can manage projects while I'm away?",
        ),
        ("They checked spam, still nothing.",),
        "Invitations can land in spam or be held by strict mail filters. You can copy the invite link from "
        "Settings → Members → ⋯ → Copy invite link and send it yourself; invitations are valid for 7 days.",
        also=("proration",),
    ),
    Topic(
        "data-export",
        "account",
        "data-export",
        ("Data export stuck", "How to export all our data", "Export link expired"),
        (
            "I started a full export two days ago and it still says 'Preparing'.",
            "We need a complete export of all projects and time entries for our auditors. What's the best way?",
            "The CSV export shows weird characters instead of umlauts when I open it in Excel.",
        ),
        ("Started it again and it's stuck again.",),
        "A full export is under Settings → Workspace → Export data and normally finishes within 30 minutes, up to "
        "24 hours for large workspaces. If it's stuck longer, cancel it and start again; if it fails twice we'll look into it.",
    ),
    Topic(
        "delete-workspace",
        "account",
        "account-deletion",
        ("Delete our workspace", "Accidentally deleted workspace", "GDPR deletion request"),
        (
            "Please delete our workspace and all data, we're closing the business.",
            "My colleague deleted our workspace by mistake yesterday! Can it be restored?",
            "Under GDPR I'm asking you to delete all personal data you hold about me.",
        ),
        ("Can you confirm when it will be done?",),
        "A deleted workspace can be restored by an owner through support for 30 days; after that it's permanently "
        "deleted. Please confirm you're an owner and the workspace name and we'll take it from there.",
        also=(
            "data-retention",
            "privacy-gdpr",
        ),
    ),
    Topic(
        "refund-annual",
        "billing",
        "refund-policy",
        ("Refund for annual renewal", "Refund request", "Charged after cancelling"),
        (
            "Our annual plan renewed last week but we'd decided to move to another tool. Can we get a refund?",
            "I cancelled in March and you still charged my card this month. I want that money back.",
            "We were charged for the annual plan instead of monthly. Please refund the difference.",
        ),
        (
            "It's been two weeks and the refund still isn't on my card.",
            "Any update on the refund? My bank says nothing is pending.",
        ),
        "Annual plans can be refunded in full within 30 days of a renewal, and charges after a confirmed cancellation "
        "are always refunded. Please send the invoice number (INV-…) and we'll confirm within one business day; card "
        "refunds take 5–10 business days to appear.",
        also=("cancel-subscription",),
    ),
    Topic(
        "refund-missing",
        "billing",
        "refund-policy",
        ("Refund not received", "Where is my refund", "Refund still missing"),
        (
            "You confirmed my refund 12 business days ago and I still don't see it on my statement.",
            "I was told the duplicate charge would be refunded. Nothing has arrived.",
        ),
        (
            "My bank says there is no incoming refund. What's the reference?",
            "Still nothing. This is taking far too long.",
        ),
        "Card refunds take 5–10 business days depending on the bank. If it's been longer, we can give your bank the "
        "acquirer reference number (ARN) to trace it. Please don't open a chargeback meanwhile, as that freezes the refund.",
    ),
    Topic(
        "duplicate-charge",
        "billing",
        "failed-payments",
        ("Charged twice", "Double charge this month", "Two payments for one invoice"),
        (
            "My card statement shows two charges of the same amount from Lumen on the same day.",
            "We were billed twice for INV-20931. Please fix this.",
        ),
        ("The second charge is still there.",),
        "A failed attempt can leave a temporary hold that your bank releases in 3–7 business days; you're only charged "
        "once. If both charges completed, send both dates and amounts and the duplicate is refunded in full.",
        also=(
            "chargebacks",
            "refund-policy",
        ),
    ),
    Topic(
        "payment-failed",
        "billing",
        "failed-payments",
        ("Payment failed", "Workspace read-only after payment issue", "Card declined"),
        (
            "We got an email that our payment failed. The card is fine, it works everywhere else.",
            "Our workspace suddenly went read-only and nobody can log time. It says there's an overdue invoice.",
            "The bank declined the charge because it's from Ireland. How do I pay now?",
        ),
        ("I updated the card and it's still read-only.",),
        "After updating the card under Settings → Billing → Payment method, open invoices aren't retried automatically: "
        "click Pay now on the open invoice and access is restored within a few minutes.",
        also=("payment-method",),
    ),
    Topic(
        "update-card",
        "billing",
        "payment-method",
        ("Update credit card", "Change payment method", "Pay by bank transfer"),
        (
            "Our company card expires next month. Where do I change it?",
            "Can we pay by SEPA direct debit instead of a credit card?",
        ),
        ("I can't find the Replace button.",),
        "Owners can change it under Settings → Billing → Payment method → Replace. SEPA direct debit and ACH are "
        "available on annual plans. Please don't send card details in a ticket; we never need them.",
    ),
    Topic(
        "invoice-details",
        "billing",
        "invoices",
        ("Need VAT number on invoice", "Invoice company name wrong", "Where are my invoices"),
        (
            "Our invoices are missing our VAT ID and our accountant won't accept them.",
            "The company name on last month's invoice is wrong, it's our old name. Can you reissue it?",
            "Where can I download all invoices from this year for our bookkeeping?",
        ),
        ("We need the corrected invoice by Friday for our books.",),
        "We can't edit an issued invoice, but we can reissue it: send the invoice number and the corrected details "
        "and we'll void the original and send a corrected one within one business day.",
        also=("vat-tax",),
    ),
    Topic(
        "vat-charged",
        "billing",
        "vat-tax",
        ("VAT charged despite VAT number", "Reverse charge missing"),
        (
            "We're a German company with a valid VAT number but you charged us 19% VAT.",
            "Our invoice should say reverse charge. We entered our VAT ID last week.",
        ),
        ("So will we get the VAT back?",),
        "If the VAT number was added after the invoice was issued, we reissue it without VAT and refund the tax within "
        "5–10 business days, for invoices from the last 3 months.",
        also=("invoices",),
    ),
    Topic(
        "downgrade",
        "billing",
        "plan-changes",
        ("Downgrade to Starter", "Switch to annual billing", "Upgrade to Pro"),
        (
            "We want to downgrade from Pro to Starter. Will we lose anything?",
            "How much would we save by switching to annual billing, and when does it start?",
            "If we upgrade to Pro today, do we pay the full month again?",
        ),
        ("And what happens to our API keys after the downgrade?",),
        "Downgrades take effect at the end of the current billing period, so you keep Pro until then. Pro-only features "
        "such as API keys stop working when the downgrade takes effect.",
        also=("proration",),
    ),
    Topic(
        "unexpected-charge",
        "billing",
        "proration",
        ("Why is my bill higher", "Unexpected charge", "Prorated seat charge"),
        (
            "This month's invoice is $87 higher than usual and I don't understand why.",
            "There's a line 'Seat added (prorated)' on the invoice. We didn't buy anything.",
        ),
        ("We still think this charge is wrong.",),
        "Each member added mid-period adds a prorated charge for the rest of the period, shown as 'Seat added (prorated)'. "
        "Upgrades and tax can also raise a bill; removed seats are credited on the next invoice.",
        also=("plan-changes",),
    ),
    Topic(
        "cancel",
        "billing",
        "cancel-subscription",
        ("Cancel subscription", "How do I cancel", "Cancellation not confirmed"),
        (
            "Please cancel our subscription. We're moving to a different tool.",
            "I clicked cancel but never got a confirmation email. Did it work?",
        ),
        ("I still haven't got a confirmation.",),
        "Owners can cancel under Settings → Billing → Change plan → Cancel subscription. The plan stays active until the "
        "end of the period and no data is deleted. If no confirmation email arrived, the cancellation didn't go through.",
    ),
    Topic(
        "chargeback",
        "billing",
        "chargebacks",
        ("Unknown charge from Lumen", "Disputed charge"),
        (
            "There's a Lumen charge on our company card that nobody here recognises.",
            "I've opened a dispute with my bank because of your charges and now our workspace is read-only.",
        ),
        ("So how do we get the workspace back?",),
        "Most unknown charges are a colleague's workspace, an added seat or an annual renewal, and we can explain or "
        "refund within one business day. While a chargeback is open the workspace stays read-only until it's settled.",
    ),
    Topic(
        "api-401",
        "technical",
        "api-keys",
        ("API returns 401", "API key not working", "403 insufficient_scope"),
        (
            "All our API calls started failing with 401 invalid_api_key this morning. Nothing changed on our side.",
            "I created an API key but every request returns 403 insufficient_scope.",
            "Where do I create an API key? I can't find the developer settings.",
        ),
        ("We generated a new key and still get 401.",),
        "401 invalid_api_key means the key is wrong, revoked, or missing the 'Bearer ' prefix in the Authorization "
        "header. Keys are created under Settings → Developers → API keys and are shown only once.",
        also=("api-errors",),
    ),
    Topic(
        "rate-limit",
        "technical",
        "rate-limits",
        ("Getting 429 errors", "Rate limit too low", "API throttling"),
        (
            "Our nightly sync gets hundreds of 429 rate_limited errors since we added more clients.",
            "What's the API rate limit on Pro? Our integration keeps getting throttled.",
        ),
        ("We added backoff and still get 429s.",),
        "Pro allows 120 requests per minute per workspace. On a 429, wait for the Retry-After header and retry with "
        "exponential backoff; webhooks and updated_since filters cut polling a lot.",
        also=("api-errors",),
    ),
    Topic(
        "api-500",
        "technical",
        "api-errors",
        ("API 500 errors", "Duplicate invoices created via API", "409 conflict"),
        (
            "POST /v1/invoices sometimes returns 500 and when we retry we end up with duplicate invoices.",
            "We keep getting 409 conflict when updating projects through the API.",
        ),
        ("Here is a request_id: req_8KfA2LQ9. Can you check?",),
        "Send an Idempotency-Key header on POST requests: retrying with the same key never creates a duplicate. "
        "For persistent 500s, please send the request_id so we can trace the exact request.",
    ),
    Topic(
        "webhooks-missing",
        "technical",
        "webhooks",
        ("Webhooks stopped arriving", "Webhook endpoint disabled", "Not receiving invoice.paid"),
        (
            "We haven't received any invoice.paid webhooks since Tuesday.",
            "Our webhook endpoint shows a red 'Disabled' badge. Why did this happen?",
        ),
        ("We fixed our server, how do we get the missed events?",),
        "Endpoints are disabled after 3 days of failed deliveries. Check Recent deliveries for the status codes, fix "
        "the cause, then click Enable and Resend for the failed events.",
    ),
    Topic(
        "webhook-signature",
        "technical",
        "webhook-signatures",
        ("Webhook signature doesn't match", "Verifying Lumen-Signature"),
        (
            "Our HMAC of the webhook body never matches the v1 value in the Lumen-Signature header.",
            "How exactly is the webhook signature computed? Our verification fails every time.",
        ),
        ("We're using the raw body now, still a mismatch.",),
        "The signed payload is the timestamp, a dot and the raw request body, HMAC-SHA256 with the endpoint's signing "
        "secret (whsec_…), not the API key. Frameworks often re-serialise JSON, which breaks the match.",
    ),
    Topic(
        "mobile-sync",
        "technical",
        "mobile-sync",
        ("Mobile app not syncing", "Time entries missing from phone", "Duplicate entries after sync"),
        (
            "Time I logged on my phone during a flight never showed up on the web.",
            "The Android app keeps showing the cloud icon on yesterday's entries and won't sync.",
            "After syncing I have every entry from Monday twice.",
        ),
        ("I updated the app and it still won't sync.",),
        "First make sure the app is up to date and pull down on the timesheet to force a sync. Please don't sign out "
        "while entries show the cloud icon: unsynced entries are lost on sign-out.",
    ),
    Topic(
        "csv-import",
        "technical",
        "csv-import",
        ("CSV import errors", "Import says unknown client"),
        (
            "Importing our time entries fails with 'Unknown client' on every row.",
            "My CSV import shows 'Invalid date' for all rows. The dates look fine to me.",
        ),
        ("Imported clients first, now it says invalid duration.",),
        "Time entries must reference existing clients, so import clients first. Dates should be ISO (2026-03-31) or "
        "match the format you choose in the mapping step.",
    ),
    Topic(
        "slow-app",
        "technical",
        "browser-performance",
        ("Lumen is very slow", "Reports page won't load", "Blank page after login"),
        (
            "The reports page has been loading forever for the last two days.",
            "After logging in I just get a blank white page in Chrome.",
        ),
        ("Tried a private window, same thing.",),
        "Please try a private window first: if it works there, an extension such as an ad blocker is interfering. "
        "For large reports, narrow the date range to 12 months or less.",
        also=("login-troubleshooting",),
    ),
    Topic(
        "outage",
        "technical",
        "outages-status",
        ("Is Lumen down?", "Service outage", "Can't access anything"),
        (
            "Nobody on our team can load Lumen right now. Is there an outage?",
            "The API and the web app both time out since about 20 minutes ago.",
        ),
        ("Still down for us. When will it be fixed?",),
        "You can follow live updates on status.lumen.app; during an incident we post updates at least every 30 minutes. "
        "Your data is safe and mobile entries sync once the service is back.",
    ),
    Topic(
        "slack",
        "technical",
        "slack-integration",
        ("Slack notifications stopped", "QuickBooks sync errors"),
        (
            "Our Slack channel stopped getting Lumen notifications last week.",
            "Invoices aren't syncing to QuickBooks anymore and the sync log shows errors about a tax code.",
        ),
        ("Reconnected, still nothing in Slack.",),
        "Slack sometimes revokes the connection after a workspace admin change; click Reconnect under "
        "Settings → Integrations. QuickBooks errors usually mean a tax code or account is missing in the ledger.",
    ),
    Topic(
        "discount",
        "general",
        "pricing-plans",
        ("Nonprofit discount", "Do you have startup pricing"),
        (
            "We're a registered charity. Do you offer any discount?",
            "Is there a discount for early-stage startups?",
        ),
        ("We uploaded our proof of status, how long does it take?",),
        "Nonprofits and education get 50% off Starter and Pro; apply from Settings → Billing → Discounts with proof "
        "of status. Discounts apply from the next invoice.",
    ),
    Topic(
        "dpa",
        "general",
        "privacy-gdpr",
        ("Need a DPA", "Where is our data stored", "SOC 2 report request"),
        (
            "Our legal team needs a signed Data Processing Agreement before we can roll Lumen out.",
            "Where is our data stored? We need it to stay in the EU.",
            "Can you send us your SOC 2 report for our vendor review?",
        ),
        ("Our procurement deadline is next week.",),
        "Owners can sign the standard DPA, including the EU Standard Contractual Clauses, under "
        "Settings → Security → Compliance. Data is stored in the EU (Frankfurt) by default.",
        also=("security-compliance",),
    ),
    Topic(
        "client-invoice",
        "general",
        "client-invoicing",
        ("Client can't pay invoice online", "Automatic payment reminders", "Edit a sent invoice"),
        (
            "My client says there's no pay button on the invoice I sent.",
            "Can Lumen remind my clients automatically when an invoice is overdue?",
            "I sent an invoice with the wrong hourly rate. Can I still change it?",
        ),
        ("I connected Stripe, client still sees no button.",),
        "Clients can pay online once Stripe or PayPal is connected under Settings → Payments. Sent invoices can be "
        "edited until they are paid, and the client's link always shows the latest version.",
    ),
    Topic(
        "approvals",
        "general",
        "time-tracking-approvals",
        ("Timesheet approvals", "Unlock an approved week"),
        (
            "How do I set it up so that managers approve timesheets before we invoice?",
            "A week was approved with a mistake in it. How can the employee fix it?",
        ),
        ("Where is the Unlock option?",),
        "Turn on Settings → Time → Require approval and choose approvers. Approved entries are locked; an admin can "
        "unlock a week from Approvals → ⋯ → Unlock.",
    ),
)


# How customers in each mood open and close a message. {problem} is the topic wording.
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
        "{problem} This needs attention right away, we can't invoice anyone until it's fixed.",
        "Hi, this is time-critical. {problem} Please call me or reply within the hour.",
    ),
}

# Extra sentences that make a ticket escalation-worthy; appended to some messages.
ESCALATORS: dict[str, tuple[str, ...]] = {
    "legal": (
        "If this isn't resolved by Friday I will hand the matter to our lawyer.",
        "We are considering legal action over these charges.",
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

# Opening words of a repeat contact, by how many earlier tickets the customer has on the topic (1, 2+).
REPEAT_CONTACT = (
    "I already wrote to you about this a few weeks ago and it still isn't fixed.",
    "This is now the third time I'm contacting you about exactly the same problem.",
)

FIRST_NAMES = (
    "Amelia",
    "Noah",
    "Sofia",
    "Liam",
    "Hannah",
    "Mateo",
    "Priya",
    "Lucas",
    "Chloe",
    "Jonas",
    "Aisha",
    "Tom",
    "Elena",
    "Kenji",
    "Marta",
    "Oliver",
    "Fatima",
    "Daniel",
    "Ines",
    "Samuel",
    "Grace",
    "Yusuf",
    "Clara",
    "Ravi",
    "Julia",
    "Ethan",
    "Leila",
    "Mark",
    "Nora",
    "Pedro",
    "Zoe",
    "Felix",
    "Anna",
    "Omar",
    "Freya",
    "Diego",
)
LAST_NAMES = (
    "Fischer",
    "Okafor",
    "Rossi",
    "Nguyen",
    "Schmidt",
    "Andersson",
    "Patel",
    "Dubois",
    "Kowalski",
    "Murphy",
    "Haddad",
    "Silva",
    "Brennan",
    "Tanaka",
    "Novak",
    "García",
    "Lindqvist",
    "Mensah",
    "Moreau",
    "Costa",
)
COMPANIES = (
    "Brightline Studio",
    "Harbor & Pine",
    "Kestrel Analytics",
    "Northfield Legal",
    "Orbit Design Co",
    "Pinewood Architects",
    "Quarry Labs",
    "Riverbend Consulting",
    "Saltmarsh Media",
    "Tallis Engineering",
    "Umber Creative",
    "Vantage Bookkeeping",
    "Willow Health",
    "Yardstick Research",
    "Zephyr Events",
    "Aldgate Partners",
    "Beacon Charity Trust",
    "Copperleaf Marketing",
    "Driftwood Apps",
    "Ember Translation",
)

AGENTS = (
    ("maya.lee@lumen.app", "Maya Lee", "agent"),
    ("jordan.baker@lumen.app", "Jordan Baker", "agent"),
    ("sam.ortiz@lumen.app", "Sam Ortiz", "agent"),
    ("lena.berg@lumen.app", "Lena Berg", "agent"),
    ("rachel.kim@lumen.app", "Rachel Kim", "lead"),
    ("ahmed.yilmaz@lumen.app", "Ahmed Yilmaz", "lead"),
    ("admin@lumen.app", "Workspace Admin", "admin"),
)

# Canned responses an admin would start with; placeholders are filled in when an agent inserts one.
MACROS = (
    (
        "Ask for a screenshot",
        "Could you send us a screenshot of what you see, {customer_first_name}? It helps us find the cause "
        "quickly. Please leave out any passwords or card numbers.",
    ),
    (
        "Reference for follow-ups",
        "If you need to follow up, just reply to this email: your ticket number is #{ticket_id} and it keeps "
        "everything in one place.",
    ),
    (
        "Passed to engineering",
        "I've passed this to our engineering team with everything you told us. I'll update you as soon as "
        "I hear back, by the end of the next business day at the latest.",
    ),
    (
        "Thanks for waiting",
        "Thank you for your patience while we looked into this, {customer_first_name}.",
    ),
)
