from django.utils import translation


class UserLanguageMiddleware:
    """Speak the language the signed-in user chose, whatever the browser asks for.

    Runs after LocaleMiddleware (which handles anonymous visitors by cookie and header) and
    after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class ServerTimingMiddleware:
    """Benchmarks only (SERVER_TIMING=1): report the queries and the time each request cost in
    `Server-Timing` and `X-Query-Count` headers, measured inside the worker."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from time import perf_counter

        from django.db import connection

        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        elapsed_ms = (perf_counter() - started) * 1000
        response["Server-Timing"] = f'app;dur={elapsed_ms:.2f}, db;desc="{queries} queries"'
        response["X-Query-Count"] = str(queries)
        return response


class IdleTimeoutMiddleware:
    """Sign out a session that made no request for SESSION_IDLE_SECONDS (a phone left signed in
    on a desk). The last-seen time is written at most every five minutes, so an active user costs
    one session write every five minutes, not one per request."""

    KEY = "cuilong_last_seen"
    RESOLUTION = 300

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def signed_in(cls, sender, request, user, **kwargs):
        """Start the idle clock with the sign-in, saved with the new session."""
        from time import time

        if request is not None and hasattr(request, "session"):
            request.session[cls.KEY] = int(time())

    def __call__(self, request):
        from time import time

        from django.conf import settings
        from django.contrib.auth import logout

        if request.user.is_authenticated:
            now = int(time())
            last_seen = request.session.get(self.KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
            elif last_seen is None or now - last_seen >= self.RESOLUTION:
                request.session[self.KEY] = now
        return self.get_response(request)
