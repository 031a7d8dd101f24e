"""The review web UI: server-rendered pages under ``/ui`` (see ``registry.web.plugin``)."""
