"""A member's claims: the list, claiming by hand, the draft editor, the status page and its actions.

Every claim, credit and file is looked up through the member's own rows, so anyone
else's is a 404. Status and member are never read from what is posted: the
services decide, and their refusals are shown as they are worded.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from claims.enums import OPEN_CLAIM_STATES, ClaimStatus
from claims.forms.claims import (
    ClaimAnswerForm,
    ClaimDraftForm,
    ClaimSearchForm,
    ClaimStartForm,
    ClaimWithdrawForm,
    EvidenceUploadForm,
)
from claims.selectors.claims.member_claims import (
    claim_share_left,
    claim_timeline_for_member,
    member_claim_detail,
    member_claims,
    member_evidence,
    other_claimants,
)
from claims.selectors.discovery.training_sets import manifest_search
from claims.services.claims.evidence import MAX_EVIDENCE_FILES, EvidenceRefused, evidence_add
from claims.services.claims.filing import claim_answer as answer_claim
from claims.services.claims.filing import claim_draft_save, claim_start
from claims.services.claims.filing import claim_submit as submit_claim
from claims.services.claims.transitions import Actor, ClaimActionRefused, claim_transition
from members.permissions import member_required
from portal.errors import Refused
from portal.web import private_file_response

# Shown in the browser (images) or always downloaded (everything else: a PDF viewer will
# not run under the sandbox policy, and text must never be read as a page).
INLINE_TYPES = {"image/png": "png", "image/jpeg": "jpg"}
EXTENSIONS = {**INLINE_TYPES, "application/pdf": "pdf", "text/plain": "txt"}


def _actor(request) -> Actor:
    return Actor(user=request.user)


def _claim(member, pk):
    return get_object_or_404(member_claim_detail(member=member), pk=pk)


@member_required
def claim_list(request, *, member):
    return render(request, "claims/claims/claim_list.html", {"claims": member_claims(member=member)})


@member_required
def claim_new(request, *, member):
    """Claim by hand: pick a credit and a set, search its listing, tick entries, start the claim."""
    form = None
    if request.method == "POST":
        form = ClaimStartForm(request.POST, member=member)
        if form.is_valid():
            data = form.cleaned_data
            try:
                claim = claim_start(
                    member=member,
                    credit=data["credit"],
                    training_set=data["training_set"],
                    entries=data["entry_objects"],
                )
            except ClaimActionRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, f"Your claim {claim.number} is started. Check it and submit it below.")
                return redirect("claims:claim_detail", pk=claim.pk)
        elif form.has_error("credit", "invalid_choice"):
            raise Http404("No such credit")  # someone else's credit is simply not found
    search = ClaimSearchForm(request.POST if form else (request.GET or None), member=member)
    query, results = _search(search)
    return render(
        request, "claims/claims/claim_new.html", {"search": search, "form": form, "query": query, "results": results}
    )


def _search(search: ClaimSearchForm) -> tuple[str, list]:
    if not search.is_bound or not search.is_valid():
        return "", []
    data = search.cleaned_data
    query = data["q"] or data["credit"].work.title
    return query, manifest_search(manifest=data["training_set"].current_manifest, query=query)


@member_required
def claim_detail(request, pk, *, member):
    """The draft editor while a draft (POST saves it); afterwards the receipt and status page."""
    claim = _claim(member, pk)
    form = None
    if claim.status == ClaimStatus.DRAFT:
        form = ClaimDraftForm(
            request.POST or None, initial={"declared_share": claim.declared_share, "statement": claim.statement}
        )
        if request.method == "POST" and form.is_valid():
            try:
                claim_draft_save(
                    claim=claim,
                    actor=_actor(request),
                    declared_share=form.cleaned_data["declared_share"],
                    statement=form.cleaned_data["statement"],
                )
            except ClaimActionRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, "Your draft is saved. You can come back to it from “My claims”.")
                return redirect("claims:claim_detail", pk=claim.pk)
    elif request.method == "POST":
        messages.error(request, f"Claim {claim.number} is no longer a draft, so it cannot be changed.")
        return redirect("claims:claim_detail", pk=claim.pk)
    return _render_claim(request, claim, draft_form=form)


def _render_claim(request, claim, *, draft_form=None, evidence_form=None, answer_form=None, status=200):
    timeline = claim_timeline_for_member(claim=claim)
    requests = [step for step in timeline if step.status == ClaimStatus.NEEDS_INFO]
    context = {
        "claim": claim,
        "timeline": timeline,
        "request_step": requests[-1] if requests else None,
        "entries": list(claim.entries.all()),
        "evidence": list(claim.evidence.all()),
        "others": other_claimants(claim=claim),
        "share_left": claim_share_left(claim=claim),
        "is_open": claim.status in OPEN_CLAIM_STATES,
        "max_files": MAX_EVIDENCE_FILES,
        "draft_form": draft_form,
        "evidence_form": evidence_form or EvidenceUploadForm(),
        "answer_form": answer_form or ClaimAnswerForm(),
    }
    template = (
        "claims/claims/claim_draft.html" if claim.status == ClaimStatus.DRAFT else "claims/claims/claim_detail.html"
    )
    return render(request, template, context, status=status)


@require_POST
@member_required
def claim_submit(request, pk, *, member):
    claim = _claim(member, pk)
    form = ClaimDraftForm(request.POST)
    if not form.is_valid():
        return (
            _render_claim(request, claim, draft_form=form)
            if claim.status == ClaimStatus.DRAFT
            else redirect("claims:claim_detail", pk=claim.pk)
        )
    try:
        claim = submit_claim(
            claim=claim,
            actor=_actor(request),
            declared_share=form.cleaned_data["declared_share"],
            statement=form.cleaned_data["statement"],
        )
    except ClaimActionRefused as refusal:
        claim = _claim(member, pk)  # another tab may have submitted it meanwhile
        if claim.status == ClaimStatus.DRAFT:
            form.add_error(None, refusal.message)
            return _render_claim(request, claim, draft_form=form)
        messages.error(request, refusal.message)
        return redirect("claims:claim_detail", pk=claim.pk)
    messages.success(
        request,
        f"Thank you. Your claim {claim.number} is submitted. "
        "Keep this number: the union will email you when it has been checked.",
    )
    return redirect("claims:claim_detail", pk=claim.pk)


@member_required
def claim_withdraw(request, pk, *, member):
    """GET asks "are you sure?"; POST withdraws."""
    claim = _claim(member, pk)
    if claim.status not in OPEN_CLAIM_STATES:
        messages.info(
            request, f"Claim {claim.number} is “{claim.get_status_display()}”: it can no longer be withdrawn."
        )
        return redirect("claims:claim_detail", pk=claim.pk)
    form = ClaimWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim_transition(
                claim=claim, to=ClaimStatus.WITHDRAWN, actor=_actor(request), message=form.cleaned_data["message"]
            )
        except ClaimActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, f"Your claim {claim.number} is withdrawn. You can start it again later.")
        return redirect("claims:claim_detail", pk=claim.pk)
    return render(request, "claims/claims/claim_withdraw.html", {"claim": claim, "form": form})


@require_POST
@member_required
def claim_restart(request, pk, *, member):
    claim = _claim(member, pk)
    try:
        claim_transition(claim=claim, to=ClaimStatus.DRAFT, actor=_actor(request))
    except ClaimActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"Your claim {claim.number} is a draft again. Check it and submit it.")
    return redirect("claims:claim_detail", pk=claim.pk)


@require_POST
@member_required
def claim_answer(request, pk, *, member):
    claim = _claim(member, pk)
    form = ClaimAnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            answer_claim(
                claim=claim,
                actor=_actor(request),
                message=form.cleaned_data["answer"],
                uploads=form.cleaned_data["files"],
                kind=form.cleaned_data["kind"],
            )
        except Refused as refusal:  # a claim that moved on, or a file refused
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "Thank you. Your answer has been sent to the union.")
            return redirect("claims:claim_detail", pk=claim.pk)
    return _render_claim(request, _claim(member, pk), answer_form=form)


@require_POST
@member_required
def evidence_upload(request, pk, *, member):
    claim = _claim(member, pk)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence = evidence_add(
                claim=claim, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"], uploaded_by=request.user
            )
        except EvidenceRefused as refusal:
            form.add_error("file", refusal.message)
        else:
            messages.success(request, f"“{evidence.original_name}” is added to your claim.")
            return redirect("claims:claim_detail", pk=claim.pk)
    claim = _claim(member, pk)
    draft_form = None
    if claim.status == ClaimStatus.DRAFT:
        draft_form = ClaimDraftForm(initial={"declared_share": claim.declared_share, "statement": claim.statement})
    return _render_claim(request, claim, evidence_form=form, draft_form=draft_form)


@member_required
def evidence_download(request, pk, evidence_pk, *, member):
    """The member's own file, under a name we choose, in a sandbox so it can never run as a page."""
    evidence = get_object_or_404(member_evidence(member=member, claim_pk=pk), pk=evidence_pk)
    extension = EXTENSIONS.get(evidence.content_type, "bin")
    return private_file_response(
        file=evidence.file.open("rb"),
        filename=f"{evidence.claim.number}-file-{evidence.pk}.{extension}",
        content_type=evidence.content_type,
        inline=evidence.content_type in INLINE_TYPES,
    )
