"""The GFMD Knowledge Graph web service: a read-only SPARQL 1.1 endpoint with linked-data pages.

A thin HTTP layer over :mod:`gfmd_graph`; create the app with :func:`gfmd_service.app.create_app`.
"""
