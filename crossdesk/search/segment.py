"""Chinese word segmentation for the index and for queries (jieba).

Text becomes a list of terms: jieba's words (the search mode, which also yields the
shorter words inside long ones), lower-cased, with the organisation's own words
(departments, people, projects) added to jieba's dictionary first so that "客户服务部" or
"张伟" stay one term. Latin letters and digits are split at anything that is not a letter
or digit, so ``XMB-2026-089`` is the terms ``xmb 2026 089`` in the index and in a query
alike; the index stores terms separated by single spaces, which both backends read as
they are (FTS5's unicode61 tokenizer, PostgreSQL's ``array_to_tsvector``).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable

import jieba

jieba.setLogLevel(logging.WARNING)

# A term is a run of letters or digits (CJK included); anything else separates terms.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Particles that carry no meaning alone: left out of the index and of queries, so
# "物流的延迟" still finds "物流延迟".
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "把",
        "被",
        "对",
        "也",
        "就",
        "都",
        "而",
        "并",
        "之",
        "其",
        "于",
        "为",
        "以",
        "等",
    ]
)
MAX_QUERY_WORDS = 12

_lock = threading.Lock()
_loaded = False
# Set by the app: returns the organisation's words (department, person and project names).
word_source: Callable[[], Iterable[str]] | None = None


def add_words(words: Iterable[str]) -> None:
    """Teach jieba words of the organisation (a name keeps its characters together)."""
    for word in words:
        word = (word or "").strip()
        if len(word) > 1 and " " not in word:
            jieba.add_word(word, freq=50000)


def load_organisation_words(force: bool = False) -> None:
    """Load the organisation's words once per process (and again with ``force``)."""
    global _loaded
    if _loaded and not force:
        return
    with _lock:
        if _loaded and not force:
            return
        if word_source is not None:
            add_words(word_source())
        _loaded = True


def _normalise(pieces: Iterable[str]) -> list[str]:
    terms = []
    for piece in pieces:
        for term in _WORD.findall(piece.lower()):
            if term not in STOPWORDS:
                terms.append(term)
    return terms


def index_terms(text: str) -> str:
    """The terms of ``text`` for the index, space-separated (duplicates kept: they weigh)."""
    if not text:
        return ""
    load_organisation_words()
    return " ".join(_normalise(jieba.cut_for_search(text)))


def query_words(query: str) -> list[list[str]]:
    """The words of a query, each with its alternatives: the word itself and, for a Chinese
    word of more than one character, the shorter words inside it (all of which must then be
    there), so a record whose text was cut differently still matches. Order and spacing
    of the query do not matter: every word must be found, anywhere."""
    load_organisation_words()
    seen: set[str] = set()
    words: list[list[str]] = []
    for word in _normalise(jieba.cut(query or "")):
        if word in seen:
            continue
        seen.add(word)
        alternatives = [word]
        if _CJK.search(word) and len(word) > 1:
            pieces = [p for p in _normalise(jieba.cut_for_search(word)) if len(p) < len(word)]
            if not pieces and len(word) == 2:
                pieces = list(word)
            if pieces:
                alternatives.append(" ".join(dict.fromkeys(pieces)))
        words.append(alternatives)
    return words[:MAX_QUERY_WORDS]


def similarity_terms(text: str, limit: int = 24) -> list[str]:
    """The distinct terms of a longer text (a new request being typed), for a match of any
    of them ranked by BM25: the longest first, as they say the most."""
    terms = dict.fromkeys(_normalise(jieba.cut(text or "")))
    return sorted(terms, key=len, reverse=True)[:limit]
