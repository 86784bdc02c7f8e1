"""The model and its loading: read every input file, check it, link it into one immutable Site."""
