"""The two tables an import or export speaks: their sheet names and columns.

Headers are data, not interface text: the Chinese header is the canonical one (it is
what templates and exports write), English headers are accepted as aliases. Headers are
compared after removing spaces, ``_``, ``-``, a trailing ``*`` and a trailing note in
brackets, case-insensitively, so ``负责人工号（必填）`` and ``Head employee no`` both match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# What separates several codes or employee numbers in one cell: 、 , ; whitespace
# (full-width variants too, as Chinese input methods produce them).
LIST_SEPARATORS = re.compile(r"[、,，;；\s]+")
YES = {"是", "y", "yes", "true", "1", "在职", "启用", "√", "✓", "t"}
NO = {"否", "n", "no", "false", "0", "离职", "停用", "×", "f"}


def normalise_header(value: str) -> str:
    text = str(value or "").strip()
    text = re.sub(r"[（(][^（()）]*[)）]$", "", text)
    text = text.rstrip("*＊ ")
    return re.sub(r"[\s_\-·.]+", "", text).lower()


@dataclass(frozen=True)
class Column:
    """One column: ``key`` is what the code uses, ``header`` what the file shows."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None
    is_list: bool = False

    def names(self) -> set[str]:
        return {normalise_header(n) for n in (self.header, self.key, *self.aliases)}


@dataclass(frozen=True)
class TableSpec:
    """A table of the import: departments (部门) or people (人员)."""

    key: str
    sheet: str
    sheet_aliases: tuple[str, ...]
    label: object  # lazy translation: how messages name this table
    columns: tuple[Column, ...]

    def sheet_names(self) -> set[str]:
        return {normalise_header(n) for n in (self.sheet, self.key, *self.sheet_aliases)}

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def lookup(self) -> dict[str, Column]:
        return {name: column for column in self.columns for name in column.names()}


DEPARTMENTS = TableSpec(
    key="departments",
    sheet="部门",
    sheet_aliases=("部门表", "Departments", "Department"),
    label=_("Departments"),
    columns=(
        Column("code", "部门代码", ("代码", "Department code", "Dept code"), required=True, max_length=10),
        Column("name", "部门名称", ("名称", "Department name"), required=True, max_length=100),
        Column(
            "parent",
            "上级部门代码",
            ("上级部门", "Parent", "Parent code", "Parent department"),
            max_length=10,
        ),
        Column("head", "负责人工号", ("部门负责人工号", "负责人", "Head", "Head employee no"), required=True),
        Column("liaison", "对接人工号", ("对接人", "接口人工号", "Liaison", "Liaison employee no")),
        Column(
            "supervisors",
            "分管领导工号",
            ("分管领导", "Supervisors", "Supervisor employee nos"),
            is_list=True,
        ),
        Column("sort_order", "排序", ("顺序", "Sort order", "Order")),
        Column("active", "启用", ("在用", "Active")),
    ),
)

PEOPLE = TableSpec(
    key="people",
    sheet="人员",
    sheet_aliases=("人员表", "员工", "People", "Person", "Staff"),
    label=_("People"),
    columns=(
        Column(
            "employee_no",
            "工号",
            ("员工工号", "员工编号", "Employee no", "Employee number"),
            required=True,
            max_length=32,
        ),
        Column("name", "姓名", ("Name",), required=True, max_length=50),
        Column(
            "departments",
            "部门代码",
            ("所属部门代码", "所属部门", "部门", "Departments", "Department codes", "Department"),
            required=True,
            is_list=True,
        ),
        Column("title", "职务", ("职位", "Title"), max_length=100),
        Column(
            "phone",
            "内部通讯号",
            ("电话", "分机", "分机号", "Phone", "Internal contact number"),
            max_length=32,
        ),
        Column("email", "邮箱", ("电子邮箱", "邮件", "Email", "E-mail"), max_length=254),
        Column("dingtalk_id", "钉钉ID", ("钉钉", "DingTalk ID", "DingTalk"), max_length=64),
        Column("wecom_id", "企业微信ID", ("企业微信", "企微ID", "WeCom ID", "WeCom"), max_length=64),
        Column("feishu_id", "飞书ID", ("飞书", "Feishu ID", "Feishu", "Lark ID"), max_length=64),
        Column("active", "在职", ("Active",)),
    ),
)

TABLES = (DEPARTMENTS, PEOPLE)
TABLES_BY_KEY = {t.key: t for t in TABLES}


def yes_no(value: bool) -> str:
    return "是" if value else "否"
