"""The read side for screens: each function opens its own read session, runs the queries a screen
needs and returns plain data (dataclasses, or rows detached from their session). Pages and components
read only through here; their writes go through `app.web.actions.run_action` to a use case in `domain/`."""
