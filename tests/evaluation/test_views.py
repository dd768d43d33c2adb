"""Evaluation pages through the test client: permissions, forms, public pages and query counts."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from osallistu.evaluation import services
from osallistu.evaluation.models import Assignment, Consolidation, InternalNote, Verdict
from osallistu.participation.models import Idea, Visibility

pytestmark = pytest.mark.django_db

NOTE_TEXT = "Kaavoitus selvittää maanomistuksen, älä kerro vielä asukkaalle."


def _verdict_post(criteria, **overrides) -> dict:
    data = {
        "feasible": "yes",
        "cost_estimate": "12 000,00",
        "cost_rows": "Penkit; 9 000\nAsennus; 3000,00",
        "annual_maintenance_cost": "400",
        "schedule": "kesä 2027",
        "owning_service_area": "",
        "public_reason": "Penkit mahtuvat rantaan.",
        **{f"criterion_{criterion.pk}": "met" for criterion in criteria},
    }
    data.update(overrides)
    return data


def _url(name: str, process, *args) -> str:
    return reverse(f"evaluation:{name}", args=[process.slug, *args])


# --- Permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dashboard", "worklist"])
def test_staff_pages_deny_residents(client, resident, evaluation_process, name):
    client.force_login(resident)
    assert client.get(_url(name, evaluation_process)).status_code == 403


@pytest.mark.parametrize("name", ["criteria", "assign", "audit", "notes_export_csv"])
def test_coordinator_pages_deny_evaluators(client, evaluator, evaluation_process, name):
    client.force_login(evaluator)
    assert client.get(_url(name, evaluation_process)).status_code == 403


def test_staff_pages_need_sign_in(client, evaluation_process):
    response = client.get(_url("dashboard", evaluation_process))
    assert response.status_code == 302


def test_verdict_page_other_group_denied(client, welfare_evaluator, assignment, criteria):
    client.force_login(welfare_evaluator)
    url = _url("verdict", assignment.idea.process, assignment.pk)

    assert client.get(url).status_code == 403
    assert client.post(url, _verdict_post(criteria)).status_code == 403
    assert not Verdict.objects.exists()


# --- Criteria and assignments --------------------------------------------------------------------


def test_public_criteria_on_process_page(client, evaluation_process, criteria):
    criteria[1].published_at = None
    criteria[1].save()

    response = client.get(reverse("participation:process_detail", args=[evaluation_process.slug]))

    assert criteria[0].text in response.content.decode()
    assert criteria[1].text not in response.content.decode()


def test_criteria_page_after_ideation(client, coordinator, evaluation_process, criteria):
    client.force_login(coordinator)
    response = client.post(_url("criteria", evaluation_process), {"text": "Uusi"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["form"].data["text"] == "Uusi"


def test_assign_page(client, coordinator, evaluation_process, resident_idea, urban, welfare):
    client.force_login(coordinator)
    deadline = datetime.date.today() + datetime.timedelta(days=10)
    response = client.post(
        _url("assign", evaluation_process),
        {
            "ideas": [resident_idea.pk],
            "service_areas": [urban.pk, welfare.pk],
            "deadline": deadline.isoformat(),
        },
    )

    assert response.status_code == 302
    assert Assignment.objects.filter(idea=resident_idea).count() == 2


def test_assign_page_hides_hidden_ideas(client, coordinator, evaluation_process, resident_idea):
    resident_idea.visibility = Visibility.HIDDEN
    resident_idea.save()
    client.force_login(coordinator)

    response = client.get(_url("assign", evaluation_process))

    assert resident_idea.title not in response.content.decode()


# --- Verdict form --------------------------------------------------------------------------------


def test_verdict_form_saves(client, evaluator, assignment, criteria, urban):
    client.force_login(evaluator)
    response = client.post(
        _url("verdict", assignment.idea.process, assignment.pk),
        _verdict_post(criteria, owning_service_area=urban.pk),
    )

    assert response.status_code == 302
    verdict = Verdict.objects.get()
    assert verdict.cost_estimate == Decimal("12000.00")
    assert [row.label for row in verdict.cost_rows.all()] == ["Penkit", "Asennus"]


def test_verdict_form_errors_keep_input(client, evaluator, assignment, criteria, urban):
    client.force_login(evaluator)
    data = _verdict_post(criteria, owning_service_area=urban.pk, cost_rows="Penkit; 100")
    response = client.post(_url("verdict", assignment.idea.process, assignment.pk), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert "cost_rows" in form.errors
    content = response.content.decode()
    assert "Penkit mahtuvat rantaan." in content
    assert "Penkit; 100" in content
    assert 'aria-invalid="true"' in content
    assert not Verdict.objects.exists()


def test_verdict_form_row_errors_by_line(client, evaluator, assignment, criteria):
    client.force_login(evaluator)
    data = _verdict_post(criteria, cost_rows="Penkit; 9000\nAsennus kolmetuhatta")
    with translation.override("en"):
        response = client.post(
            _url("verdict", assignment.idea.process, assignment.pk),
            data,
            HTTP_ACCEPT_LANGUAGE="en",
        )
        # The messages are lazy, so they are read while English is still active.
        errors = [str(error) for error in response.context["form"].errors["cost_rows"]]

    assert any("Row 2" in error for error in errors)


def test_verdict_form_prefilled_on_return(client, evaluator, assignment, criteria, urban):
    client.force_login(evaluator)
    url = _url("verdict", assignment.idea.process, assignment.pk)
    client.post(url, _verdict_post(criteria, owning_service_area=urban.pk))

    response = client.get(url)

    assert response.context["form"].initial["public_reason"] == "Penkit mahtuvat rantaan."


# --- Notes ---------------------------------------------------------------------------------------


def test_note_page_adds_note(client, evaluator, welfare_evaluator, resident_idea):
    client.force_login(evaluator)
    response = client.post(
        _url("idea_notes", resident_idea.process, resident_idea.pk),
        {"text": NOTE_TEXT, "mentions": [welfare_evaluator.pk], "disclosable_on_request": "on"},
    )

    assert response.status_code == 302
    note = InternalNote.objects.get()
    assert list(note.mentions.all()) == [welfare_evaluator]


def test_notes_never_public(client, evaluator, coordinator, assignment, criteria, urban):
    idea = assignment.idea
    services.note_add(evaluator, idea, text=NOTE_TEXT)
    services.verdict_submit(
        evaluator,
        assignment,
        feasible=False,
        public_reason="Ranta on yksityistä maata.",
        answers={criterion.pk: "not_met" for criterion in criteria},
    )
    services.consolidate(
        coordinator, idea, decision=Consolidation.Decision.DECLINED, public_reason="Ei voida."
    )
    public_urls = [
        reverse("participation:idea_detail", args=[idea.process.slug, idea.pk]),
        reverse("participation:idea_list", args=[idea.process.slug]),
        reverse("participation:process_detail", args=[idea.process.slug]),
        reverse("budgeting:receipt_hashes_json", args=[idea.process.slug]),
    ]
    for url in public_urls:
        response = client.get(url)
        assert NOTE_TEXT not in response.content.decode(), url

    client.force_login(evaluator)
    staff_page = client.get(_url("idea_notes", idea.process, idea.pk))
    assert NOTE_TEXT in staff_page.content.decode()


def test_notes_export_csv_and_json(client, coordinator, evaluator, resident_idea):
    services.note_add(evaluator, resident_idea, text=NOTE_TEXT)
    client.force_login(coordinator)

    csv_response = client.get(_url("notes_export_csv", resident_idea.process))
    json_response = client.get(_url("notes_export_json", resident_idea.process))

    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0]["text"] == NOTE_TEXT
    assert rows[0]["disclosable_on_request"] == "True"
    assert json.loads(json_response.content)[0]["text"] == NOTE_TEXT
    assert "attachment" in csv_response["Content-Disposition"]


# --- Consolidation and the public answer ---------------------------------------------------------


def test_consolidation_page_refuses_without_owner(client, coordinator, assignment):
    idea = assignment.idea
    client.force_login(coordinator)
    response = client.post(
        _url("consolidate", idea.process, idea.pk),
        {
            "decision": "proposal",
            "final_cost": "12000",
            "budget_area": idea.process.budget_areas.get().pk,
            "public_reason": "Toteutetaan.",
        },
    )

    assert response.status_code == 200
    assert "owning_service_area" in response.context["form"].errors
    assert "Toteutetaan." in response.content.decode()
    assert not Consolidation.objects.exists()


def test_consolidation_page_merges(
    client, coordinator, evaluator, assignment, feasible_verdict, urban, second_idea
):
    idea = assignment.idea
    services.verdict_submit(evaluator, assignment, **feasible_verdict())
    client.force_login(coordinator)
    response = client.post(
        _url("consolidate", idea.process, idea.pk),
        {
            "decision": "proposal",
            "merged_ideas": [second_idea.pk],
            "final_cost": "12 500",
            "owning_service_area": urban.pk,
            "budget_area": idea.process.budget_areas.get().pk,
            "public_reason": "Kaksi ideaa yhdistettiin yhdeksi ehdotukseksi.",
        },
    )

    assert response.status_code == 302
    consolidation = Consolidation.objects.get()
    assert consolidation.project.cost == Decimal("12500")
    assert set(consolidation.ideas.values_list("pk", flat=True)) == {idea.pk, second_idea.pk}


def test_public_answer_and_verdicts_on_idea_page(
    client, coordinator, evaluator, assignment, feasible_verdict, urban, second_idea
):
    idea = assignment.idea
    services.verdict_submit(evaluator, assignment, **feasible_verdict())
    services.consolidate(
        coordinator,
        idea,
        decision=Consolidation.Decision.PROPOSAL,
        merged_ideas=[second_idea],
        public_reason="Kaksi ideaa yhdistettiin yhdeksi ehdotukseksi.",
        final_cost=Decimal("12500"),
        owning_service_area=urban,
        budget_area=idea.process.budget_areas.get(),
    )

    for shown in (idea, second_idea):
        url = reverse("participation:idea_detail", args=[shown.process.slug, shown.pk])
        content = client.get(url).content.decode()
        assert "Kaksi ideaa yhdistettiin yhdeksi ehdotukseksi." in content
        assert idea.title in content
        assert second_idea.title in content

    content = client.get(
        reverse("participation:idea_detail", args=[idea.process.slug, idea.pk])
    ).content.decode()
    assert "Penkit voidaan sijoittaa kaupungin maalle." in content
    assert urban.name in content


def test_idea_page_without_evaluation(client, resident_idea):
    url = reverse("participation:idea_detail", args=[resident_idea.process.slug, resident_idea.pk])
    response = client.get(url)
    assert 'id="idea-evaluation-heading"' not in response.content.decode()


# --- Dashboard, worklist and audit ---------------------------------------------------------------


def _many_assignments(process, coordinator, author, areas, count=6):
    ideas = [
        Idea.objects.create(
            process=process,
            author=author,
            title=f"Idea {index}",
            description="Kuvaus",
            visibility=Visibility.VISIBLE,
        )
        for index in range(count)
    ]
    services.ideas_assign(
        coordinator,
        process,
        ideas=ideas,
        service_areas=areas,
        deadline=datetime.date.today() + datetime.timedelta(days=3),
    )
    # Half of them are overdue; the model allows a past deadline set by an earlier assignment.
    Assignment.objects.filter(idea__in=ideas[: count // 2]).update(
        deadline=datetime.date.today() - datetime.timedelta(days=1)
    )
    return ideas


def test_dashboard_progress_and_overdue(
    client, coordinator, evaluation_process, resident, urban, welfare
):
    _many_assignments(evaluation_process, coordinator, resident, [urban, welfare])
    client.force_login(coordinator)

    response = client.get(_url("dashboard", evaluation_process))

    rows = {row.service_area: row for row in response.context["areas"]}
    assert rows[urban].total == 6
    assert rows[urban].overdue == 3
    assert rows[welfare].submitted == 0
    assert len(response.context["overdue"]) == 6
    assert 'class="overdue"' in response.content.decode()


def test_dashboard_query_count(
    client,
    coordinator,
    evaluation_process,
    resident,
    urban,
    welfare,
    growth,
    django_assert_max_num_queries,
):
    _many_assignments(evaluation_process, coordinator, resident, [urban], 2)
    client.force_login(coordinator)
    client.get(_url("dashboard", evaluation_process))
    with django_assert_max_num_queries(18) as few:
        client.get(_url("dashboard", evaluation_process))

    _many_assignments(evaluation_process, coordinator, resident, [urban, welfare, growth], 9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("dashboard", evaluation_process))


def test_worklist_own_groups_only(
    client, evaluator, coordinator, evaluation_process, resident, urban, welfare
):
    _many_assignments(evaluation_process, coordinator, resident, [welfare], 2)
    own = _many_assignments(evaluation_process, coordinator, resident, [urban], 1)
    client.force_login(evaluator)

    response = client.get(_url("worklist", evaluation_process))

    assert [a.idea for a in response.context["assignments"]] == own


def test_worklist_query_count(
    client,
    evaluator,
    coordinator,
    evaluation_process,
    resident,
    urban,
    django_assert_max_num_queries,
):
    _many_assignments(evaluation_process, coordinator, resident, [urban], 1)
    client.force_login(evaluator)
    client.get(_url("worklist", evaluation_process))
    with django_assert_max_num_queries(16) as few:
        client.get(_url("worklist", evaluation_process))

    _many_assignments(evaluation_process, coordinator, resident, [urban], 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("worklist", evaluation_process))


def test_audit_page_lists_actions(client, coordinator, assignment):
    client.force_login(coordinator)
    response = client.get(_url("audit", assignment.idea.process))
    assert len(response.context["entries"]) == 1


def test_dashboard_by_process_id(client, coordinator, evaluation_process):
    client.force_login(coordinator)
    response = client.get(reverse("evaluation:dashboard_by_id", args=[evaluation_process.pk]))
    assert response.url == _url("dashboard", evaluation_process)


def test_assign_page_query_count(
    client, coordinator, evaluation_process, resident, urban, welfare, django_assert_max_num_queries
):
    _many_assignments(evaluation_process, coordinator, resident, [urban], 2)
    client.force_login(coordinator)
    client.get(_url("assign", evaluation_process))
    with django_assert_max_num_queries(24) as few:
        client.get(_url("assign", evaluation_process))

    _many_assignments(evaluation_process, coordinator, resident, [urban, welfare], 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("assign", evaluation_process))


# --- Owner choices of the public answer ----------------------------------------------------------


@pytest.fixture
def welfare_accepts_second_idea(
    coordinator, evaluator, welfare_evaluator, assignment, feasible_verdict, welfare, second_idea
):
    """Make welfare reject `resident_idea` and accept only `second_idea`, a merge candidate."""
    services.verdict_submit(evaluator, assignment, **feasible_verdict())
    own = services.ideas_assign(
        coordinator,
        assignment.idea.process,
        ideas=[assignment.idea],
        service_areas=[welfare],
        deadline=assignment.deadline,
    )[0]
    services.verdict_submit(
        welfare_evaluator,
        own,
        **feasible_verdict(
            feasible=False,
            cost_estimate=None,
            cost_rows=[],
            owning_service_area=None,
            public_reason="Ei kuulu palvelualueelle.",
        ),
    )
    candidate = services.ideas_assign(
        coordinator,
        assignment.idea.process,
        ideas=[second_idea],
        service_areas=[welfare],
        deadline=assignment.deadline,
    )[0]
    services.verdict_submit(
        welfare_evaluator, candidate, **feasible_verdict(owning_service_area=welfare)
    )


def _proposal_post(idea, owner, merged=()) -> dict:
    return {
        "decision": "proposal",
        "merged_ideas": [other.pk for other in merged],
        "final_cost": "12000",
        "owning_service_area": owner.pk,
        "budget_area": idea.process.budget_areas.get().pk,
        "public_reason": "Toteutetaan.",
    }


def test_owner_choices_label_merge_only_areas(
    client, coordinator, assignment, welfare_accepts_second_idea, urban, welfare, growth
):
    idea = assignment.idea
    client.force_login(coordinator)

    form = client.get(_url("consolidate", idea.process, idea.pk)).context["form"]

    field = form.fields["owning_service_area"]
    assert set(field.queryset) == {urban, welfare}
    assert field.label_from_instance(urban) == urban.name
    assert "Istumapaikkoja rantapolulle" in field.label_from_instance(welfare)


def test_owner_choices_agree_with_validation(
    client, coordinator, assignment, welfare_accepts_second_idea, urban, welfare
):
    idea = assignment.idea
    client.force_login(coordinator)
    url = _url("consolidate", idea.process, idea.pk)
    form = client.get(url).context["form"]

    for area in form.fields["owning_service_area"].queryset:
        response = client.post(url, {**_proposal_post(idea, area), "final_cost": "-1"})
        errors = response.context["form"].errors.as_data()
        owner_codes = [error.code for error in errors.get("owning_service_area", [])]
        if area.pk in form.needs_merge:
            assert owner_codes == ["owner_needs_merge"]
        else:
            assert owner_codes == []
    assert not Consolidation.objects.exists()


def test_owner_accepted_when_candidate_merged(
    client, coordinator, assignment, welfare_accepts_second_idea, welfare, second_idea
):
    idea = assignment.idea
    client.force_login(coordinator)

    response = client.post(
        _url("consolidate", idea.process, idea.pk),
        _proposal_post(idea, welfare, merged=[second_idea]),
    )

    assert response.status_code == 302
    assert Consolidation.objects.get().owning_service_area == welfare


def test_consolidation_selects_have_empty_label(client, coordinator, assignment):
    idea = assignment.idea
    client.force_login(coordinator)

    response = client.get(_url("consolidate", idea.process, idea.pk))

    form = response.context["form"]
    assert form.fields["owning_service_area"].empty_label != "---------"
    assert form.fields["budget_area"].empty_label != "---------"
    assert "---------" not in response.content.decode()


# --- Wording of lists and empty states -----------------------------------------------------------


def test_merged_authors_capitalised(
    client, coordinator, evaluator, assignment, feasible_verdict, urban, second_idea
):
    idea = assignment.idea
    services.verdict_submit(evaluator, assignment, **feasible_verdict())
    services.consolidate(
        coordinator,
        idea,
        decision=Consolidation.Decision.DECLINED,
        merged_ideas=[second_idea],
        public_reason="Ei toteuteta.",
    )

    url = reverse("participation:idea_detail", args=[idea.process.slug, idea.pk])
    content = client.get(url).content.decode()

    assert "(Asukas)" in content
    assert "(asukas)" not in content


def test_assign_page_without_ideas(client, coordinator, evaluation_process):
    client.force_login(coordinator)
    with translation.override("en"):
        url = _url("assign", evaluation_process)

    content = client.get(url).content.decode()

    assert "Every idea has a public answer." not in content
    assert "There are no ideas to evaluate yet." in content


def test_assign_page_all_answered(client, coordinator, resident_idea):
    services.consolidate(
        coordinator,
        resident_idea,
        decision=Consolidation.Decision.DECLINED,
        public_reason="Ei toteuteta.",
    )
    client.force_login(coordinator)
    with translation.override("en"):
        url = _url("assign", resident_idea.process)

    content = client.get(url).content.decode()

    assert "Every idea has a public answer." in content
    assert "There are no ideas to evaluate yet." not in content


def test_audit_names_area_and_merged_ideas(
    client, coordinator, evaluator, assignment, feasible_verdict, urban, second_idea
):
    idea = assignment.idea
    services.verdict_submit(evaluator, assignment, **feasible_verdict())
    services.consolidate(
        coordinator,
        idea,
        decision=Consolidation.Decision.PROPOSAL,
        merged_ideas=[second_idea],
        public_reason="Yhdistetään.",
        final_cost=Decimal("12500"),
        owning_service_area=urban,
        budget_area=idea.process.budget_areas.get(),
    )
    client.force_login(coordinator)

    response = client.get(_url("audit", idea.process))

    entries = {entry.action: entry for entry in response.context["entries"]}
    assert entries["verdict"].service_area == urban
    assert entries["consolidate"].answered_ideas == [idea, second_idea]
    content = response.content.decode()
    assert f"Antoi lausunnon: {urban.name}" in content
    assert second_idea.title in content
