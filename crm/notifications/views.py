from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crm import policy
from crm.models import Membership, Team
from crm.notifications import robots as transport
from crm.notifications import services
from crm.notifications.forms import PreferenceForm, RobotForm
from crm.notifications.models import Delivery, Notification, RobotChannel
from crm.params import id_param

PAGE_SIZE = 25
BELL_LIMIT = 99


@require_GET
def inbox(request):
    notifications = Notification.objects.for_user(request.user).order_by("-created_at", "-pk")
    page_obj = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "crm/notifications/inbox.html", {"page_obj": page_obj})


@require_GET
def bell(request):
    """The navigation's bell (loaded by htmx, so that no page pays for it): the unread count,
    counted up to BELL_LIMIT + 1 rows at most."""
    unread = Notification.objects.for_user(request.user).unread()
    count = len(unread.values_list("pk", flat=True)[: BELL_LIMIT + 1])
    return render(request, "crm/notifications/_bell.html", {"count": count, "limit": BELL_LIMIT})


@require_POST
def mark_read(request):
    ids = request.POST.getlist("notification")
    services.mark_read(
        user=request.user,
        notification_ids=[n for n in (id_param({"id": i}, "id") for i in ids) if n] or None,
    )
    messages.success(request, _("Marked as read."))
    return redirect("crm:inbox")


@require_POST
def open_notification(request, pk):
    """Mark one notification read and go to its record (only links inside the site)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("crm:inbox")


def preferences(request):
    preference = services.preference_of(request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("crm:notification_preferences")
    deliveries = (
        Delivery.objects.filter(user=request.user)
        .select_related("robot")
        .order_by("-created_at")[:20]
    )
    return render(
        request,
        "crm/notifications/preferences.html",
        {
            "form": form,
            "deliveries": deliveries,
            "is_manager": policy.manages_a_team(request.user),
        },
    )


def _managed_teams(user):
    if policy.is_admin(user):
        return Team.objects.all()
    return Team.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.MANAGER
    ).distinct()


def _robots_of(user):
    return RobotChannel.objects.filter(team__in=_managed_teams(user)).select_related("team")


@require_GET
def robots(request):
    if not policy.manages_a_team(request.user):
        raise Http404
    robot_list = list(_robots_of(request.user).order_by("team__name", "name"))
    failures = (
        Delivery.objects.filter(robot__in=robot_list)
        .filter(Q(status=Delivery.Status.FAILED) | Q(status=Delivery.Status.SENT))
        .select_related("robot", "user")
        .order_by("-created_at")[:20]
    )
    return render(
        request, "crm/notifications/robots.html", {"robots": robot_list, "deliveries": failures}
    )


def robot_edit(request, pk=None):
    if not policy.manages_a_team(request.user):
        raise Http404
    robot = get_object_or_404(_robots_of(request.user), pk=pk) if pk else RobotChannel()
    form = RobotForm(request.POST or None, instance=robot, teams=_managed_teams(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Group robot saved."))
        return redirect("crm:robots")
    return render(request, "crm/notifications/robot_form.html", {"form": form, "robot": robot})


@require_POST
def robot_test(request, pk):
    """Send a test message now, so that a wrong address or secret shows at once."""
    if not policy.manages_a_team(request.user):
        raise Http404
    robot = get_object_or_404(_robots_of(request.user), pk=pk)
    title = _("Cuilong CRM test message")
    message = transport.Message(title=title, markdown=f"### {title}\n{robot.team.name}")
    try:
        answer = transport.post(robot.platform, robot.webhook_url, robot.secret, message)
    except transport.RobotError as error:
        messages.error(request, _("The robot refused the message: %(answer)s") % {"answer": error})
    else:
        messages.success(request, _("The robot took the message: %(answer)s") % {"answer": answer})
    return redirect("crm:robot_edit", pk=robot.pk)
