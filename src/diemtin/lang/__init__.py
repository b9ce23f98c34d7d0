"""Vietnamese language data and primitives shared by every stage: NFC, syllable tokens, lexicons.

Algorithms live in the stages; what is true of the language lives here (like spaCy's ``lang/vi``).
"""
