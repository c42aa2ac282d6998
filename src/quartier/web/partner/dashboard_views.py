"""The partner dashboard: cases (filters, SLA, detail, notes, cancel) and reports (+ CSV).

Members of the partner and operators only; anyone else gets a 404 (no enumeration).
Analysts read; writing (notes, cancel) needs the admin role (403 otherwise).
"""

from __future__ import annotations

import csv
import mimetypes
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from quartier.dispatch.backlog import partner_dispatch_summary
from quartier.errors import QuartierError
from quartier.money import format_money
from quartier.partners.facade import (
    CANCELLABLE,
    CaseTableFilters,
    ReportFilters,
    case_cancel,
    case_get,
    case_note_add,
    case_photo,
    case_photos,
    case_rows,
    case_table,
    case_timeline,
    csv_rows,
    get_case_for_partner,
    partner_report,
    partners_of,
    programs_with_services,
    region_choices,
    require_admin,
)
from quartier.partners.models import Partner

from ..access import actor_of, member_view
from ..service_errors import add_to_form, friendly
from .charts import bar_chart
from .forms import CancelForm, CaseFilterForm, NoteForm, ReportFilterForm
from .membership import page_context, visited_partner

PAGE_SIZE = 50


@member_view
def partner_index(request: HttpRequest) -> HttpResponse:
    """The "Partner" link: straight to the one partner, else a choice."""
    partners = partners_of(actor_of(request))
    if not partners:
        raise Http404
    if len(partners) == 1:
        return redirect("web:partner_dashboard", partners[0].slug)
    return render(request, "web/partner/index.html", {"partners": partners})


@member_view
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    partner, is_admin = visited_partner(request, slug)
    programs = programs_with_services(partner)
    form = CaseFilterForm(request.GET or None, programs=programs, regions=region_choices(partner))
    data = form.cleaned_data if form.is_valid() else {}
    filters = CaseTableFilters(
        **{k: v for k, v in data.items() if v not in (None, "")}  # empty = no filter
    )
    now = timezone.now()
    page = Paginator(case_table(partner, filters, now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = case_rows(page.object_list, now=now)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/partner/dashboard.html",
        page_context(
            partner,
            is_admin,
            form=form,
            page=page,
            rows=rows,
            query=query.urlencode(),
            dispatch=partner_dispatch_summary(partner_id=partner.pk),
        ),
    )


@member_view
def case_detail(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    partner, is_admin = visited_partner(request, slug)
    return _render_case(request, partner, is_admin, case_id, NoteForm(), CancelForm())


def _render_case(
    request: HttpRequest,
    partner: Partner,
    is_admin: bool,
    case_id: int,
    note_form: NoteForm,
    cancel_form: CancelForm,
    status: int = 200,
) -> HttpResponse:
    view = case_get(partner, case_id)  # NotFound outside the partner
    case = get_case_for_partner(partner, case_id)
    context = page_context(
        partner,
        is_admin,
        case=view,
        timeline=case_timeline(case),
        photos=case_photos(case),
        note_form=note_form,
        cancel_form=cancel_form,
        price=format_money(view.price_minor, view.currency, locale=get_language()),
        cancellable=view.state in CANCELLABLE,
    )
    return render(request, "web/partner/case.html", context, status=status)


@require_POST
@member_view
def case_note(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    actor = actor_of(request)
    partner, is_admin = visited_partner(request, slug)
    require_admin(actor, partner)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            case_note_add(
                partner=partner, case_id=case_id, text=form.cleaned_data["text"], author=actor
            )
        except QuartierError as error:
            if error.status == 404:
                raise
            add_to_form(form, error)
        else:
            messages.success(request, gettext("Your note is added."))
            return redirect("web:partner_case", slug, case_id)
    return _render_case(request, partner, is_admin, case_id, form, CancelForm(), status=422)


@require_POST
@member_view
def case_cancel_view(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    actor = actor_of(request)
    partner, _ = visited_partner(request, slug)
    require_admin(actor, partner)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        case_cancel(partner=partner, case_id=case_id, reason=reason)
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, friendly(error))
    else:
        messages.success(request, gettext("The case is cancelled."))
    return redirect("web:partner_case", slug, case_id)


@member_view
def case_photo_view(request: HttpRequest, slug: str, case_id: int, photo_id: int) -> HttpResponse:
    """An escalation photo, served only to the partner (never from a public media URL)."""
    partner, _ = visited_partner(request, slug)
    photo = case_photo(get_case_for_partner(partner, case_id), photo_id)
    if photo is None:
        raise Http404
    with photo.image.open("rb") as image:  # at most 8 MB (escalation.photos_check)
        content = image.read()
    kind = mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=kind)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _report_filters(request: HttpRequest, partner: Partner) -> tuple[ReportFilterForm, Any]:
    programs = programs_with_services(partner)
    form = ReportFilterForm(request.GET or None, programs=programs)
    data = form.cleaned_data if form.is_valid() else {}
    since, until = data.get("since"), data.get("until")
    if since is None and until is None:  # the last half year by default
        since = (timezone.localdate() - timedelta(days=182)).replace(day=1)
    filters = ReportFilters(
        period=data.get("period") or "week",
        since=since,
        until=until,
        program=data.get("program") or None,
    )
    return form, filters


@member_view
def reports(request: HttpRequest, slug: str) -> HttpResponse:
    partner, is_admin = visited_partner(request, slug)
    form, filters = _report_filters(request, partner)
    report = partner_report(partner, filters)
    period_word = gettext("month") if filters.period == "month" else gettext("week")
    charts = [
        bar_chart(
            chart_id="chart-volume",
            title=gettext("Cases per %(period)s") % {"period": period_word},
            description=gettext("Number of cases created in each period; figures in the table."),
            points=[(f"{t.period_start:%d.%m.}", t.volume, str(t.volume)) for t in report.totals],
            whole=True,
        )
    ]
    for currency in report.currencies:
        charts.append(
            bar_chart(
                chart_id=f"chart-cost-{currency.lower()}",
                title=gettext("Technician cost avoided (%(currency)s)") % {"currency": currency},
                description=gettext(
                    "Cases resolved by helpers times the program's technician cost, per period."
                ),
                points=[
                    (
                        f"{t.period_start:%d.%m.}",
                        t.cost_avoided_minor.get(currency, 0),
                        format_money(
                            t.cost_avoided_minor.get(currency, 0), currency, locale=get_language()
                        ),
                    )
                    for t in report.totals
                ],
                axis_text=lambda minor: number_format(minor / 100, 0, force_grouping=True),
            )
        )
    waits = [r.first_offer_median_minutes for r in report.rows]
    # One unit for the whole column: "112 min" beside "2.1 h" reads as a smaller figure.
    wait_unit = "h" if any(w is not None and w >= 120 for w in waits) else "min"
    return render(
        request,
        "web/partner/reports.html",
        page_context(
            partner,
            is_admin,
            form=form,
            report=report,
            charts=charts,
            query=request.GET.urlencode(),
            wait_unit=wait_unit,
            cost_rows=[
                (row, format_money(row.cost_avoided_minor, row.currency, locale=get_language()))
                for row in report.rows
            ],
        ),
    )


@member_view
def reports_csv(request: HttpRequest, slug: str) -> HttpResponse:
    partner, _ = visited_partner(request, slug)
    _, filters = _report_filters(request, partner)
    report = partner_report(partner, filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{partner.slug}-report-{filters.period}-{stamp}.csv"'
    )
    writer = csv.writer(response)
    writer.writerows(csv_rows(report))
    return response
