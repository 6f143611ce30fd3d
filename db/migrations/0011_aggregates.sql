-- aggregate tables (issue 5): reserved; no schema change yet.
SELECT 1;
