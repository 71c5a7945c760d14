"""
Competence frameworks: their models, the specification they are saved from, the built-in ones and
the import and export formats.
"""
