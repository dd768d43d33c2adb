"""Submit an idea and comment on it with the keyboard alone, with focus always visible.

The test presses only Tab, Shift+Tab, Enter and Space and types text. It never clicks or fills a
field directly, so it fails when a control cannot be reached or used from the keyboard.
"""

import pytest

from osallistu.participation.models import Comment, Idea, Phase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 120

# Describe the focused element and whether its focus is drawn: an outline or a box shadow.
FOCUS_STATE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) { return null; }
  const style = getComputedStyle(element);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadowed = style.boxShadow && style.boxShadow !== "none";
  return {
    description: element.outerHTML.slice(0, 120),
    visible: outlined || shadowed,
  };
}"""


def tab_to(page, selector: str, *, key: str = "Tab") -> None:
    """Press `key` until the element matching `selector` has focus, checking every focus ring."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            continue
        assert state["visible"], f"focus is not visibly marked on {state['description']}"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} was not reached with {key} in {MAX_TABS} presses")


@pytest.fixture
def ideation_process(make_process):
    return make_process(current=Phase.Kind.IDEATION, slug="ideointi")


def test_idea_and_comment_by_keyboard(signed_in_page, ideation_process, resident):
    page = signed_in_page
    page.goto(f"/processes/{ideation_process.slug}/ideas/new/")

    tab_to(page, "input[name=title]")
    page.keyboard.type("Penkki leikkipuistoon")
    tab_to(page, "textarea[name=description]")
    page.keyboard.type("Vanhemmat tarvitsevat paikan istua.")
    tab_to(page, "main form button[type=submit]")
    # Shift+Tab goes back to the description and Tab returns, both with a visible focus ring.
    tab_to(page, "textarea[name=description]", key="Shift+Tab")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    idea = Idea.objects.get(title="Penkki leikkipuistoon")
    assert idea.author == resident
    assert f"/ideas/{idea.pk}/" in page.url

    tab_to(page, "form.comment-form input[name=stance]")
    stance = page.evaluate("() => document.activeElement.value")
    page.keyboard.press("Space")
    tab_to(page, "form.comment-form textarea[name=body]")
    page.keyboard.type("Hyvä ajatus, kannatan.")
    tab_to(page, "form.comment-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    comment = Comment.objects.get(idea=idea)
    assert comment.body == "Hyvä ajatus, kannatan."
    assert comment.author == resident
    assert comment.stance == stance
    assert "Hyvä ajatus, kannatan." in page.content()
