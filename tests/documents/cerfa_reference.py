"""A reference filling of cerfa n° 12434*05: every field, long values and accents, fixed once and for all.

Values by official field (``documents/cerfa/champs.py``), as ``documents.cerfa.valeurs`` produces them, so that
the layout and the golden images depend on nothing but the form, the font and the layout code. Some values are
deliberately too long for their box (shrunk, wrapped, or continued on the annex page).
"""

VALEURS = {
    # L'EMPLOYEUR
    "t8": "SOCIÉTÉ COOPÉRATIVE D'INTÉRÊT COLLECTIF DES MÉTIERS DE LA RESTAURATION ET DE L'HÔTELLERIE DU GRAND LYON",
    "c1_2": True,
    "t8_12": "697 123 456 789",  # geometry only: the portal never fills it (particulier-employeur)
    "t8_8": "128 BIS",
    "t8_9": "AVENUE DU MARÉCHAL DE LATTRE DE TASSIGNY",
    "t8_2": "BÂTIMENT C — ESCALIER 4, 2ᵉ ÉTAGE",
    "t8_5": "69002",
    "t8_3": "SAINT-ÉTIENNE-DES-OULLIÈRES",
    "t8_4": "04 72 00 00 00",
    "t8_10": "ressources.humaines.recrutement",
    "t8_11": "cooperative-restauration-hotellerie.fr",
    "t8_13": "81234567600017",
    "t8_14": "5610A",
    "t8_15": "1248",
    "t8_16": "1979",
    "t8_17": "VAE-2024-AURA-000137",
    "t8_6": "AG2R LA MONDIALE — INSTITUTION DE RETRAITE COMPLÉMENTAIRE AGIRC-ARRCO",
    "t8_7": "APICIL PRÉVOYANCE",
    # LE SALARIÉ
    "t8_18": "DE LA FONTAINE-SAINT-GERMAIN",
    "t8_19": "LEFÈVRE-D'ARGENCÉ",
    "t8_20": "Marie-Éléonore",
    "t8_36": "7 TER",
    "t8_37": "RUE DE L'ABBÉ GRÉGOIRE PROLONGÉE",
    "t8_38": "RÉSIDENCE LES GLYCINES",
    "t8_39": "42000",
    "t8_40": "SAINT-ÉTIENNE",
    "t8_41": "06 11 22 33 44",
    "t8_34": "marie-eleonore.delafontaine",
    "t8_35": "exemple-messagerie.fr",
    "t8_42": "285057800608424",
    "t8_43": "17",
    "t8_44": "05",
    "t8_49": "2003",
    "c1_12": True,
    "t8_21": "078",
    "t8_22": "Saint-Germain-en-Laye",
    "c1_4": True,
    "c1_7": True,
    "c1_8": True,
    "c1_9": True,
    "t8_23": "1234567A",
    "t8_24": "14",
    "t8_25": "03",
    "t8_26": "1",
    "t8_27": "42",
    # LE TUTEUR
    "t8_28": "BERNARD-DELACROIX",
    "t8_29": "Jean-Baptiste",
    "t8_30": "Chef de rang et responsable de la formation des apprentis",
    "t8_45": "03",
    "t8_46": "02",
    "t8_50": "1980",
    "t8_31": "NGUYỄN",
    "t8_32": "Thị Ngọc Ánh",
    "t8_33": "Maître d'hôtel",
    "t8_47": "21",
    "t8_48": "11",
    "t8_51": "1975",
    "t8_52": "7820Z",
    "c2": True,
    # LE CONTRAT
    "c1_14": True,
    "t8_65": "11",
    "t8_90": "Serveur en salle — service du midi et du soir, brasserie traditionnelle",
    "t8_91": "Employé qualifié niveau II échelon 2 de la convention des hôtels, cafés, restaurants",
    "t8_83": "II",
    "t8_82": "140",
    "t8_76": "30",
    "t8_57": "01",
    "t8_58": "09",
    "t8_77": "2026",
    "t8_59": "15",
    "t8_60": "10",
    "t8_78": "2026",
    "t8_63": "31",
    "t8_64": "08",
    "t8_80": "2027",
    "t8_66": "35",
    "t8_67": "30",
    "t8_61": "20",
    "t8_62": "08",
    "t8_79": "2026",
    "t8_81": "1587",
    "t8_68": "45",
    # LA FORMATION
    "t8_92": "INSTITUT DES MÉTIERS DE LA TABLE, DE L'HÔTELLERIE ET DE LA GASTRONOMIE LYONNAISE",
    "c1_17": True,
    "t8_93": "77000002400016",
    "t8_94": "84691234569",
    "t8_69": "2",
    "t8_71": "8",
    "t8_70": "50",
    "t8_84": "RNCP37859",
    "t8_54": (
        "RNCP Titre professionnel Serveur en restauration — blocs de compétences 1 et 2 : préparer et réaliser le "
        "service en salle, accueillir et conseiller la clientèle, en français et en anglais"
    ),
    "t8_85": "334",
    "t8_86": "450",
    "t8_87": "400",
    "t8_72": "07",
    "t8_73": "09",
    "t8_88": "2026",
    "t8_74": "30",
    "t8_75": "06",
    "t8_89": "2027",
    "t8_56": "SAINT-ÉTIENNE-DES-OULLIÈRES",
    # CADRE RÉSERVÉ À L'OPCO
    "t8_53": "AKTO",
    "t8_55": "AKTO-0012345678",
}

TAMPON = {"texte": "Dossier n° CP2026000137 transmis à AKTO le 01/12/2026 à 10:15"}
TITRE = "Cerfa 12434*05 — CP2026000137"


def toutes_les_cases_cochees(formulaire) -> dict:
    """Every box of the form ticked (geometry only: the form's exclusive pairs do not matter here)."""
    return {cle: True for cle in formulaire.cases if cle.startswith("c")}
