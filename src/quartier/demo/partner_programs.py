"""The demo partners' programs: services, prices, regions, lessons and quizzes (fictional)."""

from __future__ import annotations

from dataclasses import dataclass

from quartier.partners.states import PartnerRole, Payer


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    name: str
    skill: str
    price_minor: int
    minutes: int
    payer: str = Payer.PARTNER
    share: int = 100
    name_de: str = ""


@dataclass(frozen=True)
class PartnerSpec:
    slug: str
    name: str
    color: str
    domain: str
    program_slug: str
    program_name: str
    program_name_de: str
    country: str
    currency: str
    technician_cost_minor: int
    services: tuple[ServiceSpec, ...]
    places: tuple[str, ...]  # postcodes where the demo cases are
    members: tuple[tuple[str, str, str], ...]  # (local part, full name, role)
    lessons: tuple[tuple[str, str, tuple[tuple[str, tuple[str, ...], int], ...]], ...]
    #: What the program pays for a visit the helper could not fix (0: no visit fee).
    visit_fee_minor: int = 0


CONDUCT = (
    "Code of conduct",
    "You visit the customer as an independent helper on behalf of the partner. Be on time, "
    "say who you are, respect the home and the customer's data, and never sell anything.",
    (
        (
            "The customer asks you to look at their neighbour's router as well. What do you do?",
            ("Do it for cash", "Explain it is not part of the job; they can ask for a new case"),
            1,
        ),
        (
            "You cannot fix the problem. What is the right next step?",
            ("Escalate the case with a note and photos", "Leave and say nothing"),
            0,
        ),
    ),
)

SWISSTEL = PartnerSpec(
    slug="swisstel",
    name="SwissTel",
    color="#c8102e",
    domain="swisstel.example",
    program_slug="home-internet-tv",
    program_name="Home internet & TV",
    program_name_de="Internet & TV zu Hause",
    country="CH",
    currency="CHF",
    technician_cost_minor=18000,
    visit_fee_minor=3500,
    services=(
        ServiceSpec(
            "router-setup",
            "Set up the Internet-Box",
            "internet-wlan",
            8900,
            60,
            name_de="Internet-Box einrichten",
        ),
        ServiceSpec(
            "tv-box-setup",
            "Set up the TV box",
            "tv-set-top-box",
            7900,
            60,
            name_de="TV-Box einrichten",
        ),
        ServiceSpec(
            "wlan-mesh",
            "WLAN mesh in the whole flat",
            "internet-wlan",
            12900,
            90,
            Payer.SPLIT,
            50,
            name_de="WLAN-Mesh in der ganzen Wohnung",
        ),
    ),
    places=("8004", "8003", "8037", "3011", "3013", "4051", "6003", "9000"),
    members=(
        ("partner", "Petra Partner", PartnerRole.ADMIN),
        ("analyst", "Andreas Analyst", PartnerRole.ANALYST),
    ),
    lessons=(
        (
            "The Internet-Box and the TV box",
            "The Internet-Box connects by fibre or DSL; its light is white when online, red "
            "when the line is down. The TV box needs the Internet-Box and a LAN cable or WLAN.",
            (
                (
                    "The Internet-Box light is red. What does it mean?",
                    ("The line is down", "A firmware update is running", "All is well"),
                    0,
                ),
                (
                    "What does the TV box need to work?",
                    ("Only power", "The Internet-Box and a LAN cable or WLAN"),
                    1,
                ),
            ),
        ),
        CONDUCT,
    ),
)

MOEBELWERK = PartnerSpec(
    slug="moebelwerk",
    name="Möbelwerk",
    color="#2f5d50",
    domain="moebelwerk.example",
    program_slug="assembly",
    program_name="Furniture assembly",
    program_name_de="Möbelmontage",
    country="DE",
    currency="EUR",
    technician_cost_minor=14000,
    services=(
        ServiceSpec(
            "wardrobe",
            "Assemble a wardrobe",
            "furniture-assembly",
            9900,
            180,
            name_de="Kleiderschrank aufbauen",
        ),
        ServiceSpec(
            "bed", "Assemble a bed", "furniture-assembly", 6900, 120, name_de="Bett aufbauen"
        ),
        ServiceSpec(
            "shelf",
            "Assemble a shelf",
            "furniture-assembly",
            3900,
            60,
            Payer.CUSTOMER,
            0,
            name_de="Regal aufbauen",
        ),
    ),
    places=("10115", "10437", "80331", "20095", "50667"),
    members=(
        ("partner", "Paul Partner", PartnerRole.ADMIN),
        ("analyst", "Anke Analyst", PartnerRole.ANALYST),
    ),
    lessons=(
        (
            "Assembling our furniture",
            "Every Möbelwerk item comes with numbered fittings. Check the fittings against the "
            "list before you start; wall-mount every tall item with the supplied anchor.",
            (
                (
                    "A wardrobe is taller than 1.5 m. What must you do?",
                    ("Anchor it to the wall", "Nothing special"),
                    0,
                ),
            ),
        ),
        CONDUCT,
    ),
)
