"""Who may create and change programs, calls and applications (the ``can_<verb>`` rules; rows a
user may see come from the querysets' ``visible_to``)."""

from dari.accounts.access import access_for


def can_create_program(user) -> bool:
    return access_for(user).sees_everything


def can_change_program(user, program) -> bool:
    """Staff and the program's managers."""
    access = access_for(user)
    return access.sees_everything or program.pk in access.managed_program_ids


def may_manage_some_program(user) -> bool:
    access = access_for(user)
    return access.sees_everything or bool(access.managed_program_ids)


def can_change_call(user, call) -> bool:
    """A call is run by those who may change its program."""
    return can_change_program(user, call.program)


def can_apply(user, startup) -> bool:
    """Members of the startup: an application speaks for it (staff and managers read it, never
    answer for it)."""
    return startup is not None and startup.pk in access_for(user).organization_ids


def is_applicant(user, application) -> bool:
    return can_apply(user, application.startup)


def can_edit_answers(user, application) -> bool:
    """The applicant's members while the application is a draft or waits for revisions;
    its files follow the same rule."""
    from .models import Application

    editable = (Application.Status.DRAFT, Application.Status.REVISIONS_REQUESTED)
    return application.status in editable and is_applicant(user, application)


def can_manage_reviews(user, call) -> bool:
    """Rubrics, assignments and conflicts of a call: those who run it."""
    return can_change_call(user, call)


def can_write_review(user, review) -> bool:
    """The reviewer themself, while the review is to do, holding the reviewer role on the program
    and seeing the application (no conflict has appeared since the assignment)."""
    from .models import Application, Review

    if review.status != Review.Status.ASSIGNED or user is None or review.reviewer_id != user.pk:
        return False
    access = access_for(user)
    if review.application.call.program_id not in access.reviewed_program_ids:
        return False
    return Application.objects.visible_to(user).filter(pk=review.application_id).exists()


def blind_application_ids(user) -> frozenset[int]:
    """The applications ``user`` sees only as a reviewer in a blind review (a blind phase, or a
    blind call for reviews without a phase), where they are not staff, one of the program's managers
    nor the applicant: their names and identifying answers are hidden from them. Read once per
    request."""
    cached = getattr(user, "_dari_blind", None)
    if cached is not None:
        return cached
    from django.db.models import Q

    from .models import Review

    access = access_for(user)
    found: frozenset[int] = frozenset()
    if access.reviewed_program_ids and not access.sees_everything:
        reviews = (
            Review.objects.filter(reviewer=user)
            .filter(Q(phase__blind_review=True) | Q(phase__isnull=True, application__call__blind_review=True))
            .exclude(application__call__program_id__in=access.managed_program_ids)
            .exclude(application__startup_id__in=access.organization_ids)
        )
        found = frozenset(reviews.values_list("application_id", flat=True))
    try:
        user._dari_blind = found
    except AttributeError:
        pass
    return found


def is_blind_for(user, application) -> bool:
    return application.pk in blind_application_ids(user)


def can_decide(user, call) -> bool:
    """Decisions on a call's applications, and their release: those who run the call."""
    return can_change_call(user, call)


def can_manage_support(user, participant) -> bool:
    """A participant's milestone plan and the services delivered to it: written by those who may
    change its program (staff and the program's managers)."""
    return can_change_program(user, participant.program)


def can_mark_milestone(user, milestone) -> bool:
    """Marking a milestone done (or planned again): the program's managers and staff, and the
    startup's own members, who report their progress (they do not mark a milestone missed)."""
    participant = milestone.participant
    return (
        can_manage_support(user, participant)
        or participant.organization_id in access_for(user).organization_ids
    )
