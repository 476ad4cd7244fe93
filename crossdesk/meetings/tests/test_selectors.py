"""Who sees which meeting, and what waits on each person's workbench."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crossdesk.core.errors import NotFoundError
from crossdesk.deadlines.models import Clock
from crossdesk.meetings import selectors, services
from crossdesk.meetings.models import Meeting
from crossdesk.org.selectors import roles_for

from . import factories

pytestmark = pytest.mark.django_db


def visible_to(who) -> set[int]:
    user = getattr(who, "user", who)
    return set(selectors.visible_meetings(roles=roles_for(user)).values_list("pk", flat=True))


class TestVisibility:
    @pytest.fixture
    def meetings(self, personas):
        return factories.notified(personas), factories.draft(personas)

    @pytest.mark.parametrize(
        ("persona", "sees_meeting", "sees_draft"),
        [
            ("mkt_staff", True, True),  # the initiator
            ("mkt_head", True, False),  # head of the initiating department
            ("cs_liaison", True, False),  # invited, CS takes part
            ("cs_staff", True, False),
            ("cs_head", True, False),  # head of a participating department
            ("supervisor", True, False),  # supervises CS (and is in MKT)
            ("log_head", False, False),  # LOG does not take part
            ("outsider", False, False),  # FIN: nothing to do with it
        ],
    )
    def test_each_persona_sees_what_concerns_them(
        self, personas, meetings, persona, sees_meeting, sees_draft
    ):
        meeting, draft = meetings
        seen = visible_to(getattr(personas, persona))
        assert (meeting.pk in seen, draft.pk in seen) == (sees_meeting, sees_draft)

    def test_the_recorder_sees_the_draft_too(self, personas, meetings):
        assert meetings[1].pk in visible_to(factories.recorder(personas))

    def test_an_administrator_sees_everything_but_other_peoples_drafts(self, personas, meetings):
        assert visible_to(personas.admin_user) == {meetings[0].pk}

    def test_a_department_sees_the_meeting_once_it_takes_part(self, personas):
        meeting = factories.notified(
            personas,
            participants=[
                {
                    "department": "MKT",
                    "people": [personas.mkt_staff.pk],
                    "representative": personas.mkt_staff.pk,
                },
                {
                    "department": "LOG",
                    "people": [personas.log_head.pk],
                    "representative": personas.log_head.pk,
                },
            ],
        )
        assert meeting.pk in visible_to(personas.log_head)
        assert meeting.pk not in visible_to(personas.cs_staff)
        assert meeting.pk in visible_to(personas.supervisor)  # supervises LOG

    def test_an_invisible_meeting_is_not_found(self, personas, meetings):
        with pytest.raises(NotFoundError):
            selectors.meeting_get_for_viewer(roles=roles_for(personas.outsider.user), pk=meetings[0].pk)
        with pytest.raises(NotFoundError):
            selectors.meeting_page(roles=roles_for(personas.cs_head.user), pk=meetings[1].pk)

    def test_action_items_follow_their_meeting_and_their_owner(self, personas):
        factories.circulated(personas)
        # LOG does not take part but is asked to support one item, so it sees that one.
        for who, count in ((personas.cs_staff, 2), (personas.log_head, 1), (personas.outsider, 0)):
            items = selectors.action_item_list(
                roles=roles_for(who.user), filters=selectors.ActionItemFilter()
            )
            assert items.count() == count, who


class TestTheMeetingPage:
    def test_it_loads_participants_versions_items_and_actions(self, personas):
        meeting = factories.circulated(personas)
        page = selectors.meeting_page(roles=roles_for(personas.cs_liaison.user), pk=meeting.pk)
        assert [p.department.code for p in page.participations] == ["MKT", "CS"]
        cs = next(p for p in page.participations if p.department.code == "CS")
        assert page.part_actions[cs.pk] == {"confirm", "object"}
        assert page.current_version.number == 1 and len(page.action_items) == 2
        assert {c.policy.key for c in page.clocks} == {"meeting.minutes", "meeting.objection"}

    def test_the_diff_refuses_an_unknown_version(self, personas):
        meeting = factories.circulated(personas)
        with pytest.raises(NotFoundError):
            selectors.minutes_diff(
                roles=roles_for(personas.cs_liaison.user), pk=meeting.pk, from_version=1, to_version=2
            )


class TestWorkbench:
    def test_the_recorder_must_write_the_minutes_by_the_clocks_deadline(self, personas):
        meeting = factories.held(personas)
        items = selectors.workbench_items(roles=roles_for(factories.recorder(personas).user))
        assert [(i.what, i.meeting.pk) for i in items] == [("write_minutes", meeting.pk)]
        clock = Clock.objects.get(subject_id=meeting.pk, policy__key="meeting.minutes")
        assert items[0].due_at == clock.due_at and items[0].url == meeting.get_absolute_url()

    def test_representatives_confirm_owners_act_heads_sign(self, personas):
        meeting = factories.circulated(personas)
        liaison = selectors.workbench_items(roles=roles_for(personas.cs_liaison.user))
        assert sorted(i.what for i in liaison) == ["action_item", "confirm_minutes"]
        services.minutes_confirm(actor=personas.cs_liaison.user, meeting_id=meeting.pk)
        services.minutes_confirm(actor=personas.mkt_staff.user, meeting_id=meeting.pk)
        liaison = selectors.workbench_items(roles=roles_for(personas.cs_liaison.user))
        assert [i.what for i in liaison] == ["action_item"]
        head = selectors.workbench_items(roles=roles_for(personas.cs_head.user))
        assert [i.what for i in head] == ["sign_minutes"]

    def test_objections_send_the_recorder_back_to_revise(self, personas):
        factories.objected(personas)
        items = selectors.workbench_items(roles=roles_for(factories.recorder(personas).user))
        assert [i.what for i in items] == ["revise_minutes"]

    def test_overdue_items_come_first(self, personas):
        meeting = factories.circulated(personas)
        item = meeting.action_items.get(owner=personas.cs_liaison)
        meeting.action_items.filter(pk=item.pk).update(due_at=timezone.now() - timedelta(hours=2))
        items = selectors.workbench_items(roles=roles_for(personas.cs_liaison.user))
        assert items[0].what == "action_item" and items[0].overdue is True

    def test_its_query_count_does_not_grow_with_rows(self, personas):
        factories.circulated(personas)
        roles = roles_for(personas.cs_liaison.user)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                selectors.workbench_items(roles=roles)
            return len(captured)

        before = queries()
        factories.circulated(personas)
        factories.circulated(personas)
        assert Meeting.objects.count() == 3
        assert queries() == before
