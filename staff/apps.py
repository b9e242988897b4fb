from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "Staff review"

    def ready(self):
        from staff.services import staff_roles_setup_after_migrate

        # Roles are defined in code: every migrate re-applies them, so a new model's permissions are never forgotten.
        post_migrate.connect(staff_roles_setup_after_migrate, sender=self, dispatch_uid="staff_roles_setup")
