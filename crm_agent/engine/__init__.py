"""Pure-Python engine: no Odoo import allowed here (tests/test_engine_isolation.py checks it)."""
