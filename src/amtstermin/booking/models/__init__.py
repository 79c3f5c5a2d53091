"""The booking app's models, one module per area; Django finds them all here.

``office``: offices and what they offer; ``documents``: each office's document catalogue and
what its services ask for; ``appointment``: appointments and the facts about one;
``staff``: memberships and the audit log; ``ticket``: walk-in numbers; ``capacity``: a
counter's staff-only time; ``device``: paired kiosks and displays; ``waitlist``: wishes for a
time when nothing fits; ``category``: the groups of services on the start page.
"""

from amtstermin.booking.models.appointment import (
    ACTIVE_STATUSES,
    CODE_LENGTH,
    LONGEST_APPOINTMENT,
    Appointment,
    AppointmentLine,
    AppointmentQuerySet,
    AppointmentStatus,
    Channel,
    holds_time,
)
from amtstermin.booking.models.capacity import StaffOnlyTime
from amtstermin.booking.models.category import ServiceCategory
from amtstermin.booking.models.device import Device, DeviceKind
from amtstermin.booking.models.documents import Document, DocumentType, documents_prefetch
from amtstermin.booking.models.office import (
    FEDERAL_STATES,
    GRID_CHOICES,
    MAX_PERSONS,
    SERVICE_ORDER,
    Absence,
    AccessibilityConformance,
    AvailabilityVersion,
    Closure,
    Counter,
    Office,
    OpeningHours,
    Service,
    Weekday,
    service_order,
    validate_time_zone,
)
from amtstermin.booking.models.staff import AuditAction, AuditEntry, AuditQuerySet, StaffMembership
from amtstermin.booking.models.ticket import Ticket, TicketStatus
from amtstermin.booking.models.waitlist import (
    OPEN_WISH_STATUSES,
    PENDING_WISH_DAYS,
    PartOfDay,
    WaitlistEntry,
    WaitlistLine,
    WaitlistStatus,
)

__all__ = [
    "ACTIVE_STATUSES",
    "CODE_LENGTH",
    "FEDERAL_STATES",
    "GRID_CHOICES",
    "LONGEST_APPOINTMENT",
    "MAX_PERSONS",
    "OPEN_WISH_STATUSES",
    "PENDING_WISH_DAYS",
    "SERVICE_ORDER",
    "Absence",
    "AccessibilityConformance",
    "Appointment",
    "AppointmentLine",
    "AppointmentQuerySet",
    "AppointmentStatus",
    "AuditAction",
    "AuditEntry",
    "AuditQuerySet",
    "AvailabilityVersion",
    "Channel",
    "Closure",
    "Counter",
    "Device",
    "DeviceKind",
    "Document",
    "DocumentType",
    "Office",
    "OpeningHours",
    "PartOfDay",
    "Service",
    "ServiceCategory",
    "StaffMembership",
    "StaffOnlyTime",
    "Ticket",
    "TicketStatus",
    "WaitlistEntry",
    "WaitlistLine",
    "WaitlistStatus",
    "Weekday",
    "documents_prefetch",
    "holds_time",
    "service_order",
    "validate_time_zone",
]
