"""Local transformer sentiment, support signals and frustration."""

from assist.sentiment.analyze import analyze
from assist.sentiment.model import SentimentModel
from assist.sentiment.signals import detect

__all__ = ["SentimentModel", "analyze", "detect"]
