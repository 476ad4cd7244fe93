"""Deadlines as people read them: time left, coloured, the exact moment on hover.

``{% deadline_badge clock %}`` renders "剩 2 天 3 小时" (green: plenty left; amber: under
a quarter left; red: overdue, "逾期 5 小时"; grey: paused or finished) with the due
moment and the rule ("3 个工作日") in its title, and a 预估 flag when the span reaches
a year whose holidays are not known yet. ``{% deadline_ticker %}`` adds the few lines of
JavaScript that keep every badge on the page ticking.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html, json_script
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from crossdesk.core.templatetags.crossdesk import longdatetime
from crossdesk.deadlines.choices import ClockState, PolicyKind, Unit
from crossdesk.deadlines.models import Clock
from crossdesk.deadlines.selectors import time_left

register = template.Library()

COLOURS = {
    "plenty": "text-bg-success",
    "low": "text-bg-warning",
    "overdue": "text-bg-danger",
    "paused": "text-bg-secondary",
    "done": "text-bg-light border",
}
ICONS = {
    "plenty": "clock",
    "low": "hourglass-split",
    "overdue": "alarm",
    "paused": "pause-circle",
    "done": "check2",
}


def duration_text(seconds: float) -> str:
    """A span as "2 天 3 小时", "3 小时 20 分" or "45 分钟" (days are calendar days)."""
    seconds = abs(int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if minutes:
        return _("%(minutes)d min") % {"minutes": minutes}
    return _("under a minute")


def _amount(value: Decimal) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text


def rule_text(clock: Clock) -> str:
    """The rule behind a deadline: "3 个工作日", "24 小时", "每 4 个工作小时", "约定日期"."""
    policy = clock.policy
    if clock.agreed_due_at is not None and policy.kind != PolicyKind.CADENCE:
        return _("agreed date")
    if policy.target_amount is None:
        return _("agreed date")
    amount = _amount(policy.target_amount)
    span = {
        Unit.WORKING_DAYS: _("%(n)s working days"),
        Unit.WORKING_HOURS: _("%(n)s working hours"),
        Unit.CLOCK_HOURS: _("%(n)s hours"),
    }.get(policy.target_unit, "%(n)s") % {"n": amount}
    if policy.kind == PolicyKind.CADENCE:
        return _("every %(span)s") % {"span": span}
    return span


def badge_text(clock: Clock, status: str, seconds_left: float) -> str:
    if status == "done":
        if clock.state == ClockState.CANCELLED:
            return _("no longer needed")
        if clock.met_at and clock.met_at > clock.due_at:
            return _("met late")
        return _("met in time")
    if status == "paused":
        return _("paused")
    if status == "overdue":
        return _("%(time)s overdue") % {"time": duration_text(seconds_left)}
    return _("%(time)s left") % {"time": duration_text(seconds_left)}


@register.simple_tag
def deadline_badge(clock: Clock | None, show_label: bool = False, precise: bool = False):
    """One deadline as a coloured badge; an empty string for no clock."""
    if clock is None:
        return ""
    left = time_left(clock)
    status = left.status
    text = badge_text(clock, status, left.seconds_left)
    title = _("Due %(when)s · rule: %(rule)s") % {
        "when": longdatetime(clock.due_at),
        "rule": rule_text(clock),
    }
    if clock.delay_reason:
        title += " · " + _("Reason for the delay: %(reason)s") % {"reason": clock.delay_reason}
    label = (
        format_html('<span class="fw-normal">{}：</span>', clock.label) if show_label and clock.label else ""
    )
    estimated = (
        format_html(
            ' <span class="badge rounded-pill text-bg-light border" title="{}">{}</span>',
            _("The span reaches a year whose holidays are not published yet; the date may still move."),
            _("estimated"),
        )
        if left.estimated
        else ""
    )
    return format_html(
        '<span class="badge {} cd-deadline" data-due="{}" data-start="{}" data-state="{}"{} title="{}" '
        'data-testid="deadline-badge"><i class="bi bi-{}"></i> {}<span class="cd-deadline-text">{}</span></span>{}',
        COLOURS[status],
        timezone.localtime(clock.due_at).isoformat(),
        timezone.localtime(clock.started_at).isoformat(),
        clock.state,
        mark_safe(' data-precise="1"') if precise else "",
        title,
        ICONS[status],
        label,
        text,
        estimated,
    )


@register.simple_tag
def deadline_rule(clock: Clock | None) -> str:
    return rule_text(clock) if clock is not None else ""


@register.simple_tag
def deadline_ticker():
    """The script that keeps the badges ticking in the browser (every second; no requests)."""
    labels = {
        "left": _("%(time)s left"),
        "overdue": _("%(time)s overdue"),
        "dh": _("%(days)d d %(hours)d h"),
        "hm": _("%(hours)d h %(minutes)d min"),
        "m": _("%(minutes)d min"),
        "lessmin": _("under a minute"),
        "days": _("%(days)d d"),
    }
    return format_html(
        "{}<script>{}</script>", json_script(labels, "cd-deadline-labels"), mark_safe(TICKER_JS)
    )


TICKER_JS = """
(function () {
  var L = JSON.parse(document.getElementById("cd-deadline-labels").textContent);
  var COLOURS = {plenty: "text-bg-success", low: "text-bg-warning", overdue: "text-bg-danger"};
  var ICONS = {plenty: "bi-clock", low: "bi-hourglass-split", overdue: "bi-alarm"};
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function span(s, precise) {
    s = Math.abs(Math.floor(s));
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    if (precise) {
      var clock = pad(h) + ":" + pad(m) + ":" + pad(s % 60);
      return d ? L.days.replace("%(days)d", d) + " " + clock : clock;
    }
    if (d) return L.dh.replace("%(days)d", d).replace("%(hours)d", h);
    if (h) return L.hm.replace("%(hours)d", h).replace("%(minutes)d", m);
    if (m) return L.m.replace("%(minutes)d", m);
    return L.lessmin;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll(".cd-deadline[data-due]").forEach(function (el) {
      var state = el.dataset.state;
      if (state !== "running" && state !== "breached") return;
      var due = Date.parse(el.dataset.due), start = Date.parse(el.dataset.start);
      var left = (due - now) / 1000, total = Math.max(1, (due - start) / 1000);
      var status = (left < 0 || state === "breached") ? "overdue" : (left / total < 0.25 ? "low" : "plenty");
      var text = (status === "overdue" ? L.overdue : L.left).replace("%(time)s", span(left, el.dataset.precise));
      var target = el.querySelector(".cd-deadline-text") || el;
      if (target.textContent !== text) target.textContent = text;
      Object.keys(COLOURS).forEach(function (k) { el.classList.toggle(COLOURS[k], k === status); });
      var icon = el.querySelector(".bi");
      if (icon) Object.keys(ICONS).forEach(function (k) { icon.classList.toggle(ICONS[k], k === status); });
    });
  }
  tick();
  setInterval(tick, 1000);
  document.addEventListener("htmx:afterSettle", tick);
})();
"""
