"""Names and texts for plausible demo people (fictional)."""

from __future__ import annotations

FIRST_NAMES_CH = [
    "Anna", "Luca", "Mia", "Noah", "Lea", "Leon", "Laura", "Nico", "Sara", "Jonas",
    "Elena", "Matteo", "Nina", "Fabian", "Julia", "Reto", "Corinne", "Urs", "Seraina", "Beat",
]
FIRST_NAMES_DE = [
    "Lena", "Paul", "Hannah", "Felix", "Emma", "Lukas", "Marie", "Maximilian", "Sophie", "Tim",
    "Clara", "Jan", "Lina", "Moritz", "Frieda", "Ole", "Greta", "Emil", "Ida", "Anton",
]
LAST_NAMES_CH = [
    "Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Schneider", "Steiner", "Brunner",
    "Baumann", "Frei", "Zimmermann", "Moser", "Widmer", "Graf", "Wyss", "Bühler", "Gerber",
]
LAST_NAMES_DE = [
    "Schulz", "Becker", "Hoffmann", "Koch", "Richter", "Wolf", "Schröder", "Neumann", "Braun",
    "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Herrmann", "Walter",
]
PRO_COMPANIES = [
    "Blitzblank Reinigung", "Zügelprofis", "Sauber & Co.", "Umzug Express", "Glanzwerk",
    "Montagefix", "Frischluft Gebäudereinigung", "Kistenträger", "Putzperle", "HausHelden",
]
BIOS = [
    "Technikbegeistert und geduldig – ich erkläre gerne alles Schritt für Schritt.",
    "I fix things in my spare time and love a clean, working home.",
    "Elektroniker im Ruhestand, hilfsbereit und pünktlich.",
    "Student, handwerklich geschickt, mit eigenem Werkzeug.",
    "Friendly neighbour with ten years of IT support experience.",
    "Ich baue seit Jahren Möbel auf und habe immer einen Akkuschrauber dabei.",
    "Zuverlässig, freundlich, mit Erfahrung in Garten und Haushalt.",
]
REQUEST_TEMPLATES = {
    "internet-wlan": ("WLAN reicht nicht bis ins Schlafzimmer", "Der Router steht im Flur; bitte Repeater einrichten."),
    "tv-set-top-box": ("TV-Box zeigt kein Bild", "Neue Box angeschlossen, aber nur 'Kein Signal'."),
    "phone-mobile": ("Neues Handy einrichten", "Kontakte und Fotos vom alten Handy übertragen."),
    "computer": ("Laptop sehr langsam", "Windows-Laptop braucht 5 Minuten zum Starten."),
    "smart-home": ("Smarte Lampen verbinden", "Sechs Lampen sollen per App steuerbar sein."),
    "cleaning": ("Wohnungsreinigung 3.5 Zimmer", "Grundreinigung inkl. Fenster."),
    "moving-help": ("Hilfe beim Umzug", "Zwei Personen für 4 Stunden, 3. Stock ohne Lift."),
    "furniture-assembly": ("Kleiderschrank aufbauen", "Schrank mit Schiebetüren, 2 m breit."),
    "small-repairs": ("Tropfender Wasserhahn", "Der Wasserhahn in der Küche tropft."),
    "gardening": ("Hecke schneiden", "Ca. 20 m Thujahecke, Grüngut bitte mitnehmen."),
    "pet-sitting": ("Katze füttern während Ferien", "Eine Woche, einmal täglich."),
    "babysitting": ("Babysitter am Samstagabend", "Zwei Kinder, 4 und 7 Jahre."),
    "tutoring": ("Mathe-Nachhilfe 8. Klasse", "Vor der Prüfung zwei Lektionen pro Woche."),
    "languages": ("Englisch-Konversation", "Für die Reise nach Kanada etwas üben."),
}
REVIEW_TEXTS = [
    "Sehr freundlich und kompetent, alles funktioniert wieder!",
    "Pünktlich, schnell und sauber gearbeitet.",
    "Great help, explained everything clearly.",
    "Top, gerne wieder.",
    "Alles bestens, danke!",
    "Took a bit longer than planned but the result is good.",
]
