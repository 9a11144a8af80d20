"""The web server's machinery: the action runner, sign-in and sessions, hardening and limits, start-up,
background jobs, the threads' priority and memory, the worker processes' settling."""
