import pytest

from crossdesk.org import selectors
from crossdesk.org.tests.factories import DepartmentFactory, PersonFactory, add_member

pytestmark = pytest.mark.django_db


def role_codes(roles):
    return {
        "staff": roles.codes(roles.member_of),
        "liaison": roles.codes(roles.liaison_of),
        "head": roles.codes(roles.head_of),
        "supervisor": roles.codes(roles.supervises),
        "admin": roles.is_admin,
    }


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("mkt_staff", {"staff": ["MKT"], "liaison": ["MKT"], "head": [], "supervisor": [], "admin": False}),
        ("mkt_head", {"staff": ["MKT"], "liaison": [], "head": ["MKT"], "supervisor": [], "admin": False}),
        ("cs_liaison", {"staff": ["CS"], "liaison": ["CS"], "head": [], "supervisor": [], "admin": False}),
        ("cs_staff", {"staff": ["CS"], "liaison": [], "head": [], "supervisor": [], "admin": False}),
        ("cs_head", {"staff": ["CS"], "liaison": [], "head": ["CS"], "supervisor": [], "admin": False}),
        ("log_head", {"staff": ["LOG"], "liaison": [], "head": ["LOG"], "supervisor": [], "admin": False}),
        (
            "supervisor",
            {"staff": ["MKT"], "liaison": [], "head": [], "supervisor": ["CS", "LOG"], "admin": False},
        ),
        ("outsider", {"staff": ["FIN"], "liaison": [], "head": [], "supervisor": [], "admin": False}),
    ],
)
def test_roles_are_derived_from_the_organisation_for_each_persona(personas, persona, expected):
    person = getattr(personas, persona)

    assert role_codes(selectors.roles_for(person.user)) == expected
    assert role_codes(selectors.roles_for_person(person)) == expected


def test_the_administrator_is_an_administrator_without_being_a_person(personas):
    roles = selectors.roles_for(personas.admin_user)

    assert roles.is_admin and roles.person is None
    assert roles.described == [("管理员", [])]


def test_an_anonymous_visitor_has_no_role():
    from django.contrib.auth.models import AnonymousUser

    assert selectors.roles_for(AnonymousUser()) == selectors.Roles(person=None)


def test_someone_who_has_left_holds_no_role(personas):
    personas.cs_staff.is_active = False
    personas.cs_staff.save()

    roles = selectors.roles_for_person(personas.cs_staff)

    assert not roles.is_staff_member and roles.described == []


def test_roles_of_an_inactive_department_do_not_count(personas):
    personas.log.is_active = False
    personas.log.save()

    roles = selectors.roles_for(personas.supervisor.user)

    assert roles.codes(roles.supervises) == ["CS"]


def test_roles_take_a_fixed_number_of_queries(personas, django_assert_num_queries):
    # The person, then every department they are related to and how, in one query.
    with django_assert_num_queries(2):
        selectors.roles_for(personas.supervisor.user)


def test_roles_are_worked_out_once_per_web_request(personas, django_assert_num_queries):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = personas.cs_head.user
    selectors.remember_roles_during_request(request)
    first = selectors.roles_for(request.user)
    with django_assert_num_queries(0):
        assert selectors.roles_for(request.user) is first
    # Outside a web request (tests, tasks) nothing is remembered.
    with django_assert_num_queries(4):
        selectors.roles_for(personas.supervisor.user)
        selectors.roles_for(personas.supervisor.user)
    assert first.head_of == {personas.cs.pk}


def test_roles_describe_themselves_with_department_links(personas):
    roles = selectors.roles_for_person(personas.supervisor)

    assert roles.described_links == [
        ("员工", [("MKT", "市场部")]),
        ("分管领导", [("CS", "客户服务部"), ("LOG", "物流部")]),
    ]


def test_the_tree_nests_departments_and_counts_members(personas):
    sub = DepartmentFactory(code="CS1", name="售后组", parent=personas.cs)
    add_member(PersonFactory(), sub)

    tree = selectors.department_tree()

    assert [n["department"].code for n in tree] == ["MKT", "CS", "LOG", "FIN"]
    cs = tree[1]
    assert [c["department"].code for c in cs["children"]] == ["CS1"]
    assert (cs["department"].member_count, cs["total_members"], cs["children"][0]["depth"]) == (3, 4, 1)


def test_the_tree_takes_two_queries_whatever_the_size(personas, django_assert_num_queries):
    for i in range(20):
        d = DepartmentFactory(code=f"T{i:02d}", parent=personas.mkt)
        d.supervisors.add(personas.supervisor)

    with django_assert_num_queries(2):
        selectors.department_tree()


def test_department_options_are_indented_in_tree_order(personas):
    DepartmentFactory(code="CS1", name="售后组", parent=personas.cs)

    options = selectors.department_options()

    assert options[:3] == [("MKT", "市场部 (MKT)"), ("CS", "客户服务部 (CS)"), ("CS1", "　售后组 (CS1)")]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("刘", ["P005"]),
        ("p00", ["P001", "P002", "P003", "P004", "P005", "P006", "P007", "P008"]),
        ("p003@", ["P003"]),
        ("经理 客服", ["P005"]),
    ],
)
def test_the_directory_searches_names_numbers_emails_and_titles(personas, query, expected):
    assert [p.employee_no for p in selectors.person_list(query=query)] == expected


def test_the_directory_filters_by_department_including_sub_departments(personas):
    sub = DepartmentFactory(code="CS1", name="售后组", parent=personas.cs)
    member = PersonFactory(employee_no="P100")
    add_member(member, sub)
    add_member(personas.cs_head, sub, primary=False)

    assert [p.employee_no for p in selectors.person_list(department_code="cs")] == [
        "P003",
        "P004",
        "P005",
        "P100",
    ]
    assert [p.employee_no for p in selectors.person_list(department_code="CS", include_sub=False)] == [
        "P003",
        "P004",
        "P005",
    ]


def test_the_directory_leaves_out_people_who_have_left(personas):
    personas.outsider.is_active = False
    personas.outsider.save()

    assert "P008" not in [p.employee_no for p in selectors.person_list()]


def test_ancestors_come_top_first(personas):
    a = DepartmentFactory(code="CS1", parent=personas.cs)
    b = DepartmentFactory(code="CS11", parent=a)

    assert [d.code for d in selectors.department_ancestors(b)] == ["CS", "CS1"]


def test_active_person_takes_an_id_its_text_or_a_person_and_names_the_field(personas):
    from crossdesk.core.errors import ApplicationError

    assert selectors.active_person(personas.cs_liaison.pk, "liaison_id") == personas.cs_liaison
    assert selectors.active_person(str(personas.cs_liaison.pk), "liaison_id") == personas.cs_liaison
    assert selectors.active_person(personas.cs_liaison, "liaison_id") == personas.cs_liaison
    assert selectors.active_person("", "liaison_id", required=False) is None
    gone = PersonFactory(is_active=False)
    for value in ["", None, "abc", 10**30, gone.pk, gone]:
        with pytest.raises(ApplicationError) as refused:
            selectors.active_person(value, "liaison_id")
        assert refused.value.field == "liaison_id"
