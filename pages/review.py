"""Kiểm tra / Review (review mode only): the values no person has checked yet, the ones that matter first.

Listed in the menu only when the server was started with a reviewer (`ictdash review --reviewer "Tên"`);
on a managers' server this page, reached by its URL, says review mode is off and draws no control.
"""

from etl.ui.router import ensure_router

ensure_router()

from etl.ui import review, widgets  # noqa: E402

review.queue_page(widgets.ctx(), widgets.HEADLINE)
