"""Chinese word segmentation for Material's search index, without jieba.

Material's search plugin segments Chinese when `jieba` is importable: it calls
`jieba.cut(text)` and joins the words with U+200B, which the search separator
splits on (zero-width, so result previews look unchanged). The search worker then
segments a query by the words that are in the index. jieba (and its 20 MB
dictionary) is not in our pinned requirements, so `ZhSegmenter` stands in for it:
greedy longest match against builder/pages/zh_terms.txt; text between known words stays
together as one run.

    with chinese_segmentation(): mkdocs build(...)
"""
from __future__ import annotations

import contextlib
from pathlib import Path

from builder.site_layout import ZH_TERMS as TERMS_FILE


def read_terms(path: Path = TERMS_FILE) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {w.strip() for w in lines if w.strip() and not w.startswith("#")}


class ZhSegmenter:
    """The one jieba function Material uses: cut(text) -> words (text may be bytes)."""

    def __init__(self, terms: set[str]):
        self.terms = terms
        self.longest = max((len(t) for t in terms), default=1)

    def cut(self, text, *args, **kwargs) -> list[str]:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        words: list[str] = []
        rest = ""                                   # unknown characters between known words
        i = 0
        while i < len(text):
            for size in range(min(self.longest, len(text) - i), 0, -1):
                if text[i:i + size] in self.terms:
                    break
            else:
                size = 0
            if size:
                if rest:
                    words.append(rest)
                    rest = ""
                words.append(text[i:i + size])
                i += size
            else:
                rest += text[i]
                i += 1
        if rest:
            words.append(rest)
        return words


@contextlib.contextmanager
def chinese_segmentation(terms: set[str] | None = None):
    """Make Material's search plugin segment Chinese with ZhSegmenter while the block runs."""
    import material.plugins.search.plugin as search_plugin

    saved = search_plugin.jieba
    search_plugin.jieba = ZhSegmenter(terms if terms is not None else read_terms())
    try:
        yield
    finally:
        search_plugin.jieba = saved
