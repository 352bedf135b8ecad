"""Le back office des gestionnaires AKTO : admin, décisions, export CSV."""
