"""Forms for profiles, memberships and credits. They validate; services write."""

import datetime
from typing import cast

from django import forms
from django.core.exceptions import ValidationError

from members.enums import EPISODIC_TYPES, WorkType, job_choices_grouped
from members.identifiers import normalize_eidr, normalize_imdb, normalize_isan, normalize_isbn
from members.models import EARLIEST_YEAR, MemberProfile, Membership, Union, Work
from members.services.works import WorkDetails, work_find


def latest_year() -> int:
    return datetime.date.today().year + 5


class ProfileForm(forms.ModelForm):
    professional_names = forms.CharField(
        label="Professional names",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Stage, pen or screen-credit names, one per line. We look for these in training sets.",
    )

    class Meta:
        model = MemberProfile
        fields = ["phone", "preferred_language"]
        help_texts = {"phone": "So the union office can reach you about a claim."}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = [char for char in phone if char.isdigit()]
        if phone and not (7 <= len(digits) <= 15 and all(char.isdigit() or char in "+-() ." for char in phone)):
            raise ValidationError("Enter a phone number with 7 to 15 digits, e.g. +1 323 555 0142.")
        return phone


class StatementDetailsForm(forms.ModelForm):
    """Who we pay and where statements go; changing these needs a fresh sign-in."""

    class Meta:
        model = MemberProfile
        fields = ["legal_name", "address_line1", "address_line2", "city", "region", "postal_code", "country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["legal_name", "address_line1", "city", "postal_code", "country"]:
            self.fields[name].required = True


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["union", "member_number", "status", "since"]
        widgets = {"since": forms.DateInput(attrs={"type": "date"})}
        labels = {"union": "Union or local", "since": "Member since"}

    def __init__(self, *args, member: MemberProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        union_field = cast(forms.ModelChoiceField, self.fields["union"])  # a ForeignKey's form field
        union_field.queryset = Union.objects.filter(is_active=True).select_related("parent")
        self.fields["member_number"].help_text = "As on your union card."

    def clean_since(self):
        since = self.cleaned_data.get("since")
        if since and since > datetime.date.today():
            raise ValidationError("The date you joined can't be in the future.")
        return since

    def clean(self):
        cleaned = super().clean()
        union, number = cleaned.get("union"), (cleaned.get("member_number") or "").strip()
        if union:
            mine = Membership.objects.filter(member=self.member, union=union).exclude(pk=self.instance.pk)
            if mine.exists():
                self.add_error("union", f"You already have a {union} membership.")
        if union and number:
            taken = Membership.objects.filter(union=union, member_number=number).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "member_number",
                    "Another account has this member number. If it is yours, contact your union office.",
                )
        return cleaned


class CreditForm(forms.Form):
    """A credit on an existing work (picked by search) or on a work the member describes."""

    work = forms.ModelChoiceField(queryset=Work.objects.all(), required=False, widget=forms.HiddenInput)
    title = forms.CharField(label="Title", max_length=500, required=False)
    year = forms.IntegerField(label="Year", required=False, help_text="The year it was released or published.")
    work_type = forms.ChoiceField(label="Type of work", choices=[("", "Choose…"), *WorkType.choices], required=False)
    series_title = forms.CharField(label="Series", max_length=500, required=False)
    season = forms.IntegerField(label="Season", min_value=0, max_value=200, required=False)
    episode = forms.IntegerField(label="Episode", min_value=0, max_value=2000, required=False)
    imdb_id = forms.CharField(label="IMDb id", max_length=200, required=False, help_text="Optional, e.g. tt0111161.")
    isbn = forms.CharField(label="ISBN", max_length=40, required=False, help_text="Optional, for books.")
    eidr = forms.CharField(label="EIDR", max_length=80, required=False, help_text="Optional.")
    isan = forms.CharField(label="ISAN", max_length=80, required=False, help_text="Optional.")
    job = forms.ChoiceField(label="Your job", choices=[("", "Choose…"), *job_choices_grouped()])
    credited_as = forms.CharField(
        label="Character or credited-as name",
        max_length=200,
        required=False,
        help_text="The character you played, or the name on screen if it differs from yours.",
    )
    episode_count = forms.IntegerField(
        label="Number of episodes",
        min_value=1,
        max_value=5000,
        required=False,
        help_text="For a series: how many episodes you worked on.",
    )

    IDENTIFIER_NORMALIZERS = {
        "imdb_id": normalize_imdb,
        "isbn": normalize_isbn,
        "eidr": normalize_eidr,
        "isan": normalize_isan,
    }

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not EARLIEST_YEAR <= year <= latest_year():
            raise ValidationError(f"Enter a year between {EARLIEST_YEAR} and {latest_year()}.")
        return year

    def _clean_identifier(self, name):
        value = self.cleaned_data.get(name, "").strip()
        return self.IDENTIFIER_NORMALIZERS[name](value) if value else ""

    def clean_imdb_id(self):
        return self._clean_identifier("imdb_id")

    def clean_isbn(self):
        return self._clean_identifier("isbn")

    def clean_eidr(self):
        return self._clean_identifier("eidr")

    def clean_isan(self):
        return self._clean_identifier("isan")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("work"):
            return cleaned
        for name, message in [
            ("title", "Enter the title."),
            ("year", "Enter the year."),
            ("work_type", "Choose the type of work."),
        ]:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        if cleaned.get("work_type") in EPISODIC_TYPES and not cleaned.get("series_title"):
            self.add_error("series_title", "For a TV episode, enter the series it belongs to.")
        if self.errors:
            return cleaned
        # Catches identifiers that belong to two different registered works;
        # the service checks the rest when it saves.
        work_find(self.work_details())
        return cleaned

    def work_details(self) -> WorkDetails:
        data = self.cleaned_data
        return WorkDetails(
            title=data["title"].strip(),
            year=data["year"],
            work_type=data["work_type"],
            series_title=data.get("series_title", "").strip(),
            season=data.get("season"),
            episode=data.get("episode"),
            identifiers={name: data[name] for name in self.IDENTIFIER_NORMALIZERS if data.get(name)},
        )


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label="Search members",
        required=False,
        max_length=200,
        help_text="Name, professional name, email or member number.",
    )
