"""Per-contact relationships of move 2, 建立信任 (METHOD.md §4).

Relationship: the stage on the ladder 认识 → 约会 → 信赖 → 同盟, personality type, interest points,
institutional and personal needs (the trust quadrant, §4.3). StageChange: every change of stage.
ActivityType: the admin-editable taxonomy, each type mapped to the stage it evidences (§4.2).
Activity: what the rep did, with whom; gifts and hospitality above a limit need a manager's
approval (§10 "within the law"). Festival and CoolingThreshold: data for care reminders.

One module per concern; every name is re-exported here, so `relationships.models.X` stays the
import path.
"""

from relationships.models.activities import Activity, ActivityQuerySet, ActivityType
from relationships.models.care import CoolingThreshold, Festival
from relationships.models.choices import ActivityStyle, Personality, Quadrant, Stage
from relationships.models.gifts import GiftCapSetting
from relationships.models.relationships import Relationship, RelationshipQuerySet, StageChange
from relationships.models.settings import StagnationSetting, TrustLearningSetting

# isort: split
# Greetings (relationships/greetings/) and planned work (relationships/planning/) live in their
# own rooms and import the models above; imported after them so that Django registers their
# models with this app.
from relationships.greetings.models import (
    CommunicationPreference,
    Greeting,
    GreetingSetting,
    GreetingTemplate,
)
from relationships.planning.models import PlannedActivity, Todo

__all__ = [
    "Activity",
    "ActivityQuerySet",
    "ActivityStyle",
    "ActivityType",
    "CommunicationPreference",
    "CoolingThreshold",
    "Festival",
    "GiftCapSetting",
    "Greeting",
    "GreetingSetting",
    "GreetingTemplate",
    "Personality",
    "PlannedActivity",
    "Quadrant",
    "Relationship",
    "RelationshipQuerySet",
    "Stage",
    "StageChange",
    "StagnationSetting",
    "Todo",
    "TrustLearningSetting",
]
