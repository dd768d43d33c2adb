from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors


@require_safe
@login_required
def account_home(request):
    """Show the signed-in user's account: sign-in and security, notifications and own data."""
    return render(
        request,
        "accounts/account_home.html",
        {"security": selectors.security_status(request.user)},
    )
