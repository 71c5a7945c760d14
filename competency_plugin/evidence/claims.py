"""Which competences a block offers, and the competences learners claim on their evidence."""
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext as _

from competency_plugin.evidence.data import ClaimData
from competency_plugin.evidence.models import EvidenceCompetence
from competency_plugin.exceptions import CompetencyRequestError
from competency_plugin.frameworks.data import OPTION_FIELDS, CompetenceOption
from competency_plugin.frameworks.models import Competence
from competency_plugin.platform.text import MAX_TEXT_LENGTH, text_problem

MAX_JUSTIFICATION_LENGTH = 5000


def competence_option(competence):
    """Return the plain data of a competence row."""
    return CompetenceOption(
        identifier=competence.identifier,
        code=competence.code,
        title_fr=competence.title_fr,
        title_en=competence.title_en,
        depth=competence.depth,
    )


def selectable_competences(*, framework_identifier, competence_identifiers=()):
    """
    Return the competences a block offers, in tree order (two queries at most).

    ``competence_identifiers`` are the nodes the author chose: each brings its descendants
    (choosing a domain offers its competences). None chosen offers the whole framework.
    """
    if not framework_identifier:
        return []
    try:
        queryset = Competence.objects.filter(framework__identifier=str(framework_identifier))
        if competence_identifiers:
            roots = list(
                queryset.filter(identifier__in=[str(value) for value in competence_identifiers]).values_list(
                    "path", flat=True
                )
            )
            if not roots:
                return []
            within = Q()
            for path in roots:
                within |= Q(path=path) | Q(path__startswith=path + ".")
            queryset = queryset.filter(within)
        # Nodes retired by a re-import stay for the evidence that claims them, but are not offered.
        rows = queryset.order_by("path", "id").values_list(*OPTION_FIELDS, "extra")
        return [CompetenceOption(*row[:-1]) for row in rows if not (row[-1] or {}).get("retired")]
    except ValidationError:
        return []


def competences_by_framework():
    """
    Return {framework identifier: [``CompetenceOption``, in tree order]} for every framework, the
    nodes retired by a re-import left out: what Studio's editor lists (one query).
    """
    options = defaultdict(list)
    rows = Competence.objects.annotate(framework_uuid=F("framework__identifier")).order_by("framework_id", "path", "id")
    for row in rows:
        if not row.extra.get("retired"):
            options[row.framework_uuid].append(competence_option(row))
    return dict(options)


def claimable_identifiers(options):
    """
    Return the identifiers (strings) of the ``options`` a learner may claim: the leaves.

    ``options`` are in tree order (as ``selectable_competences`` gives them): a node followed by a
    deeper one groups competences, and is a heading, not a claim.
    """
    return {
        str(option.identifier)
        for option, following in zip(options, [*options[1:], None])
        if not (following and following.depth > option.depth)
    }


def parse_claims(claims, options):
    """
    Validate a learner's claims against the block's ``options``.

    Args:
        claims: ``[{"competence": identifier, "justification": text}, …]``.
        options: the ``CompetenceOption`` list the block offers.

    Returns:
        {identifier string: justification}

    Raises:
        CompetencyRequestError with a ``competences`` field error.
    """
    if not isinstance(claims, list):
        raise _claims_error(_("The competences must be a list."))
    offered = {str(option.identifier): option for option in options}
    claimable = claimable_identifiers(list(options))
    parsed = {}
    for claim in claims:
        if not isinstance(claim, dict) or not isinstance(claim.get("competence"), str):
            raise _claims_error(_("Each competence must name its identifier."))
        identifier = claim["competence"].strip().lower()
        justification = claim.get("justification", "")
        problem = text_problem(justification, min(MAX_JUSTIFICATION_LENGTH, MAX_TEXT_LENGTH))
        if problem:
            raise _claims_error(_("Justification: {problem}").format(problem=problem))
        if identifier not in offered:
            raise _claims_error(_("This activity does not collect evidence for one of the competences chosen."))
        if identifier not in claimable:
            raise _claims_error(_("One of the competences chosen groups other competences: choose among those."))
        parsed[identifier] = justification.strip()
    return parsed


def _claims_error(message):
    return CompetencyRequestError(message, {"competences": [message]})


def replace_claims(evidence, parsed, framework_identifier):
    """Make the evidence's claims exactly ``parsed`` ({identifier: justification}), in few queries."""
    competences = {}
    if parsed:
        rows = Competence.objects.filter(framework__identifier=str(framework_identifier), identifier__in=list(parsed))
        competences = {str(row.identifier): row for row in rows}
    existing = {str(claim.competence.identifier): claim for claim in evidence.claims.select_related("competence")}
    stale = [claim.pk for identifier, claim in existing.items() if identifier not in parsed]
    if stale:
        EvidenceCompetence.objects.filter(pk__in=stale).delete()
    changed = []
    for identifier, justification in parsed.items():
        claim = existing.get(identifier)
        if claim is None:
            EvidenceCompetence.objects.create(
                evidence=evidence, competence=competences[identifier], justification=justification
            )
        elif claim.justification != justification:
            claim.justification = justification
            changed.append(claim)
    if changed:
        EvidenceCompetence.objects.bulk_update(changed, ["justification"])


def claims_of(evidence):
    """Return the claims of an evidence item whose ``claims__competence`` is prefetched."""
    return tuple(
        ClaimData(competence=competence_option(claim.competence), justification=claim.justification)
        for claim in evidence.claims.all()
    )
