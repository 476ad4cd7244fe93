from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import selectors
from .models import Department, Person


@require_GET
def chart(request):
    return render(request, "org/chart.html", {"tree": selectors.department_tree()})


@require_GET
def department_detail(request, code):
    department = get_object_or_404(Department.objects.select_related("head", "default_liaison"), code=code)
    members = selectors.department_members(department=department)
    return render(request, "org/department.html", {"department": department, "members": members})


@require_GET
def person_detail(request, pk):
    person = get_object_or_404(Person, pk=pk)
    return render(request, "org/person.html", {"person": person})
