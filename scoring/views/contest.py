"""Contest pages: the list, a contest (its panel, rule and prizes; a judge's own progress; the
results once the person may read them) and a judge's score sheet of one entrant."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import require_access
from portal.forms import form_page

from ..contest_forms import ContestForm
from ..engine import ScoreInputError
from ..explain import input_error_text
from ..models import Contest
from ..selectors import contest as selectors
from ..services.contest import contest_setup_create, contest_setup_update, judge_marks_save


def contest_or_404(request, contest_id: int, perm: str = "scoring.view_contest") -> Contest:
    """A contest of the user's province the user may open (else 404), and may `perm` (else 403)."""
    return require_access(request.user, selectors.contest_of(contest_id), view_perm="scoring.view_contest", perm=perm)


@login_required
def contest_list(request):
    context = {
        "contests": selectors.contests_of(request.user),
        "may_add": request.user.has_perm("scoring.add_contest") and request.user.province_id is not None,
    }
    return render(request, "scoring/contest_list.html", context)


@login_required
def contest_create(request):
    """The organiser opens a contest: its period of the year, sets, rule, prizes, entrants, panel."""
    user = request.user
    if not user.has_perm("scoring.add_contest") or user.province is None:
        raise PermissionDenied
    form = ContestForm(request.POST or None, province=user.province, initial={"year": timezone.localdate().year})
    return form_page(
        request,
        "scoring/contest_form.html",
        form,
        lambda: contest_setup_create(province=user.province, setup=form.setup(), by=user),
        done=_("The contest is set up. Move it to its marking phase on the period's page."),
        next_url=lambda contest: reverse("scoring:contest", args=[contest.pk]),
    )


@login_required
def contest_edit(request, contest_id: int):
    """The organiser changes a contest until it is final (sets and year only before any mark)."""
    contest = contest_or_404(request, contest_id, "scoring.manage_contest")
    province = contest.period.province
    form = ContestForm(
        request.POST or None, province=province, contest=contest, initial=ContestForm.initial_of(contest)
    )
    return form_page(
        request,
        "scoring/contest_form.html",
        form,
        lambda: contest_setup_update(contest=contest, setup=form.setup(), by=request.user),
        done=_("Changes saved."),
        next_url=lambda _saved: reverse("scoring:contest", args=[contest.pk]),
        context={"contest": contest},
    )


@login_required
def contest_detail(request, contest_id: int):
    contest = contest_or_404(request, contest_id)
    user = request.user
    judge = contest.judge_for(user)
    results = selectors.contest_results(contest) if user.has_perm("scoring.view_contest_results", contest) else None
    context = {
        "contest": contest,
        "period": contest.period,
        "data": selectors.contest_set(contest),
        "further_sets": [each for each, _groups in contest.period.sets()[1:]],
        "judges": results.judges if results else selectors.contest_judges(contest),
        "judge": judge,
        "progress": selectors.judge_progress(contest, judge) if judge else None,
        "results": results,
        "may_mark": user.has_perm("scoring.mark_contest", contest),
        "may_manage": user.has_perm("scoring.manage_contest", contest),
    }
    return render(request, "scoring/contest_detail.html", context)


@login_required
def contest_sheet(request, contest_id: int, dossier_id: int):
    """A judge's own marks on one entrant; POST saves the whole sheet (all or nothing)."""
    contest = contest_or_404(request, contest_id, "scoring.judge_contest")
    dossier = selectors.contest_entrant_or_none(contest, dossier_id)
    if dossier is None:
        raise Http404
    judge = contest.judge_for(request.user)
    may_mark = request.user.has_perm("scoring.mark_contest", contest)
    if request.method == "POST":
        if not may_mark:
            raise PermissionDenied
        nodes = selectors.sheet_nodes(selectors.entrant_set(contest, dossier).spec)
        marks = {n.code: request.POST.get(f"mark_{n.code}", "") for n in nodes if f"mark_{n.code}" in request.POST}
        comments = {n.code: request.POST.get(f"comment_{n.code}", "") for n in nodes}
        try:
            judge_marks_save(
                contest=contest, judge=judge, dossier=dossier, marks=marks, comments=comments, by=request.user,
                reason=request.POST.get("reason", ""),
            )  # fmt: skip
        except ScoreInputError as error:
            messages.error(request, f"{error.params.get('criterion', '')}: {input_error_text(error)}")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your marks are saved."))
            return redirect("scoring:contest_sheet", contest.pk, dossier.pk)
    rows = selectors.judge_sheet(contest, judge, dossier)
    context = {
        "contest": contest,
        "period": contest.period,
        "dossier": dossier,
        "judge": judge,
        "rows": rows,
        "total": selectors.judge_total(contest, judge, rows, dossier),
        "may_mark": may_mark,
    }
    return render(request, "scoring/contest_sheet.html", context)
