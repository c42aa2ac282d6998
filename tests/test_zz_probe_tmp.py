import pytest
from quartier.geo.models import Postcode
pytestmark = pytest.mark.django_db

def test_probe(anon):
    r = anon.get("/postcodes?q=Münch"); print(r.status_code, [(p["postcode"], p["locality"]) for p in r.data])
    r = anon.get("/postcodes?q=München&country=DE"); print(r.status_code, [(p["postcode"], p["locality"]) for p in r.data])
    r = anon.get("/postcodes?q=Zürich"); print(r.status_code, [(p["postcode"], p["locality"]) for p in r.data])
    r = anon.get("/postcodes?q=zur"); print(r.status_code, [(p["postcode"], p["locality"]) for p in r.data])
    r = anon.get("/postcodes?q=80&country=CH"); print(r.status_code, [(p["postcode"], p["locality"]) for p in r.data])
    print(Postcode.objects.filter(country="CH").count(), Postcode.objects.filter(country="DE").count())
    print(Postcode.objects.filter(locality__istartswith="Münch").values_list("locality", flat=True).distinct().count())
    for pc in ["9999", "1000", "0000", "1234", "99999", "00000", "12345"]:
        print(pc, Postcode.objects.filter(postcode=pc).values_list("country","locality"))
