"""Contains all the data models used in inputs/outputs"""

from .analysis import Analysis
from .analysis_summary import AnalysisSummary
from .call import Call
from .call_list import CallList
from .call_score import CallScore
from .call_status import CallStatus
from .call_summary import CallSummary
from .call_type import CallType
from .cost import Cost
from .cost_breakdown import CostBreakdown
from .cost_totals import CostTotals
from .error import Error
from .listed_call_status import ListedCallStatus
from .llm_model import LlmModel
from .message_role import MessageRole
from .sentiment import Sentiment
from .transcriber import Transcriber
from .transcript_message import TranscriptMessage
from .validation_error import ValidationError
from .validation_error_item import ValidationErrorItem
from .voice import Voice

__all__ = (
    "Analysis",
    "AnalysisSummary",
    "Call",
    "CallList",
    "CallScore",
    "CallStatus",
    "CallSummary",
    "CallType",
    "Cost",
    "CostBreakdown",
    "CostTotals",
    "Error",
    "ListedCallStatus",
    "LlmModel",
    "MessageRole",
    "Sentiment",
    "Transcriber",
    "TranscriptMessage",
    "ValidationError",
    "ValidationErrorItem",
    "Voice",
)
