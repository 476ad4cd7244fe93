import pytest
from django.template import Context, Template
from django.utils import translation

from crossdesk.core import i18n


def test_every_ui_string_has_a_chinese_translation():
    missing = i18n.missing()
    report = "\n".join(
        f"  {msgid!r} in {', '.join(str(p.relative_to(i18n.PACKAGE_DIR)) for p in sorted(paths))}"
        for (msgid, _ctx), paths in sorted(missing.items())
    )
    assert not missing, f"untranslated (run `crossdesk translations --sync` and fill the .po):\n{report}"


def test_the_extractor_finds_strings_in_python_and_templates():
    found = i18n.extract()
    assert ("My workbench", None) in found  # {% translate %} in a template
    assert ("Workbench", None) in found  # gettext_lazy in Python


def test_the_extractor_reads_a_templates_context():
    assert ("Filter", "list") in i18n.extract()


@pytest.mark.parametrize(
    ("source", "chinese"),
    [
        # Words Django's own catalogues or another app translate otherwise without a context.
        ('{% translate "Filter" context "list" %}', "筛选"),
        ('{% translate "From" context "source" %}', "来源"),
        ('{% translate "Next" context "weekly report column" %}', "下周计划"),
        ('{% translate "Planned" context "plan dates" %}', "计划"),
        ('{% translate "Kind" context "archive list" %}', "类别"),
        ('{% translate "Date" context "archive list" %}', "日期"),
        ('{% translate "Name" context "robot" %}', "名称"),
        ('{% translate "Kind" context "robot" %}', "类型"),
        ('{% translate "Signed" context "robot" %}', "加签"),
    ],
)
def test_words_with_a_context_get_their_own_chinese(source, chinese):
    with translation.override("zh-hans"):
        assert Template("{% load i18n %}" + source).render(Context()) == chinese


@pytest.mark.django_db
def test_the_language_menu_names_each_language_in_itself(client_for, personas):
    page = client_for(personas.mkt_staff).get("/").content.decode()
    assert ">English</option>" in page and ">简体中文</option>" in page and "英语" not in page


def test_in_progress_is_said_of_a_request_differently_than_of_a_task_or_an_action_item():
    from django.utils import translation

    from crossdesk.collaboration.choices import RequestStatus
    from crossdesk.meetings.choices import ActionStatus
    from crossdesk.projects.choices import TaskStatus

    with translation.override("zh-hans"):
        assert str(RequestStatus.IN_PROGRESS.label) == "处理中"
        assert str(TaskStatus.IN_PROGRESS.label) == "进行中"
        assert str(ActionStatus.IN_PROGRESS.label) == "进行中"
    with translation.override("en"):
        assert str(TaskStatus.IN_PROGRESS.label) == "In progress"
