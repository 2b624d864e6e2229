-- Events refer to the run and the job they tell of. The engine writes them in the same
-- transaction as what they tell of, in whatever order; checking the references at commit keeps
-- them true without ordering the inserts (and without a round trip per event).
ALTER TABLE event ALTER CONSTRAINT event_run_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE event ALTER CONSTRAINT event_job_id_fkey DEFERRABLE INITIALLY DEFERRED;
