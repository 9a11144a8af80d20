"""One module per screen; each has a `register()` that adds its pages and routes. main.py lists them."""
