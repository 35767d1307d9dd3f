"""The newsroom web app (``newsweave serve``): pages and their JSON twins.

Needs the ``web`` extra (Starlette, uvicorn, Jinja2); :func:`newsweave.web.server.serve`
says so with the exact install line when it is missing.
"""
