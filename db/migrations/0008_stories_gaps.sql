-- stories, service gaps, presentations (issues 5, 6): reserved; no schema change yet.
SELECT 1;
