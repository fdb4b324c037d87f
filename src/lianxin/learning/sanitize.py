"""Rich text of articles, sanitised with nh3 (the Ammonia sanitiser): a short allow-list of tags and attributes,
links made safe (http, https, mailto only; rel="noopener noreferrer"), images only from this site's files."""

import html
import re

import nh3

TAGS = {"p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "blockquote", "ul", "ol", "li", "a", "img",
        "figure", "figcaption", "hr", "span", "sub", "sup"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _img_filter(tag: str, attribute: str, value: str):
    # Only the scoped file view serves pictures: no tracking pixels from elsewhere.
    if tag == "img" and attribute == "src" and not value.startswith("/files/"):
        return None
    return value


def clean(text: str) -> str:
    return nh3.clean(text or "", tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", attribute_filter=_img_filter, strip_comments=True).strip()


_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"</?(p|br|h[2-4]|li|blockquote|figure|figcaption|hr)\b[^>]*>", re.I)


def plain(text: str) -> str:
    """The visible text of sanitised HTML, blocks as line breaks."""
    text = _BLOCK.sub("\n", text or "")
    text = html.unescape(_TAG.sub("", text))
    return re.sub(r"\n\s*\n+", "\n", text).strip()


def from_plain(text: str) -> str:
    """Paragraphs of plain text (blank-line or line separated) as sanitised HTML."""
    paras = [p.strip() for p in re.split(r"\n+", text or "") if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paras)
