def account(request):
    """Whether to show the banner asking a signed-in user to verify their e-mail address."""
    user = getattr(request, "user", None)
    needs_verification = bool(
        user is not None and user.is_authenticated and user.email and user.email_verified_at is None
    )
    return {"email_needs_verification": needs_verification}
