"""What the rest of the house uses of the partners context: one import path for the web pages,
the demo, matching and the tests outside `partners`.

Only the services (writes) and selectors (reads) of the sub-packages are re-exported here:

- `programs`: programs, eligibility, qualification, training;
- `cases`: cases, contacts, escalation, the dashboard and the reports;
- `integration`: API keys and webhook endpoints.

Django's own entry points keep their usual places: models in `partners.models`, vocabularies
in `partners.states`, the HTTP routers in `partners.api` and `partners.integration_api`, the
worker's tick in `partners.tasks`.
"""

from __future__ import annotations

from .access import get_case_for_partner, get_partner_for, member_role, partners_of, require_admin
from .cases.contacts import case_contact_confirm, cases_for_token
from .cases.dashboard import (
    CaseTableFilters,
    case_photo,
    case_photos,
    case_rows,
    case_table,
    case_timeline,
    programs_with_services,
    region_choices,
)
from .cases.escalation import case_escalate_by_helper
from .cases.reports import ReportFilters, csv_rows, partner_report
from .cases.selectors import case_details_for_helper, case_get
from .cases.services import CANCELLABLE, case_cancel, case_create, case_note_add
from .cases.sla import past_sla
from .integration.keys import api_key_create, api_key_revoke, api_key_rotate
from .integration.selectors import delivery_log, endpoint_list, webhook_backlog
from .integration.services import (
    delivery_redeliver,
    endpoint_create,
    endpoint_delete,
    endpoint_disable,
    endpoint_enable,
    endpoint_rotate_secret,
)
from .programs.selectors import (
    Eligibility,
    get_program_for_helper,
    program_list,
    program_list_for_helper,
    qualification_eligibility,
)
from .programs.services import (
    qualification_apply,
    qualification_approve,
    qualification_pool_sync,
    qualification_revoke,
)
from .programs.training import (
    QuestionView,
    get_lesson_for_helper,
    lesson_progress,
    lesson_questions,
    quiz_submit,
)

__all__ = [
    "CANCELLABLE",
    "CaseTableFilters",
    "Eligibility",
    "QuestionView",
    "ReportFilters",
    "api_key_create",
    "api_key_revoke",
    "api_key_rotate",
    "case_cancel",
    "case_contact_confirm",
    "case_create",
    "case_details_for_helper",
    "case_escalate_by_helper",
    "case_get",
    "case_note_add",
    "case_photo",
    "case_photos",
    "case_rows",
    "case_table",
    "case_timeline",
    "cases_for_token",
    "csv_rows",
    "delivery_log",
    "delivery_redeliver",
    "endpoint_create",
    "endpoint_delete",
    "endpoint_disable",
    "endpoint_enable",
    "endpoint_list",
    "endpoint_rotate_secret",
    "get_case_for_partner",
    "get_lesson_for_helper",
    "get_partner_for",
    "get_program_for_helper",
    "lesson_progress",
    "lesson_questions",
    "member_role",
    "partner_report",
    "partners_of",
    "past_sla",
    "program_list",
    "program_list_for_helper",
    "programs_with_services",
    "qualification_apply",
    "qualification_approve",
    "qualification_eligibility",
    "qualification_pool_sync",
    "qualification_revoke",
    "quiz_submit",
    "region_choices",
    "require_admin",
    "webhook_backlog",
]
