from django.shortcuts import render


def today(request):
    return render(request, "wins/today.html", {"today": request.user.local_today()})
