"""Built-in privacy notice texts, shown wherever staff have not written their own.

Each processing states the facts that Article 13 of the GDPR requires a notice to give: purpose,
legal basis, personal data, sources, recipients and retention. The controller, the contact, the
data subject's rights and the supervisory authority are the same for all and are in the template.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Processing


@dataclass(frozen=True)
class NoticeFacts:
    purpose: str
    legal_basis: str
    data: str
    sources: str
    recipients: str
    retention: str
    # Codes of osallistu.privacy.retention.KINDS whose periods the notice lists.
    retention_kinds: tuple[str, ...] = ()


FACTS: dict[str, NoticeFacts] = {
    Processing.ACCOUNTS: NoticeFacts(
        purpose=_("To let you sign in, follow processes and receive the notifications you chose."),
        legal_basis=_(
            "Performance of a task carried out in the public interest: the Local Government Act "
            "(410/2015) section 22 requires the city to offer residents ways to participate."
        ),
        data=_(
            "Email address, name if you give one, language, notification choices, sign-in times "
            "and, if you turn it on, your second sign-in factor."
        ),
        sources=_("You, when you create and use your account."),
        recipients=_(
            "No one outside the city. The service provider processes the data on the city's behalf."
        ),
        retention=_(
            "Until you delete your account, or until it has been unused for the period below."
        ),
        retention_kinds=("inactive_accounts", "sessions", "read_notifications"),
    ),
    Processing.PARTICIPATION: NoticeFacts(
        purpose=_(
            "To publish and discuss ideas, comments and themes, to organise events and to report "
            "on participation."
        ),
        legal_basis=_(
            "Performance of a task carried out in the public interest (Local Government Act "
            "410/2015, section 22)."
        ),
        data=_(
            "Your ideas, comments, likes, event registrations and organisation memberships, with "
            "their times. Published contributions show your name only if you gave one."
        ),
        sources=_("You, and city staff who enter contributions collected on paper or at events."),
        recipients=_(
            "Published contributions are public. Open data never contains information from which "
            "a person could be identified."
        ),
        retention=_(
            "Published contributions are kept as part of the decision-making record. When you "
            "delete your account, they are kept under a pseudonym or deleted if you ask and "
            "moderation allows."
        ),
        retention_kinds=("inactive_accounts",),
    ),
    Processing.VOTING: NoticeFacts(
        purpose=_(
            "To check that you may vote, to make sure nobody votes twice and to count the votes."
        ),
        legal_basis=_(
            "Performance of a task carried out in the public interest (Local Government Act "
            "410/2015, section 22)."
        ),
        data=_(
            "A keyed hash of your personal identity code (never the code itself), your home "
            "municipality, postal code and age group. Your ballot is stored apart from all of "
            "these and is never linked to you."
        ),
        sources=_(
            "Suomi.fi identification or school identification, or an identity document that "
            "staff check at a service desk."
        ),
        recipients=_(
            "No one. Results and turnout are published only as totals, with small groups left out."
        ),
        retention=_("The hash and the service desk records are deleted after voting closes."),
        retention_kinds=("identity_digests",),
    ),
    Processing.SURVEYS: NoticeFacts(
        purpose=_("To follow how included residents feel and to collect feedback on workshops."),
        legal_basis=_(
            "Performance of a task carried out in the public interest (Local Government Act "
            "410/2015, section 22)."
        ),
        data=_(
            "Your answers, the suburb and, if you give it, your age group. Answers are not "
            "linked to your account; only a mark that you have answered is kept apart from them."
        ),
        sources=_("You."),
        recipients=_("Results are published only for groups large enough that nobody stands out."),
        retention=_("Answers are kept without any link to you for following trends over years."),
        retention_kinds=("survey_marks", "survey_paper_codes"),
    ),
    Processing.FEEDBACK: NoticeFacts(
        purpose=_("To answer your feedback, including accessibility feedback."),
        legal_basis=_(
            "Legal obligation: the Act on the Provision of Digital Services (306/2019) requires "
            "an answer to accessibility feedback within 14 days."
        ),
        data=_("Your feedback and, if you give it, your email address for the answer."),
        sources=_("You."),
        recipients=_("No one outside the city."),
        retention=_("The contact address is removed after the period below from the answer."),
        retention_kinds=("feedback_contacts",),
    ),
}
