class DisplayPreferencesMiddleware:
    """Large-text (适老化) mode: the account's setting, or a cookie for people not signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.large_text = user.large_text
        else:
            request.large_text = request.COOKIES.get("large_text") == "1"
        return self.get_response(request)
