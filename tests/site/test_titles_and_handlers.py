"""A title an editor types reads as typed in the navigation (escaped once, never markup), and the CSP
check finds only real inline handlers, naming the content file that wrote one."""
import pytest

from builder.checks.csp import apply_csp, inline_handlers
from builder.pages.render import nav

pytestmark = pytest.mark.fast


def test_a_literal_entity_in_a_title_is_escaped_once_in_the_navigation():
    content = {"pages.yaml": {"pages": [
        {"id": "odd", "title": {"zh": "&lt;b&gt; 标题", "en": "&lt;b&gt; & more"}},
        {"id": "plain", "title": {"zh": "看病", "en": "x"}, "nav": {"zh": "看病", "en": "Care"}},
    ]}}
    labels = [next(iter(item)) for item in nav(content, "en")]
    assert labels == ["&amp;lt;b&amp;gt; &amp; more", "Care"]


def test_text_that_looks_like_a_handler_is_not_one():
    html = ('<meta name="description" content="Pay once = done, then onload = later">'
            '<p>Click on=this, once = enough</p><script>button.onclick = go;</script>')
    assert inline_handlers(html) == []
    assert inline_handlers('<img src="x" onerror="alert(1)">') == ["onerror"]
    assert inline_handlers('<a href=" jav&#x09;ascript:alert(1)">x</a>') == ["href=javascript:"]


def test_a_handler_written_in_content_is_named_by_its_content_file(tmp_path):
    content = tmp_path / "content"
    (content / "topics").mkdir(parents=True)
    (content / "site.yaml").write_text("description: {en: Pay once = done}\n", encoding="utf-8")
    (content / "topics" / "card.yaml").write_text('title: x\nbody: "<img src=x onerror=alert(1)>"\n',
                                                  encoding="utf-8")
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "en" / "card.html").write_text('<html><head><meta charset="utf-8"></head><body>'
                                           '<img src=x onerror=alert(1)></body></html>', encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        apply_csp(site, content)
    assert str(caught.value).startswith("content/topics/card.yaml:2: ") and "onerror" in str(caught.value)
    assert "site.yaml" not in str(caught.value)
