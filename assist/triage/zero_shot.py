"""Category from descriptions alone, for a workspace without enough labelled tickets yet."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from assist.domain import Category
from assist.embeddings import Embedder

DESCRIPTIONS: dict[Category, str] = {
    Category.BILLING: "billing, invoices, charges, payments, refunds, card declined, subscription price, plan, "
    "VAT, tax",
    Category.ACCOUNT: "account access, sign in, login, password reset, two-factor authentication, SSO, team members, "
    "email change, delete account, export data",
    Category.TECHNICAL: "technical problem, API, error code, webhooks, integration, sync, import, app slow, bug, "
    "outage",
    Category.GENERAL: "general question, how to get started, support hours, privacy, security compliance, "
    "feature request",
}
TEMPERATURE = 0.05  # cosine gaps between categories are small; sharpen them into probabilities


class ZeroShotCategories:
    def __init__(self, embedder: Embedder) -> None:
        self.categories = list(DESCRIPTIONS)
        self.vectors = embedder.encode([DESCRIPTIONS[c] for c in self.categories])

    def predict_proba(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        logits = (vectors @ self.vectors.T) / TEMPERATURE
        logits -= logits.max(axis=1, keepdims=True)
        weights = np.exp(logits)
        probabilities: npt.NDArray[np.float64] = weights / weights.sum(axis=1, keepdims=True)
        return probabilities
