import time
import pytest
from django.utils import timezone
from quartier.bookings.models import Booking
from quartier.jobs.models import Request, RequestEvent
from quartier.reviews.models import Review
from quartier.accounts.models import User, HelperProfile, ProProfile
from quartier.catalog.models import Skill
from quartier.matching.selectors import match_helpers
pytestmark = pytest.mark.django_db

def test_probe():
    from quartier.demo.seed import demo_seed
    t = time.time()
    s = demo_seed(helpers=30, pros=5)
    print("time", time.time() - t, s)
    print("skills", Skill.objects.count())
    now = timezone.now()
    for b in Booking.objects.select_related("request")[:3]:
        print(b.starts_at, b.ends_at, b.started_at, b.completed_at, b.request.state, b.request.window_start, b.request.created_at)
        print([ (r.created_at) for r in b.reviews.all()])
        print(list(RequestEvent.objects.filter(request=b.request).values_list("to_state", "created_at")))
    print(Request.objects.values("state").annotate(n=__import__("django.db.models", fromlist=["Count"]).Count("id")))
    print(HelperProfile.objects.values_list("country", flat=True).distinct())
    print(list(ProProfile.objects.values_list("company_name", "uid")))
    cust = User.objects.get(email=s.credentials[1][1])
    for r in Request.objects.filter(customer=cust):
        print(r.state, r.skill.slug, r.locality, r.window_start, len(match_helpers(r)))
    opens = Request.objects.filter(state="requested")
    print("open with matches", sum(1 for r in opens if match_helpers(r)), opens.count())
    print("bad", Booking.objects.filter(completed_at__lt=__import__("django.db.models", fromlist=["F"]).F("starts_at")).count(), Booking.objects.count())
