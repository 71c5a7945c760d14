"""
The benchmark's data, written with ``bulk_create`` (a fixed handful of statements per table).

Rows are what the product writes (a learner's items with an attached file, a link and a claimed
competence; reviewed items with their decision), so that reads cost what they cost in use.
"""
import datetime
import uuid

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from competency_plugin.models import (
    Attachment,
    AttachmentKind,
    AttestationPolicy,
    Competence,
    CompetenceDecision,
    CompetenceStatus,
    Evidence,
    EvidenceCompetence,
    EvidenceStatus,
    EvidenceVersion,
    PolicyRequirement,
    ReviewDecision,
    ReviewOutcome,
    SituationType,
)

BATCH = 2000
DESCRIPTION = (
    "Séance de géométrie en CM2 : les élèves construisent des figures avec un logiciel de géométrie "
    "dynamique sur tablette, par binômes, puis comparent leurs constructions au tableau numérique. "
) * 3
ANALYSIS = (
    "La manipulation a aidé les élèves les plus fragiles à comprendre la notion de médiatrice ; "
    "la consigne écrite était trop longue et j'ai dû la reformuler oralement. La prochaine fois, "
    "je prévoirai une fiche d'aide graduée et un temps de mise en commun plus court. "
) * 3
# How a learner's items are spread over the statuses, in a repeating cycle.
STATUS_CYCLE = (
    EvidenceStatus.DRAFT, EvidenceStatus.SUBMITTED, EvidenceStatus.ACCEPTED, EvidenceStatus.REVISION_REQUESTED,
)


def users(usernames, *, is_staff=False):
    """Create the accounts (as the demo's user service would on first sight); return {username: user}."""
    model = get_user_model()
    model.objects.bulk_create(
        [model(username=name, email=f"{name}@example.com", is_staff=is_staff) for name in usernames],
        batch_size=BATCH,
    )
    return {user.username: user for user in model.objects.filter(username__in=list(usernames))}


def _created(model, rows, key="uuid"):
    """``bulk_create`` rows, then make sure their primary keys are known (by ``key``) on every backend."""
    model.objects.bulk_create(rows, batch_size=BATCH)
    if all(row.pk for row in rows):
        return rows
    by_key = {}
    values = [getattr(row, key) for row in rows]
    for start in range(0, len(values), BATCH):
        by_key.update(model.objects.filter(**{f"{key}__in": values[start:start + BATCH]}).in_bulk(field_name=key))
    return [by_key[value] for value in values]


def learner_items(user, course_key, usage_key, count, competences, *, status_cycle=STATUS_CYCLE, title="Situation"):
    """
    Give ``user`` ``count`` items in a block, cycling through ``status_cycle``; each has a file,
    a link and a claimed competence; reviewed ones have their frozen version and decision.
    """
    now = timezone.now()
    items = []
    for number in range(count):
        status = status_cycle[number % len(status_cycle)]
        submitted = status != EvidenceStatus.DRAFT
        items.append(Evidence(
            uuid=uuid.uuid4(), user=user, course_key=course_key, usage_key=usage_key,
            situation_type=SituationType.AUTHENTIC if number % 2 else SituationType.TRAINING,
            title=f"{title} {number + 1}", occurred_on=datetime.date(2026, 3, 1 + number % 28),
            school_level="CM2", subject="Mathématiques", description=DESCRIPTION, analysis=ANALYSIS,
            status=status, version=1 if submitted else 0, submitted_at=now if submitted else None,
        ))
    items = _created(Evidence, items)
    attachments = []
    for item in items:
        attachments.append(Attachment(
            uuid=uuid.uuid4(), evidence=item, kind=AttachmentKind.FILE, title="fiche-de-preparation.pdf",
            file_key=f"competency-portfolio/{uuid.uuid4().hex}.pdf", content_type="application/pdf", size=284_000,
        ))
        attachments.append(Attachment(
            uuid=uuid.uuid4(), evidence=item, kind=AttachmentKind.LINK, title="Production des élèves",
            url="https://example.org/productions/cm2",
        ))
    Attachment.objects.bulk_create(attachments, batch_size=BATCH)
    EvidenceCompetence.objects.bulk_create(
        [EvidenceCompetence(evidence=item, competence=competences[index % len(competences)],
                            justification="Les élèves ont utilisé l'outil en autonomie.")
         for index, item in enumerate(items)],
        batch_size=BATCH,
    )
    reviewed = [item for item in items if item.version]
    EvidenceVersion.objects.bulk_create(
        [EvidenceVersion(evidence=item, number=1, content={"title": item.title}, submitted_at=now)
         for item in reviewed],
        batch_size=BATCH,
    )
    decided = [item for item in reviewed if item.status != EvidenceStatus.SUBMITTED]
    decisions(decided, competences, outcome_of=lambda item: item.status)
    return items


def decisions(items, competences, *, outcome_of, reviewer=None, level=""):
    """Record one decision per item (outcome from ``outcome_of(item)``) validating one competence."""
    rows = _created(ReviewDecision, [
        ReviewDecision(uuid=uuid.uuid4(), evidence=item, version=1, reviewer=reviewer, outcome=outcome_of(item),
                       feedback="" if outcome_of(item) == ReviewOutcome.ACCEPTED else "Précisez votre analyse.")
        for item in items
    ])
    CompetenceDecision.objects.bulk_create(
        [CompetenceDecision(
            decision=decision, competence=competences[index % len(competences)], level=level,
            status=(CompetenceStatus.VALIDATED if decision.outcome == ReviewOutcome.ACCEPTED
                    else CompetenceStatus.NOT_YET),
        ) for index, decision in enumerate(rows)],
        batch_size=BATCH,
    )


def waiting_items(learners, course_key, usage_key, count, competences, title="En attente"):
    """``count`` submitted items awaiting review in a block, spread over ``learners``."""
    items = []
    per_learner = max(1, count // len(learners))
    for index, user in enumerate(learners):
        wanted = min(per_learner, count - len(items))
        if wanted <= 0:
            break
        items += learner_items(user, course_key, usage_key, wanted, competences,
                               status_cycle=(EvidenceStatus.SUBMITTED,), title=f"{title} {index}")
    return items


def _insert(model, fields, rows):
    """
    Insert ``rows`` (tuples of values already prepared for the database, in the order of ``fields``)
    with one ``executemany`` per chunk: ``bulk_create`` prepares every value of every row through
    the ORM, which costs minutes for the hundreds of thousands of rows of the course below.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start:start + 20_000])


def _prepared(model, name, value):
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def _next_id(model):
    return (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1


def accepted_items(counts, course_key, usage_keys, competences):
    """
    Give each learner of ``counts`` ({user: n}) n accepted items in the course, spread over
    ``usage_keys``, each with the decision that accepts it validating one competence (a third of the
    items authentic). Rows as ``Evidence``, ``ReviewDecision`` and ``CompetenceDecision`` store them.
    """
    now = timezone.now()
    at = _prepared(Evidence, "created", now)
    course = _prepared(Evidence, "course_key", course_key)
    usages = [_prepared(Evidence, "usage_key", key) for key in usage_keys]
    evidence_id, decision_id = _next_id(Evidence), _next_id(ReviewDecision)
    evidence, decided, validated = [], [], []
    for user, count in counts.items():
        for number in range(count):
            kind = SituationType.AUTHENTIC if number % 3 == 0 else SituationType.TRAINING
            evidence.append((
                evidence_id, _prepared(Evidence, "uuid", uuid.uuid4()), user.pk, course, usages[number % len(usages)],
                kind, f"Situation {number + 1}", "", "", "d", "a", EvidenceStatus.ACCEPTED, 1, at, at, at,
            ))
            decided.append((decision_id, _prepared(ReviewDecision, "uuid", uuid.uuid4()), evidence_id, 1,
                            ReviewOutcome.ACCEPTED, "", at))
            validated.append((decision_id, competences[len(validated) % len(competences)].pk,
                              CompetenceStatus.VALIDATED, ""))
            evidence_id += 1
            decision_id += 1
    _insert(Evidence, ("id", "uuid", "user", "course_key", "usage_key", "situation_type", "title", "school_level",
                       "subject", "description", "analysis", "status", "version", "submitted_at", "created",
                       "modified"), evidence)
    _insert(ReviewDecision, ("id", "uuid", "evidence", "version", "outcome", "feedback", "created"), decided)
    _insert(CompetenceDecision, ("decision", "competence", "status", "level"), validated)


def attestation_policy(course_key, framework, requirements):
    """
    Write the course's policy: ``requirements`` [(competence, min validated, min authentic)], one
    authentic situation overall, and every portfolio block completed.
    """
    policy = AttestationPolicy.objects.create(
        course_key=course_key, framework=framework, min_authentic=1, require_blocks_completed=True,
    )
    PolicyRequirement.objects.bulk_create(
        PolicyRequirement(policy=policy, competence=competence, min_validated=validated, min_authentic=authentic)
        for competence, validated, authentic in requirements
    )
    return policy


def leaf_competences(framework):
    """The competences of a framework that have no child, in tree order."""
    rows = list(Competence.objects.filter(framework=framework).order_by("path"))
    parents = {row.parent_id for row in rows}
    return [row for row in rows if row.pk not in parents]
