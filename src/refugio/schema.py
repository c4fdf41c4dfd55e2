"""The JSON Schema of a case file, every leaf citing its form item (``refugio schema``).

Pydantic writes one definition per class. A few classes serve several items — an address is
item 8 (residence), item 9 (mailing address) and Part E (preparer); a yes/no question is every
question of Parts B and C — so their shared definition cannot name one item. Here each use is
inlined, its leaves prefixed with the item of the field that holds it ("Part B, item 1.A: yes
(true) or no (false)").
"""

from __future__ import annotations

import copy
import re
from typing import Any

from refugio.model import Application

__all__ = ["case_schema"]

_SHARED = {"Address", "MailingAddress", "YesNo"}
_ITEM = re.compile(r"^((?:Part|Page|Supplement)[^:]*):")


def case_schema() -> dict[str, Any]:
    schema = Application.model_json_schema()
    defs: dict[str, Any] = schema.get("$defs", {})
    seen: set[str] = set()
    _walk(schema, defs, seen)
    for name in _SHARED:
        if not _references(schema, name):
            defs.pop(name, None)
    return schema


def _walk(node: dict[str, Any], defs: dict[str, Any], seen: set[str]) -> None:
    for spec in node.get("properties", {}).values():
        item = _ITEM.match(spec.get("description", ""))
        for holder in _ref_holders(spec):
            name = holder["$ref"].rsplit("/", 1)[-1]
            if name in _SHARED and item:
                holder.pop("$ref")
                own = holder.get("description")  # the question, e.g. "Part B, item 1.A: …"
                holder.update(_cited(defs[name], item.group(1)))
                if own:
                    holder["description"] = own
            elif name not in seen:
                seen.add(name)
                _walk(defs[name], defs, seen)


def _ref_holders(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The dicts holding a $ref in a property: itself, its anyOf members, its array items."""
    holders = [spec, *spec.get("anyOf", []), spec.get("items", {})]
    return [h for h in holders if isinstance(h, dict) and "$ref" in h]


def _cited(definition: dict[str, Any], item: str) -> dict[str, Any]:
    inlined = copy.deepcopy(definition)
    for prop in inlined.get("properties", {}).values():
        text = prop.get("description", "")
        if _ITEM.match(text) or text.startswith("Address:"):
            text = text.split(": ", 1)[-1]
        prop["description"] = f"{item}: {text}"
    return inlined


def _references(node: Any, name: str) -> bool:
    if isinstance(node, dict):
        if node.get("$ref", "").endswith(f"/{name}"):
            return True
        return any(_references(v, name) for v in node.values())
    if isinstance(node, list):
        return any(_references(v, name) for v in node)
    return False
