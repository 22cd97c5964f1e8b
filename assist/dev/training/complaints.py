"""Complaint labels derived from BANKING77 intents, for the sentiment network's complaint head.

A complaint, as support teams (and Preoţiuc-Pietro et al., 2019) use the word, reports that reality
fell short of what the customer expected: a payment declined, money that never arrived, a charge
they did not expect. It is often worded calmly. BANKING77's intents say which kind of message each
query is, so the labels come from the intent, not from the words: intents that report a failure or
an unexpected outcome are complaints; intents that ask how to do something or what a rule is are
not. Intents that hold both kinds ("is there a fee?" beside "why was I charged a fee?") are left
out rather than guessed. Positive tweets from the tone data are added as non-complaints, so the
head also learns that praise and thanks are not complaints.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from assist.errors import ValidationError

COMPLAINT = "complaint"
OTHER = "other"

COMPLAINT_INTENTS = frozenset(
    {
        "Refund_not_showing_up",
        "balance_not_updated_after_bank_transfer",
        "balance_not_updated_after_cheque_or_cash_deposit",
        "beneficiary_not_allowed",
        "card_arrival",
        "card_not_working",
        "card_payment_fee_charged",
        "card_payment_not_recognised",
        "card_payment_wrong_exchange_rate",
        "card_swallowed",
        "cash_withdrawal_charge",
        "cash_withdrawal_not_recognised",
        "compromised_card",
        "contactless_not_working",
        "declined_card_payment",
        "declined_cash_withdrawal",
        "declined_transfer",
        "direct_debit_payment_not_recognised",
        "extra_charge_on_statement",
        "failed_transfer",
        "pending_card_payment",
        "pending_cash_withdrawal",
        "pending_top_up",
        "pending_transfer",
        "pin_blocked",
        "reverted_card_payment?",
        "top_up_failed",
        "top_up_reverted",
        "transaction_charged_twice",
        "transfer_fee_charged",
        "transfer_not_received_by_recipient",
        "unable_to_verify_identity",
        "virtual_card_not_working",
        "wrong_amount_of_cash_received",
        "wrong_exchange_rate_for_cash_withdrawal",
    }
)
OTHER_INTENTS = frozenset(
    {
        "activate_my_card",
        "age_limit",
        "apple_pay_or_google_pay",
        "atm_support",
        "automatic_top_up",
        "cancel_transfer",
        "card_about_to_expire",
        "card_acceptance",
        "card_delivery_estimate",
        "card_linking",
        "change_pin",
        "country_support",
        "disposable_card_limits",
        "edit_personal_details",
        "exchange_rate",
        "exchange_via_app",
        "fiat_currency_support",
        "get_disposable_virtual_card",
        "get_physical_card",
        "getting_spare_card",
        "getting_virtual_card",
        "order_physical_card",
        "receiving_money",
        "supported_cards_and_currencies",
        "top_up_by_cash_or_cheque",
        "top_up_limits",
        "topping_up_by_card",
        "transfer_into_account",
        "verify_my_identity",
        "verify_source_of_funds",
        "verify_top_up",
        "visa_or_mastercard",
        "why_verify_identity",
    }
)


def from_banking77(path: Path) -> pd.DataFrame:
    """`text,label` rows with label complaint/other; intents in neither list are dropped."""
    try:
        frame = pd.read_csv(path, usecols=["text", "label"], dtype=str, keep_default_na=False)
    except (ValueError, OSError) as e:
        raise ValidationError(f"{path}: expected the BANKING77 CSV with columns text,label ({e}).") from e
    known = frame["label"].isin(COMPLAINT_INTENTS | OTHER_INTENTS)
    if not known.any():
        raise ValidationError(f"{path}: no BANKING77 intents found; is this the right file?")
    frame = frame[known & (frame["text"].str.strip() != "")].copy()
    frame["label"] = frame["label"].map(lambda intent: COMPLAINT if intent in COMPLAINT_INTENTS else OTHER)
    return frame.reset_index(drop=True)
