"""Every model of the domain apps is either followed by the audit trail or left out for a
reason written down; a new model fails here until someone decides which."""

from django.apps import apps

from crossdesk.audit.registration import AUDITED, DOMAIN_APPS, EXEMPT, is_audited
from crossdesk.core.models import AppendOnly


def domain_models():
    for label in (*DOMAIN_APPS, "core"):
        yield from apps.get_app_config(label).get_models()


def test_every_domain_model_is_audited_or_exempt_with_a_reason():
    missing = [
        m._meta.label_lower
        for m in domain_models()
        if not is_audited(m) and m._meta.label_lower not in EXEMPT
    ]
    assert missing == [], f"register these in audit/registration.py AUDITED, or add them to EXEMPT: {missing}"


def test_no_model_is_both_audited_and_exempt_and_every_exemption_has_a_reason():
    assert set(AUDITED).isdisjoint(EXEMPT)
    assert all(reason.strip() for reason in EXEMPT.values())
    assert all(apps.get_model(label) for label in (*AUDITED, *EXEMPT))


def test_append_only_history_is_exempt_because_it_is_itself_immutable():
    history = [m._meta.label_lower for m in domain_models() if issubclass(m, AppendOnly)]
    assert history and all(label in EXEMPT for label in history)


def test_every_many_to_many_of_an_audited_model_is_recorded():
    for model in domain_models():
        if not is_audited(model):
            continue
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            assert through._meta.auto_created or is_audited(through), f"{model._meta.label}.{field.name}"


def test_configuration_people_change_is_audited():
    for label in [
        "org.department",
        "org.person",
        "org.membership",
        "workcal.calendarday",
        "workcal.worksettings",
        "deadlines.timepolicy",
        "notify.departmentrobot",
        "notify.channelpreference",
        "core.user",
    ]:
        assert is_audited(apps.get_model(label)), label
