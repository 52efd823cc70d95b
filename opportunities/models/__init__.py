"""Opportunities (销售机会): catalogue, deals, buying groups, move history and settings."""

from opportunities.models.aftersale import AftersaleSetting, Basis, Referral, SatisfactionCheck
from opportunities.models.buying_group import (
    Attitude,
    Influence,
    PurchaseRole,
    Stakeholder,
    StakeholderRole,
)
from opportunities.models.catalogue import Product
from opportunities.models.collection import (
    Commitment,
    MilestoneStatus,
    PaymentMilestone,
    Receipt,
)
from opportunities.models.comments import Comment
from opportunities.models.contract import (
    Approval,
    Concern,
    ConcernStatus,
    Contract,
    ItemStatus,
    NegotiationItem,
    RiskType,
    Topic,
)
from opportunities.models.facts import OpportunityFacts
from opportunities.models.history import MoveChange
from opportunities.models.learning import LearningSetting, ProbabilityChange  # noqa: F401
from opportunities.models.needs import (
    BuyDecision,
    CriterionCompetitorFit,
    CriterionStatus,
    Need,
    Origin,
    ProjectApproval,
    PurchaseCriterion,
    Severity,
)
from opportunities.models.opportunity import (
    BuyerStage,
    LineItem,
    Opportunity,
    OpportunityQuerySet,
    Source,
    Status,
)
from opportunities.models.review import DealReview
from opportunities.models.settings import (
    ConcernSignal,
    MoveProbabilitySetting,
    MoveThresholdSetting,
    NeedCategory,
    PipelineSetting,
    QualificationSetting,
)
from opportunities.models.targets import SalesTarget
from opportunities.models.value import (
    Evaluation,
    EvaluationMethod,
    ProofType,
    Standing,
    ValuePoint,
)

__all__ = [
    "AftersaleSetting",
    "Basis",
    "Referral",
    "SatisfactionCheck",
    "Approval",
    "Attitude",
    "BuyDecision",
    "BuyerStage",
    "Comment",
    "Commitment",
    "Concern",
    "ConcernSignal",
    "ConcernStatus",
    "Contract",
    "CriterionCompetitorFit",
    "CriterionStatus",
    "DealReview",
    "Evaluation",
    "EvaluationMethod",
    "Influence",
    "ItemStatus",
    "LineItem",
    "MilestoneStatus",
    "MoveChange",
    "MoveProbabilitySetting",
    "MoveThresholdSetting",
    "Need",
    "NeedCategory",
    "NegotiationItem",
    "Opportunity",
    "OpportunityFacts",
    "OpportunityQuerySet",
    "Origin",
    "PaymentMilestone",
    "PipelineSetting",
    "Product",
    "ProjectApproval",
    "ProofType",
    "PurchaseCriterion",
    "PurchaseRole",
    "QualificationSetting",
    "Receipt",
    "RiskType",
    "SalesTarget",
    "Severity",
    "Source",
    "Stakeholder",
    "StakeholderRole",
    "Standing",
    "Status",
    "Topic",
    "ValuePoint",
]
