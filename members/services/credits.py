"""Credits: a member's part in a work. Members only ever change their own."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Credit, MemberProfile, Work
from members.services.works import WorkDetails, work_find_or_create
from members.signals import credits_changed


def _duplicate_error(work: Work, job_label: str) -> ValidationError:
    return ValidationError(f"You already have a “{job_label}” credit on {work}.", code="duplicate_credit")


@transaction.atomic
def credit_create(
    *, member: MemberProfile, work: Work, job: str, credited_as: str = "", episode_count: int | None = None
) -> Credit:
    credit = Credit(member=member, work=work, job=job, credited_as=credited_as, episode_count=episode_count)
    try:
        with transaction.atomic():
            credit.save()
    except IntegrityError:
        raise _duplicate_error(work, credit.get_job_display()) from None
    _after_credit_change(credit)
    return credit


@transaction.atomic
def credit_update(
    *, credit: Credit, work: Work, job: str, credited_as: str = "", episode_count: int | None = None
) -> Credit:
    credit.work, credit.job, credit.credited_as, credit.episode_count = work, job, credited_as, episode_count
    try:
        with transaction.atomic():
            credit.save()
    except IntegrityError:
        raise _duplicate_error(work, credit.get_job_display()) from None
    _after_credit_change(credit)
    return credit


@transaction.atomic
def credit_delete(*, credit: Credit) -> None:
    credit.delete()


def _after_credit_change(credit: Credit) -> None:
    """Tell discovery the credit changed (it looks for it in every loaded training set after commit)."""
    credits_changed.send(sender=Credit, credit_ids=[credit.pk])


@transaction.atomic
def credit_save(
    *,
    member: MemberProfile,
    credit: Credit | None = None,
    work: Work | None = None,
    details: WorkDetails | None = None,
    job: str,
    credited_as: str = "",
    episode_count: int | None = None,
) -> Credit:
    """Create (credit=None) or update a member's credit on a picked work or on the work `details` describe.

    The work is found or created in the same transaction, so a refused credit
    (a duplicate, say) leaves no orphan work behind.
    """
    if work is None:
        if details is None:
            raise ValueError("credit_save needs a work or work details")
        work = work_find_or_create(details)
    credited_as = credited_as.strip()
    if credit is None:
        return credit_create(member=member, work=work, job=job, credited_as=credited_as, episode_count=episode_count)
    if credit.member_id != member.pk:
        raise PermissionError("A member can only change their own credits")
    return credit_update(credit=credit, work=work, job=job, credited_as=credited_as, episode_count=episode_count)
