"""The score sheets a new team starts from: (emoji, name, points). The team edits its copy."""

TEMPLATES = {
    "personal-brand": (
        "Personal brand",
        [
            # Seed 000's micro-wins, in its order.
            ("💌", "A reader emailed that they enjoyed my work", 2),
            ("📰", "Newsletter sign-up via a freebie", 2),
            ("📨", "Inbound lead from something I wrote", 5),
            ("🎤", "Invited to speak at an event", 8),
            ("✍️", "Guest blog accepted", 5),
            ("🎙️", "Podcast guest spot", 5),
            ("🤝", "Introduction to a potential client", 5),
            ("🔁", "Someone shared my work", 1),
        ],
    ),
    "sales-activity": (
        "Sales activity",
        [
            ("🙋", "Asked for the sale", 3),
            ("📞", "Discovery call held", 2),
            ("📝", "Proposal sent", 4),
            ("🤝", "Deal closed", 10),
            ("🔗", "Referral received", 5),
        ],
    ),
    "job-search": (
        "Job search",
        [
            ("☕", "Informational interview", 4),
            ("📄", "Application sent", 1),
            ("🗓️", "Interview booked", 5),
            ("🤝", "New contact in my field", 2),
            ("🎉", "Offer received", 20),
        ],
    ),
    "delivery-team": (
        "Delivery team",
        [
            ("🚢", "Shipped to users", 5),
            ("🐛", "Bug fixed", 2),
            ("👀", "Review given", 1),
            ("🧹", "Cleared an impediment", 3),
            ("💬", "Kind word from a customer", 3),
        ],
    ),
    "fitness": (
        "Fitness",
        [
            ("🏃", "Run done", 2),
            ("⏱️", "Personal best", 8),
            ("🏋️", "Strength session", 2),
            ("🧘", "Rest and mobility", 1),
            ("🏁", "Race finished", 10),
        ],
    ),
}

CHOICES = [(key, name) for key, (name, _) in TEMPLATES.items()]
