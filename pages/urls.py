from django.urls import path

from .views import deadlines, deals, home, parties, proceedings, regulators, search

app_name = "pages"

urlpatterns = [
    path("", home.home, name="home"),
    path("deals/<slug:slug>/", deals.deal, name="deal"),
    path("proceedings/<int:pk>/", proceedings.proceeding, name="proceeding"),
    path("regulators/<slug:slug>/", regulators.regulator, name="regulator"),
    path("parties/<slug:slug>/", parties.party, name="party"),
    path("deadlines/", deadlines.deadlines, name="deadlines"),
    path("search/", search.search, name="search"),
]
