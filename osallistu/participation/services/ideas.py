"""Writes for ideas: one function per action, each checking its own permission."""

import logging
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallistu.areas.models import Suburb
from osallistu.core.ratelimit import is_rate_limited
from osallistu.moderation import services as moderation_services
from osallistu.notifications import services as notification_services

from .. import images as idea_images
from .. import rules
from ..models import Channel, Idea, IdeaImage, Process, Theme, Visibility

__all__ = [
    "IDEA_RATE_LIMIT",
    "IDEA_RATE_PERIOD_SECONDS",
    "idea_create",
    "idea_may_edit",
    "idea_may_set_status",
    "idea_may_withdraw",
    "idea_point_validate",
    "idea_status_set",
    "idea_update",
    "idea_withdraw",
]

logger = logging.getLogger(__name__)

# Online ideas one account may submit per period before it has to wait.
IDEA_RATE_LIMIT = 10
IDEA_RATE_PERIOD_SECONDS = 60 * 60


def idea_may_edit(user, idea: Idea) -> bool:
    """Return True if `user` may edit `idea`: its author, while proposing is open to them.

    An idea that staff have already accepted or declined, or that was withdrawn, is final.
    """
    return (
        user is not None
        and user.is_authenticated
        and idea.author_id == user.pk
        and idea.status == Idea.Status.PUBLISHED
        and rules.can(user, rules.Action.PROPOSE, idea.process)
    )


def idea_may_withdraw(user, idea: Idea) -> bool:
    """Return True if `user` may withdraw `idea`: its author, until staff have decided on it.

    Withdrawing publishes nothing, so it is open in every phase and to blocked accounts.
    """
    return (
        user is not None
        and user.is_authenticated
        and idea.author_id == user.pk
        and idea.status == Idea.Status.PUBLISHED
    )


def idea_may_set_status(user, idea: Idea) -> bool:
    """Return True if `user` may accept or decline `idea`, as an evaluator or coordinator."""
    return rules.can(user, rules.Action.EVALUATE, idea.process)


def idea_create(
    *,
    user,
    process: Process,
    title: str,
    description: str,
    suburb: Suburb | None = None,
    image=None,
    theme: Theme | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    location_text: str = "",
    cost_estimate: Decimal | None = None,
    images: Iterable = (),
    organisation=None,
    channel: str = Channel.ONLINE,
    entered_by=None,
    event=None,
) -> Idea:
    """Create an idea by `user` in `process`, with `image` as its main image and `images` after it.

    An online idea needs rules.Action.PROPOSE now and counts against the author's rate limit. An
    idea collected offline (any other channel) is typed in by `entered_by`, who needs
    rules.Action.ENTER_ON_BEHALF; `user` is then the participant's account or None, and neither
    the phase nor the rate limit applies.

    Images are checked and stripped of metadata by images.clean_image(). Raise PermissionDenied
    if the idea may not be submitted, and ValidationError for bad input, with the codes of
    clean_image() and invalid_theme, invalid_suburb, invalid_event, incomplete_point,
    point_without_text and rate_limited. The idea is pending under pre-moderation.
    """
    if entered_by is None:
        if channel != Channel.ONLINE:
            raise ValueError("An idea from an offline channel needs the staff member entering it.")
        _check_may_propose(user, process)
    elif not rules.can(entered_by, rules.Action.ENTER_ON_BEHALF, process):
        raise PermissionDenied(
            _("Only coordinators and administrators can enter ideas on someone's behalf.")
        )
    _check_choices(process, theme=theme, suburb=suburb, event=event)
    _check_organisation(user, organisation)
    idea_point_validate(latitude, longitude, location_text)
    main_image = idea_images.clean_image(image) if image else None
    extra_images = [idea_images.clean_image(upload) for upload in images]
    if entered_by is None and is_rate_limited(
        f"idea:{user.pk}", limit=IDEA_RATE_LIMIT, period_seconds=IDEA_RATE_PERIOD_SECONDS
    ):
        raise ValidationError(
            _("You have submitted many ideas in a short time. Try again in an hour."),
            code="rate_limited",
        )
    with transaction.atomic():
        idea = Idea(
            process=process,
            author=user,
            title=title,
            description=description,
            suburb=suburb,
            theme=theme,
            latitude=latitude,
            longitude=longitude,
            location_text=location_text,
            cost_estimate=cost_estimate,
            organisation=organisation,
            channel=channel,
            entered_by=entered_by,
            event=event,
            visibility=moderation_services.initial_visibility(process),
        )
        if main_image:
            idea.image = main_image
        idea.save()
        _add_images(idea, extra_images)
    logger.info(
        "idea created idea=%s process=%s channel=%s visibility=%s",
        idea.pk,
        process.pk,
        channel,
        idea.visibility,
    )
    return idea


def idea_update(
    idea: Idea,
    *,
    user,
    title: str,
    description: str,
    suburb: Suburb | None = None,
    theme: Theme | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    location_text: str = "",
    cost_estimate: Decimal | None = None,
    organisation=None,
    image=None,
    remove_image: bool = False,
    images: Iterable = (),
) -> Idea:
    """Change `idea` as its author `user` edited it; see idea_may_edit() for who may and when.

    A new `image` replaces the main image and `remove_image` drops it. Either way the old file
    is deleted after commit. `images` are added after the present ones. Under pre-moderation a
    visible idea waits for a moderator again, because its text changed after approval. Raise
    PermissionDenied or ValidationError as idea_create().
    """
    if not idea_may_edit(user, idea):
        raise PermissionDenied(_("You can edit your own idea only while ideas can be submitted."))
    process = idea.process
    _check_choices(process, theme=theme, suburb=suburb, event=None)
    _check_organisation(user, organisation)
    idea_point_validate(latitude, longitude, location_text)
    main_image = idea_images.clean_image(image) if image else None
    extra_images = [idea_images.clean_image(upload) for upload in images]
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        idea.title = title
        idea.description = description
        idea.suburb = suburb
        idea.theme = theme
        idea.latitude = latitude
        idea.longitude = longitude
        idea.location_text = location_text
        idea.cost_estimate = cost_estimate
        idea.organisation = organisation
        replaced_image = idea.image.name if (main_image or remove_image) else ""
        if main_image:
            idea.image = main_image
        elif remove_image:
            idea.image = ""
        if idea.visibility == Visibility.VISIBLE:
            idea.visibility = moderation_services.initial_visibility(process)
        idea.save()
        _add_images(idea, extra_images)
        if replaced_image:
            # The file would stay reachable by its URL, so a removed photo goes from storage too.
            storage = idea.image.storage
            transaction.on_commit(lambda: storage.delete(replaced_image))
    logger.info("idea updated idea=%s visibility=%s", idea.pk, idea.visibility)
    return idea


def idea_withdraw(idea: Idea, *, user) -> Idea:
    """Withdraw `idea` at its author's request: it leaves every list and page.

    Raise PermissionDenied unless idea_may_withdraw() allows it.
    """
    if not idea_may_withdraw(user, idea):
        raise PermissionDenied(
            _("Only the author can withdraw an idea, and only before it has been decided on.")
        )
    # The status condition makes a withdrawal that races a staff decision change nothing.
    updated = Idea.objects.filter(pk=idea.pk, status=Idea.Status.PUBLISHED).update(
        status=Idea.Status.WITHDRAWN
    )
    if not updated:
        raise PermissionDenied(_("The idea has already been decided on or withdrawn."))
    idea.status = Idea.Status.WITHDRAWN
    logger.info("idea withdrawn idea=%s", idea.pk)
    return idea


def idea_status_set(idea: Idea, status: str, *, actor, reason: str = "") -> Idea:
    """Set the status of `idea` by staff decision and tell its author after commit.

    `status` is published, accepted or declined; withdrawing is the author's own act. `reason`
    is sent to the author with the news. Raise PermissionDenied unless idea_may_set_status()
    allows it, and ValidationError (code invalid_status) for a status staff may not set or for
    a withdrawn idea. Setting the present status again changes nothing and notifies nobody.
    """
    if not idea_may_set_status(actor, idea):
        raise PermissionDenied(
            _("Only evaluators, coordinators and administrators can change an idea's status.")
        )
    if status not in Idea.Status.values or status == Idea.Status.WITHDRAWN:
        raise ValidationError(
            _("Choose the new status: published, accepted or declined."), code="invalid_status"
        )
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        if locked.status == Idea.Status.WITHDRAWN:
            raise ValidationError(
                _("The author has withdrawn this idea, so its status cannot change."),
                code="invalid_status",
            )
        if locked.status == status:
            return locked
        previous = locked.status
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        if locked.author is not None and locked.author != actor:
            transaction.on_commit(lambda: _notify_status(locked, reason))
    logger.info(
        "idea status set idea=%s from=%s to=%s actor=%s", locked.pk, previous, status, actor.pk
    )
    return locked


def _notify_status(idea: Idea, reason: str) -> None:
    """Tell the author of `idea` its new status; notify_user() translates for the author."""
    params = {"title": idea.title, "status": Idea.Status(idea.status).label}
    if reason:
        message = gettext_lazy(
            "The status of your idea “%(title)s” is now: %(status)s. Reason: %(reason)s"
        )
        params["reason"] = reason
    else:
        message = gettext_lazy("The status of your idea “%(title)s” is now: %(status)s.")
    url = reverse(
        "participation:idea_detail", kwargs={"slug": idea.process.slug, "idea_id": idea.pk}
    )
    notification_services.notify_user(idea.author, message=message, url=url, params=params)


def _check_may_propose(user, process: Process) -> None:
    if rules.can(user, rules.Action.PROPOSE, process):
        return
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to submit an idea."))
    if rules.is_blocked(user):
        raise PermissionDenied(_("Your account has been blocked from posting."))
    raise PermissionDenied(_("Ideas can be submitted only while ideation is open."))


def _check_choices(process: Process, *, theme, suburb, event) -> None:
    if theme is not None and (
        theme.process_id != process.pk or theme.status != Theme.Status.ACCEPTED
    ):
        raise ValidationError(
            {
                "theme": ValidationError(
                    _("Choose one of the process's themes."), code="invalid_theme"
                )
            }
        )
    if suburb is not None and not process.suburbs.filter(pk=suburb.pk).exists():
        raise ValidationError(
            {
                "suburb": ValidationError(
                    _("Choose one of the process's suburbs."), code="invalid_suburb"
                )
            }
        )
    if event is not None and event.process_id not in (None, process.pk):
        raise ValidationError(_("The event belongs to another process."), code="invalid_event")


def _check_organisation(user, organisation) -> None:
    if organisation is not None and (
        user is None or not organisation.memberships.filter(user=user).exists()
    ):
        raise PermissionDenied(_("You can post only for your own organisations."))


def idea_point_validate(latitude, longitude, location_text: str) -> None:
    """Raise ValidationError unless the point is complete and has a text alternative.

    This is the idea_point_has_text_alternative constraint, with messages for the form fields:
    the codes are incomplete_point and point_without_text.
    """
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        raise ValidationError(
            {
                missing: ValidationError(
                    _("Give both the latitude and the longitude, or leave both empty."),
                    code="incomplete_point",
                )
            }
        )
    if latitude is not None and not location_text.strip():
        raise ValidationError(
            {
                "location_text": ValidationError(
                    _(
                        "A point on the map needs an address or a place name, so that "
                        "everyone can find the place without the map."
                    ),
                    code="point_without_text",
                )
            }
        )


def _add_images(idea: Idea, uploads: list) -> None:
    if not uploads:
        return
    start = (idea.images.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    for position, upload in enumerate(uploads, start=start):
        IdeaImage.objects.create(idea=idea, image=upload, position=position)
