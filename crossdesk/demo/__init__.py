"""Demo data for `crossdesk demo`. Each module adds one part; loading is idempotent."""

from __future__ import annotations

from .company import DEMO_PASSWORD, create_demo_company, demo_company_exists, demo_logins


def load_demo(stdout) -> None:
    """Create whatever part of the demo is missing, then print one login per role."""
    if demo_company_exists():
        stdout.write("✓ 演示公司已存在，未做改动 (demo company already loaded, nothing changed)")
    else:
        create_demo_company()
        stdout.write("✓ 已创建演示公司 (demo company created)")
    from .requests import create_demo_requests, demo_requests_exist

    if demo_requests_exist():
        stdout.write("✓ 演示协作请求已存在，未做改动 (demo requests already loaded)")
    else:
        stdout.write("… 正在生成演示协作请求 (creating demo requests)")
        count = create_demo_requests(stdout=stdout)
        stdout.write(f"✓ 已生成 {count} 个协作请求 (demo requests created)")
    from .meetings import create_demo_meetings, demo_meetings_exist

    if demo_meetings_exist():
        stdout.write("✓ 演示协调会议已存在，未做改动 (demo meetings already loaded)")
    else:
        stdout.write("… 正在生成演示协调会议 (creating demo meetings)")
        count = create_demo_meetings(stdout=stdout)
        stdout.write(f"✓ 已生成 {count} 个协调会议 (demo meetings created)")
    from .projects import create_demo_projects, demo_projects_exist

    if demo_projects_exist():
        stdout.write("✓ 演示协作项目已存在，未做改动 (demo projects already loaded)")
    else:
        stdout.write("… 正在生成演示协作项目 (creating demo projects)")
        count = create_demo_projects(stdout=stdout)
        stdout.write(f"✓ 已生成 {count} 个协作项目 (demo projects created)")
    from .knowledge import create_demo_knowledge, demo_knowledge_exists

    if demo_knowledge_exists():
        stdout.write("✓ 演示知识库已存在，未做改动 (demo knowledge base already loaded)")
    else:
        count = create_demo_knowledge(stdout=stdout)
        stdout.write(f"✓ 已发布 {count} 条知识库条目 (demo knowledge base entries published)")
    from .inbox import read_what_was_read

    if (count := read_what_was_read()) > 0:
        stdout.write(f"✓ 演示人员已读过 {count} 条早先的消息 (earlier messages marked read)")
    from crossdesk.search.services import pending_documents_rebuild

    # The worker is not running yet: build the search index of what was just loaded now,
    # so the first search finds the demo's records.
    pending_documents_rebuild()
    logins = demo_logins()
    stdout.write(f"\n演示账号 / Demo logins (密码 password: {DEMO_PASSWORD})\n")
    width = max(len(login.role) for login in logins)
    for login in logins:
        stdout.write(
            f"  {login.role.ljust(width)}  {login.username:<10}  {login.name} · {login.department} · {login.title}"
        )
