"""`coding-director serve`: the whole graph as one model that editors and tools already speak to.

OpenAI-compatible routes under /v1 and Ollama-compatible routes under / on one port (openai_api.py,
ollama_api.py), each request run on a thread of its own through the graph (runner.py), behind auth, limits
and a bounded queue (limits.py). `create_app()` (app.py) builds the ASGI app; server.py starts uvicorn.
This package is imported by the CLI only when `serve` runs, so the CLI starts without Starlette installed.
"""
