"""Fixed lists of the set-up forms: US states and territories, specialties, EHR vendors (../shared/spec/domain.md §8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
    ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("DC", "District of Columbia"), ("FL", "Florida"),
    ("GA", "Georgia"), ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"),
    ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
    ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"), ("MO", "Missouri"),
    ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"), ("NH", "New Hampshire"), ("NJ", "New Jersey"),
    ("NM", "New Mexico"), ("NY", "New York"), ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"),
    ("OK", "Oklahoma"), ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
    ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"),
    ("VA", "Virginia"), ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
    ("AS", "American Samoa"), ("GU", "Guam"), ("MP", "Northern Mariana Islands"), ("PR", "Puerto Rico"),
    ("VI", "U.S. Virgin Islands"),
]


class Specialty(models.TextChoices):
    """The practice's specialty; the value is CMS's measure-set slug in qpp-measures-data where one exists."""

    PHYSICAL_THERAPY = "physical_therapy", _("Physical Therapy")
    OCCUPATIONAL_THERAPY = "occupational_therapy", _("Occupational Therapy")
    SPEECH_LANGUAGE_PATHOLOGY = "speech_language_pathology", _("Speech-Language Pathology")
    AUDIOLOGY = "audiology", _("Audiology")
    CHIROPRACTIC = "chiropractic", _("Chiropractic")
    PHYSICAL_MEDICINE = "physical_medicine", _("Physical Medicine & Rehabilitation")
    ORTHOPEDIC_SURGERY = "orthopedic_surgery", _("Orthopedic Surgery")
    PODIATRY = "podiatry", _("Podiatry")
    NEUROLOGY = "neurology", _("Neurology")
    GERIATRICS = "geriatrics", _("Geriatrics")
    FAMILY_MEDICINE = "family_medicine", _("Family Medicine")
    INTERNAL_MEDICINE = "internal_medicine", _("Internal Medicine")
    BEHAVIORAL_HEALTH = "behavioral_health", _("Clinical Psychology / Behavioral Health")
    NUTRITION = "nutrition", _("Registered Dietitian / Nutrition")
    CLINICAL_SOCIAL_WORK = "clinical_social_work", _("Clinical Social Work")
    PEDIATRICS = "pediatrics", _("Pediatrics")
    RHEUMATOLOGY = "rheumatology", _("Rheumatology")
    OTHER = "other", _("Multispecialty / Other")


# CMS measure-set slug (qpp-measures-data `measureSets`) for each specialty; Other has none.
SPECIALTY_MEASURE_SET = {
    Specialty.PHYSICAL_THERAPY: "physicalTherapyOccupationalTherapy",
    Specialty.OCCUPATIONAL_THERAPY: "physicalTherapyOccupationalTherapy",
    Specialty.SPEECH_LANGUAGE_PATHOLOGY: "speechLanguagePathology",
    Specialty.AUDIOLOGY: "audiology",
    Specialty.CHIROPRACTIC: "chiropracticMedicine",
    Specialty.PHYSICAL_MEDICINE: "physicalMedicine",
    Specialty.ORTHOPEDIC_SURGERY: "orthopedicSurgery",
    Specialty.PODIATRY: "podiatry",
    Specialty.NEUROLOGY: "neurology",
    Specialty.GERIATRICS: "geriatrics",
    Specialty.FAMILY_MEDICINE: "familyMedicine",
    Specialty.INTERNAL_MEDICINE: "internalMedicine",
    Specialty.BEHAVIORAL_HEALTH: "mentalBehavioralHealth",
    Specialty.NUTRITION: "nutritionDietician",
    Specialty.CLINICAL_SOCIAL_WORK: "clinicalSocialWork",
    Specialty.PEDIATRICS: "pediatrics",
    Specialty.RHEUMATOLOGY: "rheumatology",
}


class EhrVendor(models.TextChoices):
    """EHR/EMR vendors, WebPT first (it covers WebPT, RevFlow and WebPT Billing)."""

    WEBPT = "webpt", _("WebPT")
    NET_HEALTH = "net_health", _("Net Health (Therapy, ReDoc, Optima)")
    RAINTREE = "raintree", _("Raintree Systems")
    CLINICIENT = "clinicient", _("Clinicient (Insight)")
    THERAOFFICE = "theraoffice", _("TheraOffice")
    PROMPT = "prompt", _("Prompt Health")
    OPTIMISPT = "optimispt", _("OptimisPT")
    SPRY = "spry", _("SPRY")
    JANE = "jane", _("Jane")
    EMPOWER = "empower", _("Empower EMR")
    FUSION = "fusion", _("Fusion Web Clinic")
    CLINICSOURCE = "clinicsource", _("ClinicSource")
    CASAMBA = "casamba", _("Casamba")
    PRACTICE_PERFECT = "practice_perfect", _("Practice Perfect")
    EPIC = "epic", _("Epic")
    ORACLE_CERNER = "oracle_cerner", _("Oracle Cerner")
    ATHENAHEALTH = "athenahealth", _("athenahealth")
    ECLINICALWORKS = "eclinicalworks", _("eClinicalWorks")
    NEXTGEN = "nextgen", _("NextGen")
    OTHER = "other", _("Other (type the name)")
    NONE = "none", _("None / paper")


class ReportingAs(models.TextChoices):
    GROUP = "group", _("Group (TIN)")
    INDIVIDUAL = "individual", _("Individual clinicians")


class TinType(models.TextChoices):
    EIN = "ein", _("EIN (Employer Identification Number)")
    SSN = "ssn", _("SSN (sole proprietor)")


class Document(models.TextChoices):
    BAA = "baa", _("Business Associate Agreement")
    WAIVER = "waiver", _("Data-release waiver")
