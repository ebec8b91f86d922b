"""The score sheets a new team starts from: (emoji, name, points). The team edits its copy."""

TEMPLATES = {
    "personal-brand": (
        "Personal brand",
        [
            # Seed 000's micro-wins, in its order: a reader's email, a newsletter sign-up via a freebie, a lead
            # from something you wrote, invitations to speak, guest blog or podcast, an introduction, a share.
            ("💌", "Reader email", 2),
            ("📰", "Newsletter sign-up", 2),
            ("📨", "Inbound lead", 5),
            ("🎤", "Speaking invite", 8),
            ("✍️", "Guest blog", 5),
            ("🎙️", "Podcast guest", 5),
            ("🤝", "Introduction", 5),
            ("🔁", "Share of my work", 1),
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
            ("☕", "Info interview", 4),
            ("📄", "Application sent", 1),
            ("🗓️", "Interview booked", 5),
            ("🤝", "New contact", 2),
            ("🎉", "Offer received", 20),
        ],
    ),
    "delivery-team": (
        "Delivery team",
        [
            ("🚢", "Shipped to users", 5),
            ("🐛", "Bug fixed", 2),
            ("👀", "Review given", 1),
            ("🧹", "Impediment cleared", 3),
            ("💬", "Customer praise", 3),
        ],
    ),
    "fitness": (
        "Fitness",
        [
            ("🏃", "Run done", 2),
            ("⏱️", "Personal best", 8),
            ("🏋️", "Strength session", 2),
            ("🧘", "Mobility", 1),
            ("🏁", "Race finished", 10),
        ],
    ),
}

CHOICES = [(key, name) for key, (name, _) in TEMPLATES.items()]
