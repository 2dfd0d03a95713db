"""HTML text -> a bounded lxml tree, and the plain visible text of a tree.

libxml2 silently drops everything nested deeper than 2048 elements (256 without huge_tree), and
trafilatura recurses over the tree, so a page of 5,000 nested divs would lose its text or crash it.
Pages deeper than MAX_TREE_DEPTH are re-parsed with the standard library's event parser into a tree
whose depth is capped: deeper tags are dropped, their text is kept. Pages with a tag carrying thousands of
attributes (which libxml2 and trafilatura handle in quadratic time) go to that parser directly.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import lxml.etree
import lxml.html

MAX_TREE_DEPTH = 150
MAX_TAG_ATTRIBUTES = 1000  # libxml2 and trafilatura slow down quadratically with attributes on one element
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "math", "object", "canvas"})
CHROME_TAGS = frozenset({"nav", "footer", "form", "button", "select", "menu", "dialog"})  # page-level chrome
BLOCK_TAGS = frozenset(
    "p div br li ul ol tr table thead tbody tfoot section article main h1 h2 h3 h4 h5 h6 blockquote pre "
    "dd dt dl figure figcaption address hr caption td th".split()
)
VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
KEPT_ATTRIBUTES = frozenset(
    "class id itemprop itemtype property name content rel href datetime charset http-equiv lang role".split()
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_TAG_NAME = re.compile(r"[a-z][a-z0-9\-]*")
_NOT_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # lxml refuses these


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse a page; lxml when the tree is shallow enough, else the depth-capped standard parser."""
    text = _NOT_XML_CHARS.sub("", _XML_DECLARATION.sub("", text, count=1))
    if has_attribute_flood(text):
        return _capped_tree(text)  # keeps only a few known attributes, in linear time
    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        root = None
    if root is None or is_deeper_than(root, MAX_TREE_DEPTH):
        root = _capped_tree(text)
    return root


def has_attribute_flood(text: str) -> bool:
    """True when some tag carries more than MAX_TAG_ATTRIBUTES attributes (counted roughly, in one pass)."""
    start = text.find("<")
    while start >= 0:
        end = text.find(">", start)
        end = len(text) if end < 0 else end
        if end - start > MAX_TAG_ATTRIBUTES * 2:
            tag = text[start:end]
            if max(tag.count("="), tag.count(" ")) > MAX_TAG_ATTRIBUTES:
                return True
        start = text.find("<", end)
    return False


def is_deeper_than(root: lxml.etree._Element, depth: int) -> bool:
    """True when some element sits more than `depth` levels down (one XPath, evaluated in C)."""
    return bool(root.xpath("boolean(/" + "/".join(["*"] * (depth + 1)) + ")"))


def tree_size(root: lxml.etree._Element) -> int:
    """The number of elements in the tree."""
    return int(root.xpath("count(//*)"))


def visible_text(root: lxml.html.HtmlElement) -> str:
    """The body's text without script/style and page chrome (nav, footer, ...), one block per line."""
    body = root.find("body")
    if body is None:
        body = root
    for element in body.xpath(".//*[@role='navigation']"):
        if element.getparent() is not None:
            element.drop_tree()
    lxml.etree.strip_elements(body, *SKIPPED_TAGS, *CHROME_TAGS, with_tail=False)
    for element in body.iter(*BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in body.text_content().splitlines())
    return "\n".join(line for line in lines if line)


class _CappedTreeBuilder(HTMLParser):
    """Builds an lxml.html tree from parser events, never nesting deeper than MAX_TREE_DEPTH."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = lxml.html.Element("html")
        self.stack: list[lxml.html.HtmlElement] = [self.root]
        self.phantoms: dict[str, int] = {}  # tags opened beyond the cap, by name
        self.skipping: str | None = None
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping is not None:
            self.skip_depth += tag == self.skipping
            return
        if tag in SKIPPED_TAGS:
            self.skipping, self.skip_depth = tag, 1
            return
        if tag == "html" or not _TAG_NAME.fullmatch(tag):
            return
        if len(self.stack) >= MAX_TREE_DEPTH:
            if tag in BLOCK_TAGS:
                self.handle_data("\n")
            if tag not in VOID_TAGS:
                self.phantoms[tag] = self.phantoms.get(tag, 0) + 1
            return
        element = lxml.html.Element(tag)
        for name, value in attrs:
            if name in KEPT_ATTRIBUTES and value is not None:
                try:
                    element.set(name, value)
                except ValueError:  # control characters in the value
                    continue
        self.stack[-1].append(element)
        if tag not in VOID_TAGS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping is not None:
            if tag == self.skipping:
                self.skip_depth -= 1
                if self.skip_depth <= 0:
                    self.skipping = None
            return
        if self.phantoms.get(tag):
            self.phantoms[tag] -= 1
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if self.skipping is not None:
            return
        data = _NOT_XML_CHARS.sub("", data)
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def _capped_tree(text: str) -> lxml.html.HtmlElement:
    """Parse `text` with the standard library parser into a tree at most MAX_TREE_DEPTH deep."""
    builder = _CappedTreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root
