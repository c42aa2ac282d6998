from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """`quartier worker`: the task worker plus every context's registered tick."""

    name = "quartier.worker"
    verbose_name = "Worker"
