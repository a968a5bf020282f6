"""Browser steps shared by the suites: keeping a page on the site under test, and Material's search.

Waits use selectors, never wait_for_function: the pages' CSP forbids the eval it needs.
"""
from __future__ import annotations


def keep_local(context, allowed: tuple[str, ...]) -> list[str]:
    """Abort every request of `context` whose URL starts with none of `allowed`.

    Returns the live list of the URLs aborted, for a test to assert it stays empty.
    """
    aborted: list[str] = []

    def gate(route):
        url = route.request.url
        if url.startswith(allowed):
            return route.continue_()
        aborted.append(url)
        return route.abort()

    context.route("**/*", gate)
    return aborted


def search(page, query: str, timeout_ms: int = 5000, resolved: bool = False) -> list[str]:
    """Type `query` into the header search; return the result links, best match first.

    The links are as written in the page (`resolved=False`) or as absolute URLs.
    """
    page.locator('label.md-header__button[for="__search"]').click()
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")   # Material searches on keyup; an IME's commit sends one, fill() does not
    page.locator(".md-search-result__item a").first.wait_for(timeout=timeout_ms)
    script = "els => els.map(e => e.href)" if resolved else "els => els.map(e => e.getAttribute('href'))"
    return page.locator(".md-search-result__item > a").evaluate_all(script)
