from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hjulet.core import temporary_uploads as uploads
from hjulet.core.forms import add_service_errors, render_form, submit_form

from . import analysis, selectors, services
from .answers import allowed_choices, clean_answers, evaluate_answers
from .charts import bar_chart
from .forms import (
    AccessForm,
    BlockForm,
    CodeForm,
    InviteForm,
    OrganisationFilterForm,
    QuestionForm,
    ReportForm,
    SegmentForm,
    SurveyForm,
    XLSFormUploadForm,
)
from .models import (
    Code,
    Question,
    QuestionType,
    Report,
    ReportBlock,
    Response,
    Survey,
    SurveyAccess,
)
from .xlsform import parse_xlsform

UPLOAD_PURPOSE = "surveys.xlsform"
LEGACY_SESSION_UPLOAD = "surveys_xlsform_upload"


def _survey_to_manage(request: HttpRequest, slug: str) -> Survey:
    survey = selectors.survey_to_see(request.user, slug)
    if not services.can_manage(request.user, survey):
        raise PermissionDenied(
            _(
                "Only coordinators and the administrators of the organisation behind the survey "
                "can do this."
            )
        )
    return survey


def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = selectors.surveys_for(request.user) if request.user.is_authenticated else []
    return render(
        request,
        "surveys/survey_list.html",
        {"surveys": surveys, "reports": selectors.published_reports()},
    )


@login_required
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, user=request.user)
    survey = submit_form(
        request,
        form,
        lambda _version, **data: services.survey_create(actor=request.user, **data),
    )
    if survey is not None:
        messages.success(request, _("The survey is created. Add its questions."))
        return redirect("surveys:detail", slug=survey.slug)
    return render_form(request, "surveys/survey_form.html", {"form": form})


@login_required
def survey_update(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey_to_manage(request, slug)
    form = SurveyForm(request.POST or None, instance=survey, user=request.user)
    saved = submit_form(
        request,
        form,
        lambda version, **data: services.survey_update(
            actor=request.user, survey=survey, expected_version=version, **data
        ),
    )
    if saved is not None:
        messages.success(request, _("The survey is saved."))
        return redirect("surveys:detail", slug=survey.slug)
    return render_form(request, "surveys/survey_form.html", {"form": form, "survey": survey})


@login_required
def survey_import(request: HttpRequest) -> HttpResponse:
    """Upload an XLSForm: check it and show a preview (or every problem by sheet and row);
    the import itself is a second step from the preview. The file waits in the temporary
    store (core/temporary_uploads.py) under a key the preview's form carries, not in the session."""
    request.session.pop(LEGACY_SESSION_UPLOAD, None)  # a file kept there by older versions
    form = XLSFormUploadForm(request.POST or None, request.FILES or None, user=request.user)
    parsed = None
    upload_key = ""
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        data = file.read()
        parsed = parse_xlsform(data)
        if parsed.ok:
            upload_key = uploads.keep(
                user=request.user,
                purpose=UPLOAD_PURPOSE,
                content=data,
                filename=file.name or "",
                meta={
                    "organisation": form.cleaned_data["organisation"].pk,
                    "title": form.cleaned_data["title"],
                },
            )
        else:
            form.add_error(
                "file", _("The form cannot be imported. Nothing has been saved; see the list.")
            )
    status = 400 if form.errors else 200
    return render(
        request,
        "surveys/import.html",
        {"form": form, "parsed": parsed, "problems": _problems(parsed), "upload_key": upload_key},
        status=status,
    )


def _problems(parsed) -> list[str]:
    return [services.problem_text(p) for p in parsed.problems] if parsed else []


@login_required
@require_POST
def survey_import_commit(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("upload", "")
    try:
        upload = uploads.take(user=request.user, purpose=UPLOAD_PURPOSE, key=key)
    except uploads.UploadGone as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:import")
    organisation = services.Organisation.objects.filter(pk=upload.meta.get("organisation")).first()
    if organisation is None:
        messages.error(request, _("The organisation no longer exists. Upload the form again."))
        return redirect("surveys:import")
    try:
        survey = services.survey_import_xlsform(
            actor=request.user,
            organisation=organisation,
            data=bytes(upload.content),
            title=upload.meta.get("title", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:import")
    uploads.discard(user=request.user, key=key)
    messages.success(request, _("The form is imported as a draft survey."))
    return redirect("surveys:detail", slug=survey.slug)


@login_required
def survey_detail(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.survey_to_see(request.user, slug)
    can_manage = services.can_manage(request.user, survey)
    can_read = services.can_read_answers(request.user, survey)
    anonymous_url = (
        request.build_absolute_uri(
            reverse("surveys:anonymous", args=[survey.slug, survey.anonymous_key])
        )
        if survey.anonymous_key and can_manage
        else ""
    )
    reports = survey.reports.all() if can_read else survey.reports.filter(is_published=True)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "questions": selectors.questions_of(survey),
            "can_manage": can_manage,
            "can_read": can_read,
            "n_submitted": selectors.submitted(survey).count(),
            "n_invited": survey.invitations.count(),
            "reports": reports,
            "anonymous_url": anonymous_url,
            "access_grants": survey.access_grants.all() if can_manage else [],
            "access_form": AccessForm() if can_manage else None,
        },
    )


@login_required
@require_POST
def access_grant(request: HttpRequest, slug: str) -> HttpResponse:
    """Give a research partner access to the raw answers (from the survey's page)."""
    survey = _survey_to_manage(request, slug)
    form = AccessForm(request.POST)
    if form.is_valid():
        try:
            access = services.survey_access_grant(
                actor=request.user, survey=survey, **form.cleaned_data
            )
            messages.success(
                request,
                _(
                    "%(email)s can read the answers once signed in with that address. "
                    "Tell them the survey's address."
                )
                % {"email": access.email},
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("surveys:detail", args=[survey.slug]) + "#access")


@login_required
@require_POST
def access_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = _survey_to_manage(request, slug)
    access = get_object_or_404(SurveyAccess, pk=pk, survey=survey)
    services.survey_access_revoke(actor=request.user, access=access)
    messages.success(
        request, _("%(email)s no longer has access to the answers.") % {"email": access.email}
    )
    return redirect(reverse("surveys:detail", args=[survey.slug]) + "#access")


@login_required
@require_POST
def survey_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    survey = _survey_to_manage(request, slug)
    actions = {
        "open": lambda: services.survey_open(actor=request.user, survey=survey),
        "close": lambda: services.survey_close(actor=request.user, survey=survey),
        "anonymous-on": lambda: services.survey_set_anonymous_link(
            actor=request.user, survey=survey, enabled=True
        ),
        "anonymous-off": lambda: services.survey_set_anonymous_link(
            actor=request.user, survey=survey, enabled=False
        ),
    }
    if action not in actions:
        return HttpResponse(status=404)
    try:
        actions[action]()
        messages.success(request, _("Done."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:detail", slug=survey.slug)


@login_required
def question_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    survey = _survey_to_manage(request, slug)
    question = get_object_or_404(Question, pk=pk, survey=survey) if pk else None
    form = QuestionForm(request.POST or None, instance=question, survey=survey)

    def save(version, **data):
        if question is None:
            return services.question_create(actor=request.user, survey=survey, **data)
        return services.question_update(
            actor=request.user, question=question, expected_version=version, **data
        )

    if request.method == "POST" and form.is_valid():
        # ModelForm validation has filled the instance; the service validates again.
        data = {name: form.cleaned_data[name] for name in form.cleaned_data}
        version = data.pop("version", None)
        if question is not None:
            question.refresh_from_db()
        try:
            save(version, **data)
            messages.success(request, _("The question is saved."))
            return redirect("surveys:detail", slug=survey.slug)
        except ValidationError as error:
            add_service_errors(form, error)
    return render_form(
        request,
        "surveys/question_form.html",
        {"form": form, "survey": survey, "question": question},
    )


@login_required
@require_POST
def question_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    survey = _survey_to_manage(request, slug)
    question = get_object_or_404(Question, pk=pk, survey=survey)
    try:
        if action == "up":
            services.question_move(actor=request.user, question=question, offset=-1)
        elif action == "down":
            services.question_move(actor=request.user, question=question, offset=1)
        elif action == "delete":
            services.question_delete(actor=request.user, question=question)
            messages.success(request, _("The question is removed."))
        else:
            return HttpResponse(status=404)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("surveys:detail", args=[survey.slug]) + "#questions")


def _picker(request: HttpRequest, picked_ids: list[str]) -> dict:
    """The organisation picker: the filters (a GET form), the organisations chosen so far and
    the matches not chosen yet (at most PICKER_LIMIT; "choose all" takes every match)."""
    filters = OrganisationFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    criteria = {k: v for k, v in criteria.items() if v}
    found = selectors.organisations_to_pick(**criteria)
    if criteria and "add_all" in request.GET:
        picked_ids = picked_ids + [str(pk) for pk in found.values_list("pk", flat=True)]
    picked = selectors.picked_organisations(picked_ids)
    matches = found.exclude(pk__in=[o.pk for o in picked])
    n_matches = matches.count()
    return {
        "filters": filters,
        "filtered": bool(criteria),
        "picked": picked,
        "matches": list(matches[: selectors.PICKER_LIMIT]),
        "n_matches": n_matches,
        "limit": selectors.PICKER_LIMIT,
    }


@login_required
def distribution(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey_to_manage(request, slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and "remind" in request.POST:
        try:
            count = services.invitations_remind(actor=request.user, survey=survey)
            messages.success(request, _("Reminders sent: %(count)s.") % {"count": count})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("surveys:distribution", slug=survey.slug)
    previewing = request.method == "POST" and "preview" in request.POST
    created = None
    if not previewing:
        created = submit_form(
            request,
            form,
            lambda _version, **data: services.invitations_send(
                actor=request.user,
                survey=survey,
                emails=data["emails"],
                organisations=data["organisations"],
            ),
        )
    elif not form.is_valid():
        previewing = False
    if created is not None:
        messages.success(request, _("Invitations sent: %(count)s.") % {"count": len(created)})
        return redirect("surveys:distribution", slug=survey.slug)
    picked_ids = (
        request.POST.getlist("organisations")
        if request.method == "POST"
        else request.GET.getlist("org")
    )
    picker = _picker(request, picked_ids)
    example = picker["picked"][0] if picker["picked"] else None
    subject, body = services.invitation_preview(
        actor=request.user, survey=survey, organisation=example
    )
    if not form.is_bound:
        form = InviteForm(initial={"organisations": [o.pk for o in picker["picked"]]})
    return render_form(
        request,
        "surveys/distribution.html",
        {
            "form": form,
            "survey": survey,
            "invitations": survey.invitations.select_related("organisation"),
            "picker": picker,
            "previewing": previewing,
            "recipients": form.cleaned_data if previewing else None,
            "mail_subject": subject,
            "mail_body": body,
        },
    )


# --- answering --------------------------------------------------------------------------


def anonymous_start(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The open link's welcome page: the introduction, the deadline, who asks and how the
    answers are used, and a start button. A closed, expired or withdrawn link is refused here
    already, before anyone starts."""
    survey = get_object_or_404(Survey.objects.select_related("organisation"), slug=slug)
    try:
        services.check_open_link(survey=survey, key=key)
        if request.method == "POST":
            token = services.response_start_anonymous(survey=survey, key=key)
            return redirect("surveys:answer", token=token)
    except services.LinkRefused as error:
        return _refused(request, error)
    asked = [q for q in selectors.questions_of(survey) if q.takes_answer]
    return render(
        request,
        "surveys/anonymous_start.html",
        {
            "survey": survey,
            "key": key,
            "n_questions": len(asked),
            "n_always": sum(1 for q in asked if not _conditional(q)),
        },
    )


def _conditional(question: Question) -> bool:
    """Asked only when a condition holds (its own or its group's)."""
    return bool(question.relevant or (question.group and question.group.relevant))


def _number(value: str | None) -> int:
    """A posted id, or 0 (which matches nothing) when it is not a number."""
    return int(value) if value and value.isdigit() else 0


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return render(
        request, "surveys/link_refused.html", {"message": " ".join(error.messages)}, status=410
    )


def _raw_answers(request: HttpRequest, questions: list[Question]) -> dict:
    raw = {}
    for question in questions:
        if question.type == QuestionType.SELECT_MULTIPLE:
            raw[question.name] = request.POST.getlist(question.name)
        else:
            raw[question.name] = request.POST.get(question.name, "")
    return raw


def _answer_items(questions: list[Question], answers: dict, errors: dict) -> list[dict]:
    values, shown = evaluate_answers(questions, answers)
    return [
        {
            "question": q,
            "value": answers.get(q.name),
            "values": answers.get(q.name) or [],
            "choices": _choices_shown(q, values),
            "error": errors.get(q.name),
            "hidden": q.name not in shown,
        }
        for q in questions
    ]


def _progress(items: list[dict]) -> dict:
    """How many of the questions shown so far have an answer (the page's script keeps the
    figure up to date as answers change)."""
    asked = [
        i
        for i in items
        if i["question"].takes_answer and not i["question"].is_calculated and not i["hidden"]
    ]
    answered = sum(1 for i in asked if i["value"] not in (None, "", []))
    return {"answered": answered, "total": len(asked)}


def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        response = services.response_for_token(token)
    except services.LinkRefused as error:
        return _refused(request, error)
    survey = response.survey
    questions = selectors.questions_of(survey)
    errors: dict[str, str] = {}
    answers = response.answers
    if request.method == "POST":
        submit = "submit" in request.POST
        raw = _raw_answers(request, questions)
        try:
            _saved, errors = services.response_save(token=token, raw=raw, submit=submit)
        except services.LinkRefused as error:
            return _refused(request, error)
        if not errors and submit:
            return render(request, "surveys/thanks.html", {"survey": survey})
        if not errors:
            messages.success(
                request,
                _(
                    "Your answers are saved. Use the same link to continue later (before the "
                    "deadline)."
                ),
            )
            return redirect("surveys:answer", token=token)
        answers = {name: value for name, value in raw.items() if value not in ("", [])}
    items = _answer_items(questions, answers, errors)
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "items": items,
            "errors": errors,
            "progress": _progress(items),
            "conditions_url": reverse("surveys:answer-conditions", args=[token]),
        },
        status=400 if errors else 200,
    )


@login_required
def survey_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The form as a respondent sees it, for those who manage the survey: the answers are
    checked as on submit, and nothing is stored."""
    survey = _survey_to_manage(request, slug)
    questions = selectors.questions_of(survey)
    answers: dict = {}
    errors: dict[str, str] = {}
    checked = False
    if request.method == "POST":
        raw = _raw_answers(request, questions)
        _cleaned, errors = clean_answers(questions, raw, submit="submit" in request.POST)
        answers = {name: value for name, value in raw.items() if value not in ("", [])}
        checked = not errors
    items = _answer_items(questions, answers, errors)
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "items": items,
            "errors": errors,
            "progress": _progress(items),
            "preview": True,
            "preview_checked": checked,
            "conditions_url": reverse("surveys:preview-conditions", args=[survey.slug]),
        },
        status=400 if errors else 200,
    )


def _choices_shown(question: Question, answers: dict) -> list:
    """Every choice, each marked ``shown`` when the choice filter lets it through (the page
    hides the others and updates them as answers change)."""
    if not question.has_choices:
        return []
    allowed = {c.pk for c in allowed_choices(question, answers)}
    choices = list(question.choices.all())
    for choice in choices:
        choice.shown = choice.pk in allowed
    return choices


def _conditions(request: HttpRequest, questions: list[Question]) -> JsonResponse:
    raw = _raw_answers(request, questions)
    answers = {}
    for question in questions:
        value = raw.get(question.name)
        if value not in (None, "", []):
            answers[question.name] = value
    values, shown = evaluate_answers(questions, answers)
    allowed = {q.name: allowed_choices(q, values) for q in questions if q.choice_filter}
    return JsonResponse(
        {
            "shown": sorted(shown),
            "hidden": sorted(q.name for q in questions if q.name not in shown),
            "choices": {name: [c.name for c in found] for name, found in allowed.items()},
            # Two choices in one list may share a value (a county named King in two
            # states): the page shows and hides choices by id, so only the King of the
            # state chosen is offered.
            "choice_ids": {name: [c.pk for c in found] for name, found in allowed.items()},
        }
    )


@require_POST
def answer_conditions(request: HttpRequest, token: str) -> HttpResponse:
    """Which questions to show for the answers typed so far (the page's script hides the
    others). The same evaluator decides on the server when the answers are saved."""
    try:
        response = services.response_for_token(token)
    except services.LinkRefused as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=410)
    return _conditions(request, selectors.questions_of(response.survey))


@login_required
@require_POST
def preview_conditions(request: HttpRequest, slug: str) -> HttpResponse:
    """The same as answer_conditions, for the coordinator's preview."""
    survey = _survey_to_manage(request, slug)
    return _conditions(request, selectors.questions_of(survey))


# --- results ----------------------------------------------------------------------------


@login_required
def results(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.survey_with_answers(request.user, slug)
    questions = selectors.questions_of(survey)
    form = SegmentForm(request.GET or None, questions=questions)
    table = selectors.load_table(survey, questions)
    crosstab = None
    if form.is_valid():
        table = table.segment(
            counties=form.cleaned_data["county"], sectors=form.cleaned_data["sector"]
        )
        row, col = form.cleaned_data["row"], form.cleaned_data["col"]
        if row and col and row != col:
            result = analysis.crosstab(table, row, col)
            by_name = {q.name: q for q in questions}
            row_labels = _option_labels(by_name[row], table.columns[row].options)
            crosstab = {
                "row": by_name[row],
                "col": by_name[col],
                "result": result,
                "row_labels": row_labels,
                "col_labels": _option_labels(by_name[col], table.columns[col].options),
                "lines": [
                    (label, list(result.counts[i]), int(result.counts[i].sum()))
                    for i, label in enumerate(row_labels)
                ],
                "col_totals": [int(x) for x in result.counts.sum(axis=0)],
            }
    views = selectors.question_views(questions, analysis.analyse(table))
    for view in views:
        view.chart = bar_chart(view.rows) if view.rows else None
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "form": form,
            "n": table.n,
            "views": views,
            "crosstab": crosstab,
            "can_manage": services.can_manage(request.user, survey),
            "codes": selectors.code_frequencies(survey),
            "free_text": selectors.free_text_answers(survey, questions),
        },
    )


def _option_labels(question: Question, options: list[str]) -> list[str]:
    """The label of each option value (the first choice's, where two share a value)."""
    labels: dict[str, str] = {}
    for choice in question.choices.all():
        labels.setdefault(choice.name, choice.label)
    return [labels.get(option, option) for option in options]


@login_required
def coding(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey_to_manage(request, slug)
    text_questions = list(survey.questions.filter(type=QuestionType.TEXT))
    question = next(
        (q for q in text_questions if str(q.pk) == request.GET.get("question")),
        text_questions[0] if text_questions else None,
    )
    code_form = CodeForm(request.POST if "new_code" in request.POST else None)
    if request.method == "POST":
        try:
            if "new_code" in request.POST:
                if code_form.is_valid():
                    services.code_create(
                        actor=request.user, survey=survey, label=code_form.cleaned_data["label"]
                    )
            else:
                if question is None:
                    raise Http404
                response = get_object_or_404(
                    Response, pk=_number(request.POST.get("response")), survey=survey
                )
                codes = list(
                    Code.objects.filter(
                        survey=survey, pk__in=[_number(v) for v in request.POST.getlist("codes")]
                    )
                )
                services.coding_set(
                    actor=request.user,
                    response=response,
                    question=question,
                    codes=codes,
                    factor=request.POST.get("factor", ""),
                )
            messages.success(request, _("Saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        url = reverse("surveys:coding", args=[survey.slug])
        return redirect(f"{url}?question={question.pk}" if question else url)
    return render(
        request,
        "surveys/coding.html",
        {
            "survey": survey,
            "text_questions": text_questions,
            "question": question,
            "answers": selectors.text_answers(survey, question) if question else [],
            "codes": list(survey.codes.all()),
            "code_form": code_form,
            "frequencies": selectors.code_frequencies(survey, question) if question else [],
            "factors": services.Coding._meta.get_field("factor").choices,
        },
    )


# --- reports ----------------------------------------------------------------------------


@login_required
def report_create(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey_to_manage(request, slug)
    form = ReportForm(request.POST or None)
    report = submit_form(
        request,
        form,
        lambda _version, **data: services.report_create(actor=request.user, survey=survey, **data),
    )
    if report is not None:
        return redirect("surveys:report-edit", slug=report.slug)
    return render_form(request, "surveys/report_form.html", {"form": form, "survey": survey})


def _report_to_manage(request: HttpRequest, slug: str) -> Report:
    report = get_object_or_404(Report.objects.select_related("survey__organisation"), slug=slug)
    if not services.can_manage(request.user, report.survey):
        raise PermissionDenied(_("Only the survey's managers can edit its reports."))
    return report


@login_required
def report_edit(request: HttpRequest, slug: str) -> HttpResponse:
    report = _report_to_manage(request, slug)
    survey = report.survey
    form = ReportForm(request.POST if "save_report" in request.POST else None, instance=report)
    block_form = BlockForm(request.POST if "add_block" in request.POST else None, survey=survey)
    added = None
    if request.method == "POST":
        done = None
        if "save_report" in request.POST:
            done = submit_form(
                request,
                form,
                lambda version, **data: services.report_update(
                    actor=request.user, report=report, expected_version=version, **data
                ),
            )
        elif "add_block" in request.POST:
            done = submit_form(
                request,
                block_form,
                lambda _version, **data: services.report_block_add(
                    actor=request.user, report=report, **data
                ),
            )
            if done is not None and request.htmx:
                # htmx swaps the builder in place: the new block shows without a reload.
                added = done
                block_form = BlockForm(survey=survey)
                done = None
        else:
            done = _report_action(request, report)
        if done is not None:
            return redirect("surveys:report-edit", slug=report.slug)
    blocks = _with_charts(selectors.report_blocks(report))
    context = {
        "report": report,
        "survey": survey,
        "form": form,
        "block_form": block_form,
        "blocks": blocks,
        "added": added,
    }
    status = 400 if form.errors or block_form.errors else 200
    if request.htmx and status == 400:
        status = 200  # htmx swaps only successful answers; the errors show in the form
    return render(request, "surveys/report_edit.html", context, status=status)


def _report_action(request: HttpRequest, report: Report) -> bool | None:
    try:
        if "publish" in request.POST:
            services.report_set_published(actor=request.user, report=report, published=True)
            messages.success(request, _("The report is published."))
        elif "unpublish" in request.POST:
            services.report_set_published(actor=request.user, report=report, published=False)
        elif "block" in request.POST:
            block = get_object_or_404(ReportBlock, pk=_number(request.POST["block"]), report=report)
            if "delete" in request.POST:
                services.report_block_delete(actor=request.user, block=block)
            else:
                offset = -1 if "up" in request.POST else 1
                services.report_block_move(actor=request.user, block=block, offset=offset)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return True


def _with_charts(blocks: list[dict]) -> list[dict]:
    for item in blocks:
        view = item.get("view")
        if view is not None and view.rows:
            item["chart"] = bar_chart(view.rows)
    return blocks


def report_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The report page: public once published, else only for those who see the results."""
    report = get_object_or_404(Report.objects.select_related("survey__organisation"), slug=slug)
    if not selectors.can_see_report(request.user, report):
        raise PermissionDenied(_("The report is not published yet."))
    blocks = _with_charts(selectors.report_blocks(report))
    return render(
        request,
        "surveys/report_detail.html",
        {
            "report": report,
            "blocks": blocks,
            "n": selectors.submitted(report.survey).count(),
            "can_manage": services.can_manage(request.user, report.survey),
        },
    )
