"""The guided interview, as data the web app (or any front end) renders.

    steps = visible_steps(draft)               # the screens that apply, in form order
    for block in step_blocks(step, draft): ... # questions, read from refugio.model
    draft = read_form(step, draft, form_data)  # keep every answer exactly as typed
    errors = format_errors(step, draft)        # answers that cannot be read, by model path
    built = build(draft)                       # -> Application for check() and fill()

The core stays free of any web framework: this package knows screens, questions, conditions and
drafts; the web app knows requests, sessions and templates.
"""

from refugio.interview.draft import (
    CHOICE_ERROR,
    DATE_ERROR,
    MONTH_ERROR,
    YES_NO_ERROR,
    Built,
    Draft,
    PartProgress,
    apply_action,
    build,
    format_errors,
    from_application,
    get,
    progress,
    questions_of,
    read_form,
    step_blocks,
    visible,
    visible_steps,
    warm_up,
)
from refugio.interview.plan import PLAN, Condition, Step, Toggle, step_by_slug
from refugio.interview.questions import CHOICE_LABELS, Block, Group, Question

__all__ = [
    "CHOICE_ERROR",
    "CHOICE_LABELS",
    "DATE_ERROR",
    "MONTH_ERROR",
    "PLAN",
    "YES_NO_ERROR",
    "Block",
    "Built",
    "Condition",
    "Draft",
    "Group",
    "PartProgress",
    "Question",
    "Step",
    "Toggle",
    "apply_action",
    "build",
    "format_errors",
    "from_application",
    "get",
    "progress",
    "questions_of",
    "read_form",
    "step_blocks",
    "step_by_slug",
    "visible",
    "visible_steps",
    "warm_up",
]
