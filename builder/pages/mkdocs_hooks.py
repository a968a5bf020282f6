"""MkDocs hooks for every build of the site (main and offline bundle); pipeline.mkdocs_config
registers this file.

- A page whose front matter has `flow: <id>` gets data-flow="<id>" on its <main>, one with
  `outcome: <id>` gets data-outcome="<id>" (the question flow's start, question and outcome pages).
  Material writes <main> outside any template block, so the attribute is added to the output.
- 404.html gets relative links: MkDocs gives error pages a root-absolute base ("/"), which breaks
  under a sub-path and in the English folder.
"""
from __future__ import annotations

from markupsafe import escape
from mkdocs.exceptions import PluginError

MAIN = '<main class="md-main" data-md-component="main"'
MAIN_ATTRS = (("flow", "data-flow"), ("outcome", "data-outcome"))


def on_post_page(output, page, config):
    attrs = "".join(f' {attr}="{escape(page.meta[key])}"' for key, attr in MAIN_ATTRS if page.meta.get(key))
    if not attrs:
        return output
    if output.count(MAIN) != 1:
        raise PluginError(f"{page.file.src_uri}: expected one '{MAIN}>' in the page to mark; "
                          "Material's base.html changed — update builder/mkdocs_hooks.py")
    return output.replace(MAIN, MAIN + attrs)


def on_template_context(context, template_name, config):
    if template_name == "404.html":
        context["base_url"] = "."
    return context
