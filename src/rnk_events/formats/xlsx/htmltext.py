"""The visible text of an HTML fragment: TimelineJS reads a sheet's Headline and Text cells as HTML."""

from __future__ import annotations

import html.parser

__all__ = ["plain_text"]


class _PlainText(html.parser.HTMLParser):
    """Collects text outside script and style; block elements become line breaks."""

    _BLOCKS = frozenset({"br", "p", "div", "li", "ul", "ol", "tr", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"})
    _HIDDEN = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def plain_text(fragment: str) -> str:
    """Strip tags and entities; collapse spaces within lines, drop blank lines."""
    parser = _PlainText()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)
