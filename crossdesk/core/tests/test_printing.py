"""The shared machinery of printed forms and archive packages (no record app involved)."""

import io
import json
import zipfile
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.template import Context, Template

from crossdesk.core.printing import content_disposition, font_face_css
from crossdesk.core.records.package import SignOff, build_package


def render(source: str, **context) -> str:
    return Template("{% load printing %}" + source).render(Context(context))


class TestTemplateTags:
    def test_tick_boxes_fill_the_chosen_box_only(self):
        html = render("{% tick_boxes choices value %}", choices=[("a", "普通"), ("b", "紧急")], value="b")
        assert "□ 普通" in html and "■ 紧急" in html

    def test_a_css_string_cannot_break_out_of_its_quotes_or_style_element(self):
        text = render("{{ value|css_string }}", value='报表"}</style><script>x</script>\\')
        assert '\\"' in text and "</style>" not in text and text.endswith("\\\\")


class TestContentDisposition:
    def test_a_chinese_name_is_kept_with_an_ascii_fallback(self):
        header = content_disposition("XM-2026-001-项目章程.pdf")
        assert header.startswith('attachment; filename="XM-2026-001-.pdf"')
        assert "filename*=UTF-8''XM-2026-001-%E9%A1%B9%E7%9B%AE%E7%AB%A0%E7%A8%8B.pdf" in header

    def test_quotes_in_a_name_never_end_the_header_value(self):
        assert content_disposition('a"b.pdf', inline=True).startswith('inline; filename="ab.pdf"')


def test_the_font_faces_point_at_the_packaged_font_files(settings):
    css = font_face_css()
    for path in settings.PRINT_FONTS.values():
        assert path.exists(), f"{path} missing: run npm ci"
        assert path.resolve().as_uri() in css


@dataclass
class FakeDocument:
    name: str
    file: object


class MissingFile:
    def open(self, mode):
        raise FileNotFoundError


class TestBuildPackage:
    def package(self, documents):
        content = build_package(
            folder="XMB-2026-001",
            printed=[("XMB-2026-001.pdf", b"%PDF")],
            record={"request": {"pk": 1}},
            history=[{"pk": 7}],
            documents=documents,
            sign_offs=[SignOff("市场部", "王芳", 2, None, "ab" * 32, True)],
        )
        return zipfile.ZipFile(io.BytesIO(content))

    def test_two_attachments_of_one_name_are_both_kept(self):
        archive = self.package(
            [FakeDocument("截图.png", ContentFile(b"one")), FakeDocument("截图.png", ContentFile(b"two"))]
        )
        assert archive.read("XMB-2026-001/attachments/截图.png") == b"one"
        assert archive.read("XMB-2026-001/attachments/截图 (2).png") == b"two"

    def test_a_missing_file_is_listed_not_silently_dropped(self):
        archive = self.package([FakeDocument("合同.pdf", MissingFile())])
        manifest = json.loads(archive.read("XMB-2026-001/manifest.json"))
        assert manifest["missing"] == ["attachments/合同.pdf"]
        assert [f["name"] for f in manifest["files"]] == [
            "XMB-2026-001.pdf",
            "record.json",
            "signatures.json",
        ]

    def test_a_name_with_a_path_cannot_leave_the_attachments_folder(self):
        archive = self.package([FakeDocument("../../etc/passwd", ContentFile(b"x"))])
        assert "XMB-2026-001/attachments/passwd" in archive.namelist()
