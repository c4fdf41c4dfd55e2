"""A draft: every answer exactly as typed, and how it becomes an ``Application``.

The draft is plain JSON: nested objects and lists mirroring the model, every leaf the string the
user typed ("03/05/2016", "yes", "on"). Nothing a user typed is ever dropped or rewritten — a
date that is not a date stays in the draft, with an error naming its form item, until it is
corrected. ``build`` turns the answers that apply into an ``Application`` for ``check`` and
``fill``; answers that no longer apply (an explanation after "yes" became "no", a spouse after
"married" became "single") stay in the draft and come back if the answer that hid them changes.

Extra state lives under ``draft["meta"]``: the checkbox questions of the plan (``Toggle``), the
screens saved at least once and the last screen seen (to resume there).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from refugio.check.required import REQUIRED
from refugio.interview.plan import PLAN, Condition, Step
from refugio.interview.questions import Block, Group, Question, blocks
from refugio.model import Application

__all__ = [
    "CHOICE_ERROR",
    "DATE_ERROR",
    "MONTH_ERROR",
    "YES_NO_ERROR",
    "Built",
    "Draft",
    "PartProgress",
    "apply_action",
    "build",
    "format_errors",
    "from_application",
    "get",
    "progress",
    "questions_of",
    "read_form",
    "step_blocks",
    "visible",
    "visible_steps",
]

Draft = dict[str, Any]

DATE_ERROR = "enter a real date as mm/dd/yyyy, for example 03/05/2016"
MONTH_ERROR = 'enter the month and year as mm/yyyy, for example 04/2019, or "present"'
CHOICE_ERROR = "choose one of the answers offered"
YES_NO_ERROR = "answer yes or no"

_TOKEN = re.compile(r"([a-z0-9_]+)(?:\[([0-9]+)\])?")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_TRUE = frozenset({"on", "yes", "true", "1"})


@functools.lru_cache(maxsize=8192)
def _tokens(path: str) -> tuple[tuple[str, int | None], ...]:
    # Cached: progress() reads every answer of the case at every save, by the same few paths.
    found = []
    for part in path.split("."):
        m = _TOKEN.fullmatch(part)
        if m is None:
            raise ValueError(f"not a draft path: {path!r}")
        found.append((m[1], int(m[2]) if m[2] is not None else None))
    return tuple(found)


def _copy(node: Any) -> Any:
    """A deep copy of plain JSON (what a draft is), several times faster than copy.deepcopy."""
    if isinstance(node, dict):
        return {k: _copy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_copy(v) for v in node]
    return copy.deepcopy(node) if not isinstance(node, str | int | float | bool | None) else node


def get(draft: Draft, path: str) -> Any:
    """The raw answer at ``path`` ("" when never answered)."""
    node: Any = draft
    for name, index in _tokens(path):
        node = node.get(name) if isinstance(node, dict) else None
        if index is not None:
            node = node[index] if isinstance(node, list) and index < len(node) else None
        if node is None:
            return ""
    return node


def _put(draft: Draft, path: str, value: Any) -> None:
    tokens = _tokens(path)
    node: Any = draft
    for i, (name, index) in enumerate(tokens):
        last = i == len(tokens) - 1
        if index is None:
            if last:
                node[name] = value
                return
            node = node.setdefault(name, {})
            continue
        items = node.setdefault(name, [])
        while len(items) <= index:
            items.append({})
        if last:
            items[index] = value
            return
        node = items[index]


def _entries(draft: Draft, root: str) -> list[Any]:
    found = get(draft, root)
    if isinstance(found, list):
        return found
    _put(draft, root, [])
    result: list[Any] = get(draft, root)
    return result


def visible(cond: Condition | None, draft: Draft) -> bool:
    if cond is None:
        return True
    for path in cond.paths:
        raw = get(draft, path)
        # Compared as _parse reads it ("Yes" is yes), so a shown answer is never the one dropped.
        if (raw.strip().lower() if isinstance(raw, str) else "") in cond.values:
            return True
    return False


def visible_steps(draft: Draft) -> list[Step]:
    return [step for step in PLAN if visible(step.show_if, draft)]


# The blocks of a screen depend only on the screen and its number of entries, and are immutable:
# made once (progress() asks for every screen at every save). Keyed by identity; the step is kept
# in the value so that its id cannot be reused by another object.
_BLOCKS: dict[tuple[int, int], tuple[Step, tuple[Block, ...]]] = {}


def step_blocks(step: Step, draft: Draft) -> tuple[Block, ...]:
    found = get(draft, step.root) if step.repeating else None
    count = len(found) if isinstance(found, list) else 0
    cached = _BLOCKS.get((id(step), count))
    if cached is None or cached[0] is not step:
        if len(_BLOCKS) > 1024:  # a list grown entry by entry caches every length: bounded
            _BLOCKS.clear()
        cached = _BLOCKS[(id(step), count)] = (step, blocks(step, count))
    return cached[1]


def warm_up() -> None:
    """Make every screen's questions now (~0.2 s), not in a user's first request to a server."""
    for step in PLAN:
        draft: Draft = {}
        if step.repeating:
            _put(draft, step.root, [{}])  # a list's questions are made per entry
        step_blocks(step, draft)


def questions_of(step: Step, draft: Draft, *, only_visible: bool = True) -> list[Question]:
    """The questions of a screen, in order; by default only those that apply now."""
    found: list[Question] = []
    for block in step_blocks(step, draft):
        if isinstance(block, Group):
            if only_visible and not visible(block.show_if, draft):
                continue
            found.extend(
                q for q in block.questions if not only_visible or visible(q.show_if, draft)
            )
        elif not only_visible or visible(block.show_if, draft):
            found.append(block)
    return found


def read_form(step: Step, draft: Draft, data: Mapping[str, str]) -> Draft:
    """A new draft with the answers of ``step`` taken from a submitted form.

    Every question of the screen is read, those hidden by a condition included: the form shows
    them (without JavaScript nothing can hide them), so what was typed there is kept — all but
    U+0000, which no keyboard types and PostgreSQL cannot store in JSON.

    The parts of the draft the screen does not touch are shared with ``draft``, not copied (a
    save is answered faster: issue 3's latency target); neither draft may be changed in place
    afterwards, except through functions of this module, which copy what they change.
    """
    questions = questions_of(step, draft, only_visible=False)
    touched = {_tokens(q.path)[0][0] for q in questions} | {"meta"}
    new: Draft = {k: (_copy(v) if k in touched else v) for k, v in draft.items()}
    if step.toggle is not None:
        toggle = data.get(f"meta.{step.toggle.key}", "").replace("\x00", "")
        new.setdefault("meta", {})[step.toggle.key] = toggle
    for q in questions:
        raw = data.get(q.name, "").replace("\x00", "")
        if q.kind == "textarea":
            raw = raw.replace("\r\n", "\n")
        _put(new, q.path, raw)
    meta = new.setdefault("meta", {})
    meta["visited"] = sorted({*meta.get("visited", []), step.slug})
    meta["last_step"] = step.slug
    return new


def apply_action(step: Step, draft: Draft, action: str) -> Draft:
    """Add, remove or move an entry of a repeating screen: "add", "remove-2", "up-2", "down-2"."""
    if not step.repeating:
        return draft
    new: Draft = _copy(draft)
    items = _entries(new, step.root)
    verb, _, number = action.partition("-")
    if verb == "add":
        items.append({})
        return new
    if not (number.isascii() and number.isdigit()) or int(number) >= len(items):
        return new
    i = int(number)
    if verb == "remove":
        items.pop(i)
    elif verb == "up" and i > 0:
        items[i - 1], items[i] = items[i], items[i - 1]
    elif verb == "down" and i + 1 < len(items):
        items[i + 1], items[i] = items[i], items[i + 1]
    return new


def _parse(q: Question, raw: str) -> tuple[Any, str | None]:
    raw = raw if isinstance(raw, str) else ""
    text = raw.strip()
    if q.kind == "text":
        return text, None
    if q.kind == "textarea":
        return raw.strip("\n").rstrip(), None
    if q.kind == "lines":
        return [line.strip() for line in raw.splitlines() if line.strip()], None
    if q.kind == "checkbox":
        return text.lower() in _TRUE, None
    if not text:
        return None, None
    if q.kind == "yes_no":
        return (
            ({"yes": True, "no": False}.get(text.lower()), None)
            if text.lower()
            in (
                "yes",
                "no",
            )
            else (None, YES_NO_ERROR)
        )
    if q.kind == "choice":
        return (text, None) if text in {v for v, _ in q.choices} else (None, CHOICE_ERROR)
    if q.kind == "date":
        return _parse_date(text)
    return _parse_month(text)


def _parse_date(text: str) -> tuple[dt.date | None, str | None]:
    us, iso = _US_DATE.match(text), _ISO_DATE.match(text)
    try:
        if us:
            return dt.date(int(us[3]), int(us[1]), int(us[2])), None
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3])), None
    except ValueError:
        pass
    return None, DATE_ERROR


def _parse_month(text: str) -> tuple[str | None, str | None]:
    if text.lower() == "present":
        return "present", None
    us, iso = _US_MONTH.match(text), _ISO_MONTH.match(text)
    year, month = (int(us[2]), int(us[1])) if us else (int(iso[1]), int(iso[2])) if iso else (0, 0)
    if 1 <= month <= 12 and year >= 1:
        return f"{year:04d}-{month:02d}", None
    return None, MONTH_ERROR


def format_errors(step: Step, draft: Draft) -> dict[str, str]:
    """Answers of ``step`` that cannot be read (a date that is not a date), by path."""
    errors: dict[str, str] = {}
    for q in questions_of(step, draft):
        _, error = _parse(q, get(draft, q.path))
        if error:
            errors[q.path] = error
    return errors


@dataclass(frozen=True)
class Built:
    """The application made of the answers that apply, or the answers that stop it.

    ``app`` is None only when the answers cannot make an application at all; answers that cannot
    be read are in ``errors`` (by draft path) and left out of ``app``. Entries left blank are
    left out of the application's lists: ``positions`` maps each list's application positions
    to draft positions, and ``draft_path`` turns an application path back into a draft path.
    """

    app: Application | None
    errors: dict[str, str]
    positions: dict[str, list[int]] = field(default_factory=dict)

    def draft_path(self, path: str) -> str:
        for root, kept in self.positions.items():
            prefix = root + "["
            if path.startswith(prefix):
                index, _, rest = path[len(prefix) :].partition("]")
                if index.isdigit() and int(index) < len(kept):
                    return f"{root}[{kept[int(index)]}]{rest}"
        return path


def _blank(value: Any) -> bool:
    return value in (None, "", [], False)


def build(draft: Draft) -> Built:
    """The ``Application`` the draft describes; every unreadable answer is named by its path."""
    data: dict[str, Any] = {"applicant": {"last_name": "", "first_name": ""}}
    errors: dict[str, str] = {}
    for step in visible_steps(draft):
        for block in step_blocks(step, draft):
            if isinstance(block, Group) and not visible(block.show_if, draft):
                continue
            questions = block.questions if isinstance(block, Group) else (block,)
            values = {}
            for q in questions:
                if not visible(q.show_if, draft):
                    continue
                value, error = _parse(q, get(draft, q.path))
                if error:
                    errors[q.path] = error
                values[q.path] = value
            if isinstance(block, Group) and all(_blank(v) for v in values.values()):
                continue  # an entry or a parent left entirely blank is not an answer
            for path, value in values.items():
                _put(data, path, value)
    positions: dict[str, list[int]] = {}
    for step in visible_steps(draft):
        if step.repeating:  # entries left blank leave holes: close them, keeping the order
            items = get(data, step.root)
            if isinstance(items, list):
                positions[step.root] = [i for i, item in enumerate(items) if item]
                _put(data, step.root, [item for item in items if item])
    try:
        return Built(Application.model_validate(data), errors, positions)
    except ValidationError as exc:
        for err in exc.errors():
            path = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in err["loc"])
            errors.setdefault(path.replace(".[", "["), err["msg"])
        return Built(None, errors, positions)


@dataclass(frozen=True)
class PartProgress:
    part: str
    answered: int
    total: int

    @property
    def percent(self) -> int:
        # Rounded down: 199 of 200 is not 100%.
        return 100 * self.answered // self.total if self.total else 100


def _step_counts(step: Step, draft: Draft) -> tuple[int, int]:
    visited = step.slug in draft.get("meta", {}).get("visited", [])
    answered = total = 0
    if step.toggle is not None:
        total += 1
        answered += bool(draft.get("meta", {}).get(step.toggle.key))
    questions = questions_of(step, draft)
    if step.repeating and not questions:
        return answered + visited, total + 1  # an empty list is an answer once it was seen
    for q in questions:
        total += 1
        raw = get(draft, q.path)
        if str(raw).strip():
            answered += 1
        elif visited and (q.kind == "checkbox" or q.path.rsplit(".", 1)[-1] not in REQUIRED):
            # Left empty on a saved screen where empty is an answer: no A-Number ("NONE" on
            # the form), an unticked box. The checker's required answers never count so.
            answered += 1
    return answered, total


def progress(draft: Draft) -> tuple[list[PartProgress], PartProgress]:
    """Answered and total questions per Part, and overall, counting only those that apply."""
    parts: dict[str, list[int]] = {}
    for step in visible_steps(draft):
        answered, total = _step_counts(step, draft)
        counts = parts.setdefault(step.part, [0, 0])
        counts[0] += answered
        counts[1] += total
    per_part = [PartProgress(part, a, t) for part, (a, t) in parts.items()]
    overall = PartProgress("all", sum(p.answered for p in per_part), sum(p.total for p in per_part))
    return per_part, overall


def _raw(value: Any, q: Question) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return ("on" if value else "") if q.kind == "checkbox" else ("yes" if value else "no")
    if isinstance(value, dt.date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if q.kind == "month_year" and isinstance(value, str) and _ISO_MONTH.match(value):
        year, month = value.split("-")
        return f"{month}/{year}"
    return str(value)


def from_application(app: Application) -> Draft:
    """A draft holding every answer of ``app`` (to start from a case file, e.g. an example)."""
    dumped = app.model_dump()
    draft: Draft = {
        "meta": {
            "has_children": "yes" if app.children else "no",
            "mailing_different": "yes" if app.applicant.mailing_address is not None else "no",
            # A complete case file counts as seen: every screen was answered outside the UI.
            "visited": sorted(step.slug for step in PLAN),
        }
    }
    # Every screen, hidden or not, so that a spouse given with marital status "single" is kept.
    for step in PLAN:
        if step.repeating:
            _put(draft, step.root, [{} for _ in get(dumped, step.root) or []])
        for q in questions_of(step, draft, only_visible=False):
            _put(draft, q.path, _raw(get(dumped, q.path), q))
    return draft
