import json
import logging

from app import logs


def test_json_lines_carry_level_logger_message_and_the_traceback():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "failed [request %s]",
                                                   ("ab12cd34",), exc_info=__import__("sys").exc_info())
    line = json.loads(logs.JsonFormatter().format(record))
    assert line["level"] == "ERROR" and line["logger"] == "x"
    assert line["message"] == "failed [request ab12cd34]" and "RuntimeError: boom" in line["exception"]


def test_request_ids_differ():
    assert len({logs.new_request_id() for _ in range(50)}) == 50
