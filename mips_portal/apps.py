from django.apps import AppConfig


class MipsPortalConfig(AppConfig):
    name = "mips_portal"
    verbose_name = "MIPS Portal"

    def ready(self):
        from mips_portal import checks  # noqa: F401  (registers the deploy checks)
