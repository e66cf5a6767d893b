"""Start the web chat: ``python app.py`` serves http://127.0.0.1:7860 (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT)."""

import logging

from assistant.privacy import disable_telemetry


def main() -> None:
    disable_telemetry()  # before gradio, chromadb or transformers are imported
    from assistant.errors import AssistantError, IndexUnavailable
    from assistant.settings import load_settings
    from assistant.web.access import check_binding, server_address
    from assistant.web.app import build_app, build_services, launch

    try:
        settings = load_settings()  # ASSISTANT_LLM=none|local|openai|ollama picks the answer backend
        host, port = server_address()
        check_binding(host, settings.web)
        services = build_services(settings)  # opens the feedback store
        try:
            services.documents()  # a damaged index folder stops here, naming the rebuild command
        except IndexUnavailable as exc:  # a Chroma server still starting: questions work once it answers
            logging.getLogger("app").warning("%s", exc)
    except AssistantError as exc:
        raise SystemExit(f"app.py: {exc}") from None
    launch(build_app(settings, services), services, host, port)


if __name__ == "__main__":
    main()
