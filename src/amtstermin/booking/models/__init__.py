"""The booking app's models, one module per area; Django finds them all here.

``office``: offices and what they offer; ``appointment``: appointments and the facts about one;
``staff``: memberships and the audit log; ``ticket``: walk-in numbers.
"""

from amtstermin.booking.models.appointment import (
    ACTIVE_STATUSES,
    LONGEST_APPOINTMENT,
    Appointment,
    AppointmentLine,
    Channel,
    Status,
)
from amtstermin.booking.models.office import (
    FEDERAL_STATES,
    GRID_CHOICES,
    MAX_PERSONS,
    Absence,
    AvailabilityVersion,
    Closure,
    Counter,
    Document,
    Office,
    OpeningHours,
    Service,
    Weekday,
    validate_time_zone,
)
from amtstermin.booking.models.staff import AuditAction, AuditEntry, AuditQuerySet, StaffMembership
from amtstermin.booking.models.ticket import Ticket, TicketStatus

__all__ = [
    "ACTIVE_STATUSES",
    "FEDERAL_STATES",
    "GRID_CHOICES",
    "LONGEST_APPOINTMENT",
    "MAX_PERSONS",
    "Absence",
    "Appointment",
    "AppointmentLine",
    "AuditAction",
    "AuditEntry",
    "AuditQuerySet",
    "AvailabilityVersion",
    "Channel",
    "Closure",
    "Counter",
    "Document",
    "Office",
    "OpeningHours",
    "Service",
    "StaffMembership",
    "Status",
    "Ticket",
    "TicketStatus",
    "Weekday",
    "validate_time_zone",
]
