from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.sentiment import Sentiment, parse_sentiment

T = TypeVar("T", bound="Analysis")

# The properties from_dict reads; any other key goes to additional_properties.
_PROPERTY_NAMES = frozenset(
    {
        "summary",
        "sentiment",
        "score",
        "tags",
        "knowledge_gaps",
    }
)


@_attrs_define
class Analysis:
    """The AI-generated post-call analysis.

    Attributes:
        summary (AnalysisSummary): A short summary of the call.
        sentiment (Sentiment): The caller's overall sentiment. Closed enum.
        score (CallScore): The call's quality score.
        tags (list[str]): Auto-detected call tags.
        knowledge_gaps (list[str]): Questions the agent could not answer from its knowledge base.
    """

    summary: AnalysisSummary
    sentiment: Sentiment
    score: CallScore
    tags: list[str]
    knowledge_gaps: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        summary = self.summary.to_dict()

        sentiment = self.sentiment.value

        score = self.score.to_dict()

        tags = self.tags

        knowledge_gaps = self.knowledge_gaps

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "summary": summary,
                "sentiment": sentiment,
                "score": score,
                "tags": tags,
                "knowledge_gaps": knowledge_gaps,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        summary = AnalysisSummary.from_dict(src_dict["summary"])

        sentiment = parse_sentiment(src_dict["sentiment"])

        score = CallScore.from_dict(src_dict["score"])

        tags = cast(list[str], src_dict["tags"])

        knowledge_gaps = cast(list[str], src_dict["knowledge_gaps"])

        analysis = cls(
            summary,
            sentiment,
            score,
            tags,
            knowledge_gaps,
        )

        # Every required key was read above: when there are no more keys, none is unknown.
        if len(src_dict) != 5:
            d = {
                key: value
                for key, value in src_dict.items()
                if key not in _PROPERTY_NAMES
            }
            analysis.additional_properties = d
        return analysis

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# After the class: a model that refers back to this one finds it when this import runs.
from ..models.analysis_summary import AnalysisSummary
from ..models.call_score import CallScore
