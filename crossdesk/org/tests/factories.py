import factory

from crossdesk.core.models import User
from crossdesk.org.models import Department, Membership, Person


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n:05d}")
    password = factory.django.Password("crossdesk-test")


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Sequence(lambda n: f"员工{n}")
    user = factory.SubFactory(UserFactory, username=factory.SelfAttribute("..employee_no"))
    email = factory.LazyAttribute(lambda p: f"{p.employee_no.lower()}@example.com")
    title = "专员"


class DepartmentFactory(factory.django.DjangoModelFactory[Department]):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.LazyAttribute(lambda d: f"{d.code}部")


def add_member(person: Person, department: Department, *, primary: bool = True) -> Membership:
    return Membership.objects.create(person=person, department=department, is_primary=primary)
