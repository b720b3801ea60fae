"""Every write of the attendance app: punches, derived days, leave, stepping out, make-up
punches and the month's deductions."""
