"""The words and formatters the tests pass in, as a page would (French here)."""

from __future__ import annotations

from datetime import datetime

from infra.web.pictures.ecomap_words import EcomapWords
from infra.web.pictures.radar import RadarWords
from infra.web.pictures.theme_history import HistoryWords

SPHERES = [("needs", "Besoins"), ("health", "Santé"), ("self_esteem", "Estime de soi"),
           ("social_life", "Vie sociale"), ("life_project", "Projet de vie")]
RADAR = RadarWords("Moyennes par sphère", "Lectures de Marie et perception de Julie", "Sphère",
                   "—")
HISTORY = HistoryWords("Logement", "Notes au fil du temps", "Marie", "Perception de Julie",
                       "Date", "Qui", "Note", "Priorité", "oui", "")
ECOMAP = EcomapWords(
    "Réseau social de Marie", "Les relations de Marie", "Marie",
    {"family": "Famille", "partner": "Partenaire", "friend": "Ami ou amie",
     "neighbour": "Voisinage", "colleague": "Collègue", "professional": "Professionnel",
     "community_resource": "Ressource communautaire", "pet": "Animal", "other": "Autre"},
    {1: "Conflictuelle", 2: "Tendue", 3: "Neutre", 4: "Soutenante", 5: "Très soutenante"},
    {"inner": "Cercle intime", "middle": "Cercle du milieu", "outer": "Cercle extérieur"},
    {"emotional": "Émotionnel", "practical": "Pratique", "informational": "Information",
     "social": "Social"},
    {"emotional": "É", "practical": "P", "informational": "I", "social": "S"},
    "Qualité du lien", "Type", "Soutien", ("Nom", "Type", "Cercle", "Qualité", "Soutien"),
    "aucun")


def percent(value: float) -> str:
    return f"{value:.0f}\u202f%"


def day(at: datetime) -> str:
    return at.strftime("%d/%m/%Y")
