from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "quartier.audit"
    label = "audit"
    verbose_name = "Operator audit"
