"""One module per screen; one that adds public pages, plain routes or home cards does it in its `add_routes()`
(main.add_pages calls it). main.py lists them."""
