"""Refugio's web app: the guided interview on top of the core library (``refugio``).

Views parse the request, call one function of ``refugio_web.cases`` (the only way to reach a
case, audited) or of the core, and render. The core never imports this package.
"""
