"""The visible layer: what a reader sees, in reading order.

The article container is found first (``find_container``: the element holding the headline,
the longest run of paragraphs and the Explore label); only it is flattened into text blocks
(one per block-level element, like a browser lays them out), and the confirmed gen-3
reading order is read off them (SITE.md):

    section label, ``N MIN READ``, headline, standfirst, lead image + caption,
    optional ``By ...``, display date, body (with promos), ``SOURCE:...``, ``Explore``.

Only standard tags (``h1``, ``p``, ``figure``, ``time``, ``a``) and the text itself are
relied on; the two class names used (gen-2 ``Article-Paragraph``, gen-1 ``contentBox``)
are confirmed on the real site and only ever tried before the generic reading.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from lxml import etree
from parsel import Selector

from newsbot.pages.literals import FoldedPage, known

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "td", "th", "tr", "ul", "img", "picture", "video", "time", "label", "button",
})
# Page furniture whose text is never article text.
FURNITURE_TAGS = ("nav", "footer", "aside", "header", "form")
FURNITURE = frozenset(FURNITURE_TAGS)
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Inline tags whose text flows into the surrounding sentence without a break.
PROSE_INLINE_TAGS = frozenset({"a", "abbr", "b", "cite", "code", "em", "i", "mark", "q", "s",
                               "small", "strong", "sub", "sup", "u", "font", "bdi", "bdo"})
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "head",
                          "select", "option", "canvas", "object", "embed"})
BODY_BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div"})

READ_TIME = re.compile(r"^(?:(?P<section>.{1,40}?)\s+)?(?P<minutes>\d{1,3})\s*min(?:ute)?s?\.?\s+read$",
                       re.IGNORECASE)
BYLINE = re.compile(r"^(?:by|written by|reporting by)\s+\S", re.IGNORECASE)
SOURCE_LINE = re.compile(r"^source\s*:\s*(?P<source>.+)$", re.IGNORECASE)
EXPLORE_LABEL = re.compile(r"^explore$", re.IGNORECASE)
PROMO_LABEL = re.compile(r"^recommended$", re.IGNORECASE)
PROMO_INLINE = re.compile(r"^related\s+trt\s+global\s*[-–—:]", re.IGNORECASE)
MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
DISPLAY_DATE = re.compile(
    r"^(?:(?:updated|published|last updated)\s*:?\s*)?(?:[a-z]+day,?\s+)?"
    rf"(?:{MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{MONTHS},?\s+\d{{4}})"
    r"(?:[\s,]+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*(?:gmt|utc|tsi)(?:\s*[+-]\s*\d{1,2})?)?)?$",
    re.IGNORECASE,
)
# (tag, class) of the confirmed class-named elements; "*" for any tag.
GEN2_PARAGRAPHS = ("div", "Article-Paragraph")
GEN1_BODY = ("div", "contentBox")
GEN1_HEADLINE = ("h1", "article-title")
GEN1_DESCRIPTION = ("*", "article-description")
GEN1_SOURCE = ("*", "article-source")
GEN1_AUTHORS = ("ul", "author")  # their li items
known(*(name.lower() for _, name in (GEN2_PARAGRAPHS, GEN1_BODY, GEN1_HEADLINE, GEN1_DESCRIPTION,
                                     GEN1_SOURCE, GEN1_AUTHORS)))
WITH_CLASS = 'descendant-or-self::*[contains(concat(" ", normalize-space(@class), " "), " {} ")]'
MAX_HEADER_BLOCKS = 12
# Elements one walk of the article container may visit (a long real article has about
# 2,000): a larger container is read up to there and counted (visible_too_large).
MAX_WALK_ELEMENTS = 10_000
MAX_LABEL = 40
WHITESPACE = re.compile(r"\s+")
XML_SPACE = re.compile("[ \t\r\n]+")  # what XPath's normalize-space collapses


# Ancestors whose presence changes what a block is (tested once per walk, not per element).
CONTEXT_TAGS = frozenset({"figure", "a", *FURNITURE_TAGS})
# string-length first: it spares normalize-space a copy of every long text.
EXPLORE_LABEL_IN = etree.XPath('boolean(.//text()[string-length(.) < 60]'
                               '[translate(normalize-space(.), "EXPLOR", "explor") = "explore"])')
NO_CONTEXT: frozenset = frozenset()


@dataclass
class Block:
    text: str
    element: etree._Element
    # The CONTEXT_TAGS among the element's ancestors (strict: the element's own tag is not in it).
    around: frozenset = NO_CONTEXT

    @property
    def tag(self) -> str:
        return _tag(self.element)

    def inside(self, tag: str) -> bool:
        return tag in self.around


def text_content(element: etree._Element) -> str:
    """The text of ``element`` and its descendants, as lxml.html's ``text_content()`` (the
    XPath ``string()``) gives it, for any lxml element (the page is parsed into plain ones:
    see newsbot.pages.article.page_selector); lxml's text iterator costs a fraction of an
    XPath call."""
    return "".join(element.itertext())


def normalise_space(text: str) -> str:
    return WHITESPACE.sub(" ", text.replace("\xa0", " ")).strip()


def text_blocks(root: etree._Element, max_blocks: int | None = None,
                max_elements: int | None = None,
                until: "Callable[[list[Block]], bool] | None" = None,
                start: etree._Element | None = None) -> list[Block]:
    """Flatten an element into reading-order text blocks.

    An explicit stack instead of recursion (any depth lxml builds is fine), and the context
    of each block (inside a figure, a link, page furniture) carried along the walk: the
    root's ancestors are looked at once. The walk stops after ``max_blocks`` blocks or
    ``max_elements`` elements (the caller's budget), or once ``until(blocks)`` is true
    (asked after each new block).

    ``start``: a block-level element inside ``root`` (not under a skipped one) where the walk
    begins, in the state the walk of ``root`` is in on reaching it; entering a block-level
    element ends the block before it, so the blocks are those of the whole walk from the
    first one inside ``start`` on.
    """
    blocks: list[Block] = []
    pieces: list[str] = []
    open_context = {tag: 0 for tag in CONTEXT_TAGS}
    for ancestor in root.iterancestors():
        tag = _tag(ancestor)
        if tag in open_context:
            open_context[tag] += 1
    owners: list[tuple[etree._Element, frozenset]] = [(root, _context(open_context))]
    append = pieces.append
    # The context of the next block, made again only after a context tag opened or closed.
    context: frozenset | None = owners[0][1]

    def flush() -> None:
        if pieces:
            text = normalise_space("".join(pieces))
            pieces.clear()
            if text:
                owner, around = owners[-1]
                blocks.append(Block(text, owner, around))

    # Iterators over the children still to enter (lazily: a walk that stops early never
    # touches the rest), and (element, its tag) to leave an element.
    stack: list = [iter((root,))]
    if start is not None and start is not root:
        stack, context = _resumed(root, start, owners, open_context), None
    pop, push = stack.pop, stack.append
    budget = max_elements if max_elements is not None else -1
    seen = 0
    while stack:
        if max_blocks is not None and len(blocks) >= max_blocks:
            return blocks[:max_blocks]
        if until is not None and len(blocks) > seen:
            seen = len(blocks)
            if until(blocks):
                return blocks
        top = stack[-1]
        if type(top) is tuple:
            pop()
            element, tag = top
            if tag in BLOCK_TAGS:
                flush()
                owners.pop()
            elif tag not in PROSE_INLINE_TAGS:
                append(" ")
            if tag in open_context:
                open_context[tag] -= 1
                context = None
            if element is not root:
                tail = element.tail
                if tail:
                    append(tail)
            continue
        element = next(top, None)
        if element is None:
            pop()
            continue
        name = element.tag
        if not isinstance(name, str):  # a comment or processing instruction
            if element is not root:
                tail = element.tail
                if tail:
                    append(tail)
            continue
        tag = name.rsplit("}", 1)[-1].lower() if "}" in name else name.lower()
        if tag in SKIPPED_TAGS:
            if element is not root:
                tail = element.tail
                if tail:
                    append(tail)
            continue
        budget -= 1
        if budget == -1:
            raise WalkTooLong(blocks)
        if tag in BLOCK_TAGS:
            flush()
            if context is None:
                context = _context(open_context)
            owners.append((element, context))
        elif tag not in PROSE_INLINE_TAGS:
            append(" ")  # inline elements outside prose (span, label...) are laid out apart by CSS
        if tag in open_context:
            open_context[tag] += 1
            context = None
        text = element.text
        if text:
            append(text)
        push((element, tag))
        if len(element):
            push(iter(element))
    flush()
    return blocks


def _resumed(root: etree._Element, start: etree._Element, owners: list, open_context: dict) -> list:
    """The walk's stack on reaching ``start`` (about to enter it), with ``owners`` and
    ``open_context`` brought to that point: every element from ``root`` down to ``start``'s
    parent entered, and their children after the way down still to come."""
    path = [start]
    for ancestor in start.iterancestors():
        path.append(ancestor)
        if ancestor is root:
            break
    else:
        raise ValueError("start is not inside root")
    path.reverse()
    stack: list = []
    for parent, child in zip(path, path[1:]):
        tag = _tag(parent)
        if tag in BLOCK_TAGS:
            owners.append((parent, _context(open_context)))
        if tag in open_context:
            open_context[tag] += 1
        stack.append((parent, tag))
        stack.append(itertools.chain((start,), start.itersiblings()) if child is start else child.itersiblings())
    return stack


def seam(headline: etree._Element, scope: etree._Element, needed: int) -> etree._Element | None:
    """A block-level element of ``scope`` before ``headline`` from which at least ``needed``
    blocks come before the headline's, as late as that allows: the walk can start there
    (``text_blocks(start=...)``) instead of at the top of a scope whose beginning is mostly
    menus and card rails. None when there is no such element.

    Only block-level elements are counted (their blocks are the same alone as in the whole
    walk); text around them only adds blocks, so the count is a lower bound."""
    counted = 0
    node = headline
    while node is not scope:
        parent = node.getparent()
        if parent is None:
            return None
        for sibling in node.itersiblings(preceding=True):
            found = _seam_in(sibling, needed - counted)
            if found is not None:
                return found
            counted += _count(sibling, needed)
            if counted >= needed:
                return sibling
        node = parent
    return None


def _seam_in(element: etree._Element, needed: int) -> etree._Element | None:
    """The latest block-level element inside ``element`` from whose start on ``element``
    holds at least ``needed`` blocks, or None."""
    if _count(element, needed) < needed:
        return None
    counted = 0
    for child in reversed(element):
        found = _seam_in(child, needed - counted)
        if found is not None:
            return found
        counted += _count(child, needed)
        if counted >= needed:
            return child  # only a block-level child adds to the count
    return element if _is_block(element) else None


def _is_block(element) -> bool:
    tag = _tag(element)
    return tag in BLOCK_TAGS and tag not in SKIPPED_TAGS


def _count(element, needed: int) -> int:
    """Blocks of a block-level ``element`` (up to ``needed``), 0 for anything else."""
    return len(text_blocks(element, max_blocks=needed)) if _is_block(element) else 0


class ReadEnough:
    """Whether the blocks read so far hold every block the fields look at, so the walk can
    stop (a container that is the whole page is mostly navigation and card rails after the
    article). The fields read from the headline's block (``_h1_index``: the found headline's,
    else the first ``h1``'s) up to ``MAX_HEADER_BLOCKS`` after it and up to the first Explore
    label after it, and before it only a few blocks; without such a headline block the whole
    scope is read."""

    def __init__(self, headline: etree._Element | None):
        self.headline = headline
        self.headline_at: int | None = None
        self.explore_at: int | None = None

    def __call__(self, blocks: list[Block]) -> bool:
        index = len(blocks) - 1
        block = blocks[index]
        if self.headline_at is None:
            if (block.element is self.headline) if self.headline is not None else block.tag == "h1":
                self.headline_at = index
            return False
        if self.explore_at is None and EXPLORE_LABEL.match(block.text):
            self.explore_at = index
        return self.explore_at is not None and index >= max(self.explore_at, self.headline_at + MAX_HEADER_BLOCKS)


class WalkTooLong(Exception):
    """The walk ran out of its element budget; ``blocks`` holds what it read."""

    def __init__(self, blocks: list[Block]):
        super().__init__("element budget exhausted")
        self.blocks = blocks


def _context(open_context: dict[str, int]) -> frozenset:
    return frozenset(tag for tag, count in open_context.items() if count) or NO_CONTEXT


def find_container(page: etree._Element) -> tuple[etree._Element | None, etree._Element | None]:
    """(headline, container): the ``h1`` and the smallest element holding it, the longest run
    of paragraphs (the parent whose ``p`` children hold the most text, outside page furniture)
    and the Explore label after the headline, if there is one. Without such a run of
    paragraphs, the first headline inside an ``article`` (else ``main``) element and that
    element. (None, None) when the page has no ``h1`` or neither: the whole page is then read.

    Only ``h1`` and ``p`` elements are visited in Python; the rest of the page is left to lxml.
    """
    found = list(page.iter("h1", "p"))  # one walk of lxml's for both
    headlines = [h for h in found if h.tag == "h1" and normalise_space(text_content(h))]
    if not headlines:
        return None, None
    runs: dict[etree._Element, int] = {}
    for paragraph in found:
        parent = paragraph.getparent()
        if paragraph.tag == "p" and parent is not None:
            runs[parent] = runs.get(parent, 0) + len(text_content(paragraph))
    run = next((parent for parent, _ in sorted(runs.items(), key=lambda kv: -kv[1])
                if not any(_tag(a) in FURNITURE for a in (parent, *parent.iterancestors()))), None)
    if run is None:  # no paragraph outside the furniture (an article whose body is empty)
        return _headline_in_article(headlines, page)
    # The headline nearest the paragraphs: the one sharing the deepest ancestor with them.
    run_path = [run, *run.iterancestors()]
    depth = {element: len(run_path) - index for index, element in enumerate(run_path)}
    best, container, best_depth = None, None, -1
    for headline in headlines:
        shared = _lowest_common(headline, depth)
        if shared is not None and depth[shared] > best_depth:
            best, container, best_depth = headline, shared, depth[shared]
    if container is None:
        return None, None
    return best, _with_explore(container, page)


def _headline_in_article(headlines: list[etree._Element], page: etree._Element):
    """(headline, container): the first headline inside an ``article`` (else ``main``)
    element, and that element (widened to the Explore label); (None, None) without one."""
    for tag in ("article", "main"):
        for headline in headlines:
            for ancestor in headline.iterancestors():
                if _tag(ancestor) == tag:
                    return headline, _with_explore(ancestor, page)
    return None, None


def _with_explore(container: etree._Element, page: etree._Element) -> etree._Element:
    """The container, widened to hold the Explore label when that follows it: the following
    siblings of the container and of its ancestors are searched, nearest first (scripts
    skipped), so the search usually stops at the next sibling."""
    if EXPLORE_LABEL_IN(container):
        return container
    node = container
    while node is not page:
        parent = node.getparent()
        if parent is None:
            break
        for sibling in node.itersiblings():
            if isinstance(sibling.tag, str) and sibling.tag not in SKIPPED_TAGS and EXPLORE_LABEL_IN(sibling):
                return parent
        node = parent
    return container


def _lowest_common(element: etree._Element, path: dict) -> etree._Element | None:
    """The first of ``element`` and its ancestors that is a key of ``path``."""
    for candidate in (element, *element.iterancestors()):
        if candidate in path:
            return candidate
    return None


def _tag(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


class VisibleArticle:
    """Fields as a reader sees them on the page."""

    def __init__(self, selector: Selector, folded: FoldedPage | None = None):
        """``folded``: the page's ``FoldedPage``; a class name absent from it is not looked
        for in the tree (each lookup scans every element)."""
        self.selector = selector
        self.folded = folded
        root = selector.root
        body = root.find("body") if isinstance(root, etree._Element) else None
        self.root = body if body is not None else root
        self.page = self.root if isinstance(self.root, etree._Element) else None
        self.too_large = False  # the container had more elements than one walk may visit

    @cached_property
    def _found(self) -> tuple[etree._Element | None, etree._Element | None]:
        return find_container(self.page) if self.page is not None else (None, None)

    @cached_property
    def _walked(self) -> tuple[etree._Element | None, list[Block]]:
        """(scope, its blocks): the article container and its text blocks (the whole page
        when no container was found)."""
        if self.page is None:
            return None, []
        headline, scope = self._found
        if scope is None:
            scope = self.page
        elif scope is not self.page and scope.getparent() is not None:
            first = text_blocks(scope, max_blocks=1, max_elements=MAX_WALK_ELEMENTS)
            if first and first[0].element is headline:
                # Nothing above the headline inside the container: its label sits just outside.
                scope = scope.getparent()
        # Blocks far above the headline are never read: start at a seam when there is one
        # (the whole walk again if the headline's block is not where it was expected).
        start = None
        if headline is not None and not any(_tag(a) in SKIPPED_TAGS for a in (headline, *headline.iterancestors())):
            start = seam(headline, scope, MAX_HEADER_BLOCKS + 2)
        try:
            blocks = text_blocks(scope, max_elements=MAX_WALK_ELEMENTS, until=ReadEnough(headline), start=start)
            if start is not None and not any(block.element is headline for block in blocks):
                blocks = text_blocks(scope, max_elements=MAX_WALK_ELEMENTS, until=ReadEnough(headline))
            return scope, blocks
        except WalkTooLong as stopped:
            self.too_large = True
            return scope, stopped.blocks

    @property
    def scope(self) -> etree._Element | None:
        return self._walked[0]

    @property
    def blocks(self) -> list[Block]:
        return self._walked[1]

    def _by_class(self, selector: tuple[str, str]) -> list[etree._Element]:
        """The elements of one of the (tag, class) pairs above, in page order; none when the
        page's bytes do not even contain the class name. A named tag is found by lxml's own
        tag walk; any tag needs an XPath over every element, so the article container is
        searched first."""
        tag, name = selector
        if self.page is None or (self.folded is not None and not self.folded.has(name.lower().encode())):
            return []
        if tag != "*":
            return [e for e in self.page.iter(tag) if name in (e.get("class") or "").split()]
        # What WITH_CLASS finds (a class token, split as XPath's normalize-space does), by
        # lxml's walk: the XPath costs about twice as much on a page of real size.
        if self.scope is not None and self.scope is not self.page:
            found = _with_class_token(self.scope, name)
            if found:
                return found
        return _with_class_token(self.page, name)

    # --- landmarks -------------------------------------------------------------------

    @cached_property
    def headline_index(self) -> int | None:
        if self._h1_index is not None:
            return self._h1_index
        read_time = self.read_time_index
        if read_time is not None and read_time + 1 < len(self.blocks):
            return read_time + 1
        return None

    @cached_property
    def _h1_index(self) -> int | None:
        """The found headline's block, else the first ``h1`` block."""
        headline = self._found[0]
        first = None
        for index, block in enumerate(self.blocks):
            if block.element is headline:
                return index
            if first is None and block.tag == "h1":
                first = index
        return first

    @cached_property
    def read_time_index(self) -> int | None:
        """``N MIN READ`` near the headline (above it in the confirmed order); without an
        ``h1``, among the first blocks of the page."""
        h1 = self._h1_index
        window = range(0, 60) if h1 is None else range(max(h1 - MAX_HEADER_BLOCKS, 0), h1 + MAX_HEADER_BLOCKS)
        for index in window:
            if index >= len(self.blocks):
                break
            if READ_TIME.match(self.blocks[index].text):
                return index
        return None

    @cached_property
    def end_index(self) -> int:
        """Where the article text ends: the SOURCE line or the Explore label."""
        start = self.headline_index or 0
        for index in range(start, len(self.blocks)):
            text = self.blocks[index].text
            if SOURCE_LINE.match(text) or EXPLORE_LABEL.match(text):
                return index
        return len(self.blocks)

    @cached_property
    def explore_index(self) -> int | None:
        for index in range((self.headline_index or 0), len(self.blocks)):
            if EXPLORE_LABEL.match(self.blocks[index].text):
                return index
        return None

    def header_blocks(self) -> list[tuple[int, Block]]:
        """The blocks between the headline and the body: standfirst, image, byline, date."""
        if self.headline_index is None:
            return []
        stop = min(self.headline_index + 1 + MAX_HEADER_BLOCKS, self.end_index)
        return [(index, self.blocks[index]) for index in range(self.headline_index + 1, stop)]

    # --- fields ----------------------------------------------------------------------

    def headline(self) -> str | None:
        gen1 = self._by_class(GEN1_HEADLINE)
        if gen1:
            return normalise_space(gen1[0].xpath("string()"))
        return self.blocks[self.headline_index].text if self.headline_index is not None else None

    def section(self) -> str | None:
        """The label above the headline: before ``N MIN READ``, else a short capitalised line."""
        index = self.read_time_index
        if index is not None:
            match = READ_TIME.match(self.blocks[index].text)
            if match["section"]:
                return match["section"]
            label = self.blocks[index - 1] if index > 0 else None
            return label.text if label and len(label.text) <= MAX_LABEL else None
        if self.headline_index:
            label = self.blocks[self.headline_index - 1]
            if len(label.text) <= MAX_LABEL and label.text.isupper() and label.tag != "nav" \
                    and not label.around & FURNITURE:
                return label.text
        return None

    def read_time_minutes(self) -> int | None:
        index = self.read_time_index
        return int(READ_TIME.match(self.blocks[index].text)["minutes"]) if index is not None else None

    def description(self) -> str | None:
        gen1 = self._by_class(GEN1_DESCRIPTION)
        if gen1:
            return normalise_space(gen1[0].xpath("string()")) or None
        for _, block in self.header_blocks()[:1]:
            if block.tag in ("p", "h2", "div", "span") and not self._is_header_furniture(block):
                return block.text
        return None

    def byline(self) -> str | None:
        for _, block in self.header_blocks():
            if BYLINE.match(block.text):
                return block.text
        return None

    def gen1_authors(self) -> list[str]:
        return [t for t in (normalise_space(li.xpath("string()")) for ul in self._by_class(GEN1_AUTHORS)
                                  for li in ul.iterchildren("li")) if t]

    def date_published(self) -> str | None:
        """A ``<time datetime>`` near the headline, else the display date as written."""
        for _, block in self.header_blocks():
            if block.tag == "time" and block.element.get("datetime"):
                return block.element.get("datetime").strip()
            if DISPLAY_DATE.match(block.text):
                return block.text
        return None

    def image(self) -> tuple[str | None, str | None]:
        """(src, caption) of the lead image: the figure after the headline, or the image whose
        alt text repeats the headline (a confirmed habit of the site)."""
        if self.headline_index is None:
            return None, None
        headline = self.blocks[self.headline_index]
        first_figure = next(following(headline.element, "figure"), None)  # following::figure[1]
        figure = [first_figure] if first_figure is not None else []
        images = list(figure[0].iter("img")) if figure else []  # .//img of a figure
        if not images:
            title = self.blocks[self.headline_index].text
            images = [img for img in self.selector.root.iter("img")  # //img[@alt]
                      if img.get("alt") is not None and normalise_space(img.get("alt")) == title]
        if not images:
            return None, None
        img = images[0]
        src = img.get("src") or img.get("data-src") or _first_srcset(img.get("srcset"))
        caption_nodes = figure[0].xpath(".//figcaption") if figure else []
        caption = normalise_space("".join(caption_nodes[0].itertext())) if caption_nodes else None
        return src, caption or None

    def body_paragraphs(self) -> list[str]:
        for container in (GEN2_PARAGRAPHS, GEN1_BODY):
            nodes = self._by_class(container)
            if nodes:
                blocks = [b for node in nodes for b in text_blocks(node)]
                return strip_promos([b for b in blocks if b.tag in BODY_BLOCK_TAGS or b.tag == "p"])
        return self._reading_order_body()

    def _reading_order_body(self) -> list[str]:
        if self.headline_index is None:
            return []
        header = self.header_blocks()
        start = self.headline_index + 1
        # The body starts after the last piece of header furniture (standfirst, figure, byline, date).
        for index, block in header:
            if self._is_header_furniture(block) or index == self.headline_index + 1:
                start = index + 1
        container = self._article_container()
        # The container's block elements, collected once (lxml filters by tag in C).
        members = set(container.iter(*BLOCK_TAGS)) if container is not None else None
        body = [b for b in self.blocks[start:self.end_index]
                if b.tag in BODY_BLOCK_TAGS and "figure" not in b.around and not b.around & FURNITURE
                and (members is None or b.element in members)]
        return strip_promos(body)

    def _article_container(self) -> etree._Element | None:
        """The ``article`` (else ``main``) element around the headline, if any."""
        headline = self.blocks[self.headline_index].element
        for tag in ("article", "main"):
            for ancestor in headline.iterancestors():
                if _tag(ancestor) == tag:
                    return ancestor
        return None

    def _is_header_furniture(self, block: Block) -> bool:
        return (BYLINE.match(block.text) is not None or DISPLAY_DATE.match(block.text) is not None
                or block.tag in ("time", "figure", "figcaption", "img", "picture")
                or block.inside("figure") or READ_TIME.match(block.text) is not None)

    def source_line(self) -> str | None:
        gen1 = self._by_class(GEN1_SOURCE)
        if gen1:
            text = normalise_space(gen1[0].xpath("string()"))
            match = SOURCE_LINE.match(text)
            return (match["source"] if match else text) or None
        for block in self.blocks[self.end_index:self.end_index + 1]:
            match = SOURCE_LINE.match(block.text)
            if match:
                return match["source"].strip()
        return None

    def explore_links(self) -> list[tuple[str, str | None]]:
        """(href, headline) of the Explore block's links, in page order."""
        if self.explore_index is None:
            return []
        label = self.blocks[self.explore_index].element
        links = []
        for anchor in following(label, "a"):
            if anchor.get("href") is None:
                continue
            if _inside(anchor, "footer"):
                break
            links.append((anchor.get("href"), card_headline(anchor)))
        return links

    def language(self) -> str | None:
        lang = self.selector.xpath("/html/@lang").get()
        return lang.strip() if lang and lang.strip() else None


def strip_promos(blocks: list[Block]) -> list[str]:
    """Paragraph texts without the inline promos (``Recommended`` + its linked headline,
    ``Related TRT Global - ...``)."""
    texts: list[str] = []
    skip_next_link = False
    for block in blocks:
        if PROMO_LABEL.match(block.text):
            skip_next_link = True
            continue
        if skip_next_link and _is_link_only(block):
            skip_next_link = False
            continue
        skip_next_link = False
        if PROMO_INLINE.match(block.text):
            continue
        texts.append(block.text)
    return texts


def card_headline(anchor: etree._Element) -> str | None:
    """The headline of an Explore card: its heading, else its text without a ``By`` line."""
    for heading in anchor.iter(*HEADING_TAGS):
        text = normalise_space("".join(heading.itertext()))
        if text:
            return text
    texts = [b.text for b in text_blocks(anchor) if not BYLINE.match(b.text)]
    return texts[0] if texts else (normalise_space(anchor.get("title") or "") or None)


def _is_link_only(block: Block) -> bool:
    if block.inside("a"):
        return True
    anchor = next(block.element.iter("a"), None)
    return anchor is not None and normalise_space("".join(anchor.itertext())) == block.text


def _with_class_token(root: etree._Element, name: str) -> list[etree._Element]:
    """``root`` and its descendants whose ``class`` has the token ``name`` (WITH_CLASS)."""
    return [element for element in root.iter() if isinstance(element.tag, str)
            and name in (element.get("class") or "") and name in XML_SPACE.split(element.get("class"))]


def following(element: etree._Element, tag: str):
    """The ``tag`` elements after ``element`` in document order, its descendants excepted
    (XPath's ``following::tag``), one at a time: the caller usually stops after a few, and
    the XPath would build all of them (every card rail after the Explore block)."""
    node = element
    while node is not None:
        for sibling in node.itersiblings():
            yield from sibling.iter(tag)
        node = node.getparent()


def _inside(element: etree._Element, tag: str) -> bool:
    return any(_tag(parent) == tag for parent in element.iterancestors())


def _first_srcset(srcset: str | None) -> str | None:
    return srcset.split(",")[0].split()[0] if srcset and srcset.strip() else None
