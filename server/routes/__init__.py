"""HTTP and websocket routers, one per concern."""
