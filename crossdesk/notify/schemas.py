from datetime import datetime, time

from ninja import Schema


class NotificationOut(Schema):
    id: int
    event: str
    level: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NotificationPageOut(Schema):
    count: int
    unread: int
    items: list[NotificationOut]


class MarkReadIn(Schema):
    ids: list[int] | None = None


class MarkReadOut(Schema):
    marked: int
    unread: int


class PreferenceIn(Schema):
    """Blank / null fields inherit (a person's from the department, a department's from the default)."""

    email_mode: str | None = None
    muted_event_groups: list[str] | None = None
    digest_mode: str | None = None
    digest_time: time | None = None
    escalation_mode: str | None = None
    quiet_start: time | None = None
    quiet_end: time | None = None
    language: str | None = None


class EffectiveOut(Schema):
    email_mode: str
    muted_event_groups: list[str]
    daily_digest: bool
    digest_time: time
    escalation_mode: str
    quiet_start: time | None
    quiet_end: time | None
    language: str


class PreferenceOut(Schema):
    email_mode: str
    muted_event_groups: list[str] | None
    digest_mode: str
    digest_time: time | None
    escalation_mode: str
    quiet_start: time | None
    quiet_end: time | None
    language: str


class MyPreferenceOut(Schema):
    own: PreferenceOut
    effective: EffectiveOut
    department: str | None


class RobotIn(Schema):
    kind: str
    name: str
    webhook_url: str
    secret: str = ""
    event_groups: list[str] = []
    levels: list[str] | None = None
    is_active: bool = True


class RobotUpdateIn(Schema):
    name: str | None = None
    webhook_url: str | None = None
    secret: str | None = None
    event_groups: list[str] | None = None
    levels: list[str] | None = None
    is_active: bool | None = None


class RobotOut(Schema):
    id: int
    department: str
    kind: str
    name: str
    webhook_url: str
    signed: bool
    is_active: bool
    event_groups: list[str]
    levels: list[str]

    @staticmethod
    def resolve_department(robot) -> str:
        return robot.department.code

    @staticmethod
    def resolve_signed(robot) -> bool:
        return bool(robot.secret)


class DeliveryOut(Schema):
    id: int
    channel: str
    status: str
    delivery_key: str
    address: str
    title: str
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime
    sent_at: datetime | None

    @staticmethod
    def resolve_title(delivery) -> str:
        if delivery.notification_id:
            return delivery.notification.title
        return f"digest {delivery.digest_date}"


class OutboxPageOut(Schema):
    counts: dict[str, int]
    count: int
    items: list[DeliveryOut]


class OutboxFilter(Schema):
    tab: str = "pending"
    channel: str = ""
    q: str = ""
    limit: int = 50
    offset: int = 0


class DeliveryIdsIn(Schema):
    ids: list[int] = []
    all_failed: bool = False


class CountOut(Schema):
    count: int
