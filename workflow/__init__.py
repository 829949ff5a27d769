"""Jixiao's domain: lifecycle, organisation, forms and audit. Never imports Flask."""
