"""A local stand-in for the few provider endpoints Quartier calls — NOT the provider.

A threaded HTTP server on a loopback port that answers the official SDK's requests for
accounts, account links, customers, checkout sessions (setup), payment intents (create,
retrieve), refunds and application fee refunds the way the provider's API reference
describes them, and keeps the balances a direct charge with an application fee moves: the
connected account's (the helper's money) and the platform's (Quartier's fees). Processing
fees, currencies' conversion, payouts, and 3-D Secure are not modelled. It also makes the
provider's webhook events, signed with the SDK's own signature scheme.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

_ids = itertools.count(1)


def new_id(prefix: str) -> str:
    return f"{prefix}_standin{next(_ids):06d}"


class ProviderStandIn:
    def __init__(self, webhook_secret: str) -> None:
        self.secret = webhook_secret
        self.objects: dict[str, dict[str, Any]] = {}
        self.balances: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.idempotent: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
        self.declining: set[str] = set()
        self.requests: list[tuple[str, str, str]] = []  # method, path, account
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> ProviderStandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- the provider's view ---------------------------------------------------------------

    def account_balance(self, account: str, currency: str) -> int:
        return self.balances[account][currency.lower()]

    def platform_balance(self, currency: str) -> int:
        return self.balances["platform"][currency.lower()]

    # -- what the provider's pages and networks do (test controls) -------------------------

    def complete_setup(self, booking_id: int, *, card: str = "visa") -> dict[str, Any]:
        """The customer saves a card on the setup page: a `setup_intent.succeeded` event."""
        session = next(
            o
            for o in self.objects.values()
            if o["object"] == "checkout.session" and o["metadata_booking"] == str(booking_id)
        )
        method = self._store({"id": new_id("pm"), "object": "payment_method", "type": "card"})
        if card == "declines":
            self.declining.add(method["id"])
        intent = self._store(
            {
                "id": new_id("seti"),
                "object": "setup_intent",
                "status": "succeeded",
                "customer": session["customer"],
                "payment_method": method["id"],
                "metadata": {"booking_id": str(booking_id)},
            }
        )
        return self.event("setup_intent.succeeded", intent, session["account"])

    def enable_charges(self, account: str) -> dict[str, Any]:
        self.objects[account]["charges_enabled"] = True
        return self.event("account.updated", self.objects[account], account)

    def pay_twint(self, intent_id: str) -> dict[str, Any]:
        """The customer confirms the TWINT payment in the app."""
        intent = self.objects[intent_id]
        self._succeed(intent)
        return self.event("payment_intent.succeeded", intent, intent["account"])

    def dispute(self, intent_id: str, amount: int | None = None) -> dict[str, Any]:
        """The card holder disputes the charge: the amount leaves the connected account."""
        intent = self.objects[intent_id]
        dispute = self._store(
            {
                "id": new_id("dp"),
                "object": "dispute",
                "amount": amount if amount is not None else intent["amount"],
                "currency": intent["currency"],
                "payment_intent": intent_id,
                "charge": intent["latest_charge"],
                "status": "needs_response",
                "account": intent["account"],
            }
        )
        self.balances[intent["account"]][intent["currency"]] -= dispute["amount"]
        return self.event("charge.dispute.created", dispute, intent["account"])

    def close_dispute(self, dispute_id: str, status: str) -> dict[str, Any]:
        dispute = self.objects[dispute_id]
        dispute["status"] = status
        if status == "won":
            self.balances[dispute["account"]][dispute["currency"]] += dispute["amount"]
        return self.event("charge.dispute.closed", dispute, dispute["account"])

    def event(self, kind: str, obj: dict[str, Any], account: str | None) -> dict[str, Any]:
        """A webhook event as the provider sends it: the JSON body and its signature header."""
        body = {
            "id": new_id("evt"),
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": {k: v for k, v in obj.items() if k != "metadata_booking"}},
        }
        if account:
            body["account"] = account
        return self.signed(json.dumps(body))

    def signed(self, payload: str, *, secret: str | None = None) -> dict[str, Any]:
        header = stripe.WebhookSignature.generate_signature_header(payload, secret or self.secret)
        return {"payload": payload, "signature": header}

    # -- the API -------------------------------------------------------------------------

    def _store(self, obj: dict[str, Any]) -> dict[str, Any]:
        self.objects[obj["id"]] = obj
        return obj

    def _succeed(self, intent: dict[str, Any]) -> None:
        intent["status"] = "succeeded"
        intent["next_action"] = None
        currency, fee = intent["currency"], intent["application_fee_amount"]
        charge = self._store(
            {"id": new_id("ch"), "object": "charge", "amount": intent["amount"], "fee": fee}
        )
        application_fee = self._store(
            {"id": new_id("fee"), "object": "application_fee", "amount": fee, "refunded": 0}
        )
        charge["application_fee"] = application_fee["id"]
        intent["latest_charge"] = charge["id"]
        self.balances[intent["account"]][currency] += intent["amount"] - fee
        self.balances["platform"][currency] += fee

    def handle(
        self, method: str, path: str, params: dict[str, str], account: str
    ) -> tuple[int, dict[str, Any]]:
        parts = path.strip("/").split("/")[1:]  # without "v1"
        route = {
            ("POST", "accounts"): self._account,
            ("POST", "account_links"): self._account_link,
            ("POST", "customers"): self._customer,
            ("POST", "checkout/sessions"): self._session,
            ("POST", "payment_intents"): self._intent,
            ("POST", "refunds"): self._refund,
        }.get((method, "/".join(parts)))
        if route is not None:
            return route(params, account)
        if method == "GET" and parts[0] == "payment_intents" and len(parts) == 2:
            return self._intent_get(parts[1], params)
        if method == "POST" and parts[0] == "application_fees" and parts[2:] == ["refunds"]:
            return self._fee_refund(parts[1], params)
        return 404, _error("invalid_request_error", f"No such endpoint: {method} {path}")

    def _account(self, p: dict[str, str], account: str) -> tuple[int, dict[str, Any]]:
        new = {
            "id": new_id("acct"),
            "object": "account",
            "type": p.get("type"),
            "country": p.get("country"),
            "charges_enabled": False,
        }
        return 200, self._store(new)

    def _account_link(self, p: dict[str, str], account: str) -> tuple[int, dict[str, Any]]:
        if p.get("account") not in self.objects:
            return 400, _error("invalid_request_error", "No such account")
        url = f"{self.url}/onboarding/{p['account']}"
        return 200, {"object": "account_link", "url": url, "expires_at": int(time.time()) + 300}

    def _customer(self, p: dict[str, str], account: str) -> tuple[int, dict[str, Any]]:
        return 200, self._store(
            {"id": new_id("cus"), "object": "customer", "email": p.get("email"), "account": account}
        )

    def _session(self, p: dict[str, str], account: str) -> tuple[int, dict[str, Any]]:
        if p.get("mode") != "setup" or p.get("payment_method_types[0]") != "card":
            return 400, _error("invalid_request_error", "Only card setup sessions here")
        session = {
            "id": new_id("cs"),
            "object": "checkout.session",
            "mode": "setup",
            "customer": p.get("customer"),
            "account": account,
            "metadata_booking": p.get("setup_intent_data[metadata][booking_id]", ""),
        }
        session["url"] = f"{self.url}/pay/{session['id']}"
        return 200, self._store(session)

    def _intent(self, p: dict[str, str], account: str) -> tuple[int, dict[str, Any]]:
        kind, amount = p.get("payment_method_types[0]"), int(p.get("amount", "0"))
        fee = int(p.get("application_fee_amount", "0"))
        if not account or account not in self.objects:
            return 400, _error("invalid_request_error", "Direct charges need Stripe-Account")
        if kind == "twint" and (p.get("currency") != "chf" or amount > 500000):
            return 400, _error("invalid_request_error", "TWINT: CHF only, at most 5000.00")
        if kind == "twint" and p.get("capture_method") == "manual":
            return 400, _error("invalid_request_error", "TWINT has no manual capture")
        intent = self._store(
            {
                "id": new_id("pi"),
                "object": "payment_intent",
                "amount": amount,
                "currency": p.get("currency"),
                "application_fee_amount": fee,
                "payment_method_types": [kind],
                "status": "requires_confirmation",
                "account": account,
                "latest_charge": None,
                "metadata": {"booking_id": p.get("metadata[booking_id]")},
            }
        )
        if p.get("payment_method") in self.declining:
            intent["status"] = "requires_payment_method"
            error = _error("card_error", "Your card was declined.", code="card_declined")
            error["error"]["payment_intent"] = intent
            return 402, error
        if kind == "card" and p.get("confirm") == "true" and p.get("payment_method"):
            self._succeed(intent)
        elif kind == "twint" and p.get("confirm") == "true":
            intent["status"] = "requires_action"
            redirect = {
                "url": f"{self.url}/twint/{intent['id']}",
                "return_url": p.get("return_url"),
            }
            intent["next_action"] = {"type": "redirect_to_url", "redirect_to_url": redirect}
        return 200, intent

    def _intent_get(self, intent_id: str, p: dict[str, str]) -> tuple[int, dict[str, Any]]:
        intent = dict(self.objects[intent_id])
        if p.get("expand[0]") == "latest_charge" and intent["latest_charge"]:
            intent["latest_charge"] = self.objects[intent["latest_charge"]]
        return 200, intent

    def _refund(self, p: dict[str, str], account: str) -> tuple[int, dict[str, Any]]:
        intent = self.objects[p["payment_intent"]]
        charge = self.objects[intent["latest_charge"]]
        amount = int(p.get("amount") or charge["amount"])
        refunded = charge.get("amount_refunded", 0)
        if intent["account"] != account or amount + refunded > charge["amount"]:
            return 400, _error("invalid_request_error", "Refund exceeds the charge")
        charge["amount_refunded"] = refunded + amount
        self.balances[account][intent["currency"]] -= amount
        refund = {"id": new_id("re"), "object": "refund", "amount": amount, "status": "succeeded"}
        return 200, self._store(refund)

    def _fee_refund(self, fee_id: str, p: dict[str, str]) -> tuple[int, dict[str, Any]]:
        fee = self.objects[fee_id]
        amount = int(p.get("amount") or fee["amount"] - fee["refunded"])
        if fee["refunded"] + amount > fee["amount"]:
            return 400, _error("invalid_request_error", "Fee refund exceeds the fee")
        fee["refunded"] += amount
        intent = next(
            o
            for o in self.objects.values()
            if o["object"] == "payment_intent"
            and o.get("latest_charge")
            and self.objects[o["latest_charge"]].get("application_fee") == fee_id
        )
        self.balances["platform"][intent["currency"]] -= amount
        self.balances[intent["account"]][intent["currency"]] += amount
        return 200, {"id": new_id("fr"), "object": "fee_refund", "amount": amount, "fee": fee_id}


def _error(kind: str, message: str, *, code: str = "") -> dict[str, Any]:
    return {"error": {"type": kind, "message": message, "code": code or None}}


def _handler(stand_in: ProviderStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else url.query
            params = dict(parse_qsl(body, keep_blank_values=True))
            account = self.headers.get("Stripe-Account", "")
            key = self.headers.get("Idempotency-Key", "")
            with stand_in.lock:
                stand_in.requests.append((method, url.path, account))
                if key and (account, key) in stand_in.idempotent:
                    status, answer = stand_in.idempotent[(account, key)]
                else:
                    status, answer = stand_in.handle(method, url.path, params, account)
                    if key:
                        stand_in.idempotent[(account, key)] = (status, answer)
                data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
