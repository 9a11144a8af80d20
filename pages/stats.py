"""Thống kê — /stats (any official; their office): copies, pages, fees, refusals by ground, on-time rate
and median working hours per step, work per official, for a period; charts and an Excel export."""
from __future__ import annotations

from datetime import date

from nicegui import ui

from app.web.actions import read_now, run_action
from components.admin_common import error_label
from components.dossier_common import vnd
from components.frame import frame, official_page
from domain.clock import to_local, utcnow
from domain.dates import parse_day
from domain.refusal import REFUSAL_GROUNDS
from domain.stats import STEP_LABELS, OfficeStats, office_stats

SHORT_GROUNDS = {
    "erased_or_altered": "Tẩy xóa, sửa chữa",
    "damaged_illegible": "Hư hỏng, không rõ",
    "secret_or_no_copy": "Mật / cấm sao chụp",
    "unlawful_content": "Nội dung trái pháp luật",
    "foreign_not_legalised": "Chưa hợp pháp hóa",
    "individual_unconfirmed": "Cá nhân tự lập",
}


@official_page("/stats", citizen=False)
def stats_page(user, date_from: str = "", date_to: str = "") -> None:
    today = to_local(utcnow()).date()
    with frame("Thống kê", user):
        with ui.row().classes("w-full items-end gap-2 flex-wrap"):
            f_from = ui.input("Từ ngày", value=date_from or today.replace(day=1).isoformat()) \
                .props("type=date data-testid=s-from").classes("w-44").mark("s-from")
            f_to = ui.input("Đến ngày", value=date_to or today.isoformat()) \
                .props("type=date data-testid=s-to").classes("w-44").mark("s-to")
            ui.button("Xem", icon="insights", on_click=lambda: show.refresh()).mark("s-show") \
                .props("data-testid=s-show")
            ui.button("Xuất Excel", icon="table_view", on_click=lambda: export()).mark("s-xlsx") \
                .props("outline data-testid=s-xlsx")
        message = error_label("stats-error")

        def period() -> tuple[date, date] | None:
            message.text = ""
            try:
                a, b = parse_day(f_from.value), parse_day(f_to.value)
            except ValueError:
                message.text = "Ngày không hợp lệ."
                return None
            if a is None or b is None:
                message.text = "Hãy chọn cả ngày bắt đầu và ngày kết thúc."
                return None
            return a, b

        @ui.refreshable
        def show() -> None:
            p = period()
            if p is None:
                return
            ok, s = read_now(office_stats, *p, official=True, message=message)
            if ok:
                render(s)

        async def export() -> None:
            p = period()
            if p is None:
                return
            from app.register_print import stats_xlsx

            ok, s = await run_action(office_stats, *p, tx="read", official=True, message=message)
            if not ok:
                return
            data = stats_xlsx(user.office_name, s)
            ui.download(data, f"thong-ke-{p[0]:%Y%m%d}-{p[1]:%Y%m%d}.xlsx")

        show()


def figure(label: str, value: str, marker: str) -> None:
    with ui.card().classes("w-full sm:w-48"):
        ui.label(label).classes("text-sm text-gray-600")
        ui.label(value).classes("text-2xl font-bold text-blue-900").mark(marker).props(
            f"data-testid={marker}"
        )


def render(s: OfficeStats) -> None:
    with ui.row().classes("w-full gap-2 flex-wrap"):
        figure("Việc chứng thực", str(s.entries), "st-entries")
        figure("Bản sao", str(s.copies), "st-copies")
        figure("Trang bản chính", str(s.pages), "st-pages")
        figure("Phí chứng thực đã thu", vnd(s.fees_collected), "st-fees")
        figure("Hồ sơ bị từ chối", str(s.refused), "st-refused")
    steps_card(s)
    with ui.row().classes("w-full gap-2 flex-wrap"):
        per_day_card(s)
        refusals_card(s)
    officials_card(s)


def steps_card(s: OfficeStats) -> None:
    with ui.card().classes("w-full"):
        ui.label("Đúng hạn theo bước").classes("font-bold")
        columns = [{"name": "step", "label": "Bước", "field": "step", "align": "left"},
                   {"name": "total", "label": "Số hồ sơ", "field": "total"},
                   {"name": "rate", "label": "Đúng hạn", "field": "rate"},
                   {"name": "median", "label": "Trung vị (giờ làm việc)", "field": "median"}]
        rows = [{"step": STEP_LABELS[k], "total": v.total,
                 "rate": f"{v.on_time}/{v.total} ({v.rate:.0%})" if v.rate is not None else "—",
                 "median": f"{v.median_hours:.2f}".replace(".", ",") if v.median_hours is not None else "—"}
                for k, v in s.steps.items()]
        ui.table(columns=columns, rows=rows, row_key="step").classes("w-full").mark("st-steps") \
            .props("flat dense data-testid=st-steps")
        labels = [STEP_LABELS[k] for k in s.steps]
        ui.echart(
            {
                "tooltip": {},
                "grid": {"left": 150, "right": 20, "top": 10, "bottom": 20},
                "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
                "yAxis": {"type": "category", "data": labels},
                "series": [
                    {
                        "type": "bar",
                        "name": "Đúng hạn (%)",
                        "data": [
                            round(100 * v.rate, 1) if v.rate is not None else 0 for v in s.steps.values()
                        ],
                    }
                ],
            }
        ).classes("w-full h-48")


def per_day_card(s: OfficeStats) -> None:
    with ui.card().classes("w-full md:w-[32rem]"):
        ui.label("Việc chứng thực theo ngày").classes("font-bold")
        ui.echart({
            "tooltip": {"trigger": "axis"}, "grid": {"left": 40, "right": 10, "top": 10, "bottom": 30},
            "xAxis": {"type": "category", "data": [f"{d:%d/%m}" for d, _ in s.per_day]},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [{"type": "bar", "name": "Việc", "data": [n for _, n in s.per_day]}],
        }).classes("w-full h-56")


def refusals_card(s: OfficeStats) -> None:
    with ui.card().classes("w-full md:w-[32rem]"):
        ui.label("Từ chối theo căn cứ (Điều 22 NĐ 23/2015)").classes("font-bold")
        if not s.refusals_by_ground:
            ui.label("Không có hồ sơ bị từ chối trong kỳ.").mark("st-no-refusals")
            return
        for g, n in s.refusals_by_ground.items():
            ui.label(f"{SHORT_GROUNDS.get(g, g)}: {n}").classes("text-sm").mark(f"st-ground-{g}") \
                .tooltip(REFUSAL_GROUNDS.get(g, g))
        ui.echart({
            "tooltip": {}, "series": [{"type": "pie", "radius": "65%", "data": [
                {"name": SHORT_GROUNDS.get(g, g), "value": n} for g, n in s.refusals_by_ground.items()]}],
        }).classes("w-full h-56")


def officials_card(s: OfficeStats) -> None:
    with ui.card().classes("w-full"):
        ui.label("Công việc theo công chức").classes("font-bold")
        if not s.officials:
            ui.label("Chưa có công việc trong kỳ.")
            return
        for w in s.officials:
            ui.label(f"{w.name}: tiếp nhận {w.created}, ký {w.signed}, đóng dấu {w.sealed}").classes(
                "text-sm"
            ).mark(f"st-official-{w.name}")
        ui.echart(
            {
                "tooltip": {"trigger": "axis"},
                "legend": {"top": 0},
                "grid": {"left": 140, "right": 20, "top": 30, "bottom": 20},
                "xAxis": {"type": "value", "minInterval": 1},
                "yAxis": {"type": "category", "data": [w.name for w in s.officials]},
                "series": [
                    {"type": "bar", "name": name, "data": [getattr(w, attr) for w in s.officials]}
                    for name, attr in (("Tiếp nhận", "created"), ("Ký", "signed"), ("Đóng dấu", "sealed"))
                ],
            }
        ).classes("w-full h-64")
