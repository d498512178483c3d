import re


def on_page_markdown(markdown, **kwargs):
    return re.sub(r"\(old-name\.md", "(guide.md", markdown)
