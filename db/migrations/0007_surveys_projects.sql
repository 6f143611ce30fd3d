-- surveys and projects (issue 6): reserved; no schema change yet.
SELECT 1;
