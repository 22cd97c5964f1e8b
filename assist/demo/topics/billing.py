"""Billing questions: refunds, failed payments, payment methods, invoices, tax, plans, charges."""

from __future__ import annotations

from assist.demo.wording import PAID, PLANS, PRO, STARTER, FollowUp, Topic, Wording, topic

REFUNDS = topic(
    "refunds",
    "billing",
    "refund-policy",
    Wording(
        "refund-annual-renewal",
        ("Refund for annual renewal",),
        ("Our annual plan renewed last week but we'd decided to move to another tool. Can we get a refund?",),
        (
            "Annual plans: a full refund within 30 days of the first annual charge or a renewal.",
            "Owners open Settings → Billing → Invoices, find the charge and click Request refund, or reply to this "
            "ticket with the invoice number (it starts with INV-).",
        ),
        "Yes: annual plans are refunded in full within 30 days of a renewal, and yours renewed last week. An owner can "
        "click Request refund on the charge under Settings → Billing → Invoices, or just reply with the invoice number "
        "(INV-…) and we'll confirm within one business day.",
        (
            FollowUp(
                "I've sent you the invoice number. When will the money be back on our card?",
                (
                    "Approved refunds are sent the same day to the original payment method.",
                    "Card refunds take 5–10 business days to appear, depending on your bank",
                ),
                "Once approved, the refund goes out the same day to the card you paid with. Card refunds take 5–10 "
                "business days to appear, depending on your bank, and you'll get a receipt with a reference number.",
            ),
        ),
        rewrite=(
            "Since the renewal was only last week, you're within the 30 days in which annual plans are fully "
            "refundable. Send me the invoice number (INV-…) or use Request refund on the charge under Settings → "
            "Billing → Invoices, and we'll confirm within one business day."
        ),
    ),
    Wording(
        "refund-after-cancel",
        ("Charged after cancelling",),
        ("I cancelled in March and you still charged my card this month. I want that money back.",),
        ("Duplicate charges and charges after a confirmed cancellation are always refunded in full.",),
        "A charge after a confirmed cancellation is always refunded in full. Please reply with the invoice number "
        "(INV-…) and, if you still have it, the cancellation confirmation email, and we'll confirm within one business day.",
        (
            FollowUp(
                "I never actually got a confirmation email back then. Does that matter?",
                (
                    "If you do not receive one, the cancellation did not go through: try again or contact support and we "
                    "will cancel it for you from the date of your request.",
                ),
                "It does, I'm afraid: without a confirmation email the cancellation didn't go through, so the plan kept "
                "running. I can cancel it for you now, from today, so there are no further charges; tell me if you'd "
                "like that.",
                article="cancel-subscription",
            ),
        ),
        rewrite=(
            "If you cancelled and got the confirmation, any charge after that is refunded in full. Send me the "
            "invoice number (INV-…) and the confirmation email if you have it, and I'll confirm the refund within"
            " one business day."
        ),
    ),
    Wording(
        "refund-monthly",
        ("Refund for this month",),
        ("I cancelled our monthly plan two days after it renewed. Can I get this month's payment back?",),
        (
            "Monthly plans: if you cancel within 14 days of a charge and have not used paid features heavily, we refund "
            "that month in full.",
        ),
        "Yes: on a monthly plan, if you cancel within 14 days of a charge and haven't used paid features heavily, we "
        "refund that month in full, and two days is well within that.",
        (
            FollowUp(
                "Great. How do I request it?",
                (
                    "Owners open Settings → Billing → Invoices, find the charge and click Request refund, or reply to "
                    "this ticket with the invoice number (it starts with INV-).",
                ),
                "Open Settings → Billing → Invoices, find this month's charge and click Request refund, or simply reply "
                "here with the invoice number (INV-…).",
            ),
        ),
        rewrite=(
            "You're in time: monthly plans cancelled within 14 days of a charge get that month refunded in full, "
            "as long as paid features weren't used heavily."
        ),
    ),
    Wording(
        "refund-when",
        ("When will my refund arrive", "Refund timing"),
        (
            "I was told the duplicate charge would be refunded. Nothing has arrived yet.",
            "You approved my refund on Monday. When will I actually see the money?",
        ),
        (
            "Approved refunds are sent the same day to the original payment method.",
            "Card refunds take 5–10 business days to appear, depending on your bank; bank transfers take 3–5 business days.",
        ),
        "The refund was sent the same day it was approved, to the card you paid with. Card refunds take 5–10 business "
        "days to appear, depending on your bank (bank transfers 3–5), so it should show up within that window.",
        (
            FollowUp(
                "It's now been more than 10 business days and it's still not there.",
                (
                    "Reply with the refund reference from the receipt.",
                    "We can give your bank the acquirer reference number (ARN) to locate the payment.",
                ),
                "Thanks for letting me know. Please send me the refund reference from the receipt email; we can then "
                "give your bank the acquirer reference number (ARN) so they can locate the payment.",
            ),
        ),
        rewrite=(
            "Your refund left us the day it was approved, back to the card you paid with. It then takes your bank"
            " 5–10 business days to show it (3–5 for bank transfers), so it should appear within that time."
        ),
    ),
    Wording(
        "refund-late",
        ("Refund not received", "Where is my refund", "Refund still missing"),
        (
            "You confirmed my refund 12 business days ago and I still don't see it on my statement.",
            "The refund you confirmed more than two weeks ago still hasn't reached my card.",
        ),
        (
            "Reply with the refund reference from the receipt.",
            "We can give your bank the acquirer reference number (ARN) to locate the payment.",
        ),
        "After 10 business days your bank should be able to trace it. Please send me the refund reference from the "
        "receipt email, and we'll give your bank the acquirer reference number (ARN) so they can locate the payment.",
        (
            FollowUp(
                "My bank says there is no incoming refund. Should I just open a dispute with them?",
                (
                    "Please do not open a chargeback while a refund is in progress: it freezes the refund and can take "
                    "60–90 days to settle.",
                ),
                "Please don't open a chargeback while the refund is in progress: it freezes the refund and can take "
                "60–90 days to settle. Give your bank the ARN instead; that lets them find the payment.",
            ),
        ),
        terse="refund confirmed 12 days ago. still nothing on my card",
        rewrite=(
            "Sorry it's taking this long. Past 10 business days, your bank can trace the payment with the "
            "acquirer reference number (ARN): send me the refund reference from your receipt and I'll get you the"
            " ARN to give them."
        ),
    ),
    plans=PAID,
    also=("cancel-subscription",),
)

PAYMENTS = topic(
    "payments",
    "billing",
    "failed-payments",
    Wording(
        "duplicate-charge",
        ("Charged twice", "Double charge this month", "Two payments for one invoice"),
        (
            "My card statement shows two charges of the same amount from Lumen on the same day.",
            "We were billed twice for INV-20931. Please fix this.",
        ),
        (
            "Card holds from failed attempts are released by your bank within 3–7 business days; you are charged only once.",
            "If you see two completed charges for the same invoice, reply with both dates and amounts: duplicate "
            "charges are refunded in full.",
        ),
        "Often one of the two is only a hold from a failed attempt, which your bank releases within 3–7 business days; "
        "you're charged only once. If both charges have completed, reply with both dates and amounts and we refund the "
        "duplicate in full.",
        (
            FollowUp(
                "Both charges have completed, not pending: 14 October, 348 USD each.",
                (
                    "Duplicate charges and charges after a confirmed cancellation are always refunded in full.",
                    "Card refunds take 5–10 business days to appear, depending on your bank",
                ),
                "Thanks for the details. Duplicate charges are always refunded in full, so I've refunded the second "
                "348 USD charge to your card today. Card refunds take 5–10 business days to appear, depending on your bank.",
                article="refund-policy",
            ),
        ),
        non_native="Hello, on my card I see two time the same amount from Lumen on the same day. Why you take two times?",
        rewrite=(
            "One of those is probably a hold from a failed attempt; your bank drops it within 3–7 business days "
            "and you only pay once. If both have actually gone through, send me both dates and amounts and we'll "
            "refund the duplicate in full."
        ),
    ),
    Wording(
        "payment-failed-card-ok",
        ("Payment failed",),
        ("We got an email that our payment failed. The card is fine, it works everywhere else.",),
        (
            "The most common reasons are an expired card, insufficient funds, a bank blocking an international charge "
            "(Lumen charges from Ireland), or 3-D Secure authentication not completed.",
            "We email the billing contact and retry the card after 3, 5 and 7 days.",
        ),
        "When the card itself is fine, the usual causes are a bank blocking an international charge (Lumen charges "
        "from Ireland) or a 3-D Secure check that wasn't completed. Please ask your bank to allow the charge; we retry "
        "the card automatically after 3, 5 and 7 days.",
        (
            FollowUp(
                "Will we lose access while this gets sorted out?",
                ("The workspace stays fully usable for 14 days after the first failure.",),
                "No: the workspace stays fully usable for 14 days after the first failed payment, so there's time to "
                "sort it out with your bank.",
            ),
        ),
        past_due=True,
        rewrite=(
            "If the card works elsewhere, the bank most likely blocked the charge because it comes from Ireland, "
            "or the 3-D Secure check wasn't finished. Ask your bank to let it through; we retry automatically "
            "after 3, 5 and 7 days."
        ),
    ),
    Wording(
        "read-only-overdue",
        ("Workspace read-only after payment issue",),
        ("Our workspace suddenly went read-only and nobody can log time. It says there's an overdue invoice.",),
        (
            "After 14 days the workspace becomes read-only: you can view and export data but not create or edit.",
            "Update the card under Settings → Billing → Payment method",
            "Open Settings → Billing → Invoices and click Pay now on the open invoice.",
        ),
        "The workspace went read-only because an invoice has been unpaid for 14 days. Update the card under "
        "Settings → Billing → Payment method if needed, then click Pay now on the open invoice under "
        "Settings → Billing → Invoices; access comes back within a few minutes.",
        (
            FollowUp(
                "Paid, and we can log time again. Did we lose any data while it was read-only?",
                ("No data is deleted.",),
                "No data was lost: a read-only workspace can still be viewed and exported, and no data is deleted "
                "after a failed payment.",
            ),
        ),
        past_due=True,
        terse="workspace read-only. overdue invoice. nobody can log time",
        rewrite=(
            "A workspace turns read-only when an invoice stays unpaid for 14 days. To unlock it, check the card "
            "under Settings → Billing → Payment method and then click Pay now on the open invoice in Settings → "
            "Billing → Invoices; it's writable again within minutes."
        ),
        fixable=True,
    ),
    Wording(
        "bank-declined-ireland",
        ("Card declined", "Bank blocked the payment"),
        ("The bank declined the charge because it's from Ireland. How do I pay now?",),
        (
            "a bank blocking an international charge (Lumen charges from Ireland)",
            "Open Settings → Billing → Invoices and click Pay now on the open invoice.",
        ),
        "Lumen charges from Ireland, so some banks block the payment. Once your bank has allowed it (or you've added "
        "another card under Settings → Billing → Payment method), open Settings → Billing → Invoices and click Pay now "
        "on the open invoice.",
        (
            FollowUp(
                "Can we avoid card payments altogether?",
                (
                    "We accept Visa, Mastercard and American Express, SEPA direct debit in the EU and ACH in the US.",
                    "Enterprise customers can pay by invoice with 30-day terms.",
                ),
                "Yes: besides cards we accept SEPA direct debit in the EU and ACH in the US (on annual plans), and "
                "Enterprise customers can pay by invoice with 30-day terms.",
                article="payment-method",
            ),
        ),
        past_due=True,
        rewrite=(
            "Because Lumen charges from Ireland, some banks decline it as a foreign payment. Ask your bank to "
            "allow it, or add a different card under Settings → Billing → Payment method, and then click Pay now "
            "on the open invoice under Settings → Billing → Invoices."
        ),
        fixable=True,
    ),
    plans=PAID,
    also=("payment-method",),
)

PAYMENT_METHOD = topic(
    "payment-method",
    "billing",
    "payment-method",
    Wording(
        "card-expiring",
        ("Update credit card", "Change payment method"),
        ("Our company card expires next month. Where do I change it?",),
        (
            "Open Settings → Billing → Payment method.",
            "Click Replace and enter the new card details",
        ),
        "Open Settings → Billing → Payment method, click Replace and enter the new card details, then Save. Please "
        "don't send card details in a ticket; we never need them.",
        (
            FollowUp(
                "I can't find the Replace button.",
                ("Owners can change the card or bank account used for the subscription.",),
                "The Replace button is only shown to owners of the workspace. Please ask one of your owners to change "
                "the card, or to make you an owner.",
            ),
        ),
        howto=True,
        rewrite=(
            "An owner can swap the card under Settings → Billing → Payment method → Replace, then Save. Please "
            "never send card details to us in a ticket; we don't need them."
        ),
    ),
    Wording(
        "sepa-direct-debit",
        ("Pay by SEPA direct debit", "Pay by bank transfer"),
        (
            "Can we pay by SEPA direct debit instead of a credit card?",
            "Our finance team would rather not use a card. Is SEPA direct debit possible?",
        ),
        (
            "choose Pay by bank transfer (SEPA / ACH) on annual plans",
            "We accept Visa, Mastercard and American Express, SEPA direct debit in the EU and ACH in the US.",
        ),
        "Yes, SEPA direct debit is available on annual plans: under Settings → Billing → Payment method, click Replace "
        "and choose Pay by bank transfer (SEPA / ACH).",
        (
            FollowUp(
                "We're on monthly billing at the moment. What does switching to annual cost?",
                (
                    "Annual billing costs 2 months less per year. Switching from monthly to annual takes effect "
                    "immediately with a prorated credit for the unused month.",
                ),
                "Annual billing costs 2 months less per year. The switch takes effect immediately, with a prorated "
                "credit for the unused part of this month; after that you can choose SEPA.",
                article="plan-changes",
            ),
        ),
        howto=True,
        terse="sepa direct debit possible?",
        non_native="Hello, it is possible to pay with SEPA direct debit and not with credit card? Our accounting want this.",
        rewrite=(
            "You can, on an annual plan: go to Settings → Billing → Payment method, click Replace and pick Pay by"
            " bank transfer (SEPA / ACH)."
        ),
    ),
    plans=PAID,
)

INVOICES = topic(
    "invoices",
    "billing",
    "invoices",
    Wording(
        "vat-id-on-invoice",
        ("Need VAT number on invoice",),
        ("Our invoices are missing our VAT ID and our accountant won't accept them.",),
        (
            "Open Settings → Billing → Company details and enter your legal company name, address and VAT or tax ID.",
            "New invoices use these details.",
        ),
        "Please add it under Settings → Billing → Company details (legal company name, address and VAT ID); every new "
        "invoice uses those details.",
        (
            FollowUp(
                "Done. Can you fix the invoices we already received?",
                (
                    "We cannot edit an issued invoice, but we can reissue it.",
                    "Reply with the invoice number and the corrected details (company name, address, VAT ID).",
                ),
                "We can't edit an issued invoice, but we can reissue it: reply with the invoice numbers you need and "
                "we'll void the originals and send corrected ones with your VAT ID.",
            ),
        ),
        rewrite=(
            "Add your VAT ID along with your legal company name and address under Settings → Billing → Company "
            "details; all new invoices will show it."
        ),
    ),
    Wording(
        "invoice-wrong-name",
        ("Invoice company name wrong",),
        ("The company name on last month's invoice is wrong, it's our old name. Can you reissue it?",),
        (
            "Reply with the invoice number and the corrected details (company name, address, VAT ID).",
            "We void the original and send a corrected invoice within one business day.",
        ),
        "Yes. Please reply with the invoice number and the correct company name (and address or VAT ID if those "
        "changed too); we void the original and send a corrected invoice within one business day. Updating "
        "Settings → Billing → Company details keeps future invoices right.",
        (
            FollowUp(
                "Thanks. Can you also reissue one from January last year?",
                ("Reissues are possible for invoices from the last 12 months.",),
                "I'm afraid not: reissues are possible for invoices from the last 12 months, and January last year is "
                "further back.",
            ),
        ),
        rewrite=(
            "We can reissue it. Send me the invoice number and the correct company name (plus address or VAT ID "
            "if those changed); the original is voided and a corrected invoice follows within one business day. "
            "Updating Settings → Billing → Company details makes sure new invoices are right."
        ),
    ),
    Wording(
        "download-invoices",
        ("Where are my invoices", "Download invoices for bookkeeping"),
        ("Where can I download all invoices from this year for our bookkeeping?",),
        (
            "Owners open Settings → Billing → Invoices.",
            "Click an invoice number (INV-…) to view it, or Download PDF.",
        ),
        "Owners find every invoice under Settings → Billing → Invoices: click an invoice number (INV-…) to view it, or "
        "Download PDF. Each invoice was also emailed to your billing contact when it was issued.",
        (
            FollowUp(
                "Our bookkeeper should get them automatically from now on. Can they go to her address?",
                ("Change the billing contact under Settings → Billing → Billing contact.",),
                "Yes: change the billing contact under Settings → Billing → Billing contact. Future invoices go to her "
                "address; older ones can be resent from the invoice page.",
            ),
        ),
        howto=True,
        rewrite=(
            "All your invoices are under Settings → Billing → Invoices (owners only): open any INV-… number to "
            "view it or use Download PDF. The billing contact also got each one by email when it was issued."
        ),
    ),
    plans=PAID,
)

TAX = topic(
    "vat",
    "billing",
    "vat-tax",
    Wording(
        "vat-charged",
        ("VAT charged despite VAT number", "Reverse charge missing"),
        (
            "We're a German company with a valid VAT number but you charged us 19% VAT.",
            "Our invoice should say reverse charge. We entered our VAT ID last week.",
        ),
        (
            "If the VAT number was added after the invoice was issued, reply with the invoice number and we will "
            "reissue it without VAT and refund the tax amount within 5–10 business days.",
        ),
        "The VAT number was added after that invoice was issued, which is why it still has VAT. Reply with the "
        "invoice number and we'll reissue it with reverse charge and refund the tax amount within 5–10 business days.",
        (
            FollowUp(
                "There's also one from May with VAT on it. Can you do that one too?",
                ("We can do this for invoices from the last 3 months.",),
                "I'm sorry, we can reissue invoices without VAT only for the last 3 months, and May is further back. "
                "Your accountant may be able to reclaim that VAT.",
            ),
        ),
        rewrite=(
            "That invoice was issued before your VAT number was on file, so VAT was still added. Send me the "
            "invoice number and we'll reissue it with reverse charge and refund the VAT within 5–10 business "
            "days."
        ),
    ),
    Wording(
        "sales-tax-exempt",
        ("Sales tax exemption",),
        ("We're a US nonprofit and exempt from sales tax, but your invoices still add it.",),
        (
            "Tax-exempt organisations can upload an exemption certificate under Company details; tax is removed from "
            "the next invoice after we review it (up to 2 business days).",
        ),
        "Please upload your exemption certificate under Settings → Billing → Company details. We review it within 2 "
        "business days and the tax is removed from your next invoice.",
        (
            FollowUp(
                "Uploaded. Since we're a nonprofit, is there a discount as well?",
                (
                    "Nonprofits and education: 50% off Starter and Pro. Apply from Settings → Billing → Discounts with proof of status.",
                ),
                "There is: nonprofits get 50% off Starter and Pro. Apply under Settings → Billing → Discounts with "
                "proof of status.",
                article="pricing-plans",
            ),
        ),
        rewrite=(
            "Upload your tax exemption certificate under Settings → Billing → Company details; once we've "
            "reviewed it (up to 2 business days), sales tax is removed from the next invoice."
        ),
    ),
    plans=PAID,
    also=("invoices",),
)

PLAN_CHANGES = topic(
    "plan-changes",
    "billing",
    "plan-changes",
    Wording(
        "downgrade-to-starter",
        ("Downgrade to Starter",),
        ("We want to downgrade from Pro to Starter. Will we lose anything?",),
        (
            "Downgrades take effect at the end of the current billing period; you keep the higher plan until then and "
            "are not charged the difference.",
            "Features of the higher plan (such as API keys on Pro) stop working when the downgrade takes effect.",
        ),
        "You keep Pro until the end of the current billing period and aren't charged the difference. From then on, "
        "Pro-only features stop working: the API and webhooks, timesheet approvals, required 2FA and integrations.",
        (
            FollowUp(
                "Our developer asks what our API calls will return after that.",
                (
                    "403 plan_required: the workspace is not on Pro or Enterprise (after a downgrade, keys stop working at the end of the period).",
                ),
                "From the end of the period, API requests are answered with 403 plan_required, since the workspace is no "
                "longer on Pro or Enterprise; the keys themselves stay until you revoke them.",
                article="api-keys",
            ),
        ),
        plans=(PRO,),
        howto=True,
        rewrite=(
            "Nothing changes until your current billing period ends; you keep Pro until then at no extra cost. "
            "After that, the Pro-only features switch off: API and webhooks, timesheet approvals, required 2FA "
            "and integrations."
        ),
    ),
    Wording(
        "switch-to-annual",
        ("Switch to annual billing",),
        ("How much would we save by switching to annual billing, and when does it start?",),
        (
            "Annual billing costs 2 months less per year. Switching from monthly to annual takes effect immediately "
            "with a prorated credit for the unused month.",
        ),
        "Annual billing costs 2 months less per year. The switch takes effect immediately, and you get a prorated "
        "credit for the unused part of the current month.",
        (
            FollowUp(
                "And if we want to go back to monthly later?",
                ("Switching from annual to monthly takes effect at the next renewal.",),
                "That's possible too; switching from annual to monthly takes effect at your next renewal.",
            ),
        ),
        plans=(STARTER, PRO),
        howto=True,
        rewrite=(
            "Annual saves you two months a year. It starts right away, and the unused part of this month is "
            "credited pro rata."
        ),
    ),
    Wording(
        "upgrade-to-pro",
        ("Upgrade to Pro",),
        ("If we upgrade to Pro today, do we pay the full month again?",),
        (
            "Upgrades take effect immediately. You pay the prorated difference for the rest of the current period on the same day.",
        ),
        "No: the upgrade takes effect immediately and you pay only the prorated difference for the rest of the current "
        "period, on the same day.",
        (
            FollowUp(
                "OK. What exactly do we get on Pro that we don't have now?",
                ("Pro ($29 per member per month, adds time-tracking approvals, 2FA enforcement and the API)",),
                "Pro is $29 per member per month and adds timesheet approvals, required 2FA for the whole team, the API "
                "and webhooks, and integrations such as Slack and QuickBooks.",
            ),
        ),
        plans=(STARTER,),
        howto=True,
        rewrite=(
            "You won't pay a full month again: the upgrade is immediate and you're charged only the prorated "
            "difference for the days left in this period."
        ),
    ),
    plans=PAID,
    also=("proration",),
)

CHARGES = topic(
    "charges",
    "billing",
    "proration",
    Wording(
        "bill-higher",
        ("Why is my bill higher", "Unexpected charge"),
        ("This month's invoice is $87 higher than usual and I don't understand why.",),
        (
            'Added members: each new member adds a prorated charge for the rest of the period, shown as "Seat added (prorated)".',
            "Upgrades: you pay the difference between plans for the remaining days.",
            "Tax: VAT or sales tax is added based on your billing address unless you provided a valid tax ID.",
        ),
        'A bill is usually higher for one of three reasons: a member was added (a prorated "Seat added (prorated)" '
        "line), the plan was upgraded (the difference for the remaining days), or tax was added because no valid tax "
        "ID is on file. The lines on the invoice show which one it was.",
        (
            FollowUp(
                "We removed two people last month. Shouldn't it be lower then?",
                ("Removed members and downgrades create credits that are applied to the next invoice automatically.",),
                "Removed members create a credit, and it's applied to the next invoice automatically, so you'll see it "
                "there rather than on this one.",
            ),
        ),
        plans=PAID,
        rewrite=(
            'Three things usually raise a bill: someone joined the workspace (a "Seat added (prorated)" line), an'
            " upgrade (the difference for the remaining days), or tax because no valid tax ID is on file. The "
            "invoice lines tell you which it was this month."
        ),
    ),
    Wording(
        "seat-added-line",
        ("Prorated seat charge",),
        ("There's a line 'Seat added (prorated)' on the invoice. We didn't buy anything.",),
        (
            'Added members: each new member adds a prorated charge for the rest of the period, shown as "Seat added (prorated)".',
        ),
        "That line appears when someone joined your workspace during the period: each new member adds a prorated "
        "charge for the rest of it. Invited people count only once they accept, so it's someone who accepted an invite.",
        (
            FollowUp(
                "Yes, someone accepted on the 16th. How is the amount worked out?",
                (
                    "On Pro ($29 per member per month) with a billing date on the 1st, adding a member on the 16th of a "
                    "30-day month costs $14.50 that day, and $29 from the next renewal on.",
                ),
                "It's the share of the month that's left. For example on Pro ($29 per member per month) with a billing "
                "date on the 1st, a member added on the 16th of a 30-day month costs $14.50 that day, and $29 from the "
                "next renewal on.",
            ),
        ),
        plans=PAID,
        rewrite=(
            "That line means a new member joined partway through the period, so a prorated seat was added for the"
            " remaining days. People only count once they accept an invite."
        ),
    ),
    Wording(
        "renewal-date",
        ("When does our plan renew",),
        ("On which day does our monthly plan renew? I need it for our budget.",),
        (
            "Monthly plans renew on the same day each month as the first payment; annual plans on the anniversary.",
            "The date is shown under Settings → Billing.",
        ),
        "Monthly plans renew on the same day each month as your first payment; you'll find the exact date under "
        "Settings → Billing.",
        (
            FollowUp(
                "We're charged in EUR but our bank statement shows a slightly different amount.",
                ("Currency conversion: we charge in USD, EUR or GBP; your bank may add a conversion fee.",),
                "We charge in USD, EUR or GBP, so if your account is in another currency your bank converts it and may "
                "add a conversion fee; that's the difference you see.",
            ),
        ),
        plans=PAID,
        howto=True,
        rewrite=(
            "Your monthly plan renews on the same day of the month as your first payment; the exact date is under"
            " Settings → Billing."
        ),
    ),
)

CANCELLING = topic(
    "cancel",
    "billing",
    "cancel-subscription",
    Wording(
        "cancel-subscription",
        ("Cancel subscription", "How do I cancel"),
        ("Please cancel our subscription. We're moving to a different tool.",),
        (
            "Owners open Settings → Billing → Change plan.",
            "Click Cancel subscription at the bottom of the page.",
            "Your paid plan stays active until the end of the current billing period, then the workspace moves to the Free plan.",
            "No data is deleted when you cancel.",
        ),
        "Sorry to see you go. An owner can cancel under Settings → Billing → Change plan → Cancel subscription. Your "
        "plan stays active until the end of the current period, then the workspace moves to Free; no data is deleted.",
        (
            FollowUp(
                "We have six people and lots of projects. What happens to them on Free?",
                (
                    "If the workspace has more than 2 members or 3 active projects, it becomes read-only on Free until "
                    "you remove members or archive projects.",
                ),
                "Everything stays, but with more than 2 members or 3 active projects the workspace becomes read-only on "
                "Free until you remove members or archive projects. You can still view and export everything.",
            ),
        ),
        howto=True,
        rewrite=(
            "I'm sorry to hear you're leaving. An owner can cancel under Settings → Billing → Change plan → "
            "Cancel subscription; the plan runs until the end of the period and then the workspace moves to Free,"
            " with all your data kept."
        ),
    ),
    Wording(
        "cancel-not-confirmed",
        ("Cancellation not confirmed",),
        ("I clicked cancel but never got a confirmation email. Did it work?",),
        (
            "If you do not receive one, the cancellation did not go through: try again or contact support and we will "
            "cancel it for you from the date of your request.",
        ),
        "Without a confirmation email the cancellation didn't go through. I can cancel it for you from the date of "
        "your request, so you won't be charged again; just confirm that's what you'd like.",
        (
            FollowUp(
                "Yes, please cancel it. Will I also get this month's charge back?",
                (
                    "Monthly plans: if you cancel within 14 days of a charge and have not used paid features heavily, "
                    "we refund that month in full.",
                ),
                "Done, it's cancelled from the date you first asked. On a monthly plan, a cancellation within 14 days of "
                "a charge gets that month refunded in full if paid features weren't used heavily, so I've requested the "
                "refund for you.",
                article="refund-policy",
            ),
        ),
        rewrite=(
            "If no confirmation email came, the cancellation didn't go through. I'm happy to cancel it for you, "
            "effective from the day you asked, so there are no further charges; just confirm."
        ),
    ),
    plans=PAID,
)

DISPUTES = topic(
    "chargeback",
    "billing",
    "chargebacks",
    Wording(
        "unknown-charge",
        ("Unknown charge from Lumen",),
        ("There's a Lumen charge on our company card that nobody here recognises.",),
        (
            "most unknown charges are a colleague's workspace, a seat added by an admin, or an annual renewal",
            "We can explain or refund a charge within one business day, much faster than a bank dispute.",
        ),
        "Most unknown charges turn out to be a colleague's workspace, a seat added by an admin, or an annual renewal. "
        "Send me the date and amount and I'll tell you within one business day what it was for, or refund it; that's "
        "much faster than a bank dispute.",
        (
            FollowUp(
                "We've checked, and nobody here has a Lumen workspace paid with that card.",
                (
                    "If your card was used without permission to pay for a Lumen workspace you do not own, tell us the "
                    "date and amount.",
                    "We refund it, close the workspace that used the card and block the card from further use.",
                ),
                "Then the card was used without your permission. Please send me the date and amount of the charge; we "
                "refund it, close the workspace that used the card and block the card from further use.",
            ),
        ),
        rewrite=(
            "Usually an unrecognised charge is a colleague's own workspace, a seat an admin added, or an annual "
            "renewal. Send me the date and amount and I'll explain or refund it within one business day, which is"
            " much quicker than a bank dispute."
        ),
    ),
    Wording(
        "dispute-read-only",
        ("Disputed charge", "Workspace read-only after dispute"),
        ("I've opened a dispute with my bank because of your charges and now our workspace is read-only.",),
        (
            "The workspace is set to read-only until the dispute is settled, because the payment is considered reversed.",
            "If we resolve the issue with a refund, ask your bank to withdraw the dispute.",
        ),
        "While a dispute is open the payment counts as reversed, so the workspace stays read-only until it's settled, "
        "and card networks take 60 to 90 days. If we can sort out the charge with a refund, ask your bank to withdraw "
        "the dispute; tell me which charge it is about and I'll look at it today.",
        (
            FollowUp(
                "The bank has confirmed the dispute is withdrawn. When do we get access back?",
                ("Once the bank confirms, the workspace is restored.",),
                "Thanks for withdrawing it. Once the bank's confirmation reaches us the workspace is restored; I'll "
                "check it and let you know when it's back.",
            ),
        ),
        rewrite=(
            "With a dispute open, the bank treats the payment as reversed, so the workspace stays read-only until"
            " the dispute is settled (card networks take 60–90 days). If we can sort the charge out with a "
            "refund, you can ask the bank to withdraw the dispute; tell me which charge it is."
        ),
    ),
    plans=PAID,
)

DISCOUNTS = topic(
    "discount",
    "general",
    "pricing-plans",
    Wording(
        "nonprofit-discount",
        ("Nonprofit discount",),
        ("We're a registered charity. Do you offer any discount?",),
        (
            "Nonprofits and education: 50% off Starter and Pro. Apply from Settings → Billing → Discounts with proof of status.",
        ),
        "We do: registered nonprofits get 50% off Starter and Pro. Apply under Settings → Billing → Discounts with "
        "proof of your charity status.",
        (
            FollowUp(
                "We've uploaded our proof of status. When does the discount start?",
                ("Discounts apply from the next invoice and cannot be combined.",),
                "It applies from your next invoice; you'll see the 50% reduction there.",
            ),
        ),
        howto=True,
        rewrite=(
            "Yes, registered charities get 50% off Starter and Pro. You can apply under Settings → Billing → "
            "Discounts by uploading proof of your status."
        ),
    ),
    Wording(
        "startup-discount",
        ("Do you have startup pricing",),
        ("Is there a discount for early-stage startups?",),
        ("Startups under 2 years old: 30% off Pro for the first year.",),
        "Yes: startups under 2 years old get 30% off Pro for the first year.",
        (
            FollowUp(
                "We're also a registered social enterprise. Can we combine that with the nonprofit discount?",
                ("Discounts apply from the next invoice and cannot be combined.",),
                "Discounts can't be combined, so you'd choose one; the nonprofit discount is 50% off Starter and Pro, "
                "the startup one 30% off Pro for the first year.",
            ),
        ),
        howto=True,
        rewrite="We do: if your company is under 2 years old, you get 30% off Pro for the first year.",
    ),
    plans=PLANS,
)

TOPICS: tuple[Topic, ...] = (
    REFUNDS,
    PAYMENTS,
    PAYMENT_METHOD,
    INVOICES,
    TAX,
    PLAN_CHANGES,
    CHARGES,
    CANCELLING,
    DISPUTES,
    DISCOUNTS,
)
