from onboarding.tests.conftest import administrator, enrollment  # noqa: F401  (the same fixtures as the wizard's tests)
