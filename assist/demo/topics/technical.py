"""Technical questions: the API, webhooks, the mobile app, imports, the browser, outages, integrations."""

from __future__ import annotations

from assist.demo.wording import (
    ENTERPRISE,
    PLANS,
    PRO,
    PRO_FEATURES,
    STARTER,
    TIME_TRACKING,
    FollowUp,
    Topic,
    Wording,
    topic,
)

API_KEYS = topic(
    "api-keys",
    "technical",
    "api-keys",
    Wording(
        "api-401",
        ("API returns 401", "API key not working"),
        ("All our API calls started failing with 401 invalid_api_key this morning. Nothing changed on our side.",),
        (
            "401 invalid_api_key: the key is wrong, revoked, or missing the Bearer prefix.",
            "Requests with a revoked key fail with 401 invalid_api_key within one minute.",
        ),
        "401 invalid_api_key means the key is wrong, revoked, or sent without the 'Bearer ' prefix. Since nothing "
        "changed in your code, please check under Settings → Developers → API keys whether the key was revoked: "
        "requests with a revoked key fail with 401 within a minute.",
        (
            FollowUp(
                "You're right, a colleague revoked it by mistake. How do we move to a new key without downtime?",
                ("Rotate: create a new key, deploy it, then revoke the old one.",),
                "Create a new key, deploy it, and only then revoke the old one; that way there's no gap. For the revoked "
                "key that's already done, so create and deploy the new one now.",
            ),
        ),
        terse="401 invalid_api_key on all calls since this morning. nothing changed",
        rewrite=(
            "A 401 invalid_api_key means the key is wrong, has been revoked, or the 'Bearer ' prefix is missing. "
            "If your code didn't change, look under Settings → Developers → API keys whether someone revoked the "
            "key; revoked keys start failing within a minute."
        ),
        fixable=True,
    ),
    Wording(
        "api-403-scope",
        ("403 insufficient_scope",),
        ("I created an API key but every request returns 403 insufficient_scope.",),
        ("403 insufficient_scope: the key lacks the scope for this endpoint; create a key with the right scopes.",),
        "403 insufficient_scope means the key doesn't have the scope that endpoint needs. Please create a key with the "
        "right scopes under Settings → Developers → API keys and use that one.",
        (
            FollowUp(
                "Which scopes are there to choose from?",
                ("choose its scopes (read, write, invoices, webhooks)",),
                "When you create a key you choose its scopes: read, write, invoices and webhooks. Pick the ones the "
                "endpoints you call need, for example invoices for /v1/invoices.",
            ),
        ),
        rewrite=(
            "The key works, but it doesn't have the scope this endpoint requires. Create a new key under Settings"
            " → Developers → API keys with the scopes you need and switch to it."
        ),
        fixable=True,
    ),
    Wording(
        "api-key-create",
        ("Where do I create an API key?", "Creating an API key"),
        ("Where do I create an API key? I can't find the developer settings.",),
        (
            "Open Settings → Developers → API keys (admins and owners).",
            "Click Create key, give it a name that says where it is used, and choose its scopes (read, write, invoices, webhooks).",
            "Copy the key right away. For security it is shown only once.",
        ),
        "API keys are under Settings → Developers → API keys (visible to admins and owners). Click Create key, give it "
        "a name that says where it's used and choose its scopes, then copy the key right away: it's shown only once.",
        (
            FollowUp(
                "Found it, thanks. Can I try things out without touching our real data?",
                (
                    "Keys starting with lum_test_ work against the sandbox at api.sandbox.lumen.app; they never touch "
                    "real data or send real emails.",
                ),
                "Yes: test keys (they start with lum_test_) work against the sandbox at api.sandbox.lumen.app and never "
                "touch real data or send real emails.",
            ),
        ),
        howto=True,
        non_native="Hello, where I can make an API key? I don't find the developer settings anywhere.",
        rewrite=(
            "You'll find them under Settings → Developers → API keys (admins and owners only). Click Create key, "
            "name it after where it'll be used, pick its scopes and copy the key immediately, since it's only "
            "shown once."
        ),
    ),
    Wording(
        "api-new-key-still-401",
        ("New API key still returns 401",),
        (
            "We already generated a new API key and still get 401 on every call. We do send it in the Authorization header.",
        ),
        (
            "Requests authenticate with a secret API key in the Authorization header: Authorization: Bearer lum_live_....",
            "Keys starting with lum_test_ work against the sandbox at api.sandbox.lumen.app",
        ),
        "Since a new key didn't help, please check the header's exact form: Authorization: Bearer lum_live_…, with the "
        "word Bearer and a space before the key. Also make sure it's a live key: keys starting with lum_test_ only "
        "work against the sandbox at api.sandbox.lumen.app.",
        (
            FollowUp(
                "Found it, we had a test key in production. Should we worry that the live key was printed in our logs?",
                ("If a key was exposed (for example committed to a public repository), revoke it immediately.",),
                "Yes, treat it as exposed: revoke it under Settings → Developers → API keys now and deploy a new one.",
            ),
        ),
        rewrite=(
            "If a fresh key also gets 401, the header is usually the culprit: it must read Authorization: Bearer "
            "lum_live_… exactly, with Bearer and a space. And check it's a live key: lum_test_ keys only work on "
            "the sandbox, api.sandbox.lumen.app."
        ),
        fixable=True,
    ),
    Wording(
        "api-plan-required",
        ("403 plan_required from the API",),
        ("Our developer gets 403 plan_required from the API. What does that mean?",),
        ("403 plan_required: the workspace is not on Pro or Enterprise",),
        "403 plan_required means the API isn't part of your current plan: it's available on Pro and Enterprise, and "
        "your workspace is on Starter.",
        (
            FollowUp(
                "If we upgrade now, does it work right away?",
                ("Upgrades take effect immediately.",),
                "Yes: upgrades take effect immediately, so the API answers as soon as the workspace is on Pro.",
                article="plan-changes",
            ),
        ),
        plans=(STARTER,),
        rewrite=(
            "That error means the API isn't included in your plan: it's part of Pro and Enterprise, and your "
            "workspace is on Starter."
        ),
    ),
    plans=PRO_FEATURES,
    also=("api-errors",),
)

RATE_LIMITS = topic(
    "rate-limits",
    "technical",
    "rate-limits",
    Wording(
        "429-hundreds",
        ("Getting 429 errors", "Hundreds of 429 errors"),
        (
            "Our nightly sync gets hundreds of 429 rate_limited errors since we added more clients.",
            "Since we onboarded more clients, our overnight sync hits hundreds of 429 rate_limited responses.",
        ),
        (
            "They apply per workspace, across all of its keys.",
            "Wait for Retry-After and retry with exponential backoff and jitter; do not retry immediately in a loop.",
            "Use bulk endpoints and updated_since filters to fetch only what changed.",
        ),
        "The limit applies per workspace across all your keys, so more clients in one sync means more 429s. On a 429, "
        "wait for the Retry-After header and retry with exponential backoff and jitter, and use bulk endpoints and "
        "updated_since filters so the sync fetches only what changed.",
        (
            FollowUp(
                "We added backoff and still get a lot of 429s at 2 am.",
                (
                    "Use webhooks instead of polling for changes",
                    "Cache data that rarely changes, such as clients and projects.",
                ),
                "Then the sync is asking for more than it needs: use webhooks instead of polling for changes, and cache "
                "data that rarely changes, such as clients and projects, instead of fetching it every night.",
            ),
        ),
        terse="hundreds of 429s on nightly sync. help",
        non_native="Hi, since we add more clients our night sync receive hundreds errors 429 rate_limited. How we can fix?",
        rewrite=(
            "The rate limit counts all requests of your workspace together, so a bigger sync hits it sooner. Make"
            " the sync wait for Retry-After and back off exponentially with jitter, and fetch only what changed "
            "with bulk endpoints and updated_since filters."
        ),
        fixable=True,
    ),
    Wording(
        "rate-limit-pro",
        ("Rate limit on Pro", "API throttling"),
        ("What's the API rate limit on Pro? Our integration keeps getting throttled.",),
        (
            "Pro | 120 | 20 per second",
            "Every response carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset.",
        ),
        "On Pro the limit is 120 requests per minute per workspace, with bursts of up to 20 per second. Every response "
        "carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset, so your integration can slow down "
        "before it's throttled.",
        (
            FollowUp(
                "Can the limit be raised for us?",
                (
                    "Enterprise | 600 | 50 per second",
                    "Enterprise customers who need a higher limit can ask their account manager",
                ),
                "On Pro it's fixed at 120 per minute. Enterprise has 600 requests per minute (50 per second), and "
                "Enterprise customers who need more can ask their account manager.",
            ),
        ),
        plans=(PRO,),
        rewrite="Thanks for asking. Pro allows 120 requests per minute per workspace (bursts up to 20 per second), "
        "across all keys. The X-RateLimit-Remaining header on every response tells you how many are left.",
    ),
    Wording(
        "rate-limit-raise",
        ("Higher API limit for Enterprise",),
        ("We're on Enterprise and 600 requests a minute isn't enough for our month-end sync. Can it be raised?",),
        (
            "Enterprise customers who need a higher limit can ask their account manager; include the expected request "
            "volume and the endpoints you use.",
        ),
        "Yes: as an Enterprise customer you can ask your account manager for a higher limit. Include the request "
        "volume you expect at month end and the endpoints you use.",
        (
            FollowUp(
                "Meanwhile: does a bulk call count as one request?",
                ("Bulk endpoints (/v1/time_entries/bulk) count as one request per 100 items.",),
                "A bulk call counts as one request per 100 items, so /v1/time_entries/bulk can save a lot of your limit "
                "at month end.",
            ),
        ),
        plans=(ENTERPRISE,),
        rewrite=(
            "That's possible on Enterprise: your account manager can raise the limit. Tell them your expected "
            "month-end request volume and which endpoints you call."
        ),
    ),
    plans=PRO_FEATURES,
    also=("api-errors",),
)

API_ERRORS = topic(
    "api-errors",
    "technical",
    "api-errors",
    Wording(
        "api-500-duplicates",
        ("API 500 errors", "Duplicate invoices created via API"),
        ("POST /v1/invoices sometimes returns 500 and when we retry we end up with duplicate invoices.",),
        (
            "For POST requests send an Idempotency-Key header (any unique string).",
            "If a request times out, retrying with the same key never creates a duplicate invoice or payment.",
        ),
        "Send an Idempotency-Key header (any unique string) with each POST: a retry with the same key never creates a "
        "duplicate invoice or payment. Keys are remembered for 24 hours.",
        (
            FollowUp(
                "Here is the request_id of one of the 500s: req_8KfA2LQ9. Can you check it?",
                ("Our fault. Retry with backoff; if it persists, check status.lumen.app and send us the request_id.",),
                "Thanks, the request_id lets us find that exact request, and I've passed it to our engineers. A 500 is "
                "on our side: meanwhile retry with backoff (with the same Idempotency-Key) and check status.lumen.app if "
                "it persists.",
            ),
        ),
        rewrite=(
            "The fix for duplicates is an Idempotency-Key header on every POST (any unique string): if you retry "
            "with the same key, no second invoice or payment is created. We remember keys for 24 hours."
        ),
        fixable=True,
    ),
    Wording(
        "api-409",
        ("409 conflict",),
        ("We keep getting 409 conflict when updating projects through the API.",),
        ("The object changed since you read it; fetch it again and retry.",),
        "409 conflict means the project changed since you read it. Fetch it again and retry the update with the fresh "
        "version.",
        (
            FollowUp(
                "That fixed the 409s. Now creating some invoices fails with 422 validation_failed.",
                ("The values break a rule, e.g. an invoice without line items.",),
                "422 means the values break a rule, most often an invoice without line items. The error message names "
                "the field.",
            ),
        ),
        rewrite=(
            "A 409 means someone changed the project after you read it. Re-fetch it and send the update again "
            "based on the fresh copy."
        ),
        fixable=True,
    ),
    plans=PRO_FEATURES,
)

WEBHOOKS = topic(
    "webhooks",
    "technical",
    "webhooks",
    Wording(
        "webhooks-missing",
        ("Webhooks stopped arriving", "Not receiving invoice.paid"),
        (
            "We haven't received any invoice.paid webhooks since Tuesday.",
            "Our webhooks stopped arriving a few days ago and our invoices aren't being marked as paid on our side.",
        ),
        (
            "Open the endpoint in Settings → Developers → Webhooks and check Recent deliveries for the status code and response body.",
            "Certificate errors: your endpoint needs a valid certificate from a public authority; self-signed certificates are refused.",
            "Firewalls: allow Lumen's sending IP ranges listed on that page.",
        ),
        "Please open the endpoint under Settings → Developers → Webhooks and check Recent deliveries: the status code "
        "and response body show why deliveries fail. The usual causes are a certificate that isn't from a public "
        "authority or a firewall that doesn't allow Lumen's sending IP ranges (listed on that page).",
        (
            FollowUp(
                "Recent deliveries show timeouts. Our server does quite a lot of work for each event.",
                ("Your endpoint must answer with a 2xx status within 10 seconds. Do the real work asynchronously.",),
                "That's it: your endpoint has to answer with a 2xx status within 10 seconds. Acknowledge the event right "
                "away and do the real work asynchronously.",
            ),
        ),
        rewrite=(
            "Recent deliveries on the endpoint (Settings → Developers → Webhooks) will tell us what's happening: "
            "it shows the status code and response body of each attempt. Typical causes are a certificate not "
            "issued by a public authority or a firewall blocking our sending IPs, which are listed on the same "
            "page."
        ),
        fixable=True,
    ),
    Wording(
        "webhook-disabled",
        ("Webhook endpoint disabled",),
        ("Our webhook endpoint shows a red 'Disabled' badge. Why did this happen?",),
        (
            "After 3 days of failures the endpoint is disabled and owners get an email.",
            "fix the cause, then click Enable and Resend failed events.",
        ),
        "An endpoint is disabled after 3 days of failed deliveries (owners get an email when it happens). Fix the "
        "cause, which Recent deliveries shows, then click Enable and Resend the failed events.",
        (
            FollowUp(
                "It's enabled again. Now we sometimes get the same event twice. Is that expected?",
                (
                    "Events can arrive more than once and out of order: use the event id to ignore duplicates and the created timestamp to order them.",
                ),
                "Yes, events can arrive more than once and out of order, especially after a resend. Use the event id to "
                "ignore duplicates and the created timestamp to order them.",
            ),
        ),
        rewrite=(
            "We disable an endpoint after 3 days of failed deliveries, and owners are emailed when that happens. "
            "Once the cause is fixed (Recent deliveries shows it), click Enable and then Resend for the failed "
            "events."
        ),
        fixable=True,
    ),
    Wording(
        "webhook-setup",
        ("Set up a webhook",),
        ("How do I set up a webhook so our system hears about paid invoices?",),
        (
            "Open Settings → Developers → Webhooks and click Add endpoint.",
            "Enter a public HTTPS URL and choose the events to receive.",
            'Copy the signing secret (whsec_...); you need it to verify deliveries (see "Verify webhook signatures").',
        ),
        "Open Settings → Developers → Webhooks, click Add endpoint, enter your public HTTPS URL and choose the "
        "invoice.paid event. Copy the signing secret (whsec_…) to verify deliveries, and click Send test event to check "
        "your endpoint answers.",
        (
            FollowUp(
                "Our staging endpoint uses a self-signed certificate and the test event fails.",
                (
                    "Certificate errors: your endpoint needs a valid certificate from a public authority; self-signed certificates are refused.",
                ),
                "Self-signed certificates are refused: the endpoint needs a valid certificate from a public authority. "
                "A free one from a public authority works fine for staging.",
            ),
        ),
        howto=True,
        rewrite=(
            "Go to Settings → Developers → Webhooks → Add endpoint, enter your public HTTPS URL and select "
            "invoice.paid. Keep the signing secret (whsec_…) for verifying deliveries, and use Send test event to"
            " make sure your endpoint responds."
        ),
    ),
    plans=PRO_FEATURES,
)

WEBHOOK_SIGNATURES = topic(
    "webhook-signatures",
    "technical",
    "webhook-signatures",
    Wording(
        "signature-mismatch",
        ("Webhook signature doesn't match",),
        ("Our HMAC of the webhook body never matches the v1 value in the Lumen-Signature header.",),
        (
            "Build the signed payload: the timestamp, a dot, and the raw request body exactly as received",
            "You are hashing a parsed and re-serialised body. Frameworks often parse JSON first; use the raw bytes.",
        ),
        "The signed payload is the timestamp t from the header, a dot, and the raw request body exactly as received, "
        "hashed with HMAC-SHA256. The most common cause of a mismatch is hashing a parsed and re-serialised body: "
        "frameworks often parse JSON first, so use the raw bytes.",
        (
            FollowUp(
                "We're hashing the raw body now and it still doesn't match.",
                (
                    "You are using the API key instead of the endpoint's signing secret. Each endpoint has its own secret.",
                ),
                "Then check the key you hash with: it must be the endpoint's signing secret (whsec_…), not an API key, "
                "and each endpoint has its own secret.",
            ),
        ),
        rewrite=(
            "The signature is an HMAC-SHA256 over the timestamp, a dot and the raw body exactly as we sent it. A "
            "mismatch nearly always means the body was parsed and re-serialised by the framework first, so "
            "compute it over the raw bytes."
        ),
        fixable=True,
    ),
    Wording(
        "signature-how",
        ("How is the webhook signature computed?", "Verifying Lumen-Signature"),
        ("How exactly is the webhook signature computed? Our verification fails every time.",),
        (
            "Take the timestamp t and the signature v1 from the header.",
            "Build the signed payload: the timestamp, a dot, and the raw request body exactly as received",
            "Compute an HMAC with SHA-256 using your endpoint's signing secret (whsec_...) as the key.",
            "Compare your result with v1 using a constant-time comparison.",
        ),
        "Take t and v1 from the Lumen-Signature header, build the payload as the timestamp, a dot and the raw request "
        "body exactly as received, compute an HMAC-SHA256 of it with the endpoint's signing secret (whsec_…) as the "
        "key, and compare the result with v1 in constant time.",
        (
            FollowUp(
                "It verifies now. Should we also do something with the timestamp?",
                ("Reject the event if the timestamp is more than 5 minutes old, to stop replays.",),
                "Yes: reject an event whose timestamp is more than 5 minutes old; that stops replays of old deliveries.",
            ),
        ),
        howto=True,
        rewrite=(
            "Split the Lumen-Signature header into t and v1, concatenate the timestamp, a dot and the raw request"
            " body, compute HMAC-SHA256 over that with the endpoint's signing secret (whsec_…), and compare the "
            "result to v1 with a constant-time comparison."
        ),
    ),
    plans=PRO_FEATURES,
)

MOBILE = topic(
    "mobile-sync",
    "technical",
    "mobile-sync",
    Wording(
        "mobile-entries-missing",
        ("Time entries missing from phone", "Mobile app not syncing"),
        ("Time I logged on my phone during a flight never showed up on the web.",),
        (
            "Check that the app is up to date in the App Store or Google Play. Versions older than 6 months can no longer sync.",
            "Pull down on the timesheet to force a sync.",
        ),
        "The app keeps offline entries and syncs them once it's back online. Please check that the app is up to date "
        "(versions older than 6 months can no longer sync), then pull down on the timesheet to force a sync.",
        (
            FollowUp(
                "Updated the app and pulled down, still not on the web. Should I log out and back in?",
                (
                    "Check that the phone's date and time are set automatically; a wrong clock causes rejected entries.",
                    "Before signing out, make sure there are no entries with a cloud icon: unsynced entries are lost on sign-out.",
                ),
                "Please don't sign out yet: entries with a cloud icon haven't synced and are lost on sign-out. First "
                "check that the phone's date and time are set automatically, since a wrong clock makes us reject entries.",
            ),
        ),
        rewrite=(
            "Entries made offline sync as soon as the app is online again. Make sure the app is updated (anything"
            " older than 6 months can't sync any more) and pull down on the timesheet to trigger the sync."
        ),
        fixable=True,
    ),
    Wording(
        "android-cloud-icon",
        ("Android app won't sync",),
        ("The Android app keeps showing the cloud icon on yesterday's entries and won't sync.",),
        ("On Android, allow background data and turn off battery optimisation for Lumen.",),
        "The cloud icon means those entries are still waiting to sync. On Android, please allow background data and "
        "turn off battery optimisation for Lumen, then pull down on the timesheet to force a sync.",
        (
            FollowUp(
                "Done both and the cloud icon is still there. Can I just sign out and in again?",
                (
                    "Before signing out, make sure there are no entries with a cloud icon: unsynced entries are lost on sign-out.",
                ),
                "Please don't: entries with a cloud icon haven't synced yet and would be lost on sign-out. Check that the "
                "app is up to date and the phone's clock is set automatically first.",
            ),
        ),
        rewrite=(
            "Those entries are still waiting to sync. Android often blocks that in the background, so allow "
            "background data for Lumen and switch off battery optimisation for it, then pull down on the "
            "timesheet."
        ),
        fixable=True,
    ),
    Wording(
        "duplicate-after-sync",
        ("Duplicate entries after sync",),
        ("After syncing I have every entry from Monday twice.",),
        (
            "This happens when the same entry was edited on two devices while one was offline. Delete the duplicate on the web; the change syncs to the phone.",
        ),
        "That happens when the same entries were edited on two devices while one was offline. Delete the duplicates on "
        "the web; the change syncs to the phone.",
        (
            FollowUp(
                "Done. One more thing: my timer shows a different stop time on the web than on the phone.",
                (
                    "If the phone was offline when you stopped the timer, the stop time is the time the phone reconnected.",
                    "Edit the entry to correct it.",
                ),
                "Timers run on our server, so if the phone was offline when you stopped it, the stop time is when the "
                "phone reconnected. Edit the entry to correct it.",
            ),
        ),
        terse="every entry from monday is there twice after sync",
        rewrite=(
            "Duplicates appear when the same entries were changed on two devices while one was offline. Delete "
            "the extra copies on the web and the phone picks up the change."
        ),
        fixable=True,
    ),
    plans=TIME_TRACKING,
)

IMPORTS = topic(
    "csv-import",
    "technical",
    "csv-import",
    Wording(
        "import-unknown-client",
        ("Import says unknown client",),
        ("Importing our time entries fails with 'Unknown client' on every row.",),
        ("time entries and projects must reference a client that exists. Import clients first.",),
        "Time entries must reference a client that already exists in Lumen. Import your clients first (Settings → "
        "Import → Clients), then the time entries.",
        (
            FollowUp(
                "Imported the clients first, now every row says 'Invalid duration'.",
                ("use hours as decimals (1.5) or hh:mm (1:30).",),
                "Durations need to be hours as decimals (1.5) or hh:mm (1:30); the column probably has another format "
                "such as minutes.",
            ),
        ),
        plans=TIME_TRACKING,
        rewrite=(
            "Each time entry has to point to a client that already exists, so the clients need to go in first. "
            "Import the clients file, then the time entries."
        ),
        fixable=True,
    ),
    Wording(
        "import-invalid-date",
        ("Import says invalid date",),
        ("My CSV import shows 'Invalid date' for all rows. The dates look fine to me.",),
        ("use ISO dates (2026-03-31) or choose your date format in the mapping step.",),
        "Lumen reads ISO dates (2026-03-31) by default. Either change the column to that format, or choose your date "
        "format in the mapping step.",
        (
            FollowUp(
                "The import went through, but some dates ended up wrong. Can I undo it?",
                ("Imports can be undone for 24 hours from Settings → Import → History → Undo.",),
                "Yes, for 24 hours: Settings → Import → History → Undo. Then import again with the right date format.",
            ),
        ),
        plans=TIME_TRACKING,
        rewrite=(
            "The importer expects ISO dates like 2026-03-31 unless you tell it otherwise, so either reformat the "
            "column or select your date format in the mapping step."
        ),
        fixable=True,
    ),
    Wording(
        "import-garbled",
        ("Accents garbled after import",),
        ("Client names with accents come out garbled after our CSV import.",),
        (
            'Garbled characters: save the file as "CSV UTF-8" in Excel.',
            "Imports can be undone for 24 hours from Settings → Import → History → Undo.",
        ),
        'The file wasn\'t saved as UTF-8. In Excel, save it as "CSV UTF-8" and import again; you can undo the first '
        "import under Settings → Import → History.",
        (
            FollowUp(
                "Thanks. Is there a size limit? Our next file has 150,000 rows.",
                ("Upload the file (UTF-8 CSV, up to 50 MB or 100,000 rows).",),
                "Yes: up to 50 MB or 100,000 rows per file, so please split that one in two.",
            ),
        ),
        rewrite=(
            'That happens when the CSV isn\'t UTF-8. Save it from Excel as "CSV UTF-8" and import it again (the '
            "first import can be undone under Settings → Import → History)."
        ),
        fixable=True,
    ),
    plans=PLANS,
)

BROWSER = topic(
    "browser",
    "technical",
    "browser-performance",
    Wording(
        "reports-slow",
        ("Reports page won't load", "Lumen is very slow"),
        ("The reports page has been loading forever for the last two days.",),
        (
            "Large reports: filter the date range to 12 months or less; reports over more than 50,000 entries are "
            "exported by email instead of shown on screen.",
            "Try a private window. If it works there, an extension is interfering: disable ad blockers and privacy "
            "extensions for lumen.app.",
        ),
        "Large reports are the usual cause: filter the date range to 12 months or less (reports over 50,000 entries are "
        "emailed instead of shown). If it's slow even for a short range, try a private window; if it works there, an "
        "extension is interfering.",
        (
            FollowUp(
                "It's a 3-month report and still spinning, in a private window too. We're behind a company proxy.",
                (
                    "Company networks: proxies that inspect HTTPS can break live updates. Ask IT to allow lumen.app and "
                    "*.lumen.app including WebSockets.",
                ),
                "That's likely the cause: proxies that inspect HTTPS can break live updates. Please ask IT to allow "
                "lumen.app and *.lumen.app, including WebSockets.",
            ),
        ),
        rewrite=(
            "Big reports are the usual reason: keep the date range to 12 months or less (over 50,000 entries, "
            "reports are emailed instead). If even a short range hangs, try a private window; if it loads there, "
            "an extension is getting in the way."
        ),
        fixable=True,
    ),
    Wording(
        "blank-page-chrome",
        ("Blank page after login", "Blank white page in Chrome"),
        (
            "After logging in I just get a blank white page in Chrome.",
            "Lumen shows nothing but a white page in Chrome since yesterday, right after I sign in.",
        ),
        (
            "Reload without cache (Ctrl+Shift+R, or Cmd+Shift+R on Mac).",
            "Try a private window. If it works there, an extension is interfering: disable ad blockers and privacy "
            "extensions for lumen.app.",
        ),
        "Please reload without cache (Ctrl+Shift+R, or Cmd+Shift+R on a Mac), then try a private window. If Lumen "
        "works there, an extension is interfering: disable ad blockers and privacy extensions for lumen.app.",
        (
            FollowUp(
                "Tried a private window, same thing.",
                (
                    "Use a supported browser: the two latest versions of Chrome, Firefox, Safari or Edge.",
                    "If the problem continues, send us the browser and version, the page address, the time it happened "
                    "and a screenshot of the browser console (F12 → Console).",
                ),
                "Thanks for trying. Please check that Chrome is one of its two latest versions, and send me the version, "
                "the page address, the time it happened and a screenshot of the browser console (F12 → Console), so we "
                "can see what fails.",
            ),
        ),
        terse="blank white page in chrome after login",
        non_native="Hello, after the login I see only a white page in Chrome, nothing else. What is the problem?",
        rewrite=(
            "Let's rule out the browser first: do a hard reload (Ctrl+Shift+R, or Cmd+Shift+R on a Mac) and then "
            "open Lumen in a private window. If it loads there, an extension such as an ad blocker is the cause; "
            "disable it for lumen.app."
        ),
        fixable=True,
    ),
    Wording(
        "blank-page-tried",
        ("Still a blank page after clearing cache",),
        (
            "I already cleared the cache and tried a private window, and Lumen is still a blank page in Chrome. Other sites work fine.",
        ),
        (
            "Use a supported browser: the two latest versions of Chrome, Firefox, Safari or Edge.",
            "If the problem continues, send us the browser and version, the page address, the time it happened and a "
            "screenshot of the browser console (F12 → Console).",
        ),
        "Thanks for trying those already. Please check that Chrome is one of its two latest versions, and send me the "
        "version, the page address, the time it happened and a screenshot of the browser console (F12 → Console); the "
        "console shows what fails to load.",
        (
            FollowUp(
                "Chrome 131, lumen.app/reports, this morning at 9:10. The console says 'WebSocket connection failed'.",
                (
                    "Company networks: proxies that inspect HTTPS can break live updates. Ask IT to allow lumen.app and "
                    "*.lumen.app including WebSockets.",
                ),
                "Thanks, that helps. A failed WebSocket connection usually means a company proxy that inspects HTTPS. "
                "Please ask IT to allow lumen.app and *.lumen.app, including WebSockets.",
            ),
        ),
        rewrite=(
            "Thanks for trying those first. Please make sure Chrome is one of its two newest versions, and send "
            "me the version, the page address, the time and a screenshot of the console (F12 → Console) so we can"
            " see what fails."
        ),
    ),
    plans=PLANS,
    also=("login-troubleshooting",),
)

OUTAGES = topic(
    "outages",
    "technical",
    "outages-status",
    Wording(
        "outage-now",
        ("Is Lumen down?", "Service outage"),
        (
            "Nobody on our team can load Lumen right now. Is there an outage?",
            "The web app has been timing out for all of us since about 20 minutes ago.",
        ),
        (
            "status.lumen.app shows the live status of the web app, the API, webhooks, the mobile sync service and email delivery.",
            "We post the first update within 15 minutes of detecting a problem and update at least every 30 minutes until it is resolved.",
        ),
        "status.lumen.app shows the live status of the web app, the API, webhooks and mobile sync. During an incident "
        "we post the first update within 15 minutes and then at least every 30 minutes until it's resolved; you can "
        "subscribe there to get them by email.",
        (
            FollowUp(
                "We were logging time on our phones while it was down. Is that lost?",
                ("Time entries made in the mobile app during an outage sync once the service is back.",),
                "No: time entries made in the mobile app during the outage sync once the service is back.",
                plans=TIME_TRACKING,
            ),
            FollowUp(
                "It's back. Will the webhooks we missed still arrive?",
                ("Webhooks that could not be sent are queued and delivered after recovery.",),
                "Yes: webhooks that couldn't be sent were queued and are delivered after recovery.",
                plans=PRO_FEATURES,
            ),
            FollowUp(
                "It's working again. Will you explain what happened?",
                ("We publish a post-incident review for major incidents within 5 business days.",),
                "Yes: for major incidents we publish a post-incident review within 5 business days, on status.lumen.app.",
            ),
        ),
        terse="lumen down??",
        rewrite=(
            "Live status is on status.lumen.app, for the web app, the API, webhooks and mobile sync. In an "
            "incident the first update is posted within 15 minutes and then at least every 30 minutes; you can "
            "subscribe there for email updates."
        ),
    ),
    Wording(
        "sla-credit",
        ("SLA service credit",),
        (
            "Yesterday's outage lasted three hours and our contract has an uptime SLA. How do we claim a service credit?",
        ),
        (
            "If uptime falls below that, owners can request a service credit within 30 days of the end of the month: "
            "10% of the monthly fee below 99.9%, 25% below 99.0%.",
        ),
        "An owner can request a service credit within 30 days of the end of the month: 10% of the monthly fee if "
        "uptime fell below 99.9%, 25% below 99.0%.",
        (
            FollowUp(
                "Will you publish what went wrong?",
                ("We publish a post-incident review for major incidents within 5 business days.",),
                "Yes: we publish a post-incident review for major incidents within 5 business days.",
            ),
        ),
        plans=(ENTERPRISE,),
        rewrite=(
            "Owners can claim a service credit within 30 days after the month ends: 10% of the monthly fee if "
            "uptime was below 99.9%, 25% if below 99.0%."
        ),
    ),
    Wording(
        "maintenance-window",
        ("Planned maintenance times",),
        ("When do you do planned maintenance? We send our invoices on Saturday mornings.",),
        ("Announced at least 72 hours ahead on the status page, scheduled on weekends between 02:00 and 04:00 UTC.",),
        "Planned maintenance is announced at least 72 hours ahead on status.lumen.app and scheduled on weekends between "
        "02:00 and 04:00 UTC, so Saturday mornings after that are fine.",
        (
            FollowUp(
                "Can we get those announcements by email?",
                ("Subscribe there to get incident updates by email, SMS or RSS.",),
                "Yes: subscribe on status.lumen.app and you'll get maintenance and incident updates by email, SMS or RSS.",
            ),
        ),
        howto=True,
        rewrite=(
            "Maintenance only happens on weekends between 02:00 and 04:00 UTC and is announced at least 72 hours "
            "ahead on status.lumen.app, so it won't get in the way of your Saturday invoicing."
        ),
    ),
    plans=PLANS,
)

INTEGRATIONS = topic(
    "integrations",
    "technical",
    "slack-integration",
    Wording(
        "slack-stopped",
        ("Slack notifications stopped",),
        ("Our Slack channel stopped getting Lumen notifications last week.",),
        (
            "If notifications stop, Slack may have revoked the connection after a workspace admin change: click Reconnect.",
        ),
        "Slack sometimes revokes the connection after an admin change in your Slack workspace. Click Reconnect next to "
        "Slack under Settings → Integrations and notifications start again.",
        (
            FollowUp(
                "Reconnected, notifications are back. Can we start timers from Slack as well?",
                ("Members can type /lumen timer start in Slack to start a timer.",),
                "Yes: any member can type /lumen timer start in a Slack channel to start a timer.",
            ),
        ),
        rewrite=(
            "When an admin changes something in your Slack workspace, Slack sometimes drops the connection. "
            "Reconnecting it under Settings → Integrations brings the notifications back."
        ),
        fixable=True,
    ),
    Wording(
        "quickbooks-sync-errors",
        ("QuickBooks sync errors",),
        ("Invoices aren't syncing to QuickBooks anymore and the sync log shows errors about a tax code.",),
        (
            "Sync errors are listed under Integrations → QuickBooks → Sync log, usually a tax code or account missing in the ledger.",
        ),
        "Those errors mean the tax code the invoices use is missing in QuickBooks. Add it (or the missing account) in "
        "your QuickBooks ledger, and the sync log under Integrations → QuickBooks shows when it's cleared.",
        (
            FollowUp(
                "We added the tax code in QuickBooks. Do we have to push the invoices again by hand?",
                ("Connecting syncs clients, invoices and payments every 15 minutes.",),
                "No: the connection syncs clients, invoices and payments every 15 minutes, so they go through on the next "
                "run.",
            ),
        ),
        rewrite=(
            "The sync stops when the tax code (or account) the invoices use doesn't exist in QuickBooks. Add it "
            "in QuickBooks and watch the sync log under Integrations → QuickBooks clear."
        ),
        fixable=True,
    ),
    Wording(
        "google-calendar",
        ("Google Calendar next to timesheet",),
        ("Can Lumen show my Google Calendar meetings next to my timesheet?",),
        ("Shows calendar events beside your timesheet so you can turn meetings into time entries with one click.",),
        "Yes: connect Google Calendar under Settings → Integrations and your events show beside the timesheet, so you "
        "can turn a meeting into a time entry with one click.",
        (
            FollowUp(
                "Some of our meetings are confidential. Does Lumen read the descriptions?",
                ("Lumen reads event titles and times only.",),
                "No: Lumen reads event titles and times only, never the descriptions of your meetings.",
            ),
        ),
        howto=True,
        rewrite=(
            "It can: connect Google Calendar under Settings → Integrations and your meetings appear next to the "
            "timesheet, where one click turns a meeting into a time entry."
        ),
    ),
    plans=PRO_FEATURES,  # pricing-plans lists integrations under Pro
)

TOPICS: tuple[Topic, ...] = (
    API_KEYS,
    RATE_LIMITS,
    API_ERRORS,
    WEBHOOKS,
    WEBHOOK_SIGNATURES,
    MOBILE,
    IMPORTS,
    BROWSER,
    OUTAGES,
    INTEGRATIONS,
)
