"""Draft replies: answer selection, the plan (stance), the offline grounded drafter, the LLM drafter, and
the confidence that the agent sends the draft as it is.

    answers.py        which units of the retrieved articles answer the question (AnswerSelector)
    stance.py         answer, hold, clarify or escalate, decided from the assessment (plan)
    offline.py        the offline draft built from the selected units
    llm.py, prompt.py the LangChain drafter, given the same passages and plan
    confidence.py     P(sent with at most light edits), before the team's recalibration
    needs.py          what the message needs: an answer, a clarifying question, a hand-over or a lead
    reuse.py          a reply the team sent before, as a candidate that competes with the articles' answer
"""

from assist.drafting.answers import AnswerSelector, ArticleText, Question, Selection
from assist.drafting.confidence import ConfidenceModel, expected_calibration_error
from assist.drafting.links import citation, insert_link
from assist.drafting.llm import LlmDrafter, parse_reply
from assist.drafting.needs import Need, NeedModel
from assist.drafting.offline import OfflineDrafter
from assist.drafting.redaction import Redaction
from assist.drafting.service import Drafter
from assist.drafting.stance import Plan, Stance, plan
from assist.edits import edit_ratio
from assist.errors import DraftingError
from assist.recalibration import Recalibration

__all__ = [
    "AnswerSelector",
    "ArticleText",
    "ConfidenceModel",
    "Drafter",
    "DraftingError",
    "LlmDrafter",
    "Need",
    "NeedModel",
    "OfflineDrafter",
    "Plan",
    "Question",
    "Recalibration",
    "Redaction",
    "Selection",
    "Stance",
    "citation",
    "edit_ratio",
    "expected_calibration_error",
    "insert_link",
    "parse_reply",
    "plan",
]
