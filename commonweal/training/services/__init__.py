"""Writes for training, one module per step: authoring courses, cohorts, learning, erasure.

Every public name stays importable from the package (`from commonweal.training import
services; services.enrol(...)`), and `member_erase` is found here by members' erasure."""

from ._common import MAX_CHOICES, MAX_FEEDBACK, MAX_QUESTIONS, MAX_REFLECTION, MAX_TEXT, MAX_TITLE
from .authoring import (
    case_attach,
    case_detach,
    course_create,
    course_draft,
    course_publish,
    course_withdraw,
    module_move,
    module_remove,
    module_save,
)
from .cohorts import cohort_close, cohort_create, session_schedule
from .erasure import member_erase
from .learning import (
    check_answer,
    enrol,
    enrolment_leave,
    enrolment_move,
    module_done,
    reflection_feedback,
    reflection_write,
)

__all__ = [
    "MAX_CHOICES",
    "MAX_FEEDBACK",
    "MAX_QUESTIONS",
    "MAX_REFLECTION",
    "MAX_TEXT",
    "MAX_TITLE",
    "case_attach",
    "case_detach",
    "check_answer",
    "cohort_close",
    "cohort_create",
    "course_create",
    "course_draft",
    "course_publish",
    "course_withdraw",
    "enrol",
    "enrolment_leave",
    "enrolment_move",
    "member_erase",
    "module_done",
    "module_move",
    "module_remove",
    "module_save",
    "reflection_feedback",
    "reflection_write",
    "session_schedule",
]
