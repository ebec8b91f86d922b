from django.contrib import messages
from django.shortcuts import redirect, render

from .forms import ProfileForm


def account(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Profile saved.")
        return redirect("teams:account")
    return render(request, "teams/account.html", {"form": form})
