"""`make bench`: run every benchmark under bench/ and print their tables."""

from __future__ import annotations

from bench import geocoding_coverage, invoice_pdf, matching, payouts

if __name__ == "__main__":
    geocoding_coverage.main()
    invoice_pdf.main([])
    matching.main([])  # all sizes; `python -m bench.matching --help` for a quicker run
    payouts.main([])  # 10,000 helpers; `python -m bench.payouts --help`
