"""Dossiers: the contrat de professionnalisation, its tabs, rules, workflow and views."""
