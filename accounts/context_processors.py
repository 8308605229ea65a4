def navigation(request):
    """What the navigation bar needs: the user's units and whether they administer."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_is_admin": user.is_portal_admin}
