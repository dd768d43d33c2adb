from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from osallistu.core import staff as core_staff
from osallistu.core import views as core_views
from osallistu.opendata.api import api as opendata_api

# The admin signs in through allauth's sign-in page, so its lockout and two-factor step apply.
admin.site.login = secure_admin_login(admin.site.login)

# Finnish pages have no prefix; Swedish and English live under /sv/ and /en/ so that a link
# keeps its language.
urlpatterns = [
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("media/<path:name>", core_views.media_file, name="media"),
    path("theme.css", core_views.theme_css, name="theme_css"),
    # The API has no language prefix: its data is the same in every language.
    path("api/v1/", opendata_api.urls),
]
urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("staff/", core_staff.staff_home, name="staff_home"),
    path("accounts/profile/", include("osallistu.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("areas/", include("osallistu.areas.urls")),
    path("processes/", include("osallistu.participation.urls")),
    path("processes/", include("osallistu.budgeting.urls")),
    path("events/", include("osallistu.events.urls")),
    path("organisations/", include("osallistu.organisations.urls")),
    path("moderation/", include("osallistu.moderation.urls")),
    path("notifications/", include("osallistu.notifications.urls")),
    path("selection/", include("osallistu.selection.urls")),
    path("evaluation/", include("osallistu.evaluation.urls")),
    path("identity/", include("osallistu.identity.urls")),
    path("desk/", include("osallistu.desk.urls")),
    path("accessibility/", include("osallistu.accessibility.urls")),
    path("privacy/", include("osallistu.privacy.urls")),
    path("open-data/", include("osallistu.opendata.urls")),
    path("decidim/", include("osallistu.interop.urls")),
    path("programmes/", include("osallistu.programmes.urls")),
    path("implementation/", include("osallistu.implementation.urls")),
    path("surveys/", include("osallistu.surveys.urls")),
    path("feedback/", include("osallistu.feedback.urls")),
    path("communications/", include("osallistu.communications.urls")),
    path("audit/", include("osallistu.audit.urls")),
    path("reports/", include("osallistu.reports.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
