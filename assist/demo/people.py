"""The people of the demo workspace: customers' names and companies, Lumen's support team, its macros."""

from __future__ import annotations

FIRST_NAMES = (
    "Amelia",
    "Noah",
    "Sofia",
    "Liam",
    "Hannah",
    "Mateo",
    "Priya",
    "Lucas",
    "Chloe",
    "Jonas",
    "Aisha",
    "Tom",
    "Elena",
    "Kenji",
    "Marta",
    "Oliver",
    "Fatima",
    "Daniel",
    "Ines",
    "Samuel",
    "Grace",
    "Yusuf",
    "Clara",
    "Ravi",
    "Julia",
    "Ethan",
    "Leila",
    "Mark",
    "Nora",
    "Pedro",
    "Zoe",
    "Felix",
    "Anna",
    "Omar",
    "Freya",
    "Diego",
)
LAST_NAMES = (
    "Fischer",
    "Okafor",
    "Rossi",
    "Nguyen",
    "Schmidt",
    "Andersson",
    "Patel",
    "Dubois",
    "Kowalski",
    "Murphy",
    "Haddad",
    "Silva",
    "Brennan",
    "Tanaka",
    "Novak",
    "García",
    "Lindqvist",
    "Mensah",
    "Moreau",
    "Costa",
)
COMPANIES = (
    "Brightline Studio",
    "Harbor & Pine",
    "Kestrel Analytics",
    "Northfield Legal",
    "Orbit Design Co",
    "Pinewood Architects",
    "Quarry Labs",
    "Riverbend Consulting",
    "Saltmarsh Media",
    "Tallis Engineering",
    "Umber Creative",
    "Vantage Bookkeeping",
    "Willow Health",
    "Yardstick Research",
    "Zephyr Events",
    "Aldgate Partners",
    "Beacon Charity Trust",
    "Copperleaf Marketing",
    "Driftwood Apps",
    "Ember Translation",
)

AGENTS = (
    ("maya.lee@lumen.app", "Maya Lee", "agent"),
    ("jordan.baker@lumen.app", "Jordan Baker", "agent"),
    ("sam.ortiz@lumen.app", "Sam Ortiz", "agent"),
    ("lena.berg@lumen.app", "Lena Berg", "agent"),
    ("rachel.kim@lumen.app", "Rachel Kim", "lead"),
    ("ahmed.yilmaz@lumen.app", "Ahmed Yilmaz", "lead"),
    ("admin@lumen.app", "Workspace Admin", "admin"),
)

# Canned responses an admin would start with; placeholders are filled in when an agent inserts one.
MACROS = (
    (
        "Ask for a screenshot",
        "Could you send us a screenshot of what you see, {customer_first_name}? It helps us find the cause "
        "quickly. Please leave out any passwords or card numbers.",
    ),
    (
        "Reference for follow-ups",
        "If you need to follow up, just reply to this email: your ticket number is #{ticket_id} and it keeps "
        "everything in one place.",
    ),
    (
        "Passed to engineering",
        "I've passed this to our engineering team with everything you told us. I'll update you as soon as "
        "I hear back, by the end of the next business day at the latest.",
    ),
    (
        "Thanks for waiting",
        "Thank you for your patience while we looked into this, {customer_first_name}.",
    ),
)
