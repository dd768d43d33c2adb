"""Template tags that put the public side of evaluation on participation's pages."""

from django import template

from osallistu.participation import rules

from .. import selectors

register = template.Library()


@register.inclusion_tag("evaluation/includes/idea_evaluation.html")
def idea_evaluation(idea):
    """Render the public answer and the service areas' verdicts of `idea`; never its notes."""
    return {"idea": idea, "process": idea.process, "answer": selectors.public_answer(idea)}


@register.inclusion_tag("evaluation/includes/process_criteria.html", takes_context=True)
def process_criteria(context, process):
    """Render the published evaluation criteria of `process`, and a dashboard link for staff."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "process": process,
        "criteria": list(selectors.public_criteria(process)),
        "can_evaluate": user is not None and rules.can(user, rules.Action.EVALUATE, process),
    }


@register.inclusion_tag("evaluation/includes/nav.html", takes_context=True)
def evaluation_nav(context, process):
    """Render the staff navigation of the evaluation pages of `process`."""
    return {
        "process": process,
        "can_consolidate": rules.can(context["request"].user, rules.Action.CONSOLIDATE, process),
    }
