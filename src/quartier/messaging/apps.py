from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "quartier.messaging"
    verbose_name = "Messaging"
