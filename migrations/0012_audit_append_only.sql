-- The audit log is append-only (spec §7, issue 25): D1 itself refuses to change
-- or remove an event. Defense in depth: whoever can run DDL can drop these, which
-- is why verify also checks every chain against heads kept outside D1.
CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events`
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only: an event is never changed');
END;--> statement-breakpoint
CREATE TRIGGER `audit_events_no_delete` BEFORE DELETE ON `audit_events`
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only: an event is never removed');
END;
