"""Amtstermin: online appointment booking for municipal citizens' offices."""
