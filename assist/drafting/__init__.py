"""Draft replies: prompt + LangChain chat model, offline grounded drafter, calibrated confidence."""

from assist.drafting.confidence import ConfidenceModel, expected_calibration_error
from assist.drafting.links import citation, insert_link
from assist.drafting.llm import LlmDrafter, parse_reply
from assist.drafting.offline import ArticleText, OfflineDrafter
from assist.drafting.redaction import Redaction
from assist.drafting.service import Drafter
from assist.errors import DraftingError

__all__ = [
    "ArticleText",
    "ConfidenceModel",
    "Drafter",
    "DraftingError",
    "LlmDrafter",
    "OfflineDrafter",
    "Redaction",
    "citation",
    "expected_calibration_error",
    "insert_link",
    "parse_reply",
]
