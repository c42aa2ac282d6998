"""`make bench`: run every benchmark under bench/ and print their tables."""

from __future__ import annotations

from bench import batch_dispatch, geocoding_coverage, http, invoice_pdf, matching, payouts

if __name__ == "__main__":
    geocoding_coverage.main()
    invoice_pdf.main([])
    matching.main([])  # all sizes; `python -m bench.matching --help` for a quicker run
    payouts.main([])  # 10,000 helpers; `python -m bench.payouts --help`
    batch_dispatch.main([])  # a partner's backlog: one round vs case by case
    http.main([])  # the site under load over HTTP; `python -m bench.http --help`
