"""Signals other apps listen to without this app importing them (imports flow projects <- procurement
<- reporting)."""

from django.dispatch import Signal

# Sent with project_id when something that feeds the cost or time forecast changed (estimates to
# complete, the plan, purchase orders, invoices). Reporting re-checks the project's tolerances.
forecast_changed = Signal()

# Sent with project_id and by_id (who validated it) when a project closed. Reporting makes the SMO
# hand-over pack.
project_closed = Signal()
