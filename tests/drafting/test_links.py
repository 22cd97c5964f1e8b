"""Insert link: the article's address goes before the sign-off, once (defect: a title with no URL, after it)."""

from __future__ import annotations

from assist.drafting import citation, insert_link

DRAFT = "Hi Anna,\n\nCreate keys under Settings → Developers.\n\nBest regards,\nLumen Support"
URL = "https://help.lumen.app/articles/api-keys"


def test_the_link_goes_before_the_sign_off() -> None:
    text, changed = insert_link(DRAFT, title="Create and manage API keys", url=URL)
    lines = text.splitlines()
    link = lines.index(f'You can read more in our help article "Create and manage API keys": {URL}')
    assert changed and link < lines.index("Best regards,") and lines[-1] == "Lumen Support"


def test_a_link_already_in_the_reply_is_not_added_twice() -> None:
    once, _ = insert_link(DRAFT, title="Create and manage API keys", url=URL)
    twice, changed = insert_link(once, title="Create and manage API keys", url=URL)
    assert not changed and twice == once and twice.count(URL) == 1


def test_a_plain_citation_of_the_same_article_gains_the_address_instead_of_a_second_line() -> None:
    cited = DRAFT.replace("Best regards", citation("Create and manage API keys", None) + "\n\nBest regards")
    text, changed = insert_link(cited, title="Create and manage API keys", url=URL)
    assert changed and text.count("Create and manage API keys") == 1 and URL in text


def test_without_a_sign_off_the_link_goes_at_the_end() -> None:
    text, _ = insert_link("Hi, see the article.", title="T", url="https://x.example/t")
    assert text.endswith('"T": https://x.example/t')
