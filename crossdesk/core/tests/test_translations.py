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
