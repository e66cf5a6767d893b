"""The web chat (Gradio): one module per tab; :func:`assistant.web.app.build_app` puts them together."""
