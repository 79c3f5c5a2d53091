"""The form of the "Counters and services" page: one grid, a row per service and a column per
counter, and per counter whether citizens can book it online. It checks input only;
``booking.configuration`` holds the rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms

from amtstermin.booking.configuration import CounterOffer
from amtstermin.booking.models import Counter, Service


def services_field(counter: Counter) -> str:
    return f"services_{counter.pk}"


def online_field(counter: Counter) -> str:
    return f"online_{counter.pk}"


@dataclass(frozen=True)
class Cell:
    counter: Counter
    name: str
    value: int
    id: str
    checked: bool


@dataclass(frozen=True)
class Row:
    service: Service
    cells: list[Cell]


class CounterOffersForm(forms.Form):
    def __init__(
        self,
        data: Any = None,
        *,
        counters: Sequence[Counter],
        services: Sequence[Service],
    ) -> None:
        super().__init__(data)
        self.counters = list(counters)
        self.services = list(services)
        choices = [(service.pk, service.name) for service in self.services]
        for counter in self.counters:
            offered = {service.pk for service in counter.services.all()}
            self.fields[services_field(counter)] = forms.TypedMultipleChoiceField(
                choices=choices,
                coerce=int,
                required=False,
                initial=[pk for pk, _name in choices if pk in offered],
            )
            self.fields[online_field(counter)] = forms.BooleanField(
                required=False, initial=counter.online_bookable
            )

    def offers(self) -> dict[int, CounterOffer]:
        return {
            counter.pk: CounterOffer(
                online_bookable=self.cleaned_data[online_field(counter)],
                service_ids=frozenset(self.cleaned_data[services_field(counter)]),
            )
            for counter in self.counters
        }

    def _chosen(self, counter: Counter) -> set[int]:
        name = services_field(counter)
        if self.is_bound:
            data: Any = self.data  # a QueryDict
            return {int(v) for v in data.getlist(name) if str(v).isdigit()}
        return set(self.fields[name].initial)

    def online(self) -> list[tuple[Counter, bool]]:
        """Each counter with its online flag as entered (or as it is)."""
        return [
            (
                counter,
                bool(self.data.get(online_field(counter)))
                if self.is_bound
                else counter.online_bookable,
            )
            for counter in self.counters
        ]

    def grid(self) -> list[Row]:
        chosen = {counter.pk: self._chosen(counter) for counter in self.counters}
        return [
            Row(
                service=service,
                cells=[
                    Cell(
                        counter=counter,
                        name=services_field(counter),
                        value=service.pk,
                        id=f"offer-{counter.pk}-{service.pk}",
                        checked=service.pk in chosen[counter.pk],
                    )
                    for counter in self.counters
                ],
            )
            for service in self.services
        ]
