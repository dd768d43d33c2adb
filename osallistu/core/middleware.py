"""Middleware shared by every app."""

import time


class ServerTimingMiddleware:
    """Add a Server-Timing header with the time the application spent on the request.

    Benchmarks read it to separate server time from client and network time; browsers show it in
    their developer tools. It reveals only a duration.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response
