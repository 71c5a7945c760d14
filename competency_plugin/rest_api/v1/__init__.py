"""Version 1 of the REST API: read access to competence frameworks."""
