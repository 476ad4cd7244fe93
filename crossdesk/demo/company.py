"""The demo company: 15 departments in a tree, 150+ people with Chinese names.

Generated from a fixed seed, so every install gets the same company and the printed
logins always work. Loading is one transaction and happens once: a second run finds the
company in place and changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from crossdesk.core.models import User
from crossdesk.org.models import Department, Membership, Person

DEMO_PASSWORD = "crossdesk2026"
EMAIL_DOMAIN = "demo.crossdesk.cn"

# code, name, parent code, staff count, staff titles
DEPARTMENTS: list[tuple[str, str, str | None, int, list[str]]] = [
    ("GMO", "总经理办公室", None, 7, ["总经理助理", "秘书"]),
    ("MKT", "市场部", "GMO", 14, ["市场专员", "品牌策划", "活动策划", "新媒体运营"]),
    ("SAL", "销售部", "GMO", 16, ["销售代表", "大客户经理", "销售助理"]),
    ("CS", "客户服务部", "GMO", 16, ["客服专员", "质检专员", "投诉处理专员"]),
    ("RD", "研发部", "GMO", 8, ["产品经理", "测试工程师"]),
    ("RDFE", "前端开发组", "RD", 7, ["前端工程师", "交互设计师"]),
    ("RDBE", "后端开发组", "RD", 8, ["后端工程师", "架构师"]),
    ("IT", "技术部", "GMO", 11, ["运维工程师", "系统管理员", "网络工程师"]),
    ("DOP", "数据运营部", "GMO", 9, ["数据分析师", "数据工程师", "运营专员"]),
    ("PRD", "生产部", "GMO", 15, ["生产计划员", "工艺工程师", "质量工程师", "班组长"]),
    ("LOG", "物流部", "GMO", 12, ["物流专员", "仓储主管", "调度员"]),
    ("FIN", "财务部", "GMO", 9, ["会计", "出纳", "财务分析师"]),
    ("HR", "人力资源部", "GMO", 8, ["招聘专员", "薪酬专员", "培训专员"]),
    ("ADM", "行政部", "GMO", 7, ["行政专员", "前台", "采购专员"]),
    ("LEG", "法务部", "GMO", 5, ["法务专员", "合规专员"]),
]

# Supervisors (分管领导) are the deputy general managers in GMO.
SUPERVISION = {
    "杨光": ["MKT", "SAL", "CS"],
    "郑海涛": ["RD", "RDFE", "RDBE", "IT", "DOP"],
    "孙丽华": ["FIN", "HR", "ADM", "LEG"],
    "马建国": ["PRD", "LOG"],
}

# Fixed people, so the printed logins are memorable: username, name, department, title, role.
NAMED_PEOPLE = [
    ("zhangwei", "张伟", "MKT", "市场专员", "staff"),
    ("wangfang", "王芳", "MKT", "市场部经理", "head"),
    ("lina", "李娜", "CS", "客服主管", "liaison"),
    ("liuyang", "刘洋", "CS", "客户服务部经理", "head"),
    ("chenjing", "陈静", "LOG", "物流部经理", "head"),
    ("zhaolei", "赵磊", "IT", "技术部经理", "head"),
    ("zhoumin", "周敏", "FIN", "财务部经理", "head"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_NAMES = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "霞", "平", "刚", "建华", "志强", "海燕", "晓东", "雪梅", "子涵", "浩然", "梓萱", "宇航", "思远",
    "欣怡", "俊杰", "雨桐", "嘉怡", "文博", "一鸣", "佳琪", "晨曦", "国栋", "春燕", "立新", "红梅",
    "振华", "秀英", "玉兰", "建军", "丹丹", "鹏飞", "婷婷", "晓峰", "慧敏", "志刚", "亚楠", "凯", "琳",
    "博文", "思琪", "天宇", "梦瑶", "子豪", "诗涵", "宏伟", "晓燕", "永强", "美玲", "家豪", "若曦",
]  # fmt: skip


@dataclass
class DemoLogin:
    role: str
    username: str
    name: str
    department: str
    title: str


def _unique_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def demo_company_exists() -> bool:
    return Department.objects.filter(code="GMO").exists()


@transaction.atomic
def create_demo_company() -> None:
    """Create the departments, people, logins, heads, liaisons and supervisors."""
    rng = random.Random(20261121)
    password_hash = make_password(DEMO_PASSWORD)  # one hash for all: hashing 160 passwords takes a minute
    departments: dict[str, Department] = {}
    for order, (code, name, parent, _count, _titles) in enumerate(DEPARTMENTS, start=1):
        departments[code] = Department.objects.create(
            code=code, name=name, parent=departments.get(parent) if parent else None, sort_order=order * 10
        )

    taken = {p[1] for p in NAMED_PEOPLE} | set(SUPERVISION)
    serial = 0
    people_by_dept: dict[str, list[Person]] = {code: [] for code in departments}

    def add_person(name: str, code: str, title: str, username: str | None = None) -> Person:
        nonlocal serial
        serial += 1
        employee_no = f"CD{serial:04d}"
        user = User.objects.create(
            username=username or employee_no.lower(),
            password=password_hash,
            first_name=name[1:],
            last_name=name[0],
            email=f"{username or employee_no.lower()}@{EMAIL_DOMAIN}",
        )
        person = Person.objects.create(
            user=user,
            employee_no=employee_no,
            name=name,
            title=title,
            phone=f"8{serial:03d}",
            email=user.email,
            dingtalk_id=f"dd_{employee_no.lower()}",
            wecom_id=f"wx_{employee_no.lower()}",
            feishu_id=f"fs_{employee_no.lower()}",
        )
        Membership.objects.create(person=person, department=departments[code], is_primary=True)
        people_by_dept[code].append(person)
        return person

    general_manager = add_person("周建国", "GMO", "总经理", username="zhoujianguo")
    supervisors = {
        name: add_person(name, "GMO", "副总经理", username=username)
        for name, username in zip(
            SUPERVISION, ["yangguang", "zhenghaitao", "sunlihua", "majianguo"], strict=True
        )
    }
    named = {
        username: add_person(name, code, title, username) for username, name, code, title, _ in NAMED_PEOPLE
    }

    for code, name, _parent, count, titles in DEPARTMENTS:
        department = departments[code]
        already = len(people_by_dept[code])
        for index, person_name in enumerate(_unique_names(rng, max(0, count - already), taken)):
            if (
                code != "GMO"
                and index == 0
                and not any(p.title.endswith("经理") for p in people_by_dept[code])
            ):
                title = f"{name}经理" if not name.endswith("组") else f"{name}组长"
            elif index == 1:
                title = f"{name}主管"
            else:
                title = rng.choice(titles)
            add_person(person_name, code, title)
        members = people_by_dept[code]
        heads = [p for p in members if p.title.endswith(("经理", "组长"))]
        department.head = general_manager if code == "GMO" else heads[0]
        liaisons = [p for p in members if p.title.endswith("主管") and p != department.head]
        department.default_liaison = liaisons[0] if liaisons else members[-1]
        department.save()

    departments["MKT"].default_liaison = named["zhangwei"]
    departments["MKT"].save()
    departments["CS"].default_liaison = named["lina"]
    departments["CS"].save()
    for name, codes in SUPERVISION.items():
        for code in codes:
            departments[code].supervisors.add(supervisors[name])
    # Supervisors stay members of GMO only: what they oversee comes from the supervision
    # link, as SPEC §1 defines the role, not from a second membership.

    admin = User.objects.create(
        username="admin",
        password=password_hash,
        is_staff=True,
        is_superuser=True,
        email=f"admin@{EMAIL_DOMAIN}",
    )
    admin_person = Person.objects.create(
        user=admin, employee_no="CD9999", name="系统管理员", title="系统管理员", email=admin.email
    )
    Membership.objects.create(person=admin_person, department=departments["IT"], is_primary=True)


def demo_logins() -> list[DemoLogin]:
    """One login per role, read back from the database (so the printout is never stale)."""
    rows = [
        ("员工 Staff", "zhangwei"),
        ("对接人 Liaison", "lina"),
        ("部门负责人 Head", "liuyang"),
        ("分管领导 Supervisor", "yangguang"),
        ("管理员 Administrator", "admin"),
    ]
    people = {
        p.user.username: p
        for p in Person.objects.filter(user__username__in=[u for _, u in rows])
        .select_related("user")
        .prefetch_related("memberships__department")
    }
    logins = []
    for role, username in rows:
        person = people[username]
        department = next((m.department.name for m in person.memberships.all() if m.is_primary), "")
        logins.append(DemoLogin(role, username, person.name, department, person.title))
    return logins
