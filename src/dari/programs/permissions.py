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
