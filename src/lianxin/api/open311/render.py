"""Open311 answers in both formats: JSON as is, XML without a namespace (GeoReport v2's element names)."""

import json
from datetime import datetime
from xml.etree import ElementTree as ET

from django.http import HttpResponse

from lianxin.workdays.calendar import tz

# The element name of each item of a list, by the name of the list.
ITEM = {
    "services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
    "endpoints": "endpoint", "formats": "format", "errors": "error", "notes": "note",
    "service_request_updates": "request_update",
}


def w3c(moment: datetime | None) -> str | None:
    """A W3C datetime with the time zone, e.g. 2026-05-04T09:30:00+08:00."""
    return moment.astimezone(tz()).isoformat(timespec="seconds") if moment else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        for item in value:
            _fill(ET.SubElement(element, ITEM.get(element.tag, "item")), item)
    else:
        element.text = _text(value)


def to_xml(root: str, value) -> bytes:
    element = ET.Element(root)
    _fill(element, value)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="unicode").encode()


def respond(fmt: str, root: str, value, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, value), content_type="text/xml; charset=utf-8", status=status)
    body = json.dumps(value, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json; charset=utf-8", status=status)


def errors(fmt: str, status: int, description) -> HttpResponse:
    return respond(fmt, "errors", [{"code": status, "description": str(description)}], status=status)
