"""
Query budgets: what a request costs in SQL does not grow with the learner's items, the review
queue or the course, and stays within the numbers the benchmark measured (README, "Performance").

Counted in the xblock-sdk workbench, like the benchmark. The workbench stores every XBlock field
in a table of its own, one query per field read (the LMS reads settings from its modulestore and
learner state in one query per block): budgets count the block's own queries apart from those.
No timing here: time is the benchmark's business (``make bench``).
"""
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from opaque_keys.edx.keys import CourseKey

from bench import data
from competency_plugin import api
from competency_plugin.frameworks.builtin import builtin_identifier
from competency_plugin.models import Evidence, EvidenceStatus, Framework
from portfolio_xblock.paging import OLDER_PAGE_SIZE
from portfolio_xblock.presentation import PAGE_SIZE
from portfolio_xblock.runtime_context import block_keys

# The budgets (README, "Performance"): queries outside the workbench's field storage. Writes count
# the statements of their transaction too (SAVEPOINT and RELEASE here, inside the test's transaction).
PAGE_BUDGET = 7                # learner page: the items with files, links, claims, decisions (one query); the form
SAVE_BUDGET = 14               # save_evidence: a draft and its claimed competence, the item and the counts
SUBMIT_BUDGET = 13             # submit_evidence: the frozen version, the item, the counts, block name, peers
STAFF_PAGE_BUDGET = 6          # the block's page for course staff: its review queue, and the viewer's account
#                                (the staff rule, api.is_course_staff: asked once, for staff only); their own
#                                items are a page and a count (one query more than when all were read)
REST_QUEUE_BUDGET = 4          # GET /api/competency/v1/courses/{id}/evidence/
ELIGIBILITY_BUDGET = 6         # one learner, policy requiring every portfolio block completed
COURSE_ELIGIBILITY_BUDGET = 7  # a whole course in bulk
OLDER_PAGE_BUDGET = 6          # older_evidence: the oldest shown, a page of items with files, links, claims, decisions
# The learner's block's HTML (its scripts and styles apart): a page of PAGE_SIZE (5) items with files,
# links, claims and decisions and the drafts' fields for the form (18 KB in the benchmark's data), the form
# with the whole UNESCO framework to claim from (32 KB since each competence carries its title, its
# direction and its own error slot). 33 KB with no item; 51 KB with a page of items, no more past it.
FRAGMENT_HTML_BUDGET = 56 * 1024
FIELD_STORAGE = "workbench_xblockstate"

pytestmark = pytest.mark.django_db


class Cost:
    """SQL queries of one request: in all, and the block's own (outside the workbench's field storage)."""

    def __init__(self, action):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            self.result = action()
        self.total = len(captured.captured_queries)
        self.own = sum(FIELD_STORAGE not in query["sql"] for query in captured.captured_queries)

    def __eq__(self, other):
        return (self.total, self.own) == (other.total, other.own)

    def __repr__(self):
        return f"<{self.own} own queries, {self.total} in all>"


@pytest.fixture
def framework():
    """The UNESCO ICT-CFT framework, as the benchmark's block offers it, and its leaf competences."""
    api.load_builtin_frameworks()
    row = Framework.objects.get(identifier=builtin_identifier("unesco-ict-cft-v3"))
    return row, data.leaf_competences(row)


@pytest.fixture
def block(make_scenario, framework):
    """The benchmark's portfolio block (bench.runner.portfolio_xml), offering the whole framework."""
    from bench.runner import portfolio_xml  # pylint: disable=import-outside-toplevel

    xml = portfolio_xml(framework[0].identifier)
    return make_scenario(xml[len("<vertical_demo>"):-len("</vertical_demo>")])


def _learners_with_items(scenario, leaves, counts, prefix="learner"):
    """Accounts holding ``counts`` items each in the scenario's block (drafts, submitted, reviewed)."""
    course_key, usage_key = block_keys(scenario.block())
    accounts = data.users([f"{prefix}-{count}" for count in counts])
    for count in counts:
        data.learner_items(accounts[f"{prefix}-{count}"], course_key, usage_key, count, leaves)
    return accounts


def _fragment(html):
    """The portfolio block's own HTML in a workbench page: from its root element to its init arguments."""
    start = html.index('<div class="cpf"')
    return html[start:html.index('<script type="json/xblock-args"', start)]


def _page(scenario, student):
    response = scenario.render(student=student)
    assert response.status_code == 200
    return response


def _draft(username):
    return str(Evidence.objects.filter(user__username=username, status=EvidenceStatus.DRAFT)
               .order_by("id").values_list("uuid", flat=True).first())


def test_learner_page_costs_the_same_with_4_20_and_200_items(block, framework):
    # From 4 items on, the learner holds every status (drafts, submitted, accepted, revision asked).
    _learners_with_items(block, framework[1], (0, 4, 20, 200))
    costs, sizes = {}, {}
    for count in (0, 4, 20, 200):
        _page(block, f"learner-{count}")  # the workbench writes its field rows on first sight
        costs[count] = Cost(lambda c=count: _page(block, f"learner-{c}"))
        html = costs[count].result.content.decode()
        assert html.count('class="cpf-item"') == min(count, PAGE_SIZE)  # the latest; older ones on demand
        assert ('data-action="older"' in html) == (count > PAGE_SIZE)
        sizes[count] = len(_fragment(html).encode())
    assert costs[4] == costs[20] == costs[200]
    assert costs[0].own <= costs[4].own <= PAGE_BUDGET
    # The block's HTML stops growing at a page of items.
    assert sizes[20] == pytest.approx(sizes[200], abs=200) and sizes[200] <= FRAGMENT_HTML_BUDGET, sizes


def test_older_situations_come_a_page_at_a_time_at_a_constant_cost(block, framework):
    _learners_with_items(block, framework[1], (25, 200))
    costs = {}
    for count in (25, 200):
        username = f"learner-{count}"
        oldest_shown = Evidence.objects.filter(user__username=username).order_by("-created", "-id")[PAGE_SIZE - 1]
        _page(block, username)
        costs[count] = Cost(lambda u=username, b=oldest_shown: block.post_json(
            "older_evidence", {"before": str(b.uuid)}, student=u))
        status, body = costs[count].result
        assert status == 200 and body["items_html"].count('class="cpf-item"') == OLDER_PAGE_SIZE
    assert costs[25] == costs[200] and costs[25].own <= OLDER_PAGE_BUDGET


def test_save_and_submit_cost_the_same_with_4_and_20_items(block, framework):
    _learners_with_items(block, framework[1], (4, 20))
    claim = [{"competence": str(framework[1][0].identifier), "justification": "Usage autonome de l'outil."}]
    saves, submits = {}, {}
    for count in (4, 20):
        username = f"learner-{count}"
        draft = _draft(username)
        payload = {"uuid": draft, "claims": claim, "fields": {"title": "Séance", "situation_type": "authentic"},
                   "edit_version": Evidence.objects.get(uuid=draft).edit_version}
        payload["edit_version"] = block.post_json("save_evidence", payload, student=username)[1]["evidence"][
            "edit_version"]
        saves[count] = Cost(lambda p=payload, u=username: block.post_json("save_evidence", p, student=u))
        assert saves[count].result[0] == 200
        submit = {"uuid": draft, "edit_version": saves[count].result[1]["evidence"]["edit_version"]}
        submits[count] = Cost(lambda p=submit, u=username: block.post_json("submit_evidence", p, student=u))
        assert submits[count].result[0] == 200, submits[count].result
    assert saves[4] == saves[20] and saves[4].own <= SAVE_BUDGET
    assert submits[4] == submits[20] and submits[4].own <= SUBMIT_BUDGET


def test_staff_page_costs_the_same_with_10_and_1000_items_waiting(make_scenario, framework):
    xml = '<portfolio display_name="File" min_evidence="1"/>'
    queues = {size: make_scenario(xml) for size in (10, 1000)}
    learners = list(data.users([f"queue-{index}" for index in range(50)]).values())
    data.users(["staff-reviewer"], is_staff=True)
    costs = {}
    for size, scenario in queues.items():
        course_key, usage_key = block_keys(scenario.block())
        data.waiting_items(learners, course_key, usage_key, size, framework[1])
        _page(scenario, "staff-reviewer")
        costs[size] = Cost(lambda s=scenario: _page(s, "staff-reviewer"))
        assert "En attente" in costs[size].result.content.decode(), "the staff page lists the queue"
    assert costs[10] == costs[1000]
    assert costs[10].own <= STAFF_PAGE_BUDGET


def test_rest_queue_costs_the_same_with_10_and_1000_items_waiting(client, framework):
    learners = list(data.users([f"queue-{index}" for index in range(50)]).values())
    client.force_login(data.users(["staff-reviewer"], is_staff=True)["staff-reviewer"])
    costs = {}
    for size in (10, 1000):
        course = CourseKey.from_string(f"course-v1:bench+queue{size}+2026")
        data.waiting_items(learners, course, course.make_usage_key("portfolio", "situations"), size, framework[1])
        url = f"/api/competency/v1/courses/{course}/evidence/"
        client.get(url)
        costs[size] = Cost(lambda u=url: client.get(u))
        assert costs[size].result.status_code == 200
        assert json.loads(costs[size].result.content)["count"] == size
    assert costs[10] == costs[1000]
    assert costs[10].own <= REST_QUEUE_BUDGET


def _eligibility_course(framework, counts, run="2026"):
    """A course whose policy asks two domains and every block; learners with ``counts`` items."""
    row, leaves = framework
    course = CourseKey.from_string(f"course-v1:bench+eligibility+{run}")
    usage_keys = [course.make_usage_key("portfolio", name) for name in ("authentique", "formation")]
    accounts = data.users([f"elig-{index}" for index in range(len(counts))])
    data.accepted_items({accounts[f"elig-{index}"]: count for index, count in enumerate(counts)}, course, usage_keys,
                        leaves)
    data.attestation_policy(course, row, [(aspect, 2, 1) for aspect in row.competences.filter(depth=0)[:2]])
    return course, accounts


def test_eligibility_of_one_learner_costs_the_same_with_1_and_200_items(framework):
    course, accounts = _eligibility_course(framework, (1, 200))
    api.get_eligibility(accounts["elig-0"], course)  # the course's blocks are cached, as between requests
    one = Cost(lambda: api.get_eligibility(accounts["elig-0"], course, language="fr"))
    many = Cost(lambda: api.get_eligibility(accounts["elig-1"], course, language="fr"))
    assert many.result.eligible and not one.result.eligible
    assert one == many and one.own <= ELIGIBILITY_BUDGET


def test_eligibility_of_a_course_costs_the_same_with_10_and_100_learners(framework):
    small, _accounts = _eligibility_course(framework, [10] * 10)
    costs = {10: Cost(lambda: api.get_course_eligibility(small, language="fr"))}
    get_user_model().objects.filter(username__startswith="elig-").delete()
    large, _accounts = _eligibility_course(framework, [10] * 100, run="2027")
    costs[100] = Cost(lambda: api.get_course_eligibility(large, language="fr"))
    assert len(costs[10].result) == 10 and len(costs[100].result) == 100
    assert costs[10] == costs[100] and costs[10].own <= COURSE_ELIGIBILITY_BUDGET
