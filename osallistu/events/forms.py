from django import forms
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Suburb
from osallistu.core.age_groups import age_group_choices
from osallistu.organisations.models import Organisation
from osallistu.participation.models import Comment, Idea, Process

from .models import Event
from .services import OFFLINE_CHANNELS

# The datetime-local input sends and shows local time in this format.
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_LOCAL_FORMAT)


class EventForm(forms.ModelForm):
    """Staff form for an event. Its process list holds only the processes the user manages."""

    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_(
            "The number of confirmed places. Later registrations go to the waiting list. "
            "Leave empty for no limit."
        ),
        error_messages={
            "invalid": _("Enter the capacity as a whole number."),
            "min_value": _("The capacity must be at least 1. Leave it empty for no limit."),
            "max_value": _("The capacity is too large."),
        },
    )

    class Meta:
        model = Event
        fields = [
            "process",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "address",
            "suburb",
            "accessibility",
            "registration_required",
            "capacity",
            "co_hosts",
        ]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "co_hosts": forms.CheckboxSelectMultiple(),
        }
        help_texts = {
            "kind": _(
                "A workshop is for residents who already take part. An outreach pop-up meets "
                "people where they are, such as at a shop or a school."
            ),
            "starts_at": _("Date and time in Finnish time."),
            "place": _("The name of the place, such as Neulamäki school, room 12."),
            "accessibility": _(
                "Step-free access, accessible toilet, induction loop, parking, how to get there by "
                "bus, and anything else that helps people decide whether they can come."
            ),
            "co_hosts": _("Local organisations that host the event together with the city."),
        }
        error_messages = {
            "title": {"required": _("Enter the title of the event.")},
            "kind": {"required": _("Choose the kind of the event.")},
            "starts_at": {
                "required": _("Enter the start time."),
                "invalid": _("Enter the start time as a date and a time."),
            },
            "ends_at": {
                "required": _("Enter the end time."),
                "invalid": _("Enter the end time as a date and a time."),
            },
            "place": {"required": _("Enter the place of the event.")},
        }

    def __init__(self, *args, processes: list[Process], allow_no_process: bool, **kwargs):
        super().__init__(*args, **kwargs)
        process_field = self.fields["process"]
        process_field.queryset = Process.objects.filter(pk__in=[p.pk for p in processes])
        process_field.required = not allow_no_process
        process_field.empty_label = (
            _("No process (a city-wide event)") if allow_no_process else None
        )
        process_field.error_messages["required"] = _("Choose the process of the event.")
        process_field.error_messages["invalid_choice"] = _(
            "Choose a process in which you may create events."
        )
        self.fields["suburb"].queryset = Suburb.objects.order_by("name")
        self.fields["suburb"].empty_label = _("No particular suburb")
        self.fields["co_hosts"].queryset = Organisation.objects.order_by("name")

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        if cleaned.get("capacity") and not cleaned.get("registration_required"):
            self.add_error(
                "capacity",
                _("Tick “Registration required” to limit the places, or leave the capacity empty."),
            )
        return cleaned

    def _post_clean(self):
        # The view saves through the service, never form.save(). Skipping the model validation
        # stops Django from adding its English "constraint violated" message to clean()'s own.
        pass


class OutcomeForm(forms.Form):
    """Staff form for an event's outcome: a summary and a head count per configured age group."""

    summary = forms.CharField(
        label=_("Summary"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was discussed and what came out of it. Shown on the event page."),
        error_messages={"required": _("Write a summary of the event.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in age_group_choices():
            self.fields[self.count_field(key)] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=100000,
                required=False,
                help_text=_("Number of participants. Leave empty for none."),
                error_messages={
                    "invalid": _("Enter the number of participants as a whole number."),
                    "min_value": _("The number cannot be negative."),
                    "max_value": _("The number is too large."),
                },
            )

    @staticmethod
    def count_field(key: str) -> str:
        return "participants_" + key.replace("-", "_").replace("+", "_plus")

    @classmethod
    def initial_from(cls, outcome) -> dict:
        initial = {"summary": outcome.summary}
        for key, count in outcome.participants_by_age_group.items():
            initial[cls.count_field(key)] = count
        return initial

    def participants_by_age_group(self) -> dict[str, int]:
        return {
            key: self.cleaned_data.get(self.count_field(key)) or 0
            for key, _label in age_group_choices()
        }


class EventIdeaForm(forms.Form):
    """Staff form for an idea collected at an event on paper, by phone or in person."""

    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        error_messages={"required": _("Enter a title for the idea.")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Type the participant's words as they wrote or said them."),
        error_messages={"required": _("Enter the idea's description.")},
    )
    suburb = forms.ModelChoiceField(
        label=_("Suburb"), queryset=Suburb.objects.none(), required=False
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(channel.value, channel.label) for channel in OFFLINE_CHANNELS],
        help_text=_("How the idea was collected."),
    )

    def __init__(self, *args, process: Process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suburb"].queryset = Suburb.objects.filter(processes=process)
        self.fields["suburb"].empty_label = _("No particular suburb")


class EventCommentForm(forms.Form):
    """Staff form for a comment on an idea, collected at an event."""

    idea = forms.ModelChoiceField(
        label=_("Idea"),
        queryset=Idea.objects.none(),
        error_messages={
            "required": _("Choose the idea that the comment is about."),
            "invalid_choice": _("Choose an idea of the event's process."),
        },
    )
    body = forms.CharField(
        label=_("Comment"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter the comment.")},
    )
    stance = forms.ChoiceField(label=_("Stance"), choices=Comment.Stance.choices)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(channel.value, channel.label) for channel in OFFLINE_CHANNELS],
        help_text=_("How the comment was collected."),
    )

    def __init__(self, *args, process: Process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idea"].queryset = (
            Idea.objects.filter(process=process)
            .exclude(status=Idea.Status.WITHDRAWN)
            .order_by("title")
        )
        self.fields["idea"].empty_label = _("Choose an idea")


class EventFilterForm(forms.Form):
    """The filters of the event list: upcoming or past, and the kind of event."""

    when = forms.ChoiceField(
        label=_("Time"),
        choices=[("upcoming", _("Upcoming events")), ("past", _("Past events"))],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Event.Kind.choices],
        required=False,
    )
