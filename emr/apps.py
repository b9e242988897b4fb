from django.apps import AppConfig


class EmrConfig(AppConfig):
    name = "emr"
    verbose_name = "EMR data load"

    def ready(self):
        from emr.receivers import data_load_queue_on_setup_completed
        from onboarding.signals import setup_completed

        setup_completed.connect(data_load_queue_on_setup_completed, dispatch_uid="emr.queue_data_load")
