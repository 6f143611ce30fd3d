-- positions over time, supervision, support requests (issue 6): reserved; no schema change yet.
SELECT 1;
