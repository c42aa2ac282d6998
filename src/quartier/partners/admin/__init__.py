"""Back office for partners: programs with their services, regions and lessons; helpers'
qualifications; cases; API keys; webhook endpoints and the delivery log.

Writes that carry rules go through the services (escalation, webhooks, keys, qualification)
as actions; the audit rows, outbox and delivery log are read-only here.
"""

from . import cases, integration, programs  # noqa: F401 - each module registers its admins
