"""The fields of cerfa n° 12434*05, as the official form names them (RULES §1.3), with how a value sits in its box.

Keys are the official AcroForm field names, shortened: ``t8_12`` is « Zone de texte 8_12 », ``c1_2`` is
« Case à cocher 1_2 » (``formulaire.cle``). The geometry (page, rectangle) is not here: it is read from the
official blank form itself (``formulaire.py``). Here: the RULES code, the label (for the annex « Suite des
champs » and the tests) and the alignment in the box — text left, codes, numbers and dates centred, the euros
right against the form's comma and the cents left of the € sign.
"""

from __future__ import annotations

from dataclasses import dataclass

GAUCHE, CENTRE, DROITE = "left", "center", "right"


@dataclass(frozen=True)
class Champ:
    code: str  # RULES §1.3 (E1, S7, C14…)
    libelle: str
    alignement: str = GAUCHE


def _date(code: str, libelle: str, jj: str, mm: str, aaaa: str) -> dict[str, Champ]:
    return {
        jj: Champ(code, f"{libelle} (jour)", CENTRE),
        mm: Champ(code, f"{libelle} (mois)", CENTRE),
        aaaa: Champ(code, f"{libelle} (année)", CENTRE),
    }


CHAMPS_12434_05: dict[str, Champ] = {
    # L'EMPLOYEUR
    "t8": Champ("E1", "Nom et prénom ou dénomination"),
    "c1": Champ("E2", "Particulier-employeur : oui"),
    "c1_2": Champ("E2", "Particulier-employeur : non"),
    "t8_12": Champ("E3", "N° URSSAF du particulier-employeur"),
    "t8_8": Champ("E4", "Adresse de l'établissement d'exécution du contrat : N°", CENTRE),
    "t8_9": Champ("E5", "Adresse de l'établissement d'exécution du contrat : voie"),
    "t8_2": Champ("E6", "Adresse de l'établissement d'exécution du contrat : complément"),
    "t8_5": Champ("E7", "Adresse de l'établissement d'exécution du contrat : code postal", CENTRE),
    "t8_3": Champ("E8", "Adresse de l'établissement d'exécution du contrat : commune"),
    "t8_4": Champ("E9", "Téléphone"),
    "t8_10": Champ("E10", "Courriel (avant @)", DROITE),
    "t8_11": Champ("E10", "Courriel (après @)"),
    "t8_13": Champ("E11", "N° SIRET de l'établissement d'exécution du contrat"),
    "t8_14": Champ("E12", "Code activité de l'entreprise (NAF)", CENTRE),
    "t8_15": Champ("E13", "Effectif total salariés de l'entreprise", CENTRE),
    "t8_16": Champ("E14", "Code IDCC de la convention collective applicable", CENTRE),
    "t8_17": Champ("E15", "Numéro du projet"),
    "t8_6": Champ("E16", "Caisse de retraite complémentaire"),
    "t8_7": Champ("E17", "Organisme de prévoyance le cas échéant"),
    # LE SALARIÉ
    "t8_18": Champ("S1", "Nom de naissance du salarié"),
    "t8_19": Champ("S2", "Nom d'usage"),
    "t8_20": Champ("S3", "Le premier prénom du salarié selon l'état civil"),
    "t8_36": Champ("S4", "Adresse du salarié : N°", CENTRE),
    "t8_37": Champ("S4", "Adresse du salarié : voie"),
    "t8_38": Champ("S4", "Adresse du salarié : complément"),
    "t8_39": Champ("S4", "Adresse du salarié : code postal", CENTRE),
    "t8_40": Champ("S4", "Adresse du salarié : commune"),
    "t8_41": Champ("S5", "Téléphone du salarié"),
    "t8_34": Champ("S6", "Courriel du salarié (avant @)", DROITE),
    "t8_35": Champ("S6", "Courriel du salarié (après @)"),
    "t8_42": Champ("S7", "NIR du salarié"),
    **_date("S8", "Date de naissance du salarié", "t8_43", "t8_44", "t8_49"),
    "c1_11": Champ("S9", "Sexe : M"),
    "c1_12": Champ("S9", "Sexe : F"),
    "t8_21": Champ("S10", "Département de naissance", CENTRE),
    "t8_22": Champ("S11", "Commune de naissance"),
    "c1_3": Champ("S12", "Reconnaissance de travailleur handicapé : oui"),
    "c1_4": Champ("S12", "Reconnaissance de travailleur handicapé : non"),
    "c1_5": Champ("S13", "Équivalence jeunes : oui"),
    "c1_7": Champ("S13", "Équivalence jeunes : non"),
    "c1_6": Champ("S14", "Extension BOE : oui"),
    "c1_8": Champ("S14", "Extension BOE : non"),
    "c1_9": Champ("S15", "Inscrit à France Travail : oui"),
    "c1_10": Champ("S15", "Inscrit à France Travail : non"),
    "t8_23": Champ("S16", "Numéro d'inscription à France Travail"),
    "t8_24": Champ("S17", "Durée d'inscription (mois)", CENTRE),
    "t8_25": Champ("S18", "Situation avant contrat", CENTRE),
    "t8_26": Champ("S19", "Type de minimum social, si bénéficiaire", CENTRE),
    "t8_27": Champ("S20", "Diplôme ou titre le plus élevé obtenu", CENTRE),
    # LE TUTEUR
    "t8_28": Champ("T1", "Tuteur au sein de l'établissement employeur : nom"),
    "t8_29": Champ("T2", "Tuteur au sein de l'établissement employeur : prénom"),
    "t8_30": Champ("T3", "Tuteur au sein de l'établissement employeur : emploi occupé"),
    **_date("T4", "Tuteur au sein de l'établissement employeur : date de naissance", "t8_45", "t8_46", "t8_50"),
    "t8_31": Champ("T5", "Tuteur de l'entreprise utilisatrice : nom"),
    "t8_32": Champ("T5", "Tuteur de l'entreprise utilisatrice : prénom"),
    "t8_33": Champ("T5", "Tuteur de l'entreprise utilisatrice : emploi occupé"),
    **_date("T6", "Tuteur de l'entreprise utilisatrice : date de naissance", "t8_47", "t8_48", "t8_51"),
    "t8_52": Champ("T7", "Code activité de l'entreprise utilisatrice (NAF)", CENTRE),
    "c2": Champ("T8", "L'employeur atteste sur l'honneur que le tuteur répond à l'ensemble des critères d'éligibilité"),
    # LE CONTRAT
    "c1_13": Champ("C1", "Nature du contrat : CDI"),
    "c1_14": Champ("C1", "Nature du contrat : CDD"),
    "c1_15": Champ("C1", "Nature du contrat : travail temporaire"),
    "c1_19": Champ("C2", "Le présent contrat vaut avenant au contrat de travail initial"),
    "t8_65": Champ("C3", "Type de contrat", CENTRE),
    "t8_90": Champ("C4", "Emploi occupé pendant le contrat (intitulé précis)"),
    "t8_91": Champ("C5", "Classification de l'emploi dans la convention collective"),
    "t8_83": Champ("C6", "Niveau", CENTRE),
    "t8_82": Champ("C7", "Coefficient hiérarchique", CENTRE),
    "t8_76": Champ("C8", "Durée de la période d'essai (jours)", CENTRE),
    **_date("C9", "Date de début d'exécution du contrat", "t8_57", "t8_58", "t8_77"),
    **_date("C10", "Si avenant, date d'effet", "t8_59", "t8_60", "t8_78"),
    **_date("C11", "Date de fin du CDD ou de l'action de professionnalisation", "t8_63", "t8_64", "t8_80"),
    "t8_66": Champ("C12", "Durée hebdomadaire du travail (heures)", CENTRE),
    "t8_67": Champ("C12", "Durée hebdomadaire du travail (minutes)", CENTRE),
    **_date("C13", "Date de conclusion", "t8_61", "t8_62", "t8_79"),
    "t8_81": Champ("C14", "Salaire brut mensuel à l'embauche (euros)", DROITE),
    "t8_68": Champ("C14", "Salaire brut mensuel à l'embauche (centimes)", GAUCHE),
    # LA FORMATION
    "t8_92": Champ("F1", "Dénomination de l'organisme de formation principal"),
    "c1_16": Champ("F2", "Service de formation interne : oui"),
    "c1_17": Champ("F2", "Service de formation interne : non"),
    "c1_18": Champ("F3", "L'employeur atteste que le service de formation interne dispose des moyens nécessaires"),
    "t8_93": Champ("F4", "N° SIRET de l'organisme de formation principal"),
    "t8_94": Champ("F5", "N° de déclaration d'activité de cet organisme"),
    "t8_69": Champ("F6", "Nombre d'organismes de formation intervenant", CENTRE),
    "t8_71": Champ("F7", "Type qualification visée", CENTRE),
    "t8_70": Champ("F8", "Diplôme ou titre visé", CENTRE),
    "t8_84": Champ("F9", "Code RNCP", CENTRE),
    "t8_54": Champ("F10", "Intitulé précis"),
    "t8_85": Champ("F11", "Spécialité de formation", CENTRE),
    "t8_86": Champ(
        "F13", "Durée totale des actions d'évaluation, d'accompagnement et des enseignements (heures)", CENTRE
    ),
    "t8_87": Champ("F14", "Dont durée des enseignements généraux, professionnels et technologiques (heures)", CENTRE),
    **_date("F15", "Date de début du cycle de formation", "t8_72", "t8_73", "t8_88"),
    **_date("F16", "Date prévue de fin des épreuves ou examens", "t8_74", "t8_75", "t8_89"),
    "t8_56": Champ("F17", "Fait à"),
    # CADRE RÉSERVÉ À L'OPCO
    "t8_53": Champ("O1", "Nom de l'OPCO"),
    "t8_55": Champ("O2", "N° Adhérent de l'employeur à l'OPCO s'il existe"),
}
