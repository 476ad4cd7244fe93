from crossdesk.demo.tests.english import SENTENCE


def test_the_detector_finds_english_sentences_and_passes_codes_and_names():
    for english in ("Time to follow up", "Respond to an urgent request", "Minutes circulated: 周会"):
        assert SENTENCE.search(english), english
    for chinese in ("新品净水器A9上市项目", "XM-2026-001 启动会", "联系 li.na@example.com", "Q3 备货 HR"):
        assert not SENTENCE.search(chinese), chinese
