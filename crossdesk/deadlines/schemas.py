from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


class EscalationStep(Schema):
    after: float = Field(0, ge=0, description="Delay after the deadline passed")
    unit: str = Field("working_hours", description="working_days, working_hours or clock_hours")
    to: str = Field(..., description="owner, head or supervisor")


class TimePolicyOut(Schema):
    id: int
    key: str
    variant: str
    name: str
    kind: str
    target_amount: Decimal | None
    target_unit: str
    warn_fraction: Decimal | None
    remind_before_amount: Decimal | None
    remind_before_unit: str
    escalation: list[dict]
    is_active: bool
    version: int
    updated_at: datetime


class TimePolicyPatch(Schema):
    """Only the fields sent are changed; running deadlines under the rule are recomputed."""

    name: str | None = None
    target_amount: Decimal | None = Field(None, gt=0)
    target_unit: str | None = None
    warn_fraction: Decimal | None = Field(None, ge=Decimal("0.05"), le=Decimal("0.99"))
    remind_before_amount: Decimal | None = Field(None, ge=0)
    remind_before_unit: str | None = None
    escalation: list[EscalationStep] | None = None
    is_active: bool | None = None


class TimeLeftOut(Schema):
    status: str = Field(description="plenty, low (under a quarter left), overdue, paused or done")
    seconds_left: int = Field(description="Negative once overdue")
