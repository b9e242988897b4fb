"""Saving set-up steps, voiding stale signatures, validating across steps, submitting and reopening.

These are the only functions that write set-up records; the wizard, admin actions and tests all call them.
"""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from onboarding import crypto, identifiers
from onboarding.choices import Document
from onboarding.documents import document_render, signed_text
from onboarding.models import Exemptions, PiSurvey, PracticeProfile, Signature, SmallPractice, TaxIdentifier
from onboarding.selectors import enrollment_with_steps, step_record
from onboarding.signals import setup_completed
from onboarding.steps import STEP_NAMES
from practices.models import Enrollment

logger = logging.getLogger("onboarding")


class AlreadySubmitted(Exception):
    """The set-up was already submitted (a double click, a second tab or a replayed request)."""


class SetupIncomplete(Exception):
    """Submission refused: earlier steps are incomplete or disagree. `problems` is a list of (step, message)."""

    def __init__(self, problems):
        super().__init__("set-up incomplete")
        self.problems = problems


class TinTaken(Exception):
    """Another practice registered this TIN for the same year first."""


class StepRejected(Exception):
    """The database refused a step's answers (a rule the form should have caught); nothing was written."""


@dataclass(frozen=True)
class Evidence:
    """Where a signature came from."""

    ip_address: str | None
    user_agent: str


@dataclass(frozen=True)
class Progress:
    """Which steps are complete, in order."""

    complete: dict

    @property
    def first_incomplete(self) -> str | None:
        """Return the first step not yet complete, or None when every step is."""
        return next((name for name in STEP_NAMES if not self.complete[name]), None)

    def reachable(self, step: str) -> bool:
        """Return whether every step before `step` is complete."""
        first = self.first_incomplete
        return first is None or STEP_NAMES.index(step) <= STEP_NAMES.index(first)

    @property
    def done_count(self) -> int:
        """Return how many steps are complete."""
        return sum(self.complete.values())


def onboarding_progress(enrollment: Enrollment) -> Progress:
    """Return the progress of an enrollment loaded by selectors.enrollment_with_steps."""
    survey = step_record(enrollment, "pi_survey")
    return Progress({
        "profile": step_record(enrollment, "profile") is not None,
        "small_practice": step_record(enrollment, "small_practice") is not None,
        "pi_survey": survey is not None and survey.is_complete,
        "exemptions": step_record(enrollment, "exemptions") is not None,
        "tin": step_record(enrollment, "tax_identifier") is not None,
        "baa": Document.BAA in enrollment.active_signatures,
        "waiver": enrollment.submitted_at is not None,
    })


def onboarding_step_save(*, enrollment: Enrollment, step: str, data: dict, user, evidence: Evidence | None = None) -> None:
    """Write one valid step in its own transaction, then void any signature whose subject changed.

    The waiver is not saved here: signing it is the submission (onboarding_submit).
    """
    savers = {
        "profile": lambda: _record_save(PracticeProfile, enrollment, data),
        "small_practice": lambda: _record_save(SmallPractice, enrollment, data),
        "pi_survey": lambda: _pi_survey_save(enrollment, data),
        "exemptions": lambda: _record_save(Exemptions, enrollment, data),
        "tin": lambda: _tin_save(enrollment, data),
        "baa": lambda: _signature_create(enrollment, Document.BAA, data, user, evidence),
    }
    try:
        with transaction.atomic():
            if Enrollment.objects.select_for_update().filter(pk=enrollment.pk, submitted_at__isnull=False).exists():
                raise AlreadySubmitted
            savers[step]()
            _void_stale_signatures(enrollment)
    except IntegrityError as error:
        logger.warning("step %s refused by a database constraint: %s", step, error.__class__.__name__)
        raise StepRejected from error


def _record_save(model, enrollment: Enrollment, data: dict):
    """Create or update a step row from validated data (the enrollment's loaded row is reused and kept current)."""
    relation = model._meta.get_field("enrollment").remote_field.related_name
    record = step_record(enrollment, relation) or model(enrollment=enrollment)
    names = {f.name for f in model._meta.concrete_fields} - {"id", "enrollment", "saved_at"}
    for name in names & data.keys():
        setattr(record, name, data[name])
    # Field rules only: the constraints are checked by the step's form and enforced by PostgreSQL on save.
    record.full_clean(validate_unique=False, validate_constraints=False)
    record.save()
    setattr(enrollment, relation, record)
    return record


def _pi_survey_save(enrollment: Enrollment, data: dict) -> PiSurvey:
    took = data["took_survey"]
    answers = ("uses_cehrt", "hospital_based", "pi_not_applicable_type", "reports_through_other_entity")
    values = {name: (data[name] if took else None) for name in answers}
    qualifies = bool(took and values["pi_not_applicable_type"])
    values["reweight_to_zero"] = data.get("reweight_to_zero") if qualifies else None
    values["pi_exempt"] = qualifies and values["reweight_to_zero"] is True
    return _record_save(PiSurvey, enrollment, {"took_survey": took, **values})


def _tin_save(enrollment: Enrollment, data: dict) -> TaxIdentifier:
    tin = data["tin"]
    record = step_record(enrollment, "tax_identifier") or TaxIdentifier(enrollment=enrollment, year_id=enrollment.year_id)
    index = crypto.tin_index(tin)
    if record.pk and record.tin_index == index and record.tin_type == data["tin_type"]:
        return record
    record.tin_type, record.tin_index, record.tin_last4 = data["tin_type"], index, tin[-4:]
    record.tin_encrypted = crypto.tin_encrypt(tin)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        # The form checked first; this is the race where another practice saved the same TIN a moment earlier.
        raise TinTaken from error
    enrollment.tax_identifier = record
    return record


def signature_subject(enrollment: Enrollment, document: str) -> dict:
    """Return what a document names as of now: a change to any of it voids the document's signature."""
    profile = step_record(enrollment, "profile")
    subject = {"practice_name": identifiers.name_fold(profile.practice_name) if profile else ""}
    if document == Document.WAIVER:
        tin = step_record(enrollment, "tax_identifier")
        holder = f"{profile.first_name} {profile.last_name}" if profile else ""
        subject |= {"tin": tin.tin_index if tin else "", "holder": identifiers.name_fold(holder)}
    return subject


def _void_stale_signatures(enrollment: Enrollment) -> None:
    for signature in list(enrollment.active_signatures.values()):
        current = signature_subject(enrollment, signature.document)
        changed = sorted(k for k in current if signature.covers.get(k) != current[k])
        if changed:
            words = {"practice_name": "practice name", "tin": "TIN", "holder": "account holder's name"}
            signature_void(signature=signature, reason="Changed after signing: " + ", ".join(words[k] for k in changed))
            del enrollment.active_signatures[signature.document]


def signature_void(*, signature: Signature, reason: str) -> None:
    """Void a signature (its evidence stays; only voided_at and the reason are written)."""
    signature.voided_at, signature.void_reason = timezone.now(), reason[:200]
    signature.save(update_fields=["voided_at", "void_reason"])


def document_for(enrollment: Enrollment, document: str):
    """Return the document as shown to this enrollment's signer."""
    profile = step_record(enrollment, "profile")
    practice_name = profile.practice_name if profile else enrollment.practice.name
    if document == Document.BAA:
        return document_render(document, covered_entity=practice_name)
    return document_render(document, practice_name=practice_name, year=enrollment.year.year)


def _signature_create(enrollment: Enrollment, document: str, data: dict, user, evidence: Evidence) -> Signature:
    rendered = document_for(enrollment, document)
    if data.get("shown_sha256") != rendered.sha256:
        raise SetupIncomplete([(document, "The document changed since it was shown; read it again and sign.")])
    if document == Document.BAA:
        fields = [("Covered Entity", data["covered_entity"]), ("Signed by", data["signer_name"]), ("Title", data["signer_title"])]
        initials = {}
    else:
        initials = {clause_id: data[f"initials_{clause_id}"] for clause_id, _ in rendered.clauses}
        fields = [(f"Initials, clause {k}", v) for k, v in initials.items()]
        fields += [("First name", data["first_name"]), ("Last name", data["last_name"])]
    now = timezone.now()
    fields += [("Typed name serves as digital signature", "yes"), ("Signed at (UTC)", now.isoformat()),
               ("Signing account", user.email), ("Document version", rendered.version)]
    text = signed_text(rendered, fields=fields)
    old = enrollment.active_signatures.pop(document, None)
    if old is not None:
        signature_void(signature=old, reason="Signed again")
    enrollment.active_signatures[document] = Signature.objects.create(
        enrollment=enrollment, document=document, version=rendered.version, text=text,
        text_sha256=Signature.sha256_of(text), covered_entity=data.get("covered_entity", ""),
        signer_name=data.get("signer_name") or f"{data['first_name']} {data['last_name']}",
        signer_title=data.get("signer_title", ""), initials=initials, consent=True,
        covers=signature_subject(enrollment, document), user=user, signed_at=now,
        ip_address=evidence.ip_address if evidence else None, user_agent=(evidence.user_agent if evidence else "")[:500],
    )
    return enrollment.active_signatures[document]


def onboarding_validate(enrollment: Enrollment) -> list[tuple[str, str]]:
    """Return every reason the set-up cannot be submitted yet, as (step, message); empty when it can.

    Rules that span steps live here, and run both before the waiver is shown and inside the submission.
    """
    problems = []
    progress = onboarding_progress(enrollment)
    for step in STEP_NAMES[:-1]:
        if not progress.complete[step]:
            problems.append((step, "This step is not complete."))
    small = step_record(enrollment, "small_practice")
    if small and small.clinician_count is not None and small.is_small != (small.clinician_count <= 15):
        problems.append(("small_practice", "The clinician count disagrees with the small-practice answer."))
    baa = enrollment.active_signatures.get(Document.BAA)
    if baa and baa.covers != signature_subject(enrollment, Document.BAA):
        problems.append(("baa", "The BAA was signed for different practice details; sign it again."))
    return problems


def onboarding_submit(*, enrollment: Enrollment, user, data: dict, evidence: Evidence) -> Enrollment:
    """Sign the waiver and submit the set-up: one transaction, one submission, one `setup_completed` signal.

    The enrollment row is locked first, so a double click, a second tab or a replayed POST waits here and then
    finds the set-up already submitted.
    """
    from onboarding.tasks import setup_submitted_email_send

    with transaction.atomic():
        # Lock the enrollment and read every step again in one query: what the page saw may be stale.
        locked = enrollment_with_steps(Enrollment.objects.select_for_update(of=("self",)), pk=enrollment.pk)
        if locked.submitted_at is not None:
            raise AlreadySubmitted
        problems = onboarding_validate(locked)
        if problems:
            raise SetupIncomplete(problems)
        _signature_create(locked, Document.WAIVER, data, user, evidence)
        locked.submitted_at, locked.submitted_by = timezone.now(), user
        locked.save(update_fields=["submitted_at", "submitted_by"])
        setup_completed.send(sender=Enrollment, enrollment=locked, user=user)
        setup_submitted_email_send.enqueue(locked.pk)
    logger.info("set-up submitted for enrollment %s", locked.pk)
    return locked


def onboarding_reopen(*, enrollment: Enrollment, reason: str) -> None:
    """Reopen a submitted set-up for changes (staff): the waiver it was submitted with is voided."""
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        for signature in Signature.objects.filter(enrollment=locked, document=Document.WAIVER, voided_at__isnull=True):
            signature_void(signature=signature, reason=f"Set-up reopened: {reason}")
        locked.submitted_at, locked.submitted_by = None, None
        locked.save(update_fields=["submitted_at", "submitted_by"])
