"""The demo business: ``generate`` (pure Python, tested in tests/demo) and ``load`` (run inside Odoo
by tools/demo.py)."""
