"""A project's meetings (issue 17), under /projects/<code>/meetings/; included by projects.urls.projects."""

from django.urls import path

from projects.views import meetings

M = "<str:code>/meetings/<int:number>/"

urlpatterns = [
    path("<str:code>/meetings/", meetings.meeting_list, name="meetings"),
    path("<str:code>/meetings/new/", meetings.meeting_edit, name="meeting_create"),
    path(M, meetings.meeting_detail, name="meeting_detail"),
    path(f"{M}edit/", meetings.meeting_edit, name="meeting_edit"),
    path(f"{M}history/", meetings.meeting_history, name="meeting_history"),
    path(f"{M}status/<slug:action>/", meetings.meeting_transition, name="meeting_transition"),
    path(f"{M}next/", meetings.meeting_plan_next, name="meeting_plan_next"),
    path(f"{M}attendees/", meetings.attendee_add, name="meeting_attendee_add"),
    path(f"{M}attendees/<int:pk>/remove/", meetings.attendee_remove, name="meeting_attendee_remove"),
    path(f"{M}invitations/resend/", meetings.invitations_resend, name="meeting_invitations_resend"),
    path(f"{M}minutes/<int:pk>/", meetings.minutes_download, name="meeting_minutes_pdf"),
    path(f"{M}attendance/", meetings.attendance, name="meeting_attendance"),
    path(f"{M}agenda/sections/", meetings.section_add, name="meeting_section_add"),
    path(f"{M}agenda/draft/", meetings.agenda_draft, name="meeting_agenda_draft"),
    path(f"{M}agenda/items/new/", meetings.item_edit, name="meeting_item_create"),
    path(f"{M}agenda/items/<int:pk>/", meetings.item_edit, name="meeting_item_edit"),
    path(f"{M}agenda/items/<int:pk>/move/", meetings.item_move, name="meeting_item_move"),
    path(f"{M}agenda/items/<int:item_pk>/outcomes/new/", meetings.outcome_edit, name="meeting_outcome_create"),
    path(f"{M}agenda/items/<int:item_pk>/outcomes/<int:pk>/", meetings.outcome_edit, name="meeting_outcome_edit"),
]
