"""The graph `langgraph dev` serves (see langgraph.json): no checkpointer, the server brings its own."""

from coding_director.graph import build_graph

graph = build_graph(checkpointer=None)
