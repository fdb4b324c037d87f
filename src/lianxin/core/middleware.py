from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Simplified Chinese unless the person chose English with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a platform for Chinese
    counties should not turn English because a phone's system language is.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


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
