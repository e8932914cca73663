"""allauth hooks: every new account gets a member profile."""

from allauth.account.adapter import DefaultAccountAdapter

from members.services.profiles import profile_ensure


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            profile_ensure(user=user)
        return user
