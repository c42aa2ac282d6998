"""Quartier: a local-services marketplace for Switzerland and Germany."""
